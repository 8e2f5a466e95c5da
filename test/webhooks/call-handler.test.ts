// createCallWebhookHandler against a real node:http upstream on 127.0.0.1 that records what it
// received, with webhooks signed independently by node:crypto (support.ts): each decision reaches
// the right call path with the bearer key and its body; unverified webhooks, other event types and
// bad decisions reach nothing upstream; failures answer 5xx so OpenAI redelivers; neither the API
// key nor the webhook secret is ever in an answer.
import { createServer } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  createCallWebhookHandler,
  InternalServerError,
  InvalidArgumentError,
  TimeoutError,
  WebhookVerificationError,
  type CallWebhookHandlerOptions,
  type WebhookRealtimeCallIncoming,
} from '../../src/index.js';
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
import { incomingCall, makeSecret, nowSeconds, signedHeaders } from './support.js';

const API_KEY = 'sk-test-webhooks-0123456789abcdef';
const SECRET = makeSecret();
const SESSION = { type: 'realtime', model: 'gpt-realtime', instructions: 'You are Alex.' } as const;
const CALL = incomingCall('rtc_abc123');
const BODY = JSON.stringify(CALL);

let server: ScriptedServer;
useScriptedServer((s) => (server = s));
afterEach(() => vi.unstubAllEnvs());

/** A handler on the scripted upstream, with spies for onIncomingCall and onError. */
function setup(
  decide: CallWebhookHandlerOptions['onIncomingCall'],
  options: Partial<CallWebhookHandlerOptions> = {},
) {
  const onIncomingCall = vi.fn(decide);
  const onError = vi.fn();
  const handler = createCallWebhookHandler({
    apiKey: API_KEY,
    baseUrl: `${server.url}/v1`,
    secret: SECRET,
    maxRetries: 0,
    onIncomingCall,
    onError,
    ...options,
  });
  return { handler, onIncomingCall, onError };
}

/** OpenAI's delivery of `body`, signed with `secret` unless `headers` says otherwise. */
function delivery(
  body: string = BODY,
  {
    secret = SECRET,
    headers = {},
    method = 'POST',
  }: { secret?: string; headers?: Record<string, string>; method?: string } = {},
): Request {
  return new Request('http://app.test/webhooks/openai', {
    method,
    headers: { 'content-type': 'application/json', ...signedHeaders(secret, body), ...headers },
    body: method === 'GET' ? undefined : body,
  });
}

/** The handler's answer, checked to hold neither the API key nor the secret (nor its base64). */
async function answer(response: Promise<Response>) {
  const r = await response;
  const textBody = await r.text();
  for (const secret of [API_KEY, SECRET, SECRET.slice('whsec_'.length)])
    expect(textBody).not.toContain(secret);
  expect(r.headers.get('content-type')).toBe('application/json');
  expect(r.headers.get('cache-control')).toBe('no-store');
  return { status: r.status, headers: r.headers, body: JSON.parse(textBody) as any };
}

const ok = () => text(200, '');

describe('decisions reach the upstream', () => {
  it('accept: POST /v1/realtime/calls/<id>/accept with the bearer key and the session JSON, then 200', async () => {
    server.reply(ok());
    const { handler, onIncomingCall, onError } = setup(() => ({ accept: SESSION }));
    const a = await answer(handler(delivery()));
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ received: true, action: 'accepted' });
    expect(server.count).toBe(1);
    const seen = server.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/realtime/calls/rtc_abc123/accept');
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.json).toEqual(SESSION);
    // onIncomingCall saw the verified event and the webhook id.
    expect(onIncomingCall).toHaveBeenCalledTimes(1);
    const [event, context] = onIncomingCall.mock.calls[0]!;
    expect(event).toEqual(CALL);
    expect(context.webhookId).toBe('wh_test_0001');
    expect(context.request).toBeInstanceOf(Request);
    expect(onError).not.toHaveBeenCalled();
  });

  it('reject: POST …/reject with the status code; { reject: {} } sends {}', async () => {
    server.reply(ok(), ok());
    const busy = setup(() => ({ reject: { status_code: 486 } }));
    expect((await answer(busy.handler(delivery()))).body).toEqual({ received: true, action: 'rejected' });
    const decline = setup(async () => ({ reject: {} }));
    expect((await answer(decline.handler(delivery()))).status).toBe(200);
    expect(server.requests.map((r) => [r.method, r.url, r.body, r.headers.authorization])).toEqual([
      ['POST', '/v1/realtime/calls/rtc_abc123/reject', '{"status_code":486}', `Bearer ${API_KEY}`],
      ['POST', '/v1/realtime/calls/rtc_abc123/reject', '{}', `Bearer ${API_KEY}`],
    ]);
  });

  it('refer: POST …/refer with { target_uri }', async () => {
    server.reply(ok());
    const { handler } = setup(() => ({ refer: { target_uri: 'tel:+14155550123' } }));
    const a = await answer(handler(delivery()));
    expect(a.body).toEqual({ received: true, action: 'referred' });
    expect(server.requests[0]!.url).toBe('/v1/realtime/calls/rtc_abc123/refer');
    expect(server.requests[0]!.json).toEqual({ target_uri: 'tel:+14155550123' });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('no decision (undefined or null): 200, and nothing is sent upstream', async () => {
    for (const decide of [() => undefined, async () => null]) {
      const { handler, onIncomingCall } = setup(decide);
      const a = await answer(handler(delivery()));
      expect(a.status).toBe(200);
      expect(a.body).toEqual({ received: true, action: 'none' });
      expect(onIncomingCall).toHaveBeenCalledTimes(1);
    }
    expect(server.count).toBe(0);
  });

  it('works behind toNodeHandler on a real socket, reading the raw body the signature covers', async () => {
    server.reply(ok());
    const { handler } = setup(() => ({ accept: SESSION }));
    const app = await listen(createServer(toNodeHandler(handler)));
    try {
      const response = await fetch(`${app.url}/webhooks/openai`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedHeaders(SECRET, BODY) },
        body: BODY,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: true, action: 'accepted' });
    } finally {
      await app.close();
    }
    expect(server.requests[0]!.url).toBe('/v1/realtime/calls/rtc_abc123/accept');
  });
});

describe('webhooks that are not acted on', () => {
  it.each([
    ['signed with another secret', () => delivery(BODY, { secret: makeSecret() }), 'invalid_signature'],
    ['with a tampered body', () => tampered(), 'invalid_signature'],
    [
      'without webhook-signature',
      () => delivery(BODY, { headers: { 'webhook-signature': '' } }),
      'missing_header',
    ],
    [
      'with a stale timestamp',
      () =>
        new Request('http://app.test/', {
          method: 'POST',
          headers: signedHeaders(SECRET, BODY, { timestamp: nowSeconds(-600) }),
          body: BODY,
        }),
      'stale_timestamp',
    ],
  ])(
    'a webhook %s gets 401; onIncomingCall is never called and the upstream receives nothing',
    async (_, request, reason) => {
      const { handler, onIncomingCall, onError } = setup(() => ({ accept: SESSION }));
      const a = await answer(handler(request()));
      expect(a.status).toBe(401);
      expect(a.body.error).toEqual({
        message: 'webhook signature could not be verified',
        code: 'webhook_unverified',
      });
      expect(onIncomingCall).not.toHaveBeenCalled();
      expect(server.count).toBe(0);
      // The operator hears of it: a rotated secret would otherwise fail silently.
      expect(onError).toHaveBeenCalledTimes(1);
      const error = onError.mock.calls[0]![0] as WebhookVerificationError;
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect(error.reason).toBe(reason);
      expect(JSON.stringify(error)).not.toContain(SECRET.slice('whsec_'.length));
    },
  );

  it('a signed body that is not an event gets 400, and nothing is called', async () => {
    const { handler, onIncomingCall } = setup(() => ({ accept: SESSION }));
    const a = await answer(handler(delivery('{"hello":"world"}')));
    expect(a.status).toBe(400);
    expect(a.body.error.code).toBe('invalid_webhook_payload');
    expect(onIncomingCall).not.toHaveBeenCalled();
    expect(server.count).toBe(0);
  });

  it('another verified event type gets 200 and is ignored: onIncomingCall is not called, nothing upstream', async () => {
    const body = JSON.stringify({
      object: 'event',
      id: 'evt_2',
      type: 'batch.completed',
      created_at: nowSeconds(),
      data: { id: 'batch_1' },
    });
    const { handler, onIncomingCall, onError } = setup(() => ({ accept: SESSION }));
    const a = await answer(handler(delivery(body)));
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ received: true, action: 'ignored' });
    expect(onIncomingCall).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
    expect(server.count).toBe(0);
  });

  it('a method other than POST gets 405 with Allow: POST', async () => {
    const { handler, onIncomingCall } = setup(() => ({ accept: SESSION }));
    const a = await answer(handler(delivery(BODY, { method: 'GET' })));
    expect(a.status).toBe(405);
    expect(a.headers.get('allow')).toBe('POST');
    expect(a.body.error.code).toBe('method_not_allowed');
    expect(onIncomingCall).not.toHaveBeenCalled();
  });

  it('a body over maxBodyBytes gets 413, declared or streamed; a stalled body gets 408', async () => {
    const { handler, onIncomingCall } = setup(() => ({ accept: SESSION }), {
      maxBodyBytes: 64,
      bodyTimeoutMs: 100,
    });
    expect((await answer(handler(delivery()))).status).toBe(413);
    const streamed = new Request('http://app.test/', {
      method: 'POST',
      headers: signedHeaders(SECRET, BODY),
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(BODY));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect((await answer(handler(streamed))).status).toBe(413);
    const stalled = new Request('http://app.test/', {
      method: 'POST',
      headers: signedHeaders(SECRET, BODY),
      body: new ReadableStream({ start: (controller) => controller.enqueue(new Uint8Array([0x7b])) }),
      duplex: 'half',
    } as RequestInit);
    const a = await answer(handler(stalled));
    expect(a.status).toBe(408);
    expect(a.body.error.code).toBe('body_timeout');
    expect(onIncomingCall).not.toHaveBeenCalled();
    expect(server.count).toBe(0);
  });
});

describe('failures answer 5xx, so OpenAI redelivers', () => {
  it('an upstream 500 on accept answers 502 and goes to onError; the key is in neither', async () => {
    server.reply(openaiError(500, { message: `boom for key ${API_KEY}`, type: 'server_error' }));
    const { handler, onError } = setup(() => ({ accept: SESSION }));
    const a = await answer(handler(delivery()));
    expect(a.status).toBe(502);
    expect(a.body.error).toEqual({
      message: 'upstream call for the decision failed',
      code: 'upstream_error',
    });
    expect(server.count).toBe(1); // maxRetries: 0
    expect(server.requests[0]!.url).toBe('/v1/realtime/calls/rtc_abc123/accept');
    const error = onError.mock.calls[0]![0] as InternalServerError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(500);
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(API_KEY);
  });

  it('the redelivery asks onIncomingCall again with the same webhook id, and succeeds', async () => {
    server.reply(json(503, { error: { message: 'busy' } }), ok());
    const { handler, onIncomingCall } = setup(() => ({ accept: SESSION }));
    const request = delivery();
    const first = await answer(handler(request.clone()));
    const second = await answer(handler(request));
    expect([first.status, second.status]).toEqual([502, 200]);
    expect(onIncomingCall.mock.calls.map(([, context]) => context.webhookId)).toEqual([
      'wh_test_0001',
      'wh_test_0001',
    ]);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v1/realtime/calls/rtc_abc123/accept',
      '/v1/realtime/calls/rtc_abc123/accept',
    ]);
  });

  it('an upstream that never answers is cut off at upstreamTimeoutMs: 504', async () => {
    server.reply(hang());
    const { handler, onError } = setup(() => ({ reject: { status_code: 486 } }), { upstreamTimeoutMs: 200 });
    const started = performance.now();
    const a = await answer(handler(delivery()));
    expect(a.status).toBe(504);
    expect(a.body.error.code).toBe('upstream_timeout');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(onError.mock.calls[0]![0]).toBeInstanceOf(TimeoutError);
  });

  it('an onIncomingCall that throws answers 500 and goes to onError; nothing upstream', async () => {
    const failure = new Error('database down');
    const { handler, onError } = setup(() => {
      throw failure;
    });
    const a = await answer(handler(delivery()));
    expect(a.status).toBe(500);
    expect(a.body.error).toEqual({ message: 'internal error', code: 'internal_error' });
    expect(onError).toHaveBeenCalledWith(failure);
    expect(server.count).toBe(0);
  });

  it('a throwing onError does not change the answer', async () => {
    const { handler } = setup(
      () => {
        throw new Error('x');
      },
      {
        onError: () => {
          throw new Error('logger down');
        },
      },
    );
    expect((await answer(handler(delivery()))).status).toBe(500);
  });

  it.each([
    ['a misspelt key', { acept: SESSION }, /the key `acept`/],
    ['two decisions', { accept: SESSION, reject: {} }, /more than one decision/],
    ['an empty object', {}, /an empty object/],
    ['accept as a string', { accept: 'yes' }, /`accept` as a string, not an object/],
    ['a status_code that is text', { reject: { status_code: '486' } }, /`reject.status_code` as a string/],
    ['a status_code out of range', { reject: { status_code: 7000 } }, /number 7000, not a SIP status/],
    ['refer without target_uri', { refer: {} }, /`refer.target_uri` as undefined/],
    ['a string', 'accept', /returned a string/],
    ['an array', [], /returned an array/],
    ['true', true, /returned boolean true/],
  ])(
    'an invalid decision (%s) answers 500, sends nothing, and says what is wrong',
    async (_, decision, message) => {
      const { handler, onError } = setup(() => decision as never);
      const a = await answer(handler(delivery()));
      expect(a.status).toBe(500);
      expect(a.body.error).toEqual({
        message: 'onIncomingCall returned an invalid decision',
        code: 'invalid_decision',
      });
      expect(server.count).toBe(0);
      const error = onError.mock.calls[0]![0] as InvalidArgumentError;
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/Nothing was sent upstream\.$/);
    },
  );
});

describe('createCallWebhookHandler options', () => {
  it('a missing secret is a ConfigurationError at creation, naming OPENAI_WEBHOOK_SECRET', () => {
    vi.stubEnv('OPENAI_WEBHOOK_SECRET', '');
    expect(() => createCallWebhookHandler({ apiKey: API_KEY, onIncomingCall: () => undefined })).toThrow(
      /Missing webhook secret: pass `secret` or set OPENAI_WEBHOOK_SECRET/,
    );
  });

  it('reads the secret from OPENAI_WEBHOOK_SECRET', async () => {
    vi.stubEnv('OPENAI_WEBHOOK_SECRET', SECRET);
    const handler = createCallWebhookHandler({
      apiKey: API_KEY,
      baseUrl: `${server.url}/v1`,
      onIncomingCall: () => undefined,
    });
    expect((await answer(handler(delivery()))).body).toEqual({ received: true, action: 'none' });
  });

  it('refuses unknown keys with a hint, a missing onIncomingCall, a bad secret and a missing API key, quoting no secret', () => {
    const base = { apiKey: API_KEY, secret: SECRET, onIncomingCall: () => undefined };
    expect(() => createCallWebhookHandler({ ...base, onIncommingCall: () => undefined } as never)).toThrow(
      'Unknown option `onIncommingCall` for createCallWebhookHandler(): did you mean `onIncomingCall`?',
    );
    expect(() => createCallWebhookHandler({ ...base, baseURL: 'http://x' } as never)).toThrow(
      /did you mean `baseUrl`/,
    );
    expect(() => createCallWebhookHandler({ ...base, onIncomingCall: undefined } as never)).toThrow(
      '`onIncomingCall` must be a function, but received undefined.',
    );
    expect(() => createCallWebhookHandler({ ...base, maxBodyBytes: -1 })).toThrow(ConfigurationError);
    expect(() => createCallWebhookHandler({ ...base, upstreamTimeoutMs: 0 })).toThrow(ConfigurationError);
    vi.stubEnv('OPENAI_API_KEY', '');
    expect(() => createCallWebhookHandler({ ...base, apiKey: undefined })).toThrow(/Missing API key/);
    const badSecret = 'whsec_%%%not-base64%%%';
    let caught: unknown;
    try {
      createCallWebhookHandler({ ...base, secret: badSecret });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect(`${(caught as Error).message} ${JSON.stringify(caught)}`).not.toContain('not-base64');
  });

  it('types onIncomingCall with the generated event', () => {
    const decide: CallWebhookHandlerOptions['onIncomingCall'] = (event: WebhookRealtimeCallIncoming) =>
      event.data.call_id.startsWith('rtc_') ? { accept: SESSION } : undefined;
    // @ts-expect-error: two decisions at once are refused by the types too
    const both: ReturnType<typeof decide> = { accept: SESSION, reject: {} };
    expect(both).toBeDefined();
  });
});

function tampered(): Request {
  const headers = signedHeaders(SECRET, BODY);
  return new Request('http://app.test/', {
    method: 'POST',
    headers,
    body: BODY.replace('rtc_abc123', 'rtc_evil99'),
  });
}
