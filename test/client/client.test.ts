// The request the SDK sends, the response it returns, and everything it checks before sending.
import { describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  createRealtimeClientSecret,
  createRealtimeSession,
  createRealtimeSessionWithHttpInfo,
  createRealtimeTranscriptionSession,
  InvalidArgumentError,
  RealtimeApi,
  RealtimeSessionsError,
  TimeoutError,
  VERSION,
  type RealtimeSessionCreateRequest,
} from '../../src/index.js';
import { hang, json, useScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';
import { API_KEY, clearOpenAiEnv, rejectionOf, SESSION, withBrowserGlobals } from './support.js';

let server: ScriptedServer;

useScriptedServer((s) => (server = s));

describe('the request', () => {
  it('POSTs the exact JSON body with auth, content negotiation, User-Agent and org/project headers', async () => {
    server.reply(json(200, SESSION));
    const api = new RealtimeApi({
      apiKey: API_KEY,
      baseUrl: `${server.url}/v1`,
      organization: 'org-123',
      project: 'proj_456',
    });
    const request: RealtimeSessionCreateRequest = {
      model: 'gpt-realtime',
      voice: 'verse',
      modalities: ['audio', 'text'],
      instructions: 'Be brief. Ünïcödé ✓',
      turn_detection: { type: 'server_vad', threshold: 0.5 },
    };

    const session = await api.createRealtimeSession(request);

    expect(session).toEqual(SESSION);
    expect(server.count).toBe(1);
    const [seen] = server.requests;
    expect(seen!.method).toBe('POST');
    expect(seen!.url).toBe('/v1/realtime/sessions');
    expect(seen!.body).toBe(JSON.stringify(request));
    expect(seen!.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': `realtime-sessions/${VERSION}`,
      'openai-organization': 'org-123',
      'openai-project': 'proj_456',
    });
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('sends no OpenAI-Organization / OpenAI-Project headers when none are configured', async () => {
    clearOpenAiEnv();
    server.reply(json(200, SESSION));
    await new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url }).createRealtimeSession({});
    expect(server.requests[0]!.headers).not.toHaveProperty('openai-organization');
    expect(server.requests[0]!.headers).not.toHaveProperty('openai-project');
    expect(server.requests[0]!.url).toBe('/realtime/sessions');
  });

  it('merges client headers, then per-call headers, last one wins, case-insensitively', async () => {
    server.reply(json(200, SESSION), json(200, SESSION));
    const api = new RealtimeApi({
      apiKey: API_KEY,
      baseUrl: server.url,
      headers: { 'X-Client': 'a', 'X-Both': 'client', 'User-Agent': 'my-app/1.0' },
    });

    await api.createRealtimeSession(
      {},
      { headers: { 'x-both': 'call', 'X-Call': 'b', AUTHORIZATION: 'Bearer override', 'x-client': null } },
    );
    await api.createRealtimeSession({}, { headers: new Headers({ 'x-from-headers': '1' }) });

    const [first, second] = server.requests;
    expect(first!.headers).toMatchObject({
      'x-both': 'call',
      'x-call': 'b',
      authorization: 'Bearer override',
      'user-agent': 'my-app/1.0',
    });
    expect(first!.headers).not.toHaveProperty('x-client');
    // The per-call headers did not leak into the next call.
    expect(second!.headers).toMatchObject({
      'x-client': 'a',
      'x-both': 'client',
      authorization: `Bearer ${API_KEY}`,
    });
    expect(second!.headers['x-from-headers']).toBe('1');
  });

  it('reuses one client across concurrent calls', async () => {
    server.fallback = json(200, SESSION);
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url });
    const sessions = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.createRealtimeSession({ instructions: `n${i}` })),
    );
    expect(sessions).toHaveLength(20);
    expect(server.requests.map((r) => (r.json as { instructions: string }).instructions).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `n${i}`).sort(),
    );
  });

  it('uses a custom fetch with the standard (url, init) signature', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      calls.push([String(input), init]);
      return new Response(JSON.stringify(SESSION), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: 'https://example.test/v1/', fetch });
    await expect(api.createRealtimeSession({ model: 'gpt-realtime' })).resolves.toEqual(SESSION);
    expect(calls).toHaveLength(1);
    const [url, init] = calls[0]!;
    expect(url).toBe('https://example.test/v1/realtime/sessions');
    expect(init).toMatchObject({ method: 'POST', body: '{"model":"gpt-realtime"}' });
    expect(init!.signal).toBeInstanceOf(AbortSignal);
    expect((init!.headers as Record<string, string>).authorization).toBe(`Bearer ${API_KEY}`);
  });
});

describe('the response', () => {
  it('WithHttpInfo returns status, headers, data and the request id', async () => {
    server.reply(json(201, SESSION, { 'x-request-id': 'req_abc', 'openai-processing-ms': '12' }));
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url });

    const { status, headers, data, requestId } = await api.createRealtimeSessionWithHttpInfo({
      model: 'gpt-realtime',
    });

    expect(status).toBe(201);
    expect(headers).toBeInstanceOf(Headers);
    expect(headers.get('openai-processing-ms')).toBe('12');
    expect(data).toEqual(SESSION);
    expect(data.client_secret.value).toBe('ek_facade_test_secret');
    expect(requestId).toBe('req_abc');
  });

  it('requestId is null when the server sends none', async () => {
    server.reply(json(200, SESSION));
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url });
    expect((await api.createRealtimeSessionWithHttpInfo({})).requestId).toBeNull();
  });
});

describe('standalone functions', () => {
  it('createRealtimeSession takes client and request options in one object', async () => {
    server.reply(json(200, SESSION));
    const controller = new AbortController();
    const session = await createRealtimeSession(
      { model: 'gpt-realtime' },
      {
        apiKey: API_KEY,
        baseUrl: server.url,
        organization: 'org-9',
        headers: { 'x-extra': '1' },
        signal: controller.signal,
        timeoutMs: 5_000,
        maxRetries: 0,
      },
    );
    expect(session).toEqual(SESSION);
    expect(server.requests[0]!.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'openai-organization': 'org-9',
      'x-extra': '1',
    });
  });

  it.each([
    ['createRealtimeSession', createRealtimeSession, '/realtime/sessions', {}],
    [
      'createRealtimeClientSecret',
      createRealtimeClientSecret,
      '/realtime/client_secrets',
      { session: { type: 'realtime' } },
    ],
    [
      'createRealtimeTranscriptionSession',
      createRealtimeTranscriptionSession,
      '/realtime/transcription_sessions',
      {},
    ],
  ] as const)(
    '%s applies its timeoutMs and maxRetries: a hung upstream gives up after 1 + maxRetries timed-out attempts',
    async (_, create, path, request) => {
      server.reply(hang(), hang(), hang(), hang());
      const started = performance.now();
      const error = await rejectionOf(
        (create as (r: object, o: object) => Promise<unknown>)(request, {
          apiKey: API_KEY,
          baseUrl: server.url,
          timeoutMs: 100,
          maxRetries: 1,
        }),
      );
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).timeoutMs).toBe(100);
      expect(server.count).toBe(2);
      expect(server.requests.map((r) => r.url)).toEqual([path, path]);
      // Two 100 ms attempts and one backoff (at most 500 ms): not the 60 s default timeout.
      expect(performance.now() - started).toBeLessThan(3_000);
    },
  );

  it('createRealtimeSessionWithHttpInfo returns the HTTP details', async () => {
    server.reply(json(200, SESSION, { 'x-request-id': 'req_standalone' }));
    const result = await createRealtimeSessionWithHttpInfo({}, { apiKey: API_KEY, baseUrl: server.url });
    expect(result).toMatchObject({ status: 200, data: SESSION, requestId: 'req_standalone' });
  });

  it('rejects (does not throw synchronously) without an API key, and sends nothing', async () => {
    clearOpenAiEnv();
    const pending = createRealtimeSession({}, { baseUrl: server.url });
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toBeInstanceOf(ConfigurationError);
    expect(server.count).toBe(0);
  });
});

describe('defaults from the environment', () => {
  it('reads OPENAI_API_KEY, OPENAI_BASE_URL (trailing slash tolerated), OPENAI_ORG_ID and OPENAI_PROJECT_ID', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env-0123456789');
    vi.stubEnv('OPENAI_BASE_URL', `${server.url}/v1/`);
    vi.stubEnv('OPENAI_ORG_ID', 'org-env');
    vi.stubEnv('OPENAI_PROJECT_ID', 'proj_env');
    server.reply(json(200, SESSION));

    await new RealtimeApi().createRealtimeSession({ model: 'gpt-realtime' });

    const [seen] = server.requests;
    expect(seen!.url).toBe('/v1/realtime/sessions');
    expect(seen!.headers).toMatchObject({
      authorization: 'Bearer sk-from-env-0123456789',
      'openai-organization': 'org-env',
      'openai-project': 'proj_env',
    });
  });

  it('explicit options beat the environment; null opts out of org/project', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env-0123456789');
    vi.stubEnv('OPENAI_BASE_URL', 'http://127.0.0.1:1/never');
    vi.stubEnv('OPENAI_ORG_ID', 'org-env');
    vi.stubEnv('OPENAI_PROJECT_ID', 'proj_env');
    server.reply(json(200, SESSION));

    await new RealtimeApi({
      apiKey: API_KEY,
      baseUrl: server.url,
      organization: null,
      project: 'proj_opt',
    }).createRealtimeSession({});

    const [seen] = server.requests;
    expect(seen!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen!.headers).not.toHaveProperty('openai-organization');
    expect(seen!.headers['openai-project']).toBe('proj_opt');
  });

  it('defaults baseUrl to https://api.openai.com/v1', async () => {
    clearOpenAiEnv();
    const urls: string[] = [];
    const fetch = async (input: string | URL | Request) => {
      urls.push(String(input));
      return new Response(JSON.stringify(SESSION), { status: 200 });
    };
    await new RealtimeApi({ apiKey: API_KEY, fetch }).createRealtimeSession({});
    expect(urls).toEqual(['https://api.openai.com/v1/realtime/sessions']);
  });

  it('works where `process` does not exist', async () => {
    const saved = globalThis.process;
    const fetch = async () => new Response(JSON.stringify(SESSION), { status: 200 });
    let api: RealtimeApi;
    try {
      // Simulates Workers/Deno/browsers: reading the environment must not throw.
      (globalThis as { process?: unknown }).process = undefined;
      api = new RealtimeApi({ apiKey: API_KEY, fetch });
    } finally {
      globalThis.process = saved;
    }
    await expect(api.createRealtimeSession({})).resolves.toEqual(SESSION);
  });
});

describe('configuration errors, before any request', () => {
  it('a missing API key throws ConfigurationError naming OPENAI_API_KEY', () => {
    clearOpenAiEnv();
    const error = (() => {
      try {
        new RealtimeApi({ baseUrl: server.url });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toBeInstanceOf(RealtimeSessionsError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('ConfigurationError');
    expect((error as Error).message).toMatch(/OPENAI_API_KEY/);
    expect(server.count).toBe(0);
  });

  it.each([
    ['negative timeoutMs', { timeoutMs: -1 }, /timeoutMs/],
    ['zero timeoutMs', { timeoutMs: 0 }, /timeoutMs/],
    ['NaN timeoutMs', { timeoutMs: Number.NaN }, /timeoutMs/],
    ['string timeoutMs', { timeoutMs: '100' as unknown as number }, /timeoutMs/],
    ['non-integer maxRetries', { maxRetries: 1.5 }, /maxRetries/],
    ['negative maxRetries', { maxRetries: -1 }, /maxRetries/],
    ['a baseUrl that is not a URL', { baseUrl: 'not a url' }, /baseUrl/],
    ['a non-http baseUrl', { baseUrl: 'ftp://example.test' }, /baseUrl/],
    ['a fetch that is not a function', { fetch: 'nope' as unknown as typeof fetch }, /fetch/],
  ])('%s throws ConfigurationError', (_, options, message) => {
    expect(() => new RealtimeApi({ apiKey: API_KEY, ...options })).toThrow(ConfigurationError);
    expect(() => new RealtimeApi({ apiKey: API_KEY, ...options })).toThrow(message);
  });

  it('invalid per-call options reject with ConfigurationError and send nothing', async () => {
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url });
    await expect(api.createRealtimeSession({}, { timeoutMs: -5 })).rejects.toThrow(ConfigurationError);
    await expect(api.createRealtimeSession({}, { maxRetries: 0.5 })).rejects.toThrow(ConfigurationError);
    expect(server.count).toBe(0);
  });

  it('accepts Infinity as "no timeout"', () => {
    expect(() => new RealtimeApi({ apiKey: API_KEY, timeoutMs: Infinity })).not.toThrow();
  });
});

describe('invalid request arguments', () => {
  class SessionConfig {
    model = 'gpt-realtime';
  }
  it.each([
    ['null', null, /received null/],
    ['an array', [], /received an array/],
    ['a string', 'x', /received a string/],
    ['a number', 42, /received number 42/],
    ['undefined', undefined, /received undefined/],
    ['a Date', new Date(0), /received an instance of Date/],
    ['a class instance', new SessionConfig(), /received an instance of SessionConfig/],
    ['a Map', new Map(), /received an instance of Map/],
  ])('%s rejects with InvalidArgumentError and sends nothing', async (_, value, received) => {
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url });
    const error = await rejectionOf(
      api.createRealtimeSession(value as unknown as RealtimeSessionCreateRequest),
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).name).toBe('InvalidArgumentError');
    expect((error as Error).message).toMatch(/plain object/);
    expect((error as Error).message).toMatch(received);
    expect(server.count).toBe(0);
  });

  it('accepts Object.create(null)', async () => {
    server.reply(json(200, SESSION));
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url });
    const request = Object.assign(Object.create(null) as object, { model: 'gpt-realtime' });
    await expect(api.createRealtimeSession(request)).resolves.toEqual(SESSION);
  });

  it('a body JSON cannot represent (BigInt, cycles) rejects with InvalidArgumentError, not retried', async () => {
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 3 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(api.createRealtimeSession(cyclic)).rejects.toThrow(InvalidArgumentError);
    await expect(
      api.createRealtimeSession({ temperature: 1n } as unknown as RealtimeSessionCreateRequest),
    ).rejects.toThrow(InvalidArgumentError);
    expect(server.count).toBe(0);
  });
});

describe('browser guard', () => {
  it('refuses to construct where window and document exist, explaining the client_secret flow', () => {
    const error = withBrowserGlobals(() => {
      try {
        new RealtimeApi({ apiKey: API_KEY });
      } catch (e) {
        return e;
      }
    });
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/client_secret/);
    expect((error as Error).message).toMatch(/server/);
    expect((error as Error).message).toMatch(/dangerouslyAllowBrowser/);
    expect((error as Error).message).not.toContain(API_KEY);
  });

  it('the standalone function rejects there too', async () => {
    const pending = withBrowserGlobals(() =>
      createRealtimeSession({}, { apiKey: API_KEY, baseUrl: server.url }),
    );
    await expect(pending).rejects.toThrow(/client_secret/);
    expect(server.count).toBe(0);
  });

  it('dangerouslyAllowBrowser: true works, and then sends no User-Agent', async () => {
    server.reply(json(200, SESSION));
    const api = withBrowserGlobals(
      () => new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url, dangerouslyAllowBrowser: true }),
    );
    await expect(api.createRealtimeSession({})).resolves.toEqual(SESSION);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    // undici adds its own default when we send none; what matters is that it is not ours.
    expect(server.requests[0]!.headers['user-agent'] ?? '').not.toMatch(/realtime-sessions/);
  });
});
