// The fault matrix: one row per way the network or the upstream can misbehave, each against a real
// node:http server on 127.0.0.1. Every row states the outcome (data or error class), how many attempts
// the client made and the server saw, and an upper bound on the elapsed time. `npm run report`
// (WRITE_REPORTS=1) writes the table to FAULTS.md after a fully green run, so the README can quote
// it; `npm test` writes nothing.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  createSessionHandler,
  InternalServerError,
  InvalidResponseError,
  RateLimitError,
  RealtimeApi,
  RealtimeSessionsError,
  TimeoutError,
  type RequestOptions,
} from '../../src/index.js';
import {
  closedPortUrl,
  drip,
  hang,
  json,
  openaiError,
  resetBeforeHeaders,
  resetMidBody,
  stallAfterHeaders,
  text,
  useScriptedServer,
  type Reply,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import { WRITE_REPORTS } from '../helpers/reports.js';
import { API_KEY, cell, countingFetch, SESSION, settle, since, writeMarkdown } from './support.js';

const SESSION_TEXT = JSON.stringify(SESSION);
const MAX_BODY = 10 * 1024 * 1024; // DEFAULTS.maxBodyBytes
// Loopback on two busy cores: bounds leave room for scheduling, but stay far below any real wait
// (a 60 s Retry-After, a default 60 s timeout, an 8 s backoff).
const SLACK = 700;

type ErrorClass = abstract new (...args: never[]) => Error;

interface Ctx {
  /** The upstream the client points at. */
  server: ScriptedServer;
  /** A second server: same host, other port, so another origin. */
  other: ScriptedServer;
}

interface Outcome {
  ok: boolean;
  value?: unknown;
  error?: unknown;
  elapsed: number;
  attempts: number;
}

interface Row {
  fault: string;
  /** What the SDK does, for FAULTS.md. */
  behaviour: string;
  options?: { timeoutMs?: number; maxRetries?: number };
  /** Scripts the servers; omitted when `target` is `closed`. */
  script?: (ctx: Ctx) => void;
  /** `closed`: a port where nothing listens. */
  target?: 'closed';
  /** Aborts the call with a fresh reason once the server has seen this many requests (+ `abortDelayMs`). */
  abortAfterRequests?: number;
  abortDelayMs?: number;
  expect: {
    /** Error class, or `'data'` for a resolved session. */
    outcome: ErrorClass | 'data' | 'abort reason';
    /** Calls to fetch the SDK made. */
    attempts: number;
    /** Requests the upstream received; defaults to `attempts`. */
    serverCount?: number;
    /** Upper bound on the whole call, in ms. */
    maxMs: number;
    minMs?: number;
  };
  /** Extra checks on the outcome and on what the servers saw. */
  check?: (outcome: Outcome, ctx: Ctx) => void;
}

// ---- Reply helpers ------------------------------------------------------------------------------

function redirect(status: number, location: (ctx: Ctx) => string, ctx: Ctx): Reply {
  return (res) => {
    res.writeHead(status, { location: location(ctx), 'content-length': '0' });
    res.end();
  };
}

/** A 2xx of `total` bytes of valid JSON, streamed chunked with no Content-Length. */
function chunkedJson(status: number, total: number): Reply {
  return async (res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(256 * 1024, 'a');
    res.write('{"padding":"');
    for (let sent = 0; sent < total && !res.destroyed; sent += chunk.length) {
      if (!res.write(chunk)) await drainedOrClosed(res);
    }
    if (!res.destroyed) res.end('"}');
  };
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/** Time between request `i - 1` and request `i` as the server received them. */
function gap(ctx: Ctx, i: number): number {
  return ctx.server.requests[i]!.at - ctx.server.requests[i - 1]!.at;
}

const busy = (status: number, headers: Record<string, string> = {}): Reply =>
  openaiError(status, { message: 'busy', type: 'server_error' }, headers);

// ---- The matrix ---------------------------------------------------------------------------------

const rows: Row[] = [
  // Transport
  {
    fault: 'connection refused',
    behaviour: 'retried with backoff, then `ConnectionError`',
    options: { maxRetries: 1 },
    target: 'closed',
    expect: { outcome: ConnectionError, attempts: 2, serverCount: 0, maxMs: 500 + SLACK },
  },
  {
    fault: 'connection reset before headers',
    behaviour: 'retried with backoff, then `ConnectionError`',
    options: { maxRetries: 1 },
    script: ({ server }) => (server.fallback = resetBeforeHeaders()),
    expect: { outcome: ConnectionError, attempts: 2, maxMs: 500 + SLACK },
  },
  {
    fault: 'connection reset mid-body (Content-Length)',
    behaviour: 'retried with backoff, then `ConnectionError`',
    options: { maxRetries: 1 },
    script: ({ server }) =>
      (server.fallback = resetMidBody('{"id":"sess_', 200, { 'content-length': '400' })),
    expect: { outcome: ConnectionError, attempts: 2, maxMs: 500 + SLACK },
  },
  {
    fault: 'connection reset mid-body (chunked)',
    behaviour: 'retried with backoff, then `ConnectionError`',
    options: { maxRetries: 1 },
    script: ({ server }) => (server.fallback = resetMidBody('{"id":"sess_')),
    expect: { outcome: ConnectionError, attempts: 2, maxMs: 500 + SLACK },
  },
  {
    fault: 'no answer at all (timeout 200 ms)',
    behaviour: 'attempt aborted at `timeoutMs`, `TimeoutError`',
    options: { timeoutMs: 200, maxRetries: 0 },
    script: ({ server }) => (server.fallback = hang()),
    expect: { outcome: TimeoutError, attempts: 1, minMs: 190, maxMs: 200 + SLACK },
  },
  {
    fault: 'headers, then the body stalls (timeout 200 ms)',
    behaviour: 'the timeout covers the body: each attempt aborted at 200 ms, retried, `TimeoutError`',
    options: { timeoutMs: 200, maxRetries: 1 },
    script: ({ server }) =>
      (server.fallback = stallAfterHeaders(200, { 'content-length': '400' }, '{"id":"sess_')),
    expect: { outcome: TimeoutError, attempts: 2, minMs: 390, maxMs: 400 + 500 + SLACK },
  },
  {
    fault: 'slow drip past the timeout (800 ms body, timeout 250 ms)',
    behaviour: 'the timeout is total, not idle: `TimeoutError` at 250 ms',
    options: { timeoutMs: 250, maxRetries: 0 },
    script: ({ server }) => (server.fallback = drip(200, SESSION_TEXT, { chunks: 10, intervalMs: 80 })),
    expect: { outcome: TimeoutError, attempts: 1, minMs: 240, maxMs: 250 + SLACK },
  },
  {
    fault: 'slow drip within the timeout (100 ms body, timeout 1 s)',
    behaviour: 'resolves with the session',
    options: { timeoutMs: 1_000, maxRetries: 0 },
    script: ({ server }) => (server.fallback = drip(200, SESSION_TEXT, { chunks: 5, intervalMs: 20 })),
    expect: { outcome: 'data', attempts: 1, maxMs: 1_000 },
    check: ({ value }) => expect(value).toEqual(SESSION),
  },

  // Unusable 2xx bodies: never retried (the server acted on the request)
  {
    fault: '200, empty body',
    behaviour: 'not retried, `InvalidResponseError`',
    script: ({ server }) => (server.fallback = text(200, '', { 'content-type': 'application/json' })),
    expect: { outcome: InvalidResponseError, attempts: 1, maxMs: SLACK },
  },
  {
    fault: '204 No Content',
    behaviour: 'not retried, `InvalidResponseError`',
    script: ({ server }) =>
      (server.fallback = (res) => {
        res.writeHead(204);
        res.end();
      }),
    expect: { outcome: InvalidResponseError, attempts: 1, maxMs: SLACK },
  },
  {
    fault: '200, truncated JSON',
    behaviour: 'not retried, `InvalidResponseError`',
    script: ({ server }) =>
      (server.fallback = text(200, SESSION_TEXT.slice(0, 40), { 'content-type': 'application/json' })),
    expect: { outcome: InvalidResponseError, attempts: 1, maxMs: SLACK },
  },
  {
    fault: '200, a JSON array',
    behaviour: 'not retried, `InvalidResponseError`',
    script: ({ server }) => (server.fallback = json(200, [SESSION])),
    expect: { outcome: InvalidResponseError, attempts: 1, maxMs: SLACK },
  },
  {
    fault: '200, JSON `null`',
    behaviour: 'not retried, `InvalidResponseError`',
    script: ({ server }) => (server.fallback = text(200, 'null', { 'content-type': 'application/json' })),
    expect: { outcome: InvalidResponseError, attempts: 1, maxMs: SLACK },
  },
  {
    fault: '200, `text/html` error page',
    behaviour: 'not retried, `InvalidResponseError` (excerpt without tags)',
    script: ({ server }) =>
      (server.fallback = text(200, '<!doctype html><html><body><h1>Bad gateway</h1></body></html>', {
        'content-type': 'text/html',
      })),
    expect: { outcome: InvalidResponseError, attempts: 1, maxMs: SLACK },
    check: ({ error }) => expect((error as InvalidResponseError).excerpt).toBe('Bad gateway'),
  },
  {
    fault: '200, `text/plain` whose body is a JSON object',
    behaviour: 'resolves: the content type is not checked, only the body',
    script: ({ server }) => (server.fallback = text(200, SESSION_TEXT)),
    expect: { outcome: 'data', attempts: 1, maxMs: SLACK },
    check: ({ value }) => expect(value).toEqual(SESSION),
  },
  {
    fault: '200, 1 MiB JSON object',
    behaviour: 'resolves (under the 10 MiB cap)',
    script: ({ server }) => (server.fallback = json(200, { ...SESSION, padding: 'p'.repeat(1024 * 1024) })),
    expect: { outcome: 'data', attempts: 1, maxMs: 1_000 + SLACK },
    check: ({ value }) => expect((value as { padding: string }).padding).toHaveLength(1024 * 1024),
  },
  {
    fault: '200, 10 MiB + 1 byte with Content-Length',
    behaviour: 'refused unread from the header: `InvalidResponseError`, not retried',
    script: ({ server }) =>
      (server.fallback = text(200, `"${'a'.repeat(MAX_BODY - 1)}"`, { 'content-type': 'application/json' })),
    expect: { outcome: InvalidResponseError, attempts: 1, maxMs: 1_000 + SLACK },
  },
  {
    fault: '200, 11 MiB chunked (no Content-Length)',
    behaviour: 'read stops at 10 MiB: `InvalidResponseError`, not retried',
    script: ({ server }) => (server.fallback = chunkedJson(200, 11 * 1024 * 1024)),
    expect: { outcome: InvalidResponseError, attempts: 1, maxMs: 2_000 + SLACK },
  },
  {
    fault: '503, 11 MiB chunked error body',
    behaviour: 'read stops at 10 MiB: `InternalServerError` (body replaced by a note)',
    options: { maxRetries: 0 },
    script: ({ server }) => (server.fallback = chunkedJson(503, 11 * 1024 * 1024)),
    expect: { outcome: InternalServerError, attempts: 1, maxMs: 2_000 + SLACK },
    check: ({ error }) => expect(String((error as ApiError).body)).toMatch(/over \d+ bytes/),
  },

  // Redirects: the SDK sends `redirect: 'error'`. The API never redirects, so a 3xx means a wrong
  // baseUrl or a meddling proxy; following it would hand the server-pinned body to another origin.
  ...(
    [
      [307, 'same'],
      [307, 'other'],
      [308, 'other'],
      [302, 'other'],
      [303, 'same'],
    ] as const
  ).map(([status, where]): Row => ({
    fault: `${status} to ${where === 'same' ? 'the same' : 'another'} origin`,
    behaviour: 'refused, not followed, not retried: `ConnectionError` naming the redirect',
    script: (ctx) => {
      const target = where === 'same' ? ctx.server : ctx.other;
      ctx.server.fallback = redirect(status, () => `${target.url}/v1/realtime/sessions`, ctx);
      ctx.other.fallback = json(200, SESSION);
    },
    expect: { outcome: ConnectionError, attempts: 1, serverCount: 1, maxMs: SLACK },
    check: ({ error }, { other }) => {
      expect((error as Error).message).toMatch(/redirect/);
      // Nothing, neither the key nor the pinned body, reaches the redirect target.
      expect(other.count).toBe(0);
    },
  })),
  {
    fault: '300 without `Location`',
    behaviour: 'not followed, not retried: `ApiError` with status 300',
    script: ({ server }) => (server.fallback = json(300, { error: { message: 'choose' } })),
    expect: { outcome: ApiError, attempts: 1, maxMs: SLACK },
    check: ({ error }) => {
      expect((error as ApiError).status).toBe(300);
      expect((error as Error).constructor).toBe(ApiError);
    },
  },

  // Rate limits and retry-after
  {
    fault: '429, `Retry-After` as an HTTP date 2 s ahead',
    behaviour: 'honoured (waits 1–2 s, the date has 1 s resolution), then resolves',
    script: ({ server }) =>
      server.reply(
        (res, req) => busy(429, { 'retry-after': new Date(Date.now() + 2_000).toUTCString() })(res, req),
        json(200, SESSION),
      ),
    expect: { outcome: 'data', attempts: 2, minMs: 900, maxMs: 2_000 + SLACK },
    check: (_, ctx) => {
      expect(gap(ctx, 1)).toBeGreaterThanOrEqual(900);
      expect(gap(ctx, 1)).toBeLessThanOrEqual(2_000 + SLACK);
    },
  },
  {
    fault: '429, `Retry-After: 1` (seconds)',
    behaviour: 'honoured (waits 1 s), then resolves',
    script: ({ server }) => server.reply(busy(429, { 'retry-after': '1' }), json(200, SESSION)),
    expect: { outcome: 'data', attempts: 2, minMs: 990, maxMs: 1_000 + SLACK },
    check: (_, ctx) => expect(gap(ctx, 1)).toBeGreaterThanOrEqual(990),
  },
  {
    fault: '429, `retry-after-ms: 50`',
    behaviour: 'honoured (waits 50 ms), then resolves',
    script: ({ server }) => server.reply(busy(429, { 'retry-after-ms': '50' }), json(200, SESSION)),
    expect: { outcome: 'data', attempts: 2, minMs: 45, maxMs: 50 + SLACK },
    check: (_, ctx) => expect(gap(ctx, 1)).toBeLessThan(375),
  },
  {
    fault: '429, `Retry-After: 120` (over the 60 s cap)',
    behaviour: 'ignored: falls back to backoff (375–500 ms), then resolves',
    script: ({ server }) => server.reply(busy(429, { 'retry-after': '120' }), json(200, SESSION)),
    expect: { outcome: 'data', attempts: 2, minMs: 370, maxMs: 500 + SLACK },
    check: (_, ctx) => expect(gap(ctx, 1)).toBeGreaterThanOrEqual(370),
  },
  {
    fault: '429, `Retry-After: soon` (garbage)',
    behaviour: 'ignored: falls back to backoff (375–500 ms), then resolves',
    script: ({ server }) => server.reply(busy(429, { 'retry-after': 'soon' }), json(200, SESSION)),
    expect: { outcome: 'data', attempts: 2, minMs: 370, maxMs: 500 + SLACK },
  },
  {
    fault: '429 on every attempt (`maxRetries: 2`)',
    behaviour: '`maxRetries + 1` attempts, then `RateLimitError`',
    options: { maxRetries: 2 },
    script: ({ server }) => (server.fallback = busy(429, { 'retry-after-ms': '10' })),
    expect: { outcome: RateLimitError, attempts: 3, maxMs: SLACK },
  },

  // Server errors
  {
    fault: '5xx storm, `retry-after-ms: 10` (`maxRetries: 3`)',
    behaviour: '`maxRetries + 1` attempts, then `InternalServerError`',
    options: { maxRetries: 3 },
    script: ({ server }) => (server.fallback = busy(503, { 'retry-after-ms': '10' })),
    expect: { outcome: InternalServerError, attempts: 4, maxMs: SLACK },
    check: ({ error }) => expect((error as ApiError).status).toBe(503),
  },
  {
    fault: '5xx storm, no retry headers (`maxRetries: 2`)',
    behaviour: 'backoff 0.5 s then 1 s (−25 % jitter), 3 attempts, then `InternalServerError`',
    options: { maxRetries: 2 },
    script: ({ server }) => (server.fallback = busy(500)),
    expect: { outcome: InternalServerError, attempts: 3, minMs: 1_120, maxMs: 1_500 + SLACK },
  },
  {
    fault: '500 with `x-should-retry: false`',
    behaviour: 'not retried: `InternalServerError`',
    options: { maxRetries: 3 },
    script: ({ server }) => (server.fallback = busy(500, { 'x-should-retry': 'false' })),
    expect: { outcome: InternalServerError, attempts: 1, maxMs: SLACK },
  },
  {
    fault: '400 with `x-should-retry: true`',
    behaviour: 'retried (the header wins), then `BadRequestError`',
    options: { maxRetries: 1 },
    script: ({ server }) =>
      (server.fallback = openaiError(
        400,
        { message: 'bad' },
        { 'x-should-retry': 'true', 'retry-after-ms': '0' },
      )),
    expect: { outcome: BadRequestError, attempts: 2, maxMs: SLACK },
  },
  {
    fault: '400 Bad Request',
    behaviour: 'not retried: `BadRequestError` with `param`',
    options: { maxRetries: 3 },
    script: ({ server }) => (server.fallback = openaiError(400, { message: 'bad voice', param: 'voice' })),
    expect: { outcome: BadRequestError, attempts: 1, maxMs: SLACK },
    check: ({ error }) => expect((error as BadRequestError).param).toBe('voice'),
  },
  {
    fault: '401 Unauthorized',
    behaviour: 'not retried: `AuthenticationError`',
    options: { maxRetries: 3 },
    script: ({ server }) => (server.fallback = openaiError(401, { message: 'bad key' })),
    expect: { outcome: AuthenticationError, attempts: 1, maxMs: SLACK },
  },
  {
    fault: '408 Request Timeout',
    behaviour: 'retried, then `ApiError` with status 408',
    options: { maxRetries: 1 },
    script: ({ server }) => (server.fallback = busy(408, { 'retry-after-ms': '0' })),
    expect: { outcome: ApiError, attempts: 2, maxMs: SLACK },
  },

  // The caller gives up
  {
    fault: 'caller abort during the backoff sleep (`retry-after-ms: 5000`)',
    behaviour: 'rejects at once with `signal.reason`; no further attempt',
    options: { maxRetries: 3 },
    script: ({ server }) => (server.fallback = busy(503, { 'retry-after-ms': '5000' })),
    abortAfterRequests: 1,
    abortDelayMs: 50,
    expect: { outcome: 'abort reason', attempts: 1, maxMs: 50 + SLACK },
  },
  {
    fault: 'caller abort while waiting for headers',
    behaviour: 'rejects at once with `signal.reason`, not wrapped, not retried',
    options: { maxRetries: 3 },
    script: ({ server }) => (server.fallback = hang()),
    abortAfterRequests: 1,
    abortDelayMs: 20,
    expect: { outcome: 'abort reason', attempts: 1, maxMs: 20 + SLACK },
  },
];

// ---- Runner -------------------------------------------------------------------------------------

// Both servers are filled in before the first row runs.
const ctx = {} as Ctx;
let closedUrl: string;
const passed = new Set<string>();

useScriptedServer((s) => (ctx.server = s));
useScriptedServer((s) => (ctx.other = s));
beforeAll(async () => {
  closedUrl = await closedPortUrl();
});
afterAll(async () => {
  if (WRITE_REPORTS && passed.size === rows.length)
    await writeMarkdown(new URL('./FAULTS.md', import.meta.url), faultsTable());
});

describe('fault matrix', () => {
  it.each(rows.map((row) => [row.fault, row] as const))('%s', async (fault, row) => {
    row.script?.(ctx);
    const counter = countingFetch();
    const api = new RealtimeApi({
      apiKey: API_KEY,
      baseUrl: `${row.target === 'closed' ? closedUrl : ctx.server.url}/v1`,
      fetch: counter.fetch,
      timeoutMs: row.options?.timeoutMs ?? 2_000,
      maxRetries: row.options?.maxRetries ?? 2,
    });
    const callOptions: RequestOptions = {};
    const reason = new Error(`caller gave up: ${fault}`);
    if (row.abortAfterRequests !== undefined) {
      const controller = new AbortController();
      callOptions.signal = controller.signal;
      void ctx.server
        .waitForRequests(row.abortAfterRequests)
        .then(() => setTimeout(() => controller.abort(reason), row.abortDelayMs ?? 0));
    }

    const start = performance.now();
    const result = await settle(api.createRealtimeSession({ model: 'gpt-realtime' }, callOptions));
    const outcome: Outcome = {
      ok: result.ok,
      value: result.ok ? result.value : undefined,
      error: result.ok ? undefined : result.error,
      elapsed: since(start),
      attempts: counter.calls,
    };

    const want = row.expect;
    if (want.outcome === 'data') {
      expect(outcome.error).toBeUndefined();
      expect(typeof outcome.value).toBe('object');
    } else if (want.outcome === 'abort reason') {
      expect(outcome.error).toBe(reason);
    } else {
      expect(outcome.error).toBeInstanceOf(want.outcome);
      expect(outcome.error).toBeInstanceOf(RealtimeSessionsError);
    }
    expect(outcome.attempts).toBe(want.attempts);
    expect(ctx.server.count).toBe(want.serverCount ?? want.attempts);
    expect(outcome.elapsed).toBeLessThanOrEqual(want.maxMs);
    if (want.minMs !== undefined) expect(outcome.elapsed).toBeGreaterThanOrEqual(want.minMs);
    row.check?.(outcome, ctx);

    if (row.abortAfterRequests !== undefined) {
      // Nothing more goes out once the caller gave up.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(ctx.server.count).toBe(want.attempts);
    }
    passed.add(fault);
  });
});

// ---- Deeply nested bodies ---------------------------------------------------------------------------
// Regression tests: these were defects (found by the fuzzer) until the fixes in src/core/errors.ts and
// src/handler/index.ts.

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('deeply nested bodies', () => {
  it('a 2xx body nested 100,000 levels parses (V8 parses iteratively) and resolves', async () => {
    ctx.server.fallback = text(200, `{"deep":${nested(100_000)}}`, { 'content-type': 'application/json' });
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: `${ctx.server.url}/v1`, maxRetries: 0 });
    const data = (await api.createRealtimeSession({})) as Record<string, unknown>;
    expect(Array.isArray(data.deep)).toBe(true);
  });

  // Regression guard: up to 02dc89b, describeBody JSON.stringify-ed the parsed
  // body, threw RangeError, and the 500 surfaced as a retryable ConnectionError (fixed by 9bf4448).
  it('a 500 body nested 100,000 levels is an InternalServerError, not a ConnectionError', async () => {
    ctx.server.fallback = text(500, nested(100_000), { 'content-type': 'application/json' });
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: `${ctx.server.url}/v1`, maxRetries: 0 });
    const result = await settle(api.createRealtimeSession({}));
    expect(!result.ok && result.error).toBeInstanceOf(InternalServerError);
  });

  // Was a defect (found by fuzz.test.ts (a)): from ~5,000 levels `JSON.stringify(error)` threw
  // RangeError, so a JSON logger failed on the error. ApiError now keeps such a body as text.
  it('JSON.stringify works on the error for a 500 body nested 20,000 levels', async () => {
    ctx.server.fallback = text(500, nested(20_000), { 'content-type': 'application/json' });
    const api = new RealtimeApi({ apiKey: API_KEY, baseUrl: `${ctx.server.url}/v1`, maxRetries: 0 });
    const result = await settle(api.createRealtimeSession({}));
    expect(!result.ok && result.error).toBeInstanceOf(InternalServerError);
    expect(() => JSON.stringify(!result.ok && result.error)).not.toThrow();
  });

  // Was a defect: a 2xx session nested ~5,000 levels made the handler reject instead of answering.
  // It now answers 502 and reports the cause to onError.
  it('createSessionHandler answers 502 JSON when the upstream session is nested 20,000 levels', async () => {
    ctx.server.fallback = text(
      200,
      `{"client_secret":{"value":"ek_x","expires_at":1},"x":${nested(20_000)}}`,
      {
        'content-type': 'application/json',
      },
    );
    const handler = createSessionHandler({
      apiKey: API_KEY,
      baseUrl: `${ctx.server.url}/v1`,
      maxRetries: 0,
    });
    const result = await settle(
      handler(
        new Request('http://app.test/s', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      ),
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.value.status).toBe(502);
  });
});

// ---- FAULTS.md ----------------------------------------------------------------------------------

function outcomeName(outcome: Row['expect']['outcome']): string {
  if (outcome === 'data') return '— (resolves)';
  if (outcome === 'abort reason') return '`signal.reason`';
  return `\`${outcome.name}\``;
}

function faultsTable(): string {
  const lines = [
    '# Fault matrix',
    '',
    '<!-- Written by `npm run report` (test/reliability/fault-matrix.test.ts) after a green run; do not edit by hand. -->',
    '',
    'How `RealtimeApi.createRealtimeSession` behaves when the network or the upstream misbehaves, each',
    'row checked against a real `node:http` server on 127.0.0.1. _Attempts_ counts calls to `fetch`',
    '(the server count differs only where noted); _bound_ is the upper limit on the whole call the test',
    'asserts. Unless the row says otherwise: `maxRetries: 2`, `timeoutMs: 2000`.',
    '',
    '| fault | behaviour | error class | attempts | bound |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const { attempts, serverCount, maxMs } = row.expect;
    const count =
      serverCount !== undefined && serverCount !== attempts
        ? `${attempts} (server saw ${serverCount})`
        : `${attempts}`;
    lines.push(
      `| ${cell(row.fault)} | ${cell(row.behaviour)} | ${cell(outcomeName(row.expect.outcome))} | ${count} | ${maxMs} ms |`,
    );
  }
  lines.push(
    '',
    'Not in the table: bodies nested thousands of levels deep (see "deeply nested bodies" in',
    '`fault-matrix.test.ts`).',
    '',
  );
  return lines.join('\n');
}
