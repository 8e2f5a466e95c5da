// createSessionHandler in client_secrets mode (GA POST /realtime/client_secrets) against a scripted
// upstream: what the upstream receives, the answer (the same shape as in sessions mode), the voice
// mapping, configuration errors at creation, and every browser-facing rule applied identically in
// both modes.
import { createServer } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import {
  createSessionHandler,
  type ClientSecretHandlerOptions,
  type SessionHandler,
  type SessionHandlerOptions,
} from '../../src/handler/index.js';
import { toNodeHandler } from '../../src/adapters/node.js';
import { listen } from '../helpers/listen.js';
import {
  hang,
  json,
  openaiError,
  text,
  useScriptedServer,
  type Reply,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import {
  answer,
  betaSession,
  browserRequest,
  expectSafeError as expectSafeErrorWith,
  type Answer,
} from './support.js';

const API_KEY = 'sk-handler-ga-KEY-0123456789abcdef';
const SECRET = 'ek_handler_ga_secret_0123456789abcdef';
const ORIGIN = 'https://app.example.com';
const PINNED_GA = { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' } as const;
const PINNED_BETA = { model: 'gpt-realtime', instructions: 'Be brief.' } as const;

/** The GA session as the upstream returns it (after the example in openapi/realtime.yaml). */
const GA_SESSION = {
  type: 'realtime',
  object: 'realtime.session',
  id: 'sess_ga_1',
  model: 'gpt-realtime',
  instructions: 'Be brief.',
  output_modalities: ['audio'],
  audio: { output: { voice: 'verse', speed: 1 } },
};
const MINTED = { value: SECRET, expires_at: 2_000_000_120, session: GA_SESSION };

/** The beta session for the same request, for comparing the two modes. */
const BETA_SESSION = betaSession('sess_beta_1', SECRET, {
  expiresAt: 2_000_000_120,
  instructions: 'Be brief.',
  voice: 'verse',
});

let upstream: ScriptedServer;

useScriptedServer((s) => (upstream = s));

function gaHandler(options: Partial<ClientSecretHandlerOptions> = {}): SessionHandler {
  return createSessionHandler({
    apiKey: API_KEY,
    baseUrl: `${upstream.url}/v1`,
    maxRetries: 0,
    session: PINNED_GA,
    allowFromClient: ['voice'],
    ...options,
    endpoint: 'client_secrets',
  });
}

function betaHandler(options: Partial<Omit<SessionHandlerOptions, 'endpoint'>> = {}): SessionHandler {
  return createSessionHandler({
    endpoint: 'sessions',
    apiKey: API_KEY,
    baseUrl: `${upstream.url}/v1`,
    maxRetries: 0,
    session: PINNED_BETA,
    allowFromClient: ['voice'],
    ...options,
  });
}

const expectSafeError = (a: Answer, status: number, code?: string): void =>
  expectSafeErrorWith(a, status, code, [API_KEY, SECRET]);

describe('client_secrets mode: success', () => {
  it('the upstream sees /v1/realtime/client_secrets with expires_after and the GA session, voice under audio.output', async () => {
    upstream.reply(json(200, MINTED, { 'x-request-id': 'req_ga' }));
    const a = await answer(gaHandler({ expiresAfterSeconds: 120 })(browserRequest('{"voice":"verse"}')));

    expect(a.status).toBe(200);
    expect(upstream.count).toBe(1);
    const seen = upstream.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/realtime/client_secrets');
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.json).toEqual({
      expires_after: { anchor: 'created_at', seconds: 120 },
      session: { ...PINNED_GA, audio: { output: { voice: 'verse' } } },
    });
  });

  it('answers { client_secret: { value, expires_at }, session } with no-store, like sessions mode', async () => {
    upstream.reply(json(200, MINTED));
    const a = await answer(gaHandler()(browserRequest('{"voice":"verse"}')));
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('application/json');
    expect(a.headers.get('cache-control')).toBe('no-store');
    // The session as a page needs it: the pinned instructions stay on the server (sessionFields).
    const { instructions: _pinned, ...session } = GA_SESSION;
    expect(a.body).toEqual({ client_secret: { value: SECRET, expires_at: MINTED.expires_at }, session });
  });

  it('has the same answer shape as sessions mode for the same browser request', async () => {
    upstream.reply(json(200, MINTED), json(200, BETA_SESSION));
    const ga = await answer(gaHandler()(browserRequest('{"voice":"verse"}')));
    const beta = await answer(betaHandler()(browserRequest('{"voice":"verse"}')));

    expect(Object.keys(ga.body).sort()).toEqual(Object.keys(beta.body).sort());
    expect(ga.body.client_secret).toEqual(beta.body.client_secret);
    expect(Object.keys(ga.body.client_secret).sort()).toEqual(['expires_at', 'value']);
    expect(ga.body.session.model).toBe(beta.body.session.model);
    expect([...ga.headers.keys()].sort()).toEqual([...beta.headers.keys()].sort());
    // What each upstream was asked for: the voice in its own place.
    expect(upstream.requests.map((r) => [r.url, r.json])).toEqual([
      ['/v1/realtime/client_secrets', { session: { ...PINNED_GA, audio: { output: { voice: 'verse' } } } }],
      ['/v1/realtime/sessions', { ...PINNED_BETA, voice: 'verse' }],
    ]);
  });

  it('without expiresAfterSeconds sends no expires_after (the upstream default applies)', async () => {
    upstream.reply(json(200, MINTED));
    await answer(gaHandler()(browserRequest('{}')));
    expect(upstream.requests[0]!.json).toEqual({ session: PINNED_GA });
  });

  it('the browser can never set expires_after: 400 naming it, and no upstream call', async () => {
    const handler = gaHandler({ expiresAfterSeconds: 60, allowFromClient: ['voice', 'instructions'] });
    const a = await answer(
      handler(
        browserRequest(
          JSON.stringify({ voice: 'verse', expires_after: { anchor: 'created_at', seconds: 7200 } }),
        ),
      ),
    );
    expect(a.status).toBe(400);
    expect(a.body.error).toMatchObject({ code: 'field_not_allowed', param: 'expires_after' });
    expect(upstream.count).toBe(0);
  });

  it('the browser voice keeps the rest of the pinned audio, and does not leak into the next request', async () => {
    const pinned = {
      ...PINNED_GA,
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 } },
        output: { voice: 'alloy', speed: 1.2 },
      },
    } as const;
    const handler = gaHandler({ session: pinned });
    upstream.reply(json(200, MINTED), json(200, MINTED), json(200, MINTED));

    await answer(handler(browserRequest('{"voice":"cedar"}')));
    await answer(handler(browserRequest('{}')));
    await answer(handler(browserRequest('')));

    expect(upstream.requests.map((r) => (r.json as { session: unknown }).session)).toEqual([
      { ...pinned, audio: { input: pinned.audio.input, output: { voice: 'cedar', speed: 1.2 } } },
      pinned,
      pinned,
    ]);
  });

  it('other allowed fields replace the pinned top-level field', async () => {
    upstream.reply(json(200, MINTED));
    await answer(
      gaHandler({ allowFromClient: ['voice', 'instructions'] })(
        browserRequest('{"instructions":"Speak French."}'),
      ),
    );
    expect(upstream.requests[0]!.json).toEqual({ session: { ...PINNED_GA, instructions: 'Speak French.' } });
  });

  it('without a pinned session, sends { type: "realtime" } plus the allowed fields', async () => {
    upstream.reply(json(200, MINTED));
    const handler = createSessionHandler({
      endpoint: 'client_secrets',
      apiKey: API_KEY,
      baseUrl: `${upstream.url}/v1`,
      allowFromClient: ['voice'],
    });
    expect((await handler(browserRequest('{"voice":"marin"}'))).status).toBe(200);
    expect(upstream.requests[0]!.json).toEqual({
      session: { type: 'realtime', audio: { output: { voice: 'marin' } } },
    });
  });

  it('mints for a pinned transcription session', async () => {
    const pinned = {
      type: 'transcription',
      audio: { input: { transcription: { model: 'gpt-4o-transcribe', language: 'en' } } },
    } as const;
    const session = { type: 'transcription', object: 'realtime.transcription_session', id: 'sess_t' };
    upstream.reply(json(200, { ...MINTED, session }));
    const a = await answer(gaHandler({ session: pinned, allowFromClient: [] })(browserRequest('{}')));
    expect(a.body).toEqual({ client_secret: { value: SECRET, expires_at: MINTED.expires_at }, session });
    expect(upstream.requests[0]!.json).toEqual({ session: pinned });
  });

  it('works through toNodeHandler and node:http', async () => {
    const app = await listen(createServer(toNodeHandler(gaHandler({ expiresAfterSeconds: 300 }))));
    try {
      upstream.reply(json(200, MINTED));
      const url = `${app.url}/session`;
      const a = await answer(
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"voice":"ash"}',
        }),
      );
      expect(a.status).toBe(200);
      expect(a.body.client_secret.value).toBe(SECRET);
      expect(upstream.requests[0]!.json).toEqual({
        expires_after: { anchor: 'created_at', seconds: 300 },
        session: { ...PINNED_GA, audio: { output: { voice: 'ash' } } },
      });
    } finally {
      await app.close();
    }
  });
});

describe('client_secrets mode: upstream failures', () => {
  it('a 400 about the voice the browser sent (session.audio.output.voice) → 400 naming "voice"', async () => {
    upstream.reply(
      openaiError(
        400,
        { message: `Invalid voice. ${SECRET}`, param: 'session.audio.output.voice' },
        {
          'x-request-id': 'req_v',
        },
      ),
    );
    const a = await answer(gaHandler()(browserRequest('{"voice":"nope"}')));
    expectSafeError(a, 400, 'invalid_field');
    // The upstream's own message, which the page can act on, scrubbed of the minted secret.
    expect(a.body.error).toEqual({
      message: 'upstream rejected field "voice": Invalid voice. [REDACTED]',
      code: 'invalid_field',
      param: 'voice',
      request_id: 'req_v',
    });
  });

  it('a 400 about the voice when the server pinned it → 502, the browser cannot fix it', async () => {
    upstream.reply(openaiError(400, { message: 'Invalid voice.', param: 'session.audio.output.voice' }));
    const a = await answer(
      gaHandler({ session: { ...PINNED_GA, audio: { output: { voice: 'bad' } } }, allowFromClient: [] })(
        browserRequest('{}'),
      ),
    );
    expectSafeError(a, 502, 'upstream_rejected');
  });

  it('a 400 about a pinned field or expires_after → 502', async () => {
    upstream.reply(
      openaiError(400, { message: 'bad', param: 'session.instructions' }),
      openaiError(400, { message: 'bad', param: 'expires_after.seconds' }),
    );
    expectSafeError(await answer(gaHandler()(browserRequest('{"voice":"verse"}'))), 502, 'upstream_rejected');
    expectSafeError(await answer(gaHandler()(browserRequest('{"voice":"verse"}'))), 502, 'upstream_rejected');
  });

  it.each<[string, Reply, number, string]>([
    ['429', openaiError(429, { message: 'slow' }, { 'retry-after': '7' }), 429, 'rate_limited'],
    ['401', openaiError(401, { message: `bad key ${API_KEY}` }), 502, 'upstream_auth'],
    ['500', json(500, { error: { message: 'oops' }, echo: MINTED }), 502, 'upstream_error'],
    [
      'a 2xx without value',
      json(200, { expires_at: 1, session: GA_SESSION }),
      502,
      'upstream_invalid_response',
    ],
    ['a 2xx without session', json(200, { value: SECRET, expires_at: 1 }), 502, 'upstream_invalid_response'],
    ['a 2xx that is not JSON', text(200, `{"value":"${SECRET}"`), 502, 'upstream_invalid_response'],
  ])('%s → %i %s, the upstream body never forwarded', async (_, reply, status, code) => {
    const onError = vi.fn();
    upstream.reply(reply);
    const a = await answer(gaHandler({ onError })(browserRequest('{"voice":"verse"}')));
    expectSafeError(a, status, code);
    expect(a.text).not.toMatch(/oops|slow|bad key/);
    if (status === 429) expect(a.headers.get('retry-after')).toBe('7');
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('a hung upstream past timeoutMs → 504', async () => {
    upstream.fallback = hang();
    const a = await answer(gaHandler({ timeoutMs: 100 })(browserRequest('{}')));
    expectSafeError(a, 504, 'upstream_timeout');
  });
});

describe('client_secrets mode: configuration is checked at creation', () => {
  it.each([5, 9, 7201, 1.5, -60, Number.NaN, Infinity, '60' as unknown as number])(
    'expiresAfterSeconds %s → ConfigurationError naming the bounds',
    (seconds) => {
      expect(() => gaHandler({ expiresAfterSeconds: seconds })).toThrow(ConfigurationError);
      expect(() => gaHandler({ expiresAfterSeconds: seconds })).toThrow(/expiresAfterSeconds.*10 to 7200/);
    },
  );

  it.each([10, 600, 7200])('expiresAfterSeconds %i is accepted', (seconds) => {
    expect(() => gaHandler({ expiresAfterSeconds: seconds })).not.toThrow();
  });

  it('expiresAfterSeconds in sessions mode → ConfigurationError pointing at session.client_secret', () => {
    const options = { expiresAfterSeconds: 60 } as unknown as SessionHandlerOptions;
    expect(() => betaHandler(options)).toThrow(ConfigurationError);
    expect(() => betaHandler(options)).toThrow(/client_secrets.*client_secret\.expires_after/);
  });

  it.each([
    ['a beta-style session without type', { model: 'gpt-realtime', voice: 'verse' }],
    ['an unknown type', { type: 'video' }],
  ])('%s → ConfigurationError explaining the GA config', (_, session) => {
    const options = { session } as unknown as Partial<ClientSecretHandlerOptions>;
    expect(() => gaHandler(options)).toThrow(ConfigurationError);
    expect(() => gaHandler(options)).toThrow(/session\.type/);
  });

  it("`type` in allowFromClient → ConfigurationError: the session type is the server's", () => {
    const options = { allowFromClient: ['voice', 'type'] } as unknown as Partial<ClientSecretHandlerOptions>;
    expect(() => gaHandler(options)).toThrow(ConfigurationError);
    expect(() => gaHandler(options)).toThrow(/"type"/);
  });

  it('voice allowed for a transcription session → ConfigurationError', () => {
    expect(() => gaHandler({ session: { type: 'transcription' }, allowFromClient: ['voice'] })).toThrow(
      ConfigurationError,
    );
  });

  it('an unknown endpoint → ConfigurationError', () => {
    const options = { endpoint: 'realtime', apiKey: API_KEY } as unknown as SessionHandlerOptions;
    expect(() => createSessionHandler(options)).toThrow(ConfigurationError);
    expect(() => createSessionHandler(options)).toThrow(/'sessions' or 'client_secrets'/);
  });

  it('pins a snapshot of `session`: mutating it later changes nothing', async () => {
    const session = { type: 'realtime' as const, audio: { output: { voice: 'alloy' } } };
    const handler = gaHandler({ session, allowFromClient: [] });
    session.audio.output.voice = 'changed';
    upstream.reply(json(200, MINTED));
    await answer(handler(browserRequest('{}')));
    expect(upstream.requests[0]!.json).toEqual({
      session: { type: 'realtime', audio: { output: { voice: 'alloy' } } },
    });
  });
});

// Every rule about the browser's request is the same code in both modes: each case gets the same
// answer from a sessions-mode and a client_secrets-mode handler, and neither calls the upstream.
describe('the same browser-facing rules in both modes', () => {
  const cors = { origins: [ORIGIN] };
  // Requests are built per handler: a cloned body is a tee, whose cancel waits for both branches.
  const cases: [string, () => Request, Partial<SessionHandlerOptions>][] = [
    ['a field not allowed', () => browserRequest('{"voice":"verse","tools":[]}'), {}],
    ['the session type from the browser', () => browserRequest('{"type":"transcription"}'), {}],
    ['a __proto__ key', () => browserRequest('{"voice":{"__proto__":{"x":1}}}'), {}],
    ['a constructor key', () => browserRequest('{"constructor":{}}'), {}],
    ['malformed JSON', () => browserRequest('{"voice":'), {}],
    ['JSON that is not an object', () => browserRequest('["voice"]'), {}],
    ['a text/plain body', () => browserRequest('{}', { headers: { 'content-type': 'text/plain' } }), {}],
    ['a gzip body', () => browserRequest('{}', { headers: { 'content-encoding': 'gzip' } }), {}],
    [
      'a body over maxBodyBytes',
      () => browserRequest(JSON.stringify({ voice: 'v'.repeat(64) })),
      { maxBodyBytes: 32 },
    ],
    ['GET', () => browserRequest(undefined, { method: 'GET' }), {}],
    ['OPTIONS without CORS', () => browserRequest(undefined, { method: 'OPTIONS' }), {}],
    ['authorize → false', () => browserRequest('{}'), { authorize: () => false }],
    ['authorize throws', () => browserRequest('{}'), { authorize: () => Promise.reject(new Error(API_KEY)) }],
    [
      'an origin not listed',
      () => browserRequest('{}', { headers: { origin: 'https://evil.example' } }),
      { cors },
    ],
    [
      'an allowed preflight',
      () =>
        browserRequest(undefined, {
          method: 'OPTIONS',
          headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
        }),
      { cors },
    ],
  ];

  it.each(cases)('%s', async (_, request, options) => {
    const beta = await answer(betaHandler(options)(request()));
    const ga = await answer(gaHandler(options as Partial<ClientSecretHandlerOptions>)(request()));
    expect(ga.status).toBe(beta.status);
    expect(ga.body).toEqual(beta.body);
    expect([...ga.headers.entries()]).toEqual([...beta.headers.entries()]);
    expect(upstream.count).toBe(0);
  });

  it('a POST from an allowed origin gets the same CORS headers in both modes', async () => {
    upstream.reply(json(200, BETA_SESSION), json(200, MINTED));
    const request = () => browserRequest('{}', { headers: { origin: ORIGIN } });
    const beta = await answer(betaHandler({ cors: { origins: [ORIGIN] } })(request()));
    const ga = await answer(gaHandler({ cors: { origins: [ORIGIN] } })(request()));
    expect(beta.status).toBe(200);
    expect([...ga.headers.entries()]).toEqual([...beta.headers.entries()]);
    expect(ga.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });
});
