// The call operations (generated/client.ts over src/client/wire.ts): createRealtimeCall's multipart
// body and SDP answer, the four call-control operations' path parameters, bodies and empty
// answers, and the translation client secret, against a scripted node:http server that records
// what it received, and against the stand-in (whose multipart reader is independent of the SDK's).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseMultipart } from '../../scripts/lib/stand-in-calls.js';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import {
  acceptRealtimeCall,
  acceptRealtimeCallWithHttpInfo,
  BadRequestError,
  createRealtimeClientSecret,
  ConfigurationError,
  createRealtimeCall,
  createRealtimeCallWithHttpInfo,
  createRealtimeTranslationClientSecret,
  hangupRealtimeCall,
  hangupRealtimeCallWithHttpInfo,
  InternalServerError,
  InvalidArgumentError,
  InvalidResponseError,
  NotFoundError,
  referRealtimeCall,
  rejectRealtimeCall,
  rejectRealtimeCallWithHttpInfo,
} from '../../src/index.js';
import {
  json,
  openaiError,
  text,
  useScriptedServer,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import { API_KEY, facadeClient, rejectionOf } from './support.js';
import { createCaller, type Caller } from '../helpers/webrtc.js';
import { ANSWER, OFFER } from '../helpers/sdp.js';

const SESSION = { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' } as const;
const sdpReply = (headers: Record<string, string> = { location: '/v1/realtime/calls/rtc_abc123' }) =>
  text(201, ANSWER, { 'content-type': 'application/sdp', ...headers });

let server: ScriptedServer;
useScriptedServer((s) => (server = s));
const options = () => ({ apiKey: API_KEY, baseUrl: `${server.url}/v1` });

describe('createRealtimeCall', () => {
  it('sends multipart/form-data with sdp as application/sdp and session as application/json, and returns the answer and call id', async () => {
    server.reply(sdpReply());
    const answer = await createRealtimeCall({ sdp: OFFER, session: SESSION }, options());
    expect(answer).toEqual({ sdp: ANSWER, callId: 'rtc_abc123' });

    const [seen] = server.requests;
    expect(seen!.method).toBe('POST');
    expect(seen!.url).toBe('/v1/realtime/calls');
    expect(seen!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen!.headers.accept).toBe('application/sdp');
    const contentType = seen!.headers['content-type']!;
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    const parts = parseMultipart(contentType, seen!.body)!;
    expect(parts.map((p) => [p.name, p.contentType, p.filename])).toEqual([
      ['sdp', 'application/sdp', undefined],
      ['session', 'application/json', undefined],
    ]);
    expect(parts[0]!.text).toBe(OFFER);
    expect(JSON.parse(parts[1]!.text)).toEqual(SESSION);
  });

  it('sends only the sdp part when there is no session', async () => {
    server.reply(sdpReply());
    await createRealtimeCall({ sdp: OFFER }, options());
    const seen = server.requests[0]!;
    expect(parseMultipart(seen.headers['content-type']!, seen.body)!.map((p) => p.name)).toEqual(['sdp']);
  });

  it('takes the call id from an absolute Location, and gives null without one', async () => {
    server.reply(sdpReply({ location: 'https://api.openai.com/v1/realtime/calls/rtc_xyz' }), sdpReply({}));
    const api = facadeClient(server);
    expect((await api.createRealtimeCall({ sdp: OFFER })).callId).toBe('rtc_xyz');
    const info = await api.createRealtimeCallWithHttpInfo({ sdp: OFFER });
    expect(info.status).toBe(201);
    expect(info.data).toEqual({ sdp: ANSWER, callId: null });
    expect(info.headers.get('content-type')).toBe('application/sdp');
  });

  it.each([
    ['an empty string', ''],
    ['JSON', '{"sdp":"v=0"}'],
    ['an SDP without v=0 first', `s=-\r\n${OFFER}`],
    ['an SDP without any m= line', 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n'],
  ])('refuses %s as the sdp with InvalidArgumentError, before any request', async (_, sdp) => {
    const error = await rejectionOf(createRealtimeCall({ sdp }, options()));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/`request\.sdp` must be an SDP offer/);
    expect(server.count).toBe(0);
  });

  it.each([
    ['no sdp', {}, /`request\.sdp` must be given/],
    ['a non-string sdp', { sdp: 42 }, /`request\.sdp` must be a string, but received number 42/],
    [
      'a session that is not an object',
      { sdp: OFFER, session: 'realtime' },
      /`request\.session` must be an object/,
    ],
    [
      'an unknown part',
      { sdp: OFFER, voice: 'marin' },
      /`request\.voice` is not a part of this request; it takes sdp, session/,
    ],
    ['a request that is not an object', 'v=0', /`request` must be a plain object/],
  ])('refuses %s with InvalidArgumentError, before any request', async (_, request, message) => {
    const error = await rejectionOf(createRealtimeCall(request as never, options()));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
    expect(server.count).toBe(0);
  });

  it('reports a 2xx that is not an SDP answer as InvalidResponseError', async () => {
    server.reply(json(201, { sdp: ANSWER }));
    const error = await rejectionOf(createRealtimeCall({ sdp: OFFER }, options()));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/not an SDP answer/);
  });

  it('retries a 500 with the same multipart bytes, then returns the answer', async () => {
    server.reply(openaiError(500, { message: 'boom' }, { 'retry-after-ms': '0' }), sdpReply());
    const answer = await createRealtimeCall({ sdp: OFFER, session: SESSION }, options());
    expect(answer.callId).toBe('rtc_abc123');
    expect(server.count).toBe(2);
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
    expect(server.requests[1]!.headers['content-type']).toBe(server.requests[0]!.headers['content-type']);
  });

  it('keeps the API key out of the error of a failed call', async () => {
    server.reply(openaiError(400, { message: `bad key ${API_KEY}` }));
    const error = await rejectionOf(createRealtimeCall({ sdp: OFFER }, { ...options(), maxRetries: 0 }));
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect((error as Error).message).not.toContain(API_KEY);
  });

  it('refuses a missing API key with ConfigurationError before any request', async () => {
    const error = await rejectionOf(
      createRealtimeCall({ sdp: OFFER }, { apiKey: ' ', baseUrl: `${server.url}/v1` }),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(server.count).toBe(0);
  });

  it('createRealtimeCallWithHttpInfo reports the request id', async () => {
    server.reply(sdpReply({ location: '/v1/realtime/calls/rtc_1', 'x-request-id': 'req_42' }));
    const { requestId, data } = await createRealtimeCallWithHttpInfo({ sdp: OFFER }, options());
    expect([requestId, data.callId]).toEqual(['req_42', 'rtc_1']);
  });
});

describe('call control', () => {
  it('acceptRealtimeCall posts the session as JSON to the call path, and resolves to undefined on an empty 200', async () => {
    server.reply(text(200, ''));
    await expect(acceptRealtimeCall('rtc_123', SESSION, options())).resolves.toBeUndefined();
    const seen = server.requests[0]!;
    expect(seen.url).toBe('/v1/realtime/calls/rtc_123/accept');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen.json).toEqual(SESSION);
  });

  it('hangupRealtimeCall sends no body and no content type; WithHttpInfo gives the status and data undefined', async () => {
    server.reply(text(200, '', { 'x-request-id': 'req_h' }));
    const info = await hangupRealtimeCallWithHttpInfo('rtc_123', options());
    expect(info).toMatchObject({ status: 200, data: undefined, requestId: 'req_h' });
    const seen = server.requests[0]!;
    expect(seen.url).toBe('/v1/realtime/calls/rtc_123/hangup');
    expect(seen.body).toBe('');
    expect(seen.headers['content-type']).toBeUndefined();
    expect(seen.headers['content-length'] ?? '0').toBe('0');
  });

  it('referRealtimeCall posts { target_uri }', async () => {
    server.reply(text(200, ''));
    await referRealtimeCall('rtc_9', { target_uri: 'tel:+14155550123' }, options());
    expect(server.requests[0]!.url).toBe('/v1/realtime/calls/rtc_9/refer');
    expect(server.requests[0]!.json).toEqual({ target_uri: 'tel:+14155550123' });
  });

  it('rejectRealtimeCall sends its optional body, or none', async () => {
    server.reply(text(200, ''), text(200, ''));
    await rejectRealtimeCall('rtc_9', { status_code: 486 }, options());
    const info = await rejectRealtimeCallWithHttpInfo('rtc_9', undefined, options());
    expect(info.data).toBeUndefined();
    expect(server.requests.map((r) => [r.url, r.body])).toEqual([
      ['/v1/realtime/calls/rtc_9/reject', '{"status_code":486}'],
      ['/v1/realtime/calls/rtc_9/reject', ''],
    ]);
  });

  it('ignores a body on a 200 (data stays undefined)', async () => {
    server.reply(json(200, { ok: true }));
    const info = await acceptRealtimeCallWithHttpInfo('rtc_1', SESSION, options());
    expect(info.data).toBeUndefined();
  });

  it.each([
    ['../x?y', '..%2Fx%3Fy'],
    ['a/b#c', 'a%2Fb%23c'],
    ['rtc 1', 'rtc%201'],
    ['%2E%2E', '%252E%252E'],
  ])('encodes the call id %j as one path segment', async (callId, segment) => {
    server.reply(text(200, ''));
    await hangupRealtimeCall(callId, options());
    expect(server.requests[0]!.url).toBe(`/v1/realtime/calls/${segment}/hangup`);
  });

  it.each([
    ['an empty string', ''],
    ['.', '.'],
    ['..', '..'],
    ['a number', 42],
    ['undefined', undefined],
  ])('refuses %s as the call id with InvalidArgumentError, before any request', async (_, callId) => {
    const error = await rejectionOf(hangupRealtimeCall(callId as string, options()));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(
      /^`callId` must be a non-empty string other than "\." and "\.\."/,
    );
    expect(server.count).toBe(0);
  });

  it('refuses a body that is not a plain object before any request', async () => {
    const error = await rejectionOf(referRealtimeCall('rtc_1', ['tel:1'] as never, options()));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(server.count).toBe(0);
  });

  it('maps an upstream 404 to NotFoundError with the upstream message, and retries a 500', async () => {
    server.reply(
      openaiError(404, { message: 'Call not found' }),
      openaiError(500, { message: 'x' }, { 'retry-after-ms': '0' }),
      text(200, ''),
    );
    const error = await rejectionOf(hangupRealtimeCall('rtc_gone', options()));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('Call not found');
    expect((error as Error).message).toContain('/realtime/calls/rtc_gone/hangup');
    await hangupRealtimeCall('rtc_1', options());
    expect(server.count).toBe(3);
  });

  it('gives up after maxRetries with InternalServerError', async () => {
    server.reply(
      openaiError(503, { message: 'busy' }, { 'retry-after-ms': '0' }),
      openaiError(503, { message: 'busy' }, { 'retry-after-ms': '0' }),
    );
    const error = await rejectionOf(facadeClient(server, { maxRetries: 1 }).hangupRealtimeCall('rtc_1'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(server.count).toBe(2);
  });
});

describe('against the stand-in', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());
  const standInOptions = () => ({ apiKey: API_KEY, baseUrl: standIn.baseUrl, maxRetries: 0 });

  let caller: Caller | undefined;
  afterEach(async () => {
    await caller?.close();
    caller = undefined;
  });

  it('createRealtimeCall: a real WebRTC connection, session.created with the session sent, session.update answered', async () => {
    caller = await createCaller();
    const { sdp, callId } = await createRealtimeCall({ sdp: caller.sdp, session: SESSION }, standInOptions());
    expect(sdp.match(/^m=/gm)).toHaveLength(2);
    expect(callId).toMatch(/^rtc_[0-9a-f]+$/);
    await caller.connect(sdp);
    const created = await caller.next('session.created');
    expect(created.session).toMatchObject(SESSION);
    caller.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Now be verbose.' } });
    expect((await caller.next('session.updated')).session).toMatchObject({ instructions: 'Now be verbose.' });
    expect(standIn.calls.get(callId!)).toMatchObject({ state: 'active', via: 'multipart', session: SESSION });
    expect(standIn.calls.get(callId!)!.peer!.received).toEqual([
      { type: 'session.update', session: { type: 'realtime', instructions: 'Now be verbose.' } },
    ]);
    await hangupRealtimeCall(callId!, standInOptions());
    expect(standIn.calls.get(callId!)!.state).toBe('ended');
  });

  it('the raw application/sdp form: a live ephemeral key it minted connects with the minted session; others get 401', async () => {
    const { value } = await createRealtimeClientSecret(
      { session: { type: 'realtime', instructions: 'Minted.' } },
      standInOptions(),
    );
    caller = await createCaller();
    const post = (key: string) =>
      fetch(`${standIn.baseUrl}/realtime/calls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/sdp' },
        body: caller!.sdp,
      });
    for (const key of ['ek_never_minted', API_KEY]) expect((await post(key)).status).toBe(401);
    const answer = await post(value);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe('application/sdp');
    expect(answer.headers.get('location')).toMatch(/^\/v1\/realtime\/calls\/rtc_/);
    await caller.connect(await answer.text());
    expect((await caller.next('session.created')).session).toMatchObject({ instructions: 'Minted.' });
  });

  it('an offer WebRTC cannot use is a 400 BadRequestError', async () => {
    const error = await rejectionOf(createRealtimeCall({ sdp: OFFER }, standInOptions()));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as Error).message).toMatch(/cannot be answered/);
  });

  it('accepts, rejects and refers announced SIP calls; an unknown call is NotFoundError', async () => {
    const accepted = standIn.incomingCall();
    const rejected = standIn.incomingCall();
    const referred = standIn.incomingCall();
    await acceptRealtimeCall(accepted, SESSION, standInOptions());
    await rejectRealtimeCall(rejected, { status_code: 486 }, standInOptions());
    await referRealtimeCall(referred, { target_uri: 'sip:desk@example.com' }, standInOptions());
    expect(standIn.calls.get(accepted)).toMatchObject({ state: 'accepted', session: SESSION });
    expect(standIn.calls.get(rejected)).toMatchObject({ state: 'rejected', control: { status_code: 486 } });
    expect(standIn.calls.get(referred)).toMatchObject({
      state: 'referred',
      control: { target_uri: 'sip:desk@example.com' },
    });
    expect(await rejectionOf(hangupRealtimeCall('rtc_unknown', standInOptions()))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it('mints a translation client secret', async () => {
    const secret = await createRealtimeTranslationClientSecret(
      { session: { model: 'gpt-realtime-translate', audio: { output: { language: 'es' } } } },
      standInOptions(),
    );
    expect(secret.value).toMatch(/^ek_/);
    expect(secret.session).toMatchObject({ type: 'translation', audio: { output: { language: 'es' } } });
    const seen = standIn.requests.at(-1)!;
    expect(seen.url).toBe('/v1/realtime/translations/client_secrets');
    expect(JSON.parse(seen.body)).toEqual({
      session: { model: 'gpt-realtime-translate', audio: { output: { language: 'es' } } },
    });
  });
});
