import { DEFAULTS } from '../internal/defaults.js';

/** The one method of `Headers` the retry rules read; `undefined` when no response arrived. */
export type HeaderReader = Pick<Headers, 'get'> | undefined;

/**
 * Whether a response with this status may be retried. The server's `x-should-retry: true|false`
 * wins; otherwise 408, 409, 429 and 5xx are retryable.
 *
 * @example
 * ```ts
 * shouldRetry(503, new Headers()); // true
 * shouldRetry(500, new Headers({ 'x-should-retry': 'false' })); // false
 * ```
 */
export function shouldRetry(status: number, headers: HeaderReader): boolean {
  const override = headers?.get('x-should-retry');
  return (
    override === 'true' ||
    (override !== 'false' && (status === 408 || status === 409 || status === 429 || status >= 500))
  );
}

/**
 * The wait the server asked for, in milliseconds: `retry-after-ms`, else `Retry-After` as seconds
 * or as an HTTP date (relative to `now`). `undefined` when absent or unparsable. The result may be
 * negative or huge; {@link retryDelay} decides whether to honour it.
 *
 * @example
 * ```ts
 * parseRetryAfter(new Headers({ 'retry-after': '2' })); // 2000
 * ```
 */
export function parseRetryAfter(headers: HeaderReader, now: number = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms') ?? '';
  if (NUMBER.test(ms)) return Number(ms);
  const value = headers?.get('retry-after') ?? '';
  if (NUMBER.test(value)) return Number(value) * 1000;
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) has a time of day; V8's lenient Date.parse
  // would otherwise turn strings like "--1" into a date.
  const date = /\d\d:\d\d:\d\d/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : date - now;
}

/**
 * Milliseconds to wait before retry number `attempt` (0 for the first retry). A server-requested
 * wait between 0 and 60 s is honoured as is; otherwise exponential backoff,
 * `min(0.5 s · 2^attempt, 8 s) × (1 − 0.25 · random())`.
 *
 * @example
 * ```ts
 * retryDelay(0, undefined, () => 0); // 500
 * retryDelay(10, undefined, () => 0); // 8000 (the cap)
 * retryDelay(0, new Headers({ 'retry-after-ms': '120' })); // 120
 * ```
 */
export function retryDelay(
  attempt: number,
  headers: HeaderReader,
  random: () => number = Math.random,
): number {
  // `undefined` fails both comparisons.
  const requested = parseRetryAfter(headers)!;
  if (requested >= 0 && requested <= DEFAULTS.maxRetryAfterMs) return requested;
  // `!(x < cap)` also sends NaN to the cap, so the result stays finite whatever the input.
  const exponential = DEFAULTS.initialRetryDelayMs * 2 ** Math.max(attempt, 0);
  const backoff = exponential < DEFAULTS.maxRetryDelayMs ? exponential : DEFAULTS.maxRetryDelayMs;
  // Clamped, so an injected `random` outside [0, 1) cannot push the delay out of [0, cap].
  const r = random();
  return backoff * (1 - (r > 0 ? Math.min(r, 1) * DEFAULTS.retryJitter : 0));
}

// A plain non-negative decimal: `Number('')` is 0, and `parseFloat('1abc')` is 1, so neither
// may judge a header on its own.
const NUMBER = /^\d+(\.\d+)?$/;
