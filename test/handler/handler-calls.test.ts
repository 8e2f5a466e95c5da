// createSessionHandler({ endpoint: 'calls' }): the page POSTs its SDP offer, the route creates the
// call upstream and answers the SDP answer. Against the stand-in (a real WebRTC peer: the caller
// really connects and receives session.created with the pinned session), and against a scripted
// node:http upstream for every failure. Every refusal is checked to have sent nothing upstream.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMultipart } from '../../scripts/lib/stand-in-calls.js';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { ConfigurationError, createSessionHandler, type CallHandlerOptions } from '../../src/index.js';
import { coreOf } from '../../src/handler/core.js';
import { toNodeHandler } from '../../src/node.js';
import { listen } from '../helpers/listen.js';
import {
  hang,
  json,
  openaiError,
  text,
  useScriptedServer,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import { createCaller } from '../helpers/webrtc.js';
import { answer, browserRequest, expectSafeError } from './support.js';
import { ANSWER, OFFER } from '../helpers/sdp.js';

const KEY = 'sk-calls-route-0123456789';
const PINNED = { type: 'realtime', model: 'gpt-realtime', instructions: 'Pinned by the server.' } as const;

const sdpPost = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  browserRequest(body, { headers: { 'content-type': 'application/sdp', ...headers } });

/** The route under test, against the upstream at `baseUrl`. */
const callRoute = (baseUrl: string, options: Partial<CallHandlerOptions> = {}) =>
  createSessionHandler({
    endpoint: 'calls',
    apiKey: KEY,
    baseUrl,
    session: PINNED,
    allowFromClient: ['voice'],
    ...options,
  });

/** A multipart request as a page builds it with FormData. */
function formPost(parts: [name: string, value: string | Blob][]): Request {
  const form = new FormData();
  for (const [name, value] of parts) form.append(name, value);
  return new Request('http://app.test/call', { method: 'POST', body: form });
}

describe('calls mode against the stand-in: a real WebRTC call', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn?.close());
  const route = (options: Partial<CallHandlerOptions> = {}) => callRoute(standIn.baseUrl, options);

  it('answers a raw application/sdp offer with the SDP answer; the caller connects and gets the pinned session', async () => {
    const caller = await createCaller();
    try {
      const before = standIn.requests.length;
      const a = await answer(route()(sdpPost(caller.sdp)));
      expect(a.status).toBe(201);
      expect(a.headers.get('content-type')).toBe('application/sdp');
      expect(a.headers.get('cache-control')).toBe('no-store');
      expect(a.text).toMatch(/^v=0\r\n/);
      // The page gets the answer and nothing else: no key, no call id.
      expect(a.text).not.toContain(KEY);
      expect([...a.headers.keys()]).not.toContain('location');
      expect(a.text).not.toMatch(/rtc_/);

      const seen = standIn.requests.slice(before);
      expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /v1/realtime/calls']);
      expect(seen[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
      const parts = parseMultipart(seen[0]!.headers['content-type']!, seen[0]!.body)!;
      expect(parts.map((p) => [p.name, p.contentType])).toEqual([
        ['sdp', 'application/sdp'],
        ['session', 'application/json'],
      ]);
      expect(parts[0]!.text).toBe(caller.sdp);
      expect(JSON.parse(parts[1]!.text)).toEqual(PINNED);

      await caller.connect(a.text);
      const created = await caller.next('session.created');
      expect(created.session).toMatchObject({ instructions: PINNED.instructions, model: 'gpt-realtime' });
    } finally {
      await caller.close();
    }
  });

  it('takes multipart with a session part of allowed fields: voice goes to audio.output.voice', async () => {
    const caller = await createCaller();
    try {
      const a = await answer(
        route()(
          formPost([
            ['sdp', new Blob([caller.sdp], { type: 'application/sdp' })],
            ['session', JSON.stringify({ voice: 'verse' })],
          ]),
        ),
      );
      expect(a.status).toBe(201);
      const call = [...standIn.calls.values()].at(-1)!;
      expect(call.via).toBe('multipart');
      expect(call.session).toEqual({ ...PINNED, audio: { output: { voice: 'verse' } } });
      await caller.connect(a.text);
      const created = await caller.next('session.created');
      expect(created.session).toMatchObject({
        instructions: PINNED.instructions,
        audio: { output: { voice: 'verse' } },
      });
    } finally {
      await caller.close();
    }
  });

  it('behind toNodeHandler (the fast path), a caller connects the same way', async () => {
    const server = await listen(createServer(toNodeHandler(route())));
    const caller = await createCaller();
    try {
      const res = await fetch(`${server.url}/call`, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp' },
        body: caller.sdp,
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toBe('application/sdp');
      await caller.connect(await res.text());
      expect((await caller.next('session.created')).session).toMatchObject({
        instructions: PINNED.instructions,
      });
    } finally {
      await caller.close();
      await server.close();
    }
  });

  it('tells onCall the call id the upstream created, with the browser request', async () => {
    const seen: { callId: string; cookie: string | null }[] = [];
    const handler = route({
      onCall: ({ callId, request }) => {
        seen.push({ callId, cookie: request.headers.get('cookie') });
      },
    });
    const caller = await createCaller();
    try {
      const a = await answer(handler(sdpPost(caller.sdp, { cookie: 'user=ada' })));
      expect(a.status).toBe(201);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.cookie).toBe('user=ada');
      expect(standIn.calls.get(seen[0]!.callId)?.state).toBe('active');
    } finally {
      await caller.close();
    }
  });

  it('hangs up the call and answers 500 when onCall throws', async () => {
    const errors: unknown[] = [];
    const handler = route({
      onCall: () => {
        throw new Error('monitor unavailable');
      },
      onError: (error) => errors.push(error),
    });
    const caller = await createCaller();
    try {
      const before = standIn.requests.length;
      const a = await answer(handler(sdpPost(caller.sdp)));
      expectSafeError(a, 500, 'internal_error', [KEY]);
      const seen = standIn.requests.slice(before).map((r) => `${r.method} ${r.url}`);
      expect(seen).toHaveLength(2);
      expect(seen[0]).toBe('POST /v1/realtime/calls');
      const callId = /^POST \/v1\/realtime\/calls\/(rtc_[\w-]+)\/hangup$/.exec(seen[1]!)?.[1];
      expect(callId).toBeDefined();
      expect(standIn.calls.get(callId!)?.state).toBe('ended');
      expect(errors).toHaveLength(1);
      expect((errors[0] as Error).message).toBe('monitor unavailable');
    } finally {
      await caller.close();
    }
  });
});

describe('calls mode refusals: a clear 4xx and nothing sent upstream', () => {
  let upstream: ScriptedServer;
  useScriptedServer((s) => (upstream = s));
  const route = (options: Partial<CallHandlerOptions> = {}) =>
    callRoute(`${upstream.url}/v1`, { maxRetries: 0, ...options });

  const cases: [string, number, string, () => Request, string?][] = [
    ['a JSON body', 415, 'unsupported_media_type', () => browserRequest('{"sdp":"v=0"}')],
    ['text/plain', 415, 'unsupported_media_type', () => sdpPost(OFFER, { 'content-type': 'text/plain' })],
    [
      'no content-type',
      415,
      'unsupported_media_type',
      () => new Request('http://app.test/call', { method: 'POST' }),
    ],
    ['an empty SDP body', 400, 'invalid_offer', () => sdpPost(''), 'sdp'],
    ['text that is not SDP', 400, 'invalid_offer', () => sdpPost('hello, upstream'), 'sdp'],
    ['SDP without a media section', 400, 'invalid_offer', () => sdpPost('v=0\r\ns=-\r\n'), 'sdp'],
    [
      'SDP that is not UTF-8',
      400,
      'invalid_offer',
      () => sdpPost(new Uint8Array([0x76, 0x3d, 0x30, 0x0a, 0xff])),
    ],
    [
      'a charset other than UTF-8',
      415,
      'unsupported_media_type',
      () => sdpPost(OFFER, { 'content-type': 'application/sdp; charset=latin1' }),
    ],
    ['multipart without an sdp part', 400, 'invalid_offer', () => formPost([['session', '{}']]), 'sdp'],
    [
      'multipart with an unknown part',
      400,
      'invalid_request',
      () =>
        formPost([
          ['sdp', OFFER],
          ['model', 'gpt-x'],
        ]),
      'model',
    ],
    [
      'multipart with two sdp parts',
      400,
      'invalid_request',
      () =>
        formPost([
          ['sdp', OFFER],
          ['sdp', OFFER],
        ]),
      'sdp',
    ],
    [
      'a session field not allowed',
      400,
      'field_not_allowed',
      () =>
        formPost([
          ['sdp', OFFER],
          ['session', '{"instructions":"x"}'],
        ]),
      'instructions',
    ],
    [
      'a session part that is not JSON',
      400,
      'invalid_json',
      () =>
        formPost([
          ['sdp', OFFER],
          ['session', '{voice'],
        ]),
    ],
    [
      'a session part that is not an object',
      400,
      'invalid_json',
      () =>
        formPost([
          ['sdp', OFFER],
          ['session', '"verse"'],
        ]),
    ],
    [
      'a voice the schema refuses',
      400,
      'invalid_field',
      () =>
        formPost([
          ['sdp', OFFER],
          ['session', '{"voice":42}'],
        ]),
      'voice',
    ],
    [
      '__proto__ in the session part',
      400,
      'forbidden_key',
      () =>
        formPost([
          ['sdp', OFFER],
          ['session', '{"voice":"x","__proto__":{}}'],
        ]),
    ],
    [
      'a broken multipart body',
      400,
      'invalid_request',
      () => sdpPost('--x\r\nnot a part', { 'content-type': 'multipart/form-data; boundary=x' }),
    ],
    ['GET', 405, 'method_not_allowed', () => new Request('http://app.test/call')],
    [
      'a compressed offer',
      415,
      'unsupported_media_type',
      () => sdpPost(OFFER, { 'content-encoding': 'gzip' }),
    ],
  ];
  it.each(cases)('%s → %i %s', async (_, status, code, request, param) => {
    const a = await answer(route()(request()));
    expectSafeError(a, status, code, [KEY]);
    if (param !== undefined) expect(a.body.error.param).toBe(param);
    expect(upstream.count).toBe(0);
  });

  it('refuses an offer over maxOfferBytes with 413, declared or streamed, at 64 KiB by default', async () => {
    const big = OFFER + `a=x-pad:${'p'.repeat(70_000)}\r\n`;
    expectSafeError(await answer(route()(sdpPost(big))), 413, 'body_too_large', [KEY]);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(OFFER + 'a=x:' + 'p'.repeat(2000)));
        controller.close();
      },
    });
    const chunked = new Request('http://app.test/call', {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: streamed,
      duplex: 'half',
    } as RequestInit);
    const a = await answer(route({ maxOfferBytes: 1024 })(chunked));
    expectSafeError(a, 413, 'body_too_large', [KEY]);
    expect(a.body.error.message).toBe('request body exceeds 1024 bytes');
    expect(upstream.count).toBe(0);
  });

  it('answers 408 when the offer does not arrive within bodyTimeoutMs', async () => {
    const stalled = new Request('http://app.test/call', {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(new TextEncoder().encode('v=0\r\n')),
      }),
      duplex: 'half',
    } as RequestInit);
    expectSafeError(await answer(route({ bodyTimeoutMs: 100 })(stalled)), 408, 'body_timeout', [KEY]);
    expect(upstream.count).toBe(0);
  });

  it('applies authorize and CORS before reading the offer', async () => {
    const denied = route({ authorize: () => false });
    expectSafeError(await answer(denied(sdpPost(OFFER))), 401, 'unauthorized', [KEY]);
    const cors = route({ cors: { origins: ['https://app.example'] } });
    const foreign = await answer(cors(sdpPost(OFFER, { origin: 'https://evil.example' })));
    expectSafeError(foreign, 403, 'origin_not_allowed', [KEY]);
    const preflight = await cors(
      new Request('http://app.test/call', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(upstream.count).toBe(0);
  });
});

describe('calls mode upstream failures map as in the other modes', () => {
  let upstream: ScriptedServer;
  useScriptedServer((s) => (upstream = s));
  const route = (options: Partial<CallHandlerOptions> = {}) =>
    callRoute(`${upstream.url}/v1`, { maxRetries: 0, ...options });
  const sdpReply = (headers: Record<string, string> = { location: '/v1/realtime/calls/rtc_up1' }) =>
    text(201, ANSWER, { 'content-type': 'application/sdp', ...headers });

  it('forwards the offer and pinned session, and answers the upstream SDP', async () => {
    upstream.reply(sdpReply());
    const a = await answer(
      route()(
        formPost([
          ['sdp', OFFER],
          ['session', '{"voice":"cedar"}'],
        ]),
      ),
    );
    expect(a.status).toBe(201);
    expect(a.text).toBe(ANSWER);
    const [seen] = upstream.requests;
    expect(seen!.url).toBe('/v1/realtime/calls');
    const parts = parseMultipart(seen!.headers['content-type']!, seen!.body)!;
    expect(parts[0]!.text).toBe(OFFER);
    expect(JSON.parse(parts[1]!.text)).toEqual({ ...PINNED, audio: { output: { voice: 'cedar' } } });
  });

  const failures: [string, number, string, Parameters<ScriptedServer['reply']>[0]][] = [
    ['401 (the server key)', 502, 'upstream_auth', openaiError(401, { message: `Incorrect API key ${KEY}` })],
    ['500', 502, 'upstream_error', openaiError(500, { message: 'boom' })],
    ['429', 429, 'rate_limited', openaiError(429, { message: 'slow down' }, { 'retry-after': '3' })],
    [
      '400 about a pinned field',
      502,
      'upstream_rejected',
      openaiError(400, { message: 'bad', param: 'session.instructions' }),
    ],
    ['201 without Location', 502, 'upstream_invalid_response', sdpReply({})],
    [
      '201 that is not SDP',
      502,
      'upstream_invalid_response',
      json(201, { sdp: 'v=0' }, { location: '/v1/realtime/calls/rtc_x' }),
    ],
  ];
  it.each(failures)('%s → %i %s', async (_, status, code, reply) => {
    upstream.reply(reply);
    const a = await answer(route()(sdpPost(OFFER)));
    expectSafeError(a, status, code, [KEY]);
    expect(upstream.count).toBe(1);
  });

  it('passes the upstream message on when it is about the offer (param sdp)', async () => {
    upstream.reply(openaiError(400, { message: 'Invalid SDP offer: no ice-ufrag', param: 'sdp' }));
    const a = await answer(route()(sdpPost(OFFER)));
    expectSafeError(a, 400, 'invalid_field', [KEY]);
    expect(a.body.error).toMatchObject({ param: 'sdp', message: expect.stringContaining('no ice-ufrag') });
  });

  it('answers 504 when the upstream does not answer within upstreamTimeoutMs', async () => {
    upstream.reply(hang());
    const a = await answer(route({ upstreamTimeoutMs: 200 })(sdpPost(OFFER)));
    expectSafeError(a, 504, 'upstream_timeout', [KEY]);
  });

  it('never forwards an answer that echoes the key, and hangs that call up', async () => {
    upstream.reply(
      text(201, `${ANSWER}a=x-debug:${KEY}\r\n`, {
        'content-type': 'application/sdp',
        location: '/v1/realtime/calls/rtc_echo',
      }),
      text(200, ''),
    );
    const a = await answer(route()(sdpPost(OFFER)));
    expectSafeError(a, 502, 'upstream_invalid_response', [KEY]);
    expect(upstream.requests.map((r) => r.url)).toEqual([
      '/v1/realtime/calls',
      '/v1/realtime/calls/rtc_echo/hangup',
    ]);
  });
});

describe('calls mode configuration', () => {
  const base = { endpoint: 'calls', apiKey: KEY } as const;
  it.each([
    ['maxBodyBytes', { maxBodyBytes: 100 }, /maxBodyBytes.*maxOfferBytes/],
    ['sessionFields', { sessionFields: ['id'] }, /sessionFields/],
    ['expiresAfterSeconds', { expiresAfterSeconds: 60 }, /expiresAfterSeconds/],
    ['a transcription session', { session: { type: 'transcription' } }, /session\.type.*'realtime'/],
    ['type in allowFromClient', { allowFromClient: ['type'] }, /allowFromClient/],
    ['maxOfferBytes below 2', { maxOfferBytes: 1 }, /maxOfferBytes/],
    ['onCall that is not a function', { onCall: 'log' }, /onCall/],
  ])('refuses %s at startup with a ConfigurationError', (_, extra, message) => {
    expect(() => createSessionHandler({ ...base, ...(extra as object) } as CallHandlerOptions)).toThrow(
      ConfigurationError,
    );
    expect(() => createSessionHandler({ ...base, ...(extra as object) } as CallHandlerOptions)).toThrow(
      message,
    );
  });

  it('takes the node adapter fast path, unless onCall or authorize needs a Fetch Request', () => {
    expect(typeof coreOf(createSessionHandler(base))).toBe('function');
    expect(coreOf(createSessionHandler({ ...base, onCall: () => {} }))).toBeUndefined();
    expect(coreOf(createSessionHandler({ ...base, authorize: () => true }))).toBeUndefined();
  });

  it('refuses the calls options in the other modes', () => {
    expect(() => createSessionHandler({ apiKey: KEY, maxOfferBytes: 100 } as never)).toThrow(/maxOfferBytes/);
    expect(() => createSessionHandler({ apiKey: KEY, onCall: () => {} } as never)).toThrow(/onCall/);
    expect(() =>
      createSessionHandler({ endpoint: 'sessions', apiKey: KEY, onCall: () => {} } as never),
    ).toThrow(ConfigurationError);
  });
});
