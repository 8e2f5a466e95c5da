// Property tests with fixed seeds (fast-check prints seed and path on failure; the seed is also in
// each test name so a failure can be replayed):
//   (a) the response parser and error mapper, fuzzed at the transport boundary through a custom `fetch`;
//   (b) createSessionHandler request handling, beyond test/handler/handler.fuzz.test.ts: arbitrary
//       methods and headers, prototype keys at any depth, unicode, huge numbers, duplicated keys,
//       BOMs, invalid UTF-8, and a misbehaving upstream;
//   (c) the retry-delay functions.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  createSessionHandler,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RealtimeApi,
  RealtimeSessionsError,
  TimeoutError,
  UnprocessableEntityError,
  type Fetch,
} from '../../src/index.js';
// The retry rules are internal: the request path's, checked here on their own.
import { parseRetryAfter, retryDelay, shouldRetry, type HeaderReader } from '../../src/client/retry.js';
import {
  jsonKeys,
  jsonObjectText,
  nestedJsonText,
  recordSent,
  routeRequest,
  type Sent,
} from '../helpers/fuzz.js';
import { API_KEY, SESSION } from './support.js';
import { betaFieldValid } from '../helpers/beta-fields.js';

const SEED = 0x5eed;
/** Per-attempt timeout in (a): ends the stalled bodies. */
const TIMEOUT_MS = 80;
const GUARD_MS = 2_000;
const MAX_BODY = 10 * 1024 * 1024; // DEFAULTS.maxBodyBytes

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));

/** Rejects with a "hang" error when `promise` takes longer than the guard. */
async function guarded<T>(promise: Promise<T>, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${label} did not settle in ${GUARD_MS} ms`)), GUARD_MS);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lets pending rejections surface as `unhandledRejection` before we look. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const encoder = new TextEncoder();
const byteString = (min: number, max: number, maxLength = 40): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min, max }), { maxLength }).map((codes) => String.fromCharCode(...codes));
/** Any value a `Headers` accepts (no CR, LF or NUL; may be trimmed). */
const headerValue = byteString(0x20, 0xff);

// ---- (a) Response parser and error mapper ------------------------------------------------------

const STATUS_CLASSES: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

const status = fc.oneof(
  { arbitrary: fc.constant(200), weight: 4 },
  {
    arbitrary: fc.constantFrom(201, 204, 206, 300, 302, 304, 400, 401, 403, 404, 408, 409, 418, 422, 429),
    weight: 3,
  },
  { arbitrary: fc.constantFrom(500, 502, 503, 504, 599), weight: 1 },
  { arbitrary: fc.integer({ min: 200, max: 599 }), weight: 2 },
);

const jsonText = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
const sessionLike = fc
  .record(
    {
      id: fc.string(),
      object: fc.constant('realtime.session'),
      model: fc.string(),
      client_secret: fc.record({ value: fc.string(), expires_at: fc.integer() }),
      extra: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  )
  .map((v) => JSON.stringify(v));
const envelope = fc
  .record(
    {
      error: fc.oneof(
        fc.record(
          {
            message: fc.jsonValue({ maxDepth: 1 }),
            type: fc.jsonValue({ maxDepth: 1 }),
            param: fc.jsonValue({ maxDepth: 1 }),
            code: fc.jsonValue({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      title: fc.jsonValue({ maxDepth: 1 }),
      detail: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  )
  .map((v) => JSON.stringify(v));
const textBody = fc.oneof(
  { arbitrary: jsonText, weight: 2 },
  { arbitrary: sessionLike, weight: 3 },
  { arbitrary: envelope, weight: 2 },
  sessionLike.chain((t) => fc.nat(t.length).map((n) => t.slice(0, n))), // truncated
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '[]',
    '{}',
    '\uFEFF{}',
    '<html><body><h1>502 Bad Gateway</h1></body></html>',
    // Deep, but under the depth where JSON.stringify overflows (the 20,000-level cases are the
    // regression tests in fault-matrix.test.ts; this property first found them at 5,000).
    `${'['.repeat(1_000)}${']'.repeat(1_000)}`,
    `{"a":${'{"a":'.repeat(1_000)}1${'}'.repeat(1_000)}}`,
  ),
);
const body = fc.oneof(
  { arbitrary: textBody.map((t) => encoder.encode(t)), weight: 4 },
  fc.uint8Array({ maxLength: 80 }),
  // A valid object followed or preceded by stray bytes.
  fc
    .tuple(sessionLike, fc.uint8Array({ minLength: 1, maxLength: 4 }))
    .map(([t, junk]) => new Uint8Array([...encoder.encode(t), ...junk])),
);

const responseCase = fc.record({
  status,
  body,
  contentType: fc.constantFrom(
    undefined,
    'application/json',
    'application/json; charset=utf-8',
    'application/problem+json',
    'text/plain',
    'text/html; charset=iso-8859-1',
    '',
    ';;=',
  ),
  /** `true`: the right Content-Length; a string: that header verbatim. */
  contentLength: fc.oneof(
    fc.constant<boolean | string>(false),
    fc.constant<boolean | string>(true),
    fc.constantFrom('0', '1', 'abc', '-1', '1e3', String(MAX_BODY + 1), '99999999999999999999'),
  ),
  contentEncoding: fc.constantFrom(undefined, 'identity', 'gzip', 'br'),
  requestId: fc.option(headerValue, { nil: undefined }),
  retryAfter: fc.option(
    fc.oneof(headerValue, fc.constantFrom('0', '1', '120', 'Wed, 21 Oct 2015 07:28:00 GMT')),
    {
      nil: undefined,
    },
  ),
  retryAfterMs: fc.option(fc.oneof(headerValue, fc.nat().map(String)), { nil: undefined }),
  shouldRetry: fc.option(fc.constantFrom('true', 'false', 'TRUE', ''), { nil: undefined }),
  /** whole: a byte body; chunks: a stream in pieces; stall/error: a stream that stops after a prefix. */
  delivery: fc.oneof(
    { arbitrary: fc.constant<'whole' | 'chunks' | 'stall' | 'error'>('whole'), weight: 6 },
    { arbitrary: fc.constant<'whole' | 'chunks' | 'stall' | 'error'>('chunks'), weight: 3 },
    { arbitrary: fc.constant<'whole' | 'chunks' | 'stall' | 'error'>('stall'), weight: 1 },
    { arbitrary: fc.constant<'whole' | 'chunks' | 'stall' | 'error'>('error'), weight: 1 },
  ),
  chunkSize: fc.integer({ min: 1, max: 16 }),
});
type ResponseCase = typeof responseCase extends fc.Arbitrary<infer T> ? T : never;

/**
 * A transport that answers with the case's Response, as a well-behaved fetch does: it rejects when
 * the signal is already aborted and errors the body stream when the signal aborts later.
 */
function scriptedFetch(c: ResponseCase): Fetch {
  return async (_input, init) => {
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const headers = new Headers();
    if (c.contentType !== undefined) headers.set('content-type', c.contentType);
    if (c.contentLength === true) headers.set('content-length', String(c.body.byteLength));
    else if (typeof c.contentLength === 'string') headers.set('content-length', c.contentLength);
    if (c.contentEncoding !== undefined) headers.set('content-encoding', c.contentEncoding);
    if (c.requestId !== undefined) headers.set('x-request-id', c.requestId);
    if (c.retryAfter !== undefined) headers.set('retry-after', c.retryAfter);
    if (c.retryAfterMs !== undefined) headers.set('retry-after-ms', c.retryAfterMs);
    if (c.shouldRetry !== undefined) headers.set('x-should-retry', c.shouldRetry);
    if (NULL_BODY_STATUSES.has(c.status)) return new Response(null, { status: c.status, headers });
    if (c.delivery === 'whole') return new Response(c.body, { status: c.status, headers });

    const bytes = c.body;
    const stopAt = c.delivery === 'chunks' ? bytes.byteLength : Math.floor(bytes.byteLength / 2);
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        signal?.addEventListener('abort', () => controller.error(signal.reason), { once: true });
      },
      pull(controller) {
        if (at < stopAt) {
          const end = Math.min(at + c.chunkSize, stopAt);
          controller.enqueue(bytes.slice(at, end));
          at = end;
          return;
        }
        if (c.delivery === 'chunks') controller.close();
        else if (c.delivery === 'error') controller.error(new TypeError('terminated: other side closed'));
        // stall: never enqueue, never close; only the abort signal ends it.
        else return new Promise<void>(() => {});
      },
    });
    return new Response(stream, { status: c.status, headers });
  };
}

/** Content-Length and Content-Encoding as an honest server would send them (or not at all). */
function honestFraming(c: ResponseCase): boolean {
  return (
    (c.contentLength === false || c.contentLength === true) &&
    (c.contentEncoding ?? 'identity') === 'identity'
  );
}

function decodedJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

describe('(a) response parser and error mapper', () => {
  it(`resolves with a plain object or rejects with one of our errors, never hangs (seed 0x5eed)`, async () => {
    const seen = new Map<string, number>();
    const bump = (key: string): void => void seen.set(key, (seen.get(key) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(responseCase, async (c) => {
        const api = new RealtimeApi({
          apiKey: API_KEY,
          baseUrl: 'http://upstream.test/v1',
          fetch: scriptedFetch(c),
          maxRetries: 0,
          timeoutMs: TIMEOUT_MS,
        });
        let data: unknown;
        let error: unknown;
        const started = performance.now();
        try {
          data = await guarded(api.createRealtimeSession({ model: 'gpt-realtime' }), `status ${c.status}`);
        } catch (caught) {
          error = caught;
        }
        expect(String(error ?? '')).not.toMatch(/^Error: hang/);
        await turn();
        expect(unhandled).toEqual([]);

        const ok = c.status >= 200 && c.status < 300;
        if (error === undefined) {
          bump('resolved');
          expect(ok).toBe(true);
          expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
          expect(data).toEqual(decodedJsonObject(c.body));
          return;
        }
        bump((error as Error).name);
        expect(error).toBeInstanceOf(RealtimeSessionsError);
        expect(typeof (error as Error).message).toBe('string');
        expect(() => JSON.stringify(error)).not.toThrow();

        // The exact outcome wherever the case pins it down. On a starved machine an in-memory answer
        // may genuinely outlast the timeout: a TimeoutError that really took that long is fine.
        if (error instanceof TimeoutError && performance.now() - started >= TIMEOUT_MS - 1) return;
        if (
          c.delivery === 'stall' &&
          !NULL_BODY_STATUSES.has(c.status) &&
          honestFraming(c) &&
          c.body.byteLength > 0
        ) {
          expect(error).toBeInstanceOf(TimeoutError);
        } else if (
          c.delivery === 'error' &&
          !NULL_BODY_STATUSES.has(c.status) &&
          honestFraming(c) &&
          c.body.byteLength > 0
        ) {
          expect(error).toBeInstanceOf(ConnectionError);
        } else if (c.delivery === 'whole' || c.delivery === 'chunks' || NULL_BODY_STATUSES.has(c.status)) {
          if (ok) {
            expect(error).toBeInstanceOf(InvalidResponseError);
            expect((error as InvalidResponseError).status).toBe(c.status);
            if (honestFraming(c) && !NULL_BODY_STATUSES.has(c.status)) {
              expect(decodedJsonObject(c.body)).toBeUndefined();
            }
          } else {
            expect(error).toBeInstanceOf(ApiError);
            const apiError = error as ApiError;
            expect(apiError.status).toBe(c.status);
            const Expected = STATUS_CLASSES[c.status] ?? (c.status >= 500 ? InternalServerError : ApiError);
            expect(apiError.constructor).toBe(Expected);
            expect(apiError.requestId).toBe(
              c.requestId === undefined ? null : new Headers({ x: c.requestId }).get('x'),
            );
            for (const field of [apiError.code, apiError.type, apiError.param]) {
              expect(field === null || typeof field === 'string').toBe(true);
            }
          }
        }
      }),
      { seed: SEED, numRuns: 600 },
    );
    // The generators must reach every outcome, or the property proves less than it claims.
    for (const name of ['resolved', 'InvalidResponseError', 'TimeoutError', 'ConnectionError', 'ApiError']) {
      expect(seen.get(name) ?? 0, name).toBeGreaterThan(0);
    }
    for (const name of ['BadRequestError', 'RateLimitError', 'InternalServerError', 'NotFoundError']) {
      expect(seen.get(name) ?? 0, name).toBeGreaterThan(0);
    }
  });
});

// ---- (b) createSessionHandler request handling -------------------------------------------------

const SERVER_KEY = 'sk-fuzzB-server-key-0123456789';
const UPSTREAM_SECRET = 'ek_fuzzB_minted_0123456789';
const ALLOWED_ORIGIN = 'https://app.example.com';
const APP_TOKEN = 'Bearer app-token';
const BOOM_TOKEN = 'Bearer boom';
const LIMIT = 1024;
const PINNED = { model: 'gpt-realtime', instructions: 'Server rules.', voice: 'alloy', temperature: 0.6 };
const ALLOWED = ['voice', 'temperature', 'tools'] as const;
const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];

type UpstreamMode =
  'ok' | 'no_secret' | '500' | '429' | '400_client_field' | '400_pinned' | 'garbage' | 'throws';
const UPSTREAM_STATUS: Record<UpstreamMode, number> = {
  ok: 200,
  no_secret: 502,
  '500': 502,
  '429': 429,
  '400_client_field': 400,
  '400_pinned': 502,
  garbage: 502,
  throws: 502,
};

function upstream(calls: Sent[], mode: () => UpstreamMode): Fetch {
  return async (input, init) => {
    await recordSent(calls, input, init);
    const reply = (status: number, value: unknown, headers: Record<string, string> = {}): Response =>
      new Response(typeof value === 'string' ? value : JSON.stringify(value), {
        status,
        headers: { 'content-type': 'application/json', 'x-request-id': 'req_fuzz', ...headers },
      });
    switch (mode()) {
      case 'ok':
        return reply(200, {
          id: 'sess_b',
          model: 'gpt-realtime',
          client_secret: { value: UPSTREAM_SECRET, expires_at: 4_000_000_000 },
        });
      case 'no_secret':
        return reply(200, { id: 'sess_b', client_secret: { value: 7 } });
      case '500':
        return reply(500, { error: { message: `boom ${SERVER_KEY} ${PINNED.instructions}` } });
      case '429':
        return reply(429, { error: { message: 'slow down' } }, { 'retry-after': '7' });
      case '400_client_field':
        return reply(400, { error: { message: 'bad voice', param: 'session.voice' } });
      case '400_pinned':
        return reply(400, { error: { message: 'bad instructions', param: 'instructions' } });
      case 'garbage':
        return reply(200, `{"client_secret":{"value":"${UPSTREAM_SECRET}"`);
      case 'throws':
        throw new TypeError('fetch failed');
    }
  };
}

// -- Bodies ---------------------------------------------------------------------------------------

const KEYS = [
  ...ALLOWED,
  'model',
  'instructions',
  'x',
  '',
  ...FORBIDDEN,
  '__proto__ ',
  'Voice',
  'vоice', // Cyrillic о
  'voice\u200b', // zero-width space
  'v\u0000oice',
  '\u{1F600}',
  'tools\uD800', // lone surrogate (as a JSON escape below)
];
const keyText = fc.oneof(
  jsonKeys(...KEYS),
  // The same keys spelled with escapes: JSON.parse still yields the key itself.
  fc
    .constantFrom(...FORBIDDEN, ...ALLOWED)
    .map((k) => `"${[...k].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`),
  fc.string({ maxLength: 6 }).map((k) => JSON.stringify(k)),
);
const scalarText = fc.oneof(
  fc.jsonValue({ maxDepth: 0 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '1e400',
    '-1e400',
    '1e-400',
    '123456789012345678901234567890',
    '-0',
    '0.1e1',
    '"\\ud800"',
    '"\u{1F600}"',
    '"\\u0000"',
  ),
);
/** JSON text built by hand, so keys such as `__proto__` and duplicated keys reach the handler as written. */
const valueText = nestedJsonText(scalarText, keyText);
const objectText = jsonObjectText(keyText, valueText, 5);
/** Allowed top-level keys only, duplicates included. */
const allowedObjectText = jsonObjectText(jsonKeys(...ALLOWED), valueText, 5);
const deepText = fc
  .tuple(fc.integer({ min: 1, max: 150 }), fc.constantFrom('__proto__', 'constructor', 'a'))
  .map(([depth, key]) => `{"tools":${`[{"${key}":`.repeat(depth)}1${'}]'.repeat(depth)}}`);

const BOM = [0xef, 0xbb, 0xbf];
const INVALID_UTF8 = [
  [0xc0, 0xaf], // overlong '/'
  [0xed, 0xa0, 0x80], // encoded surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xe2, 0x82], // truncated
  [0xff],
  [0x80],
];
const bodyBytes = fc.oneof(
  { arbitrary: allowedObjectText.map((t) => encoder.encode(t)), weight: 4 },
  { arbitrary: objectText.map((t) => encoder.encode(t)), weight: 3 },
  valueText.map((t) => encoder.encode(t)),
  deepText.map((t) => encoder.encode(t)),
  allowedObjectText.map((t) => new Uint8Array([...BOM, ...encoder.encode(t)])),
  allowedObjectText.map((t) => new Uint8Array([...BOM, ...BOM, ...encoder.encode(t)])),
  allowedObjectText.map((t) => encoder.encode(` \t\r\n${t}\n`)),
  fc.tuple(allowedObjectText, fc.constantFrom(...INVALID_UTF8), fc.nat()).map(([t, bad, at]) => {
    const bytes = [...encoder.encode(t)];
    bytes.splice(at % (bytes.length + 1), 0, ...bad);
    return new Uint8Array(bytes);
  }),
  fc.uint8Array({ maxLength: 64 }),
  fc.constant(new Uint8Array(0)),
  fc.integer({ min: LIMIT - 16, max: LIMIT + 64 }).map((n) => encoder.encode(`{"voice":"${'v'.repeat(n)}"}`)),
);

// -- Headers and methods --------------------------------------------------------------------------

const method = fc.oneof(
  { arbitrary: fc.constantFrom('POST', 'post', 'Post'), weight: 6 },
  fc.constantFrom('OPTIONS', 'options'),
  fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'PROPFIND', 'M-SEARCH'),
  fc
    .stringMatching(/^[A-Za-z!#$%&'*+.^_`|~-]{1,8}$/)
    .filter((m) => !['TRACE', 'TRACK', 'CONNECT', 'PATCH'].includes(m.toUpperCase())),
);
const param = fc.constantFrom(
  '',
  ' ',
  'charset=utf-8',
  'charset="UTF-8"',
  'CHARSET=utf8',
  'charset=latin1',
  'foo=bar',
  'foo',
  'q=0.5',
);
const contentType = fc.oneof(
  fc.constant<string | undefined>(undefined),
  fc
    .tuple(
      fc.constantFrom(
        'application/json',
        'APPLICATION/JSON',
        ' application/json ',
        'application/jsonx',
        'text/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        '',
      ),
      fc.array(param, { maxLength: 3 }),
    )
    .map(([essence, params]) => [essence, ...params].join(';')),
);
const extraHeaders = fc.array(
  fc.tuple(
    fc.constantFrom(
      'x-forwarded-for',
      'cookie',
      'x-api-key',
      'accept',
      'user-agent',
      'content-type',
      'origin',
      'x-custom',
    ),
    headerValue,
  ),
  { maxLength: 3 },
);
const upstreamMode = fc.constantFrom<UpstreamMode>(
  'ok',
  'ok',
  'ok',
  'no_secret',
  '500',
  '429',
  '400_client_field',
  '400_pinned',
  'garbage',
  'throws',
);
/** Every dimension, anything at all. */
const dimensions = {
  method,
  contentType,
  origin: fc.constantFrom(
    undefined,
    ALLOWED_ORIGIN,
    'https://evil.example',
    'null',
    'HTTPS://APP.EXAMPLE.COM',
  ),
  authorization: fc.constantFrom(APP_TOKEN, undefined, 'Bearer wrong', BOOM_TOKEN, `${APP_TOKEN} `),
  contentEncoding: fc.constantFrom(undefined, 'identity', ' IDENTITY ', 'gzip', ''),
  contentLength: fc.oneof(
    fc.constant<boolean | string>(false),
    fc.constant<boolean | string>(true),
    fc.constantFrom('abc', '-1', String(LIMIT + 1), '0', '1.5'),
  ),
  streamed: fc.boolean(),
  extra: extraHeaders,
  body: bodyBytes,
  upstream: upstreamMode,
};
/** Headers that pass every check, so the body and the upstream decide. */
const wellFormed = fc.record({
  ...dimensions,
  method: fc.constantFrom('POST', 'post', 'Post'),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset="UTF-8"; q=1;',
  ),
  origin: fc.constantFrom(undefined, ALLOWED_ORIGIN),
  authorization: fc.constantFrom(APP_TOKEN, `${APP_TOKEN} `),
  contentEncoding: fc.constantFrom(undefined, 'identity'),
  contentLength: fc.boolean(),
  extra: fc.array(fc.tuple(fc.constantFrom('x-forwarded-for', 'cookie', 'x-custom'), headerValue), {
    maxLength: 2,
  }),
});
/** Well formed but for one dimension. */
const oneOff = wellFormed.chain((base) =>
  fc.oneof(
    ...(Object.keys(dimensions) as (keyof typeof dimensions)[]).map((key) =>
      (dimensions[key] as fc.Arbitrary<unknown>).map((value) => ({ ...base, [key]: value }) as typeof base),
    ),
  ),
);
const requestCase = fc.oneof(
  { arbitrary: wellFormed, weight: 5 },
  { arbitrary: oneOff, weight: 3 },
  { arbitrary: fc.record(dimensions), weight: 2 },
);
type RequestCase = typeof requestCase extends fc.Arbitrary<infer T> ? T : never;

function buildHeaders(i: RequestCase): Headers {
  const headers = new Headers();
  for (const [name, value] of i.extra) headers.append(name, value);
  if (i.contentType !== undefined) headers.append('content-type', i.contentType);
  if (i.origin !== undefined) headers.set('origin', i.origin);
  if (i.authorization !== undefined) headers.set('authorization', i.authorization);
  if (i.contentEncoding !== undefined) headers.set('content-encoding', i.contentEncoding);
  if (i.contentLength === true) headers.set('content-length', String(i.body.byteLength));
  else if (typeof i.contentLength === 'string') headers.set('content-length', i.contentLength);
  return headers;
}

function toRequest(i: RequestCase): Request {
  return routeRequest(i.method, buildHeaders(i), i.body, i.streamed ? 7 : undefined);
}

// -- Oracle: the documented rules, written independently of the handler ----------------------------

/** `application/json`, any case, with `;`-separated `name=value` parameters; a charset must be UTF-8. */
function isJson(value: string | null): boolean {
  if (value === null) return false;
  const parts = value.split(';').map((p) => p.trim());
  if (parts[0]!.toLowerCase() !== 'application/json') return false;
  return parts.slice(1).every((p) => {
    if (p === '') return true;
    const m = /^([^=]*)=(.*)$/.exec(p);
    if (!m) return false;
    if (m[1]!.trim().toLowerCase() !== 'charset') return true;
    return ['utf-8', 'utf8'].includes(m[2]!.trim().replace(/^"|"$/g, '').toLowerCase());
  });
}

/** Valid UTF-8 iff decoding with replacement and re-encoding gives the same bytes. */
function utf8(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes).toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(Buffer.from(bytes))) return undefined;
  // One leading byte-order mark is tolerated (and dropped), as TextDecoder does.
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function hasForbiddenKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  if (value === null || typeof value !== 'object') return false;
  return Object.keys(value).some(
    (k) => FORBIDDEN.includes(k) || hasForbiddenKey((value as Record<string, unknown>)[k]),
  );
}

/** How deep a JSON value nests: 1 for an object or array of scalars. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

interface Expected {
  status: number;
  reason: string;
  /** The body the upstream must receive, when it is called. */
  upstreamBody?: unknown;
}

function expected(i: RequestCase, headers: Headers): Expected {
  const upper = i.method.toUpperCase();
  const origin = headers.get('origin');
  if (origin !== null && origin !== ALLOWED_ORIGIN) return { status: 403, reason: 'origin' };
  if (upper === 'OPTIONS') return { status: 204, reason: 'preflight' };
  if (upper !== 'POST') return { status: 405, reason: 'method' };
  const auth = headers.get('authorization');
  if (auth === BOOM_TOKEN) return { status: 500, reason: 'authorize threw' };
  if (auth !== APP_TOKEN) return { status: 401, reason: 'unauthorized' };
  if (!isJson(headers.get('content-type'))) return { status: 415, reason: 'content-type' };
  const encoding = headers.get('content-encoding');
  if (encoding !== null && encoding.toLowerCase() !== 'identity') return { status: 415, reason: 'encoding' };
  const length = headers.get('content-length');
  if (length !== null && !/^\d+$/.test(length)) return { status: 400, reason: 'bad content-length' };
  if (length !== null && Number(length) > LIMIT) return { status: 413, reason: 'too large (declared)' };
  if (i.body.byteLength > LIMIT) return { status: 413, reason: 'too large' };
  let fields: Record<string, unknown> = {};
  if (i.body.byteLength > 0) {
    const text = utf8(i.body);
    if (text === undefined) return { status: 400, reason: 'invalid utf-8' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { status: 400, reason: 'not json' };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { status: 400, reason: 'not an object' };
    }
    if (hasForbiddenKey(parsed)) return { status: 400, reason: 'forbidden key' };
    // The route's depth cap (MAX_BODY_DEPTH in src/handler/body.ts).
    if (depthOf(parsed) > 32) return { status: 400, reason: 'too deep' };
    if (Object.keys(parsed).some((k) => !(ALLOWED as readonly string[]).includes(k))) {
      return { status: 400, reason: 'field not allowed' };
    }
    fields = parsed as Record<string, unknown>;
    // Each allowed field against the pinned schema, before any upstream call.
    if (Object.entries(fields).some(([k, v]) => !betaFieldValid(k, v)))
      return { status: 400, reason: 'invalid field' };
  }
  // What goes on the wire: the pinned session, client values winning for allowed fields only.
  const upstreamBody = JSON.parse(JSON.stringify({ ...PINNED, ...fields })) as Record<string, unknown>;
  let status = UPSTREAM_STATUS[i.upstream];
  if (i.upstream === '400_client_field' && !('voice' in fields)) status = 502;
  return { status, reason: `upstream ${i.upstream}`, upstreamBody };
}

describe('(b) createSessionHandler request handling', () => {
  it(`answers 2xx, or 4xx/5xx JSON {error:{message}}; upstream only for valid requests, with pinned + allowed fields (seed 0x5eed)`, async () => {
    const calls: Sent[] = [];
    let mode: UpstreamMode = 'ok';
    const reported: unknown[] = [];
    const handler = createSessionHandler({
      endpoint: 'sessions',
      apiKey: SERVER_KEY,
      baseUrl: 'http://upstream.test/v1',
      fetch: upstream(calls, () => mode),
      maxRetries: 0,
      timeoutMs: 5_000,
      session: PINNED,
      allowFromClient: [...ALLOWED],
      maxBodyBytes: LIMIT,
      cors: { origins: [ALLOWED_ORIGIN] },
      authorize: (request) => {
        if (request.headers.get('authorization') === BOOM_TOKEN) throw new Error('authorize exploded');
        return request.headers.get('authorization') === APP_TOKEN;
      },
      onError: (error) => void reported.push(error),
    });
    const seen = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(requestCase, async (i) => {
        calls.length = 0;
        mode = i.upstream;
        const request = toRequest(i);
        const want = expected(i, request.headers);
        seen.set(want.reason, (seen.get(want.reason) ?? 0) + 1);

        const response = await guarded(handler(request), `${i.method} request`);
        expect(response).toBeInstanceOf(Response);
        const text = await guarded(response.text(), 'reading the answer');
        await turn();
        expect(unhandled).toEqual([]);

        expect(response.status, want.reason).toBe(want.status);
        expect(text).not.toContain(SERVER_KEY);
        expect(text).not.toContain(PINNED.instructions);
        if (response.status >= 200 && response.status < 300) {
          if (response.status === 204) expect(text).toBe('');
          else expect(JSON.parse(text).client_secret.value).toBe(UPSTREAM_SECRET);
        } else {
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(600);
          expect(response.headers.get('content-type')).toBe('application/json');
          const answer = JSON.parse(text) as { error: { message: unknown } };
          expect(typeof answer.error.message).toBe('string');
          expect(text).not.toContain(UPSTREAM_SECRET);
        }

        if (want.upstreamBody === undefined) {
          expect(calls).toHaveLength(0);
        } else {
          expect(calls).toHaveLength(1);
          expect(calls[0]!.url).toBe('http://upstream.test/v1/realtime/sessions');
          expect(calls[0]!.authorization).toBe(`Bearer ${SERVER_KEY}`);
          expect(calls[0]!.body).toEqual(want.upstreamBody);
        }
      }),
      { seed: SEED, numRuns: 1_000 },
    );

    // Nothing leaked onto Object.prototype through `__proto__` keys.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    // The generators must reach every outcome, or the property proves less than it claims.
    for (const reason of [
      'origin',
      'preflight',
      'method',
      'authorize threw',
      'unauthorized',
      'content-type',
      'encoding',
      'bad content-length',
      'too large',
      'invalid utf-8',
      'not json',
      'not an object',
      'forbidden key',
      'field not allowed',
      'upstream ok',
      'upstream 500',
      'upstream garbage',
      'upstream throws',
    ]) {
      expect(seen.get(reason) ?? 0, reason).toBeGreaterThan(0);
    }
    // onError saw the server-side failures, and never the browser's own mistakes.
    expect(reported.length).toBeGreaterThan(0);
    for (const error of reported) expect(error).toBeInstanceOf(Error);
  });
});

// ---- (c) retry-delay functions -----------------------------------------------------------------

const BACKOFF_CAP = 8_000;
const HONOURED_CAP = 60_000;

const attempt = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.integer(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 53 + 10, 1e308, -1, -1e308),
  fc.double(),
);
const retryHeaderText = fc.oneof(
  headerValue,
  byteString(0, 0xffff, 30),
  fc.nat().map(String),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
  fc.integer({ min: -120, max: 120 }).map((s) => new Date(Date.now() + s * 1_000).toUTCString()),
  fc.constantFrom(
    '',
    ' ',
    '-0',
    '0',
    '60',
    '61',
    '60000',
    '60001',
    '1e3',
    '0x10',
    'Infinity',
    'NaN',
    '9'.repeat(400),
    ' 5 ',
    '5s',
    '--1',
    '12:00:00',
  ),
);
const reader = fc
  .record(
    {
      'retry-after': retryHeaderText,
      'retry-after-ms': retryHeaderText,
      'x-should-retry': fc.oneof(retryHeaderText, fc.constantFrom('true', 'false')),
    },
    { requiredKeys: [] },
  )
  .map((record): HeaderReader => ({
    get: (name: string) => (record as Record<string, string>)[name] ?? null,
  }));
const optionalReader = fc.oneof(fc.constant<HeaderReader>(undefined), reader);
const random = fc.oneof(
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, 2, 0),
);

describe('(c) retry-delay functions', () => {
  it(`retryDelay is finite, ≥ 0, ≤ 8 s from backoff and ≤ 60 s when a header is honoured (seed 0x5eed)`, () => {
    fc.assert(
      fc.property(attempt, optionalReader, random, (n, headers, r) => {
        const isHonoured = (ms: number | undefined): ms is number =>
          ms !== undefined && ms >= 0 && ms <= HONOURED_CAP;
        const before = parseRetryAfter(headers);
        const delay = retryDelay(n, headers, () => r);
        const requested = parseRetryAfter(headers);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(HONOURED_CAP);
        // An HTTP date is relative to now: skip the rare case whose ms tick crosses a cap in between.
        if (isHonoured(before) !== isHonoured(requested)) return;
        if (isHonoured(requested)) {
          // Within the ~ms that passes between the two calls for an HTTP date.
          expect(Math.abs(delay - requested)).toBeLessThanOrEqual(50);
        } else {
          expect(delay).toBeLessThanOrEqual(BACKOFF_CAP);
          // Jitter removes at most a quarter of the exponential step.
          const step = typeof n === 'number' && n > 0 ? Math.min(500 * 2 ** n, BACKOFF_CAP) : 500;
          expect(delay).toBeGreaterThanOrEqual(Number.isNaN(n) ? 0.75 * 500 : step * 0.75 - 1e-9);
        }
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });

  it(`retryDelay without headers never exceeds the backoff cap, with the real Math.random (seed 0x5eed)`, () => {
    fc.assert(
      fc.property(attempt, (n) => {
        const delay = retryDelay(n, undefined);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(BACKOFF_CAP);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it(`parseRetryAfter never throws and returns undefined or a number, never NaN (seed 0x5eed)`, () => {
    fc.assert(
      fc.property(optionalReader, fc.oneof(fc.integer(), fc.constant(Date.now())), (headers, now) => {
        const value = parseRetryAfter(headers, now);
        if (value !== undefined) {
          expect(typeof value).toBe('number');
          expect(Number.isNaN(value)).toBe(false);
        }
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it(`shouldRetry follows x-should-retry, else 408/409/429/5xx (seed 0x5eed)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 999 }), optionalReader, (code, headers) => {
        const override = headers?.get('x-should-retry');
        const want =
          override === 'true'
            ? true
            : override === 'false'
              ? false
              : [408, 409, 429].includes(code) || code >= 500;
        expect(shouldRetry(code, headers)).toBe(want);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });
});
