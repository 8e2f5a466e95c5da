// Retries, per-attempt timeouts and aborts, against a real server that counts attempts.
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ConnectionError,
  InternalServerError,
  RateLimitError,
  RealtimeApi,
  TimeoutError,
  type ClientOptions,
} from '../../src/index.js';
import {
  closedPortUrl,
  hang,
  json,
  openaiError,
  resetBeforeHeaders,
  stallAfterHeaders,
  useScriptedServer,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import { API_KEY, rejectionOf, SESSION, since } from './support.js';

let server: ScriptedServer;

useScriptedServer((s) => (server = s));

function client(options: ClientOptions = {}): RealtimeApi {
  return new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url, ...options });
}

const busy = (status: number, headers: Record<string, string> = {}) =>
  openaiError(status, { message: 'busy', type: 'server_error' }, headers);

describe('which failures are retried', () => {
  it('429 with retry-after-ms waits that long, then succeeds', async () => {
    server.reply(busy(429, { 'retry-after-ms': '300' }), json(200, SESSION));
    const start = performance.now();

    await expect(client().createRealtimeSession({})).resolves.toEqual(SESSION);

    expect(server.count).toBe(2);
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(290);
    expect(gap).toBeLessThan(1_000);
    expect(since(start)).toBeLessThan(2_000);
  });

  it('429 on every attempt: maxRetries + 1 attempts, then RateLimitError', async () => {
    server.fallback = busy(429, { 'retry-after-ms': '10' });
    const error = await rejectionOf(client({ maxRetries: 3 }).createRealtimeSession({}));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(server.count).toBe(4);
  });

  it('503 then 200: two attempts, the body is sent again unchanged', async () => {
    server.reply(busy(503, { 'retry-after-ms': '0' }), json(200, SESSION));
    await expect(client().createRealtimeSession({ model: 'gpt-realtime' })).resolves.toEqual(SESSION);
    expect(server.count).toBe(2);
    expect(server.requests.map((r) => r.body)).toEqual([
      '{"model":"gpt-realtime"}',
      '{"model":"gpt-realtime"}',
    ]);
  });

  it.each([408, 409, 500, 502, 504])('%i is retried', async (status) => {
    server.reply(busy(status, { 'retry-after-ms': '0' }), json(200, SESSION));
    await expect(client().createRealtimeSession({})).resolves.toEqual(SESSION);
    expect(server.count).toBe(2);
  });

  it.each([400, 401, 403, 404, 422])('%i is not retried', async (status) => {
    server.fallback = busy(status, { 'retry-after-ms': '0' });
    // 'beta': a 404 from the beta path is otherwise a retirement, answered through GA (fallback suite).
    await expect(
      client({ maxRetries: 3, betaEndpoints: 'beta' }).createRealtimeSession({}),
    ).rejects.toMatchObject({ status });
    expect(server.count).toBe(1);
  });

  it('x-should-retry: false on a 500 stops after one attempt', async () => {
    server.fallback = busy(500, { 'x-should-retry': 'false', 'retry-after-ms': '0' });
    await expect(client({ maxRetries: 3 }).createRealtimeSession({})).rejects.toThrow(InternalServerError);
    expect(server.count).toBe(1);
  });

  it('x-should-retry: true on a 400 is retried', async () => {
    server.reply(busy(400, { 'x-should-retry': 'true', 'retry-after-ms': '0' }), json(200, SESSION));
    await expect(client().createRealtimeSession({})).resolves.toEqual(SESSION);
    expect(server.count).toBe(2);
  });

  it('x-should-retry: true still respects maxRetries', async () => {
    server.fallback = busy(400, { 'x-should-retry': 'true', 'retry-after-ms': '0' });
    await expect(client({ maxRetries: 2 }).createRealtimeSession({})).rejects.toThrow(BadRequestError);
    expect(server.count).toBe(3);
  });

  it('a reset connection is retried', async () => {
    server.reply(resetBeforeHeaders(), json(200, SESSION));
    await expect(client().createRealtimeSession({})).resolves.toEqual(SESSION);
    expect(server.count).toBe(2);
  });

  it('connection refused is retried with backoff, maxRetries + 1 attempts in all', async () => {
    let attempts = 0;
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      attempts++;
      return globalThis.fetch(input, init);
    };
    const refused = new RealtimeApi({
      apiKey: API_KEY,
      baseUrl: await closedPortUrl(),
      maxRetries: 1,
      fetch,
    });
    const start = performance.now();
    await expect(refused.createRealtimeSession({})).rejects.toThrow(ConnectionError);
    expect(attempts).toBe(2);
    // First backoff: 500 ms minus up to 25 % jitter.
    expect(since(start)).toBeGreaterThanOrEqual(370);
  });

  it('per-call maxRetries overrides the client', async () => {
    server.fallback = busy(503, { 'retry-after-ms': '0' });
    await expect(client({ maxRetries: 5 }).createRealtimeSession({}, { maxRetries: 0 })).rejects.toThrow(
      InternalServerError,
    );
    expect(server.count).toBe(1);
  });

  it('without Retry-After the backoff grows: ~0.5 s, then ~1 s', async () => {
    server.reply(busy(503), busy(503), json(200, SESSION));
    await expect(client({ maxRetries: 2 }).createRealtimeSession({})).resolves.toEqual(SESSION);
    const [a, b, c] = server.requests.map((r) => r.at);
    expect(b! - a!).toBeGreaterThanOrEqual(370);
    expect(b! - a!).toBeLessThan(800);
    expect(c! - b!).toBeGreaterThanOrEqual(740);
    expect(c! - b!).toBeLessThan(1_400);
  });
});

describe('timeouts', () => {
  it('a server that never answers times out after timeoutMs (maxRetries 0)', async () => {
    server.fallback = hang();
    const start = performance.now();

    const error = (await rejectionOf(
      client({ timeoutMs: 200, maxRetries: 0 }).createRealtimeSession({}),
    )) as TimeoutError;

    const elapsed = since(start);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.name).toBe('TimeoutError');
    expect(error.timeoutMs).toBe(200);
    expect(error.message).toBe('Request timed out after 200 ms (POST /realtime/sessions)');
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1_000);
    expect(server.count).toBe(1);
  });

  it('each attempt gets its own timeout: maxRetries + 1 attempts', async () => {
    server.fallback = hang();
    const start = performance.now();

    await expect(client({ timeoutMs: 200, maxRetries: 2 }).createRealtimeSession({})).rejects.toThrow(
      TimeoutError,
    );

    const elapsed = since(start);
    expect(server.count).toBe(3);
    // 3 × 200 ms of attempts + backoff (0.375–0.5 s, then 0.75–1 s).
    expect(elapsed).toBeGreaterThanOrEqual(3 * 190 + 375 + 750);
    expect(elapsed).toBeLessThan(3 * 200 + 500 + 1_000 + 1_000);
  });

  it('headers then a stalled body times out too', async () => {
    server.fallback = stallAfterHeaders(200, {}, '{"client_secret":');
    const start = performance.now();
    const error = await rejectionOf(client({ timeoutMs: 250, maxRetries: 0 }).createRealtimeSession({}));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(since(start)).toBeGreaterThanOrEqual(240);
    expect(since(start)).toBeLessThan(1_200);
  });

  it('an error status whose body stalls times out too', async () => {
    server.fallback = stallAfterHeaders(500, {}, '{"error":');
    await expect(client({ timeoutMs: 200, maxRetries: 0 }).createRealtimeSession({})).rejects.toThrow(
      TimeoutError,
    );
  });

  it('a timeout then a success: the second attempt gets a fresh timer', async () => {
    server.reply(hang(), json(200, SESSION));
    await expect(client({ timeoutMs: 200, maxRetries: 1 }).createRealtimeSession({})).resolves.toEqual(
      SESSION,
    );
    expect(server.count).toBe(2);
  });

  it('per-call timeoutMs overrides the client', async () => {
    server.fallback = hang();
    const start = performance.now();
    await expect(
      client({ timeoutMs: 30_000, maxRetries: 0 }).createRealtimeSession({}, { timeoutMs: 150 }),
    ).rejects.toThrow('Request timed out after 150 ms');
    expect(since(start)).toBeLessThan(1_000);
  });
});

describe('aborting', () => {
  it('an already-aborted signal rejects with its reason and sends nothing', async () => {
    const reason = new Error('user left');
    await expect(client().createRealtimeSession({}, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(server.count).toBe(0);
  });

  it('aborting during the request rejects promptly with signal.reason, unchanged, and is not retried', async () => {
    server.fallback = hang();
    const controller = new AbortController();
    const reason = new Error('navigation');
    const pending = client({ maxRetries: 3, timeoutMs: 10_000 }).createRealtimeSession(
      {},
      { signal: controller.signal },
    );

    await server.waitForRequests(1);
    const start = performance.now();
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    expect(since(start)).toBeLessThan(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.count).toBe(1);
  });

  it('the default abort reason (a DOMException AbortError) comes through as is', async () => {
    server.fallback = hang();
    const controller = new AbortController();
    const pending = client().createRealtimeSession({}, { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    const error = await rejectionOf(pending);
    expect(error).toBe(controller.signal.reason);
    expect((error as DOMException).name).toBe('AbortError');
  });

  it('aborting during the body read rejects with signal.reason', async () => {
    server.fallback = stallAfterHeaders(200, {}, '{"client_secret":');
    const controller = new AbortController();
    const reason = new Error('stop reading');
    const pending = client({ timeoutMs: 10_000 }).createRealtimeSession({}, { signal: controller.signal });
    await server.waitForRequests(1);
    setTimeout(() => controller.abort(reason), 100);
    await expect(pending).rejects.toBe(reason);
    expect(server.count).toBe(1);
  });

  it('aborting during the backoff sleep rejects promptly, with no further attempt', async () => {
    server.fallback = busy(503, { 'retry-after-ms': '5000' });
    const controller = new AbortController();
    const reason = new Error('gave up waiting');
    const pending = client({ maxRetries: 3 }).createRealtimeSession({}, { signal: controller.signal });

    await server.waitForRequests(1);
    await new Promise((resolve) => setTimeout(resolve, 100)); // now sleeping for 5 s
    const start = performance.now();
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    expect(since(start)).toBeLessThan(200);
    expect(server.count).toBe(1);
  });

  it('AbortSignal.timeout works as a whole-call deadline across retries', async () => {
    server.fallback = busy(503, { 'retry-after-ms': '100' });
    const signal = AbortSignal.timeout(350);
    const error = await rejectionOf(client({ maxRetries: 10 }).createRealtimeSession({}, { signal }));
    expect((error as DOMException).name).toBe('TimeoutError');
    expect(error).toBe(signal.reason);
    expect(server.count).toBeGreaterThanOrEqual(2);
    expect(server.count).toBeLessThanOrEqual(4);
  });

  it('with timeoutMs: Infinity the caller signal alone still aborts, and nothing times out', async () => {
    server.fallback = hang();
    const controller = new AbortController();
    const reason = new Error('done waiting');
    const pending = client({ timeoutMs: Infinity, maxRetries: 2 }).createRealtimeSession(
      {},
      { signal: controller.signal },
    );
    await server.waitForRequests(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(server.count).toBe(1);
  });

  it('leaves no abort listener behind on the caller signal', async () => {
    server.fallback = json(200, SESSION);
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      added++;
      add(...args);
    }) as AbortSignal['addEventListener'];
    controller.signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      removed++;
      remove(...args);
    }) as AbortSignal['removeEventListener'];

    const api = client();
    for (let i = 0; i < 5; i++) await api.createRealtimeSession({}, { signal: controller.signal });

    expect(added).toBeGreaterThan(0);
    expect(removed).toBe(added);
  });
});
