// createRealtimeTranscriptionSession (POST /realtime/transcription_sessions), class and standalone
// forms, against a scripted server: the exact request, both result forms, errors, retries, and the
// minted `client_secret.value` kept out of every error.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  BadRequestError,
  ConfigurationError,
  ConnectionError,
  createRealtimeTranscriptionSession,
  createRealtimeTranscriptionSessionWithHttpInfo,
  InternalServerError,
  InvalidArgumentError,
  InvalidResponseError,
  RealtimeApi,
  UnprocessableEntityError,
  VERSION,
  type ClientOptions,
  type RealtimeTranscriptionSessionCreateRequest,
  type RealtimeTranscriptionSessionCreateResponse,
} from '../../src/index.js';
import {
  closedPortUrl,
  hang,
  json,
  openaiError,
  resetBeforeHeaders,
  text,
  useScriptedServer,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import { API_KEY, clearOpenAiEnv, facadeClient, rejectionOf } from './support.js';

const PATH = '/v1/realtime/transcription_sessions';
// Without a recognisable `ek_` prefix: only the `"value"` rule of redact() can catch it.
const VALUE = 'TRANSCRIPTIONVALUE0123456789';

const REQUEST: RealtimeTranscriptionSessionCreateRequest = {
  input_audio_format: 'pcm16',
  input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en', prompt: 'Ünïcödé ✓' },
  turn_detection: { type: 'server_vad', threshold: 0.5, silence_duration_ms: 200 },
  input_audio_noise_reduction: { type: 'near_field' },
  include: ['item.input_audio_transcription.logprobs'],
};

/** Shaped after the upstream example in openapi/realtime.yaml, with the secret the REST call adds. */
const SESSION: RealtimeTranscriptionSessionCreateResponse = {
  client_secret: { value: VALUE, expires_at: 1_742_188_264 },
  modalities: ['audio', 'text'],
  turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200 },
  input_audio_format: 'pcm16',
  input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en', prompt: '' },
};
const SESSION_TEXT = JSON.stringify(SESSION);

let server: ScriptedServer;

useScriptedServer((s) => (server = s));

const client = (options: ClientOptions = {}): RealtimeApi => facadeClient(server, options);

function expectNoValue(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  const e = error as Error;
  for (const rendered of [e.message, e.stack ?? '', JSON.stringify(e), inspect(e, { depth: Infinity })]) {
    expect(rendered).not.toContain(VALUE);
    expect(rendered).not.toContain(API_KEY);
  }
}

describe('RealtimeApi.createRealtimeTranscriptionSession', () => {
  it('POSTs the exact JSON body to /realtime/transcription_sessions with auth, content negotiation and User-Agent', async () => {
    server.reply(json(200, SESSION));

    const session = await client().createRealtimeTranscriptionSession(REQUEST);

    expect(session).toEqual(SESSION);
    expect(session.client_secret.value).toBe(VALUE);
    expect(server.count).toBe(1);
    const [seen] = server.requests;
    expect(seen!.method).toBe('POST');
    expect(seen!.url).toBe(PATH);
    expect(seen!.body).toBe(JSON.stringify(REQUEST));
    expect(seen!.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': `realtime-sessions/${VERSION}`,
    });
  });

  it('an empty request is sent as {}', async () => {
    server.reply(json(200, SESSION));
    await client().createRealtimeTranscriptionSession({});
    expect(server.requests[0]!.body).toBe('{}');
  });

  it('WithHttpInfo returns status, headers, data and the request id', async () => {
    server.reply(json(200, SESSION, { 'x-request-id': 'req_tr' }));
    const { status, headers, data, requestId } =
      await client().createRealtimeTranscriptionSessionWithHttpInfo(REQUEST);
    expect(status).toBe(200);
    expect(headers).toBeInstanceOf(Headers);
    expect(data).toEqual(SESSION);
    expect(requestId).toBe('req_tr');
  });

  it('a request that is not a plain object rejects with InvalidArgumentError and sends nothing', async () => {
    const error = await rejectionOf(
      client().createRealtimeTranscriptionSession([] as unknown as RealtimeTranscriptionSessionCreateRequest),
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(server.count).toBe(0);
  });
});

describe('createRealtimeTranscriptionSession (standalone)', () => {
  it('takes client and request options in one object', async () => {
    server.reply(json(200, SESSION));
    const session = await createRealtimeTranscriptionSession(REQUEST, {
      apiKey: API_KEY,
      baseUrl: `${server.url}/v1`,
      project: 'proj_t',
      signal: new AbortController().signal,
      maxRetries: 0,
    });
    expect(session).toEqual(SESSION);
    expect(server.requests[0]!.url).toBe(PATH);
    expect(server.requests[0]!.headers['openai-project']).toBe('proj_t');
    expect(server.requests[0]!.json).toEqual(REQUEST);
  });

  it('WithHttpInfo returns the HTTP details', async () => {
    server.reply(json(200, SESSION, { 'x-request-id': 'req_standalone_tr' }));
    const result = await createRealtimeTranscriptionSessionWithHttpInfo(
      {},
      { apiKey: API_KEY, baseUrl: `${server.url}/v1` },
    );
    expect(result).toMatchObject({ status: 200, data: SESSION, requestId: 'req_standalone_tr' });
  });

  it('rejects without an API key, and sends nothing', async () => {
    clearOpenAiEnv();
    await expect(createRealtimeTranscriptionSession({}, { baseUrl: server.url })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    expect(server.count).toBe(0);
  });

  it('the caller’s abort rejects with its own reason', async () => {
    server.fallback = hang();
    const controller = new AbortController();
    const pending = createRealtimeTranscriptionSession(
      {},
      { apiKey: API_KEY, baseUrl: server.url, signal: controller.signal },
    );
    await server.waitForRequests(1);
    controller.abort(new Error('user left'));
    await expect(pending).rejects.toThrow('user left');
  });
});

describe('errors', () => {
  it.each([
    [400, BadRequestError],
    [422, UnprocessableEntityError],
    [503, InternalServerError],
  ] as const)(
    '%i becomes %s, its message naming POST /realtime/transcription_sessions',
    async (status, ErrorClass) => {
      server.reply(
        openaiError(
          status,
          { message: 'Invalid input_audio_format.', param: 'input_audio_format', code: 'invalid_value' },
          { 'x-request-id': 'req_err', 'x-should-retry': 'false' },
        ),
      );
      const error = (await rejectionOf(client().createRealtimeTranscriptionSession(REQUEST))) as ApiError;
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toMatchObject({
        status,
        param: 'input_audio_format',
        requestId: 'req_err',
        path: '/realtime/transcription_sessions',
      });
      expect(error.message).toBe(
        `${status} Invalid input_audio_format. (POST /realtime/transcription_sessions)`,
      );
    },
  );

  it('connection refused is a ConnectionError naming the route', async () => {
    const error = await rejectionOf(
      client({ baseUrl: await closedPortUrl(), maxRetries: 0 }).createRealtimeTranscriptionSession({}),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/\(POST \/realtime\/transcription_sessions\)$/);
  });
});

describe('retries', () => {
  it('a reset, then 500, then 200: three attempts with the same body', async () => {
    server.reply(
      resetBeforeHeaders(),
      openaiError(500, { message: 'oops' }, { 'retry-after-ms': '0' }),
      json(200, SESSION),
    );
    await expect(client({ maxRetries: 2 }).createRealtimeTranscriptionSession(REQUEST)).resolves.toEqual(
      SESSION,
    );
    expect(server.count).toBe(3);
    expect(new Set(server.requests.map((r) => `${r.url} ${r.body}`)).size).toBe(1);
  });

  it('422 is not retried', async () => {
    server.fallback = openaiError(422, { message: 'bad' }, { 'retry-after-ms': '0' });
    await expect(client({ maxRetries: 3 }).createRealtimeTranscriptionSession(REQUEST)).rejects.toThrow(
      UnprocessableEntityError,
    );
    expect(server.count).toBe(1);
  });
});

describe('the minted client_secret.value never reaches an error', () => {
  it.each([
    ['an error body echoing the session', json(500, { error: { message: 'oops' }, session: SESSION })],
    ['a 2xx with trailing garbage', text(200, `${SESSION_TEXT} garbage`)],
    ['a 2xx JSON array of sessions', json(200, [SESSION])],
    [
      'a 2xx cut right after the value',
      text(200, SESSION_TEXT.slice(0, SESSION_TEXT.indexOf(VALUE) + VALUE.length)),
    ],
  ])('%s', async (_, reply) => {
    server.reply(reply);
    const error = await rejectionOf(client({ maxRetries: 0 }).createRealtimeTranscriptionSession({}));
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof ApiError || error instanceof InvalidResponseError).toBe(true);
    expectNoValue(error);
  });
});
