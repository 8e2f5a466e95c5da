// The seed's calls on today's upstream: `betaEndpoints` 'fallback' (default), 'ga' and 'beta', against
// the live-like stand-in (beta paths answer 404 "Invalid URL") and a scripted server for the faults.
// Every test asserts what the server received, not only what came back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  BetaEndpointRetiredError,
  ConfigurationError,
  createRealtimeSession,
  createRealtimeSessionWithHttpInfo,
  createRealtimeTranscriptionSession,
  InternalServerError,
  InvalidArgumentError,
  InvalidResponseError,
  NotFoundError,
  RateLimitError,
  RealtimeApi,
  type ClientOptions,
} from '../../src/index.js';
import { json, openaiError, useScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';
import { API_KEY, rejectionOf, SESSION } from './support.js';

/** The live API's answer to a retired beta path (2026). */
const INVALID_URL = (path: string) =>
  json(404, {
    error: {
      message: `Invalid URL (POST /v1${path})`,
      type: 'invalid_request_error',
      param: null,
      code: null,
    },
  });
const SHAPE_DISABLED = json(400, {
  error: {
    message: 'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.',
    type: 'invalid_request_error',
    code: 'beta_api_shape_disabled',
    param: '',
  },
});
const GA_SECRET = {
  value: 'ek_fallback_minted_secret',
  expires_at: 1_900_000_000,
  session: {
    type: 'realtime',
    object: 'realtime.session',
    id: 'sess_ga',
    model: 'gpt-realtime',
    output_modalities: ['audio'],
    audio: { output: { voice: 'verse', format: { type: 'audio/pcm', rate: 24000 } } },
  },
};

let server: ScriptedServer;
useScriptedServer((s) => (server = s));

function client(options: ClientOptions = {}): RealtimeApi {
  return new RealtimeApi({ apiKey: API_KEY, baseUrl: `${server.url}/v1`, maxRetries: 0, ...options });
}
const paths = () => server.requests.map((r) => r.url);

describe("against the live-like stand-in (beta paths retired), with the default 'fallback'", () => {
  let live: StandIn;
  const lines: string[] = [];
  beforeAll(async () => {
    live = await startStandIn({ log: (line) => lines.push(line) });
  });
  afterAll(() => live.close());

  it('createRealtimeSession mints: beta 404, then GA, answer in the beta shape; the next call goes straight to GA', async () => {
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: live.baseUrl });
    const before = live.requests.length;
    const session = await api.createRealtimeSession({ model: 'gpt-realtime', voice: 'verse' });

    expect(session.client_secret.value).toMatch(/^ek_[0-9a-f]{32}$/);
    expect(session.client_secret.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(session.model).toBe('gpt-realtime');
    expect(session.voice).toBe('verse');
    expect(session.modalities).toEqual(['audio', 'text']);
    expect(session.input_audio_format).toBe('pcm16');

    const seen = live.requests.slice(before);
    expect(seen.map((r) => r.url)).toEqual(['/v1/realtime/sessions', '/v1/realtime/client_secrets']);
    expect(JSON.parse(seen[1]!.body)).toEqual({
      session: { type: 'realtime', model: 'gpt-realtime', audio: { output: { voice: 'verse' } } },
    });
    expect(seen[1]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(lines.join('\n')).toMatch(/POST \/v1\/realtime\/sessions → 404/);

    await api.createRealtimeSession({ model: 'gpt-realtime' });
    expect(live.requests.slice(before + 2).map((r) => r.url)).toEqual(['/v1/realtime/client_secrets']);
  });

  it('createRealtimeTranscriptionSession mints through GA with session.type transcription', async () => {
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: live.baseUrl });
    const before = live.requests.length;
    const session = await api.createRealtimeTranscriptionSession({
      input_audio_format: 'pcm16',
      input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en' },
    });
    expect(session.client_secret.value).toMatch(/^ek_/);
    expect(session.input_audio_transcription?.model).toBe('gpt-4o-transcribe');
    expect(session.input_audio_format).toBe('pcm16');
    const seen = live.requests.slice(before);
    expect(seen.map((r) => r.url)).toEqual([
      '/v1/realtime/transcription_sessions',
      '/v1/realtime/client_secrets',
    ]);
    expect(JSON.parse(seen[1]!.body)).toEqual({
      session: {
        type: 'transcription',
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 24000 },
            transcription: { model: 'gpt-4o-transcribe', language: 'en' },
          },
        },
      },
    });
  });

  it('the standalone functions remember the retirement per base URL for the life of the process', async () => {
    const options = { apiKey: API_KEY, baseUrl: live.baseUrl };
    await createRealtimeSession({}, options);
    const before = live.requests.length;
    await createRealtimeSession({ voice: 'marin' }, options);
    expect(live.requests.slice(before).map((r) => r.url)).toEqual(['/v1/realtime/client_secrets']);
  });

  it("'ga' never calls a beta path: one round trip", async () => {
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: live.baseUrl, betaEndpoints: 'ga' });
    const before = live.requests.length;
    const { status, requestId, data } = await api.createRealtimeSessionWithHttpInfo({ voice: 'cedar' });
    expect(status).toBe(200);
    expect(requestId).toMatch(/^req_/);
    expect(data.voice).toBe('cedar');
    expect(live.requests.slice(before).map((r) => r.url)).toEqual(['/v1/realtime/client_secrets']);
  });

  it("'beta' throws BetaEndpointRetiredError naming the GA method and the README section", async () => {
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: live.baseUrl, betaEndpoints: 'beta' });
    const before = live.requests.length;
    const error = (await rejectionOf(api.createRealtimeSession({}))) as BetaEndpointRetiredError;
    expect(error).toBeInstanceOf(BetaEndpointRetiredError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.name).toBe('BetaEndpointRetiredError');
    expect(error.status).toBe(404);
    expect(error.path).toBe('/realtime/sessions');
    expect(error.requestId).toMatch(/^req_/);
    expect(error.message).toMatch(
      /^404 Invalid URL \(POST \/v1\/realtime\/sessions\) \(POST \/realtime\/sessions\)/,
    );
    expect(error.message).toContain('createRealtimeClientSecret');
    expect(error.message).toContain('Migrating from the beta endpoints');
    expect(live.requests.slice(before).map((r) => r.url)).toEqual(['/v1/realtime/sessions']);
  });
});

describe('what counts as a retirement', () => {
  it('a 404 from the beta path falls back and reports the GA exchange (status, headers, request id)', async () => {
    server.reply(
      INVALID_URL('/realtime/sessions'),
      json(200, GA_SECRET, { 'x-request-id': 'req_ga_exchange' }),
    );
    const { status, requestId, headers, data } = await client().createRealtimeSessionWithHttpInfo({
      voice: 'verse',
    });
    expect(status).toBe(200);
    expect(requestId).toBe('req_ga_exchange');
    expect(headers.get('x-request-id')).toBe('req_ga_exchange');
    expect(data.client_secret).toEqual({ value: GA_SECRET.value, expires_at: GA_SECRET.expires_at });
    expect(data.voice).toBe('verse');
    expect(paths()).toEqual(['/v1/realtime/sessions', '/v1/realtime/client_secrets']);
  });

  it('an answer with code beta_api_shape_disabled is one too, whatever its status', async () => {
    server.reply(SHAPE_DISABLED, json(200, GA_SECRET));
    const session = await client().createRealtimeSession({});
    expect(session.client_secret.value).toBe(GA_SECRET.value);
    expect(paths()).toEqual(['/v1/realtime/sessions', '/v1/realtime/client_secrets']);
  });

  it.each([
    ['a 400 about a field', openaiError(400, { message: 'bad voice', param: 'voice' }), BadRequestError],
    ['a 401', openaiError(401, { message: 'Incorrect API key provided' }), AuthenticationError],
    ['a 429', openaiError(429, { message: 'slow down' }), RateLimitError],
    ['a 500', openaiError(500, { message: 'boom' }), InternalServerError],
  ])('%s is not: no fallback, the error as it is', async (_, reply, ErrorClass) => {
    server.reply(reply);
    const error = await rejectionOf(client().createRealtimeSession({}));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(paths()).toEqual(['/v1/realtime/sessions']);
  });

  it('a 5xx is retried on the beta path as before, then falls back only on a retirement', async () => {
    server.reply(
      openaiError(503, { message: 'busy' }, { 'retry-after-ms': '0' }),
      INVALID_URL('/realtime/sessions'),
      json(200, GA_SECRET),
    );
    const session = await client({ maxRetries: 2 }).createRealtimeSession({});
    expect(session.client_secret.value).toBe(GA_SECRET.value);
    expect(paths()).toEqual([
      '/v1/realtime/sessions',
      '/v1/realtime/sessions',
      '/v1/realtime/client_secrets',
    ]);
  });

  it('a server still serving the beta contract is used as it is', async () => {
    server.reply(json(200, SESSION), json(200, SESSION));
    const api = client();
    await expect(api.createRealtimeSession({ temperature: 0.8 })).resolves.toEqual(SESSION);
    await expect(api.createRealtimeSession({})).resolves.toEqual(SESSION);
    expect(paths()).toEqual(['/v1/realtime/sessions', '/v1/realtime/sessions']);
  });
});

describe('faults on the new path', () => {
  it('a GA failure after the fallback reports the GA error, not the beta 404', async () => {
    server.reply(
      INVALID_URL('/realtime/sessions'),
      openaiError(400, {
        message: "Invalid value: 'nope'. Supported values are: 'alloy'…",
        param: 'session.audio.output.voice',
      }),
    );
    const error = (await rejectionOf(client().createRealtimeSession({ voice: 'nope' }))) as ApiError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect(error.path).toBe('/realtime/client_secrets');
    expect(error.param).toBe('session.audio.output.voice');
    expect(paths()).toEqual(['/v1/realtime/sessions', '/v1/realtime/client_secrets']);
  });

  it('a GA 404 (a wrong baseUrl) is a NotFoundError for client_secrets, and nothing loops', async () => {
    server.reply(INVALID_URL('/realtime/sessions'), INVALID_URL('/realtime/client_secrets'));
    const api = client();
    const error = (await rejectionOf(api.createRealtimeSession({}))) as ApiError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.path).toBe('/realtime/client_secrets');
    expect(paths()).toHaveLength(2);
  });

  it.each([
    ['no value', { expires_at: 1, session: {} }],
    ['an empty body object', {}],
    ['a numeric value', { value: 42, expires_at: 1 }],
    ['a string expires_at', { value: 'ek_x', expires_at: 'soon' }],
  ])('a GA answer with %s is an InvalidResponseError, not a session', async (_, body) => {
    server.reply(INVALID_URL('/realtime/sessions'), json(200, body));
    const error = (await rejectionOf(client().createRealtimeSession({}))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.status).toBe(200);
    expect(error.message).toMatch(/no string `value` or numeric `expires_at`/);
    expect(error.path).toBe('/realtime/client_secrets');
  });

  it('a field GA has no place for is refused after the retirement, before any GA request', async () => {
    server.reply(INVALID_URL('/realtime/sessions'));
    const api = client();
    const error = await rejectionOf(api.createRealtimeSession({ temperature: 0.8 }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/`request\.temperature` has no GA equivalent/);
    expect(paths()).toEqual(['/v1/realtime/sessions']);
    // Remembered: the next call refuses without any request.
    await expect(api.createRealtimeSession({ temperature: 1 })).rejects.toThrow(InvalidArgumentError);
    expect(paths()).toHaveLength(1);
  });

  it("'ga' refuses garbage before any request, and a non-object request as the beta path does", async () => {
    const api = client({ betaEndpoints: 'ga' });
    await expect(api.createRealtimeSession({ voice: { nested: 1 } } as never)).rejects.toThrow(
      /`request\.voice` must be a string, but received an object/,
    );
    await expect(api.createRealtimeSession(null as never)).rejects.toThrow(InvalidArgumentError);
    await expect(api.createRealtimeSession([] as never)).rejects.toThrow(InvalidArgumentError);
    expect(server.count).toBe(0);
  });

  it('concurrent first calls each fall back at most once, none loops and none mints twice', async () => {
    server.fallback = (res, req) =>
      (req.url.endsWith('/realtime/sessions') ? INVALID_URL('/realtime/sessions') : json(200, GA_SECRET))(
        res,
        req,
      );
    const api = client();
    const sessions = await Promise.all(Array.from({ length: 8 }, () => api.createRealtimeSession({})));
    expect(sessions.every((s) => s.client_secret.value === GA_SECRET.value)).toBe(true);
    const beta = paths().filter((p) => p.endsWith('/realtime/sessions')).length;
    const ga = paths().filter((p) => p.endsWith('/realtime/client_secrets')).length;
    expect(ga).toBe(8);
    expect(beta).toBeGreaterThanOrEqual(1);
    expect(beta).toBeLessThanOrEqual(8);
    // Afterwards: straight to GA.
    await api.createRealtimeSession({});
    expect(paths().at(-1)).toBe('/v1/realtime/client_secrets');
    expect(paths().filter((p) => p.endsWith('/realtime/sessions')).length).toBe(beta);
  });

  it('secrets stay scrubbed on the GA path: an echoing GA error and an echoing 2xx', async () => {
    const echo = `Incorrect API key provided: ${API_KEY}; minted ek_echoed_secret_1234567890`;
    server.reply(
      INVALID_URL('/realtime/sessions'),
      openaiError(401, { message: echo }, { 'x-request-id': API_KEY }),
    );
    const error = (await rejectionOf(client().createRealtimeSession({}))) as ApiError;
    const everything = `${error.message} ${JSON.stringify(error)} ${error.requestId} ${error.headers.get('x-request-id')}`;
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain('ek_echoed');

    server.reply(json(200, { value: 42, expires_at: 1, note: `key ${API_KEY}` }));
    const invalid = (await rejectionOf(
      client({ betaEndpoints: 'ga' }).createRealtimeSession({}),
    )) as InvalidResponseError;
    expect(`${invalid.message} ${invalid.excerpt} ${JSON.stringify(invalid)}`).not.toContain(API_KEY);
  });
});

describe('the option', () => {
  it("is checked at construction: anything but 'fallback', 'ga' or 'beta' is a ConfigurationError", () => {
    expect(() => client({ betaEndpoints: 'auto' as never })).toThrow(ConfigurationError);
    expect(() => client({ betaEndpoints: 'auto' as never })).toThrow(
      "`betaEndpoints` must be 'fallback', 'ga' or 'beta', but received a string.",
    );
    expect(() => client({ betaEndpoints: 1 as never })).toThrow(/received number 1/);
  });

  it('applies to the standalone functions too', async () => {
    server.reply(json(200, GA_SECRET));
    const { data } = await createRealtimeSessionWithHttpInfo(
      {},
      { apiKey: API_KEY, baseUrl: `${server.url}/v1`, betaEndpoints: 'ga' },
    );
    expect(data.client_secret.value).toBe(GA_SECRET.value);
    server.reply(INVALID_URL('/realtime/transcription_sessions'));
    await expect(
      createRealtimeTranscriptionSession(
        {},
        { apiKey: API_KEY, baseUrl: `${server.url}/v1`, betaEndpoints: 'beta' },
      ),
    ).rejects.toThrow(BetaEndpointRetiredError);
    expect(paths()).toEqual(['/v1/realtime/client_secrets', '/v1/realtime/transcription_sessions']);
  });
});
