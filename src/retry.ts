import { DEFAULTS } from './defaults.js';

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
  if (override === 'true') return true;
  if (override === 'false') return false;
  if (status === 408 || status === 409 || status === 429) return true;
  return status >= 500;
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
  const ms = parseNumber(headers?.get('retry-after-ms'));
  if (ms !== undefined) return ms;
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = parseNumber(value);
  if (seconds !== undefined) return seconds * 1000;
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) has a time of day; V8's lenient
  // Date.parse would otherwise turn strings like "--1" into a date.
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
  const requested = parseRetryAfter(headers);
  if (requested !== undefined && requested >= 0 && requested <= DEFAULTS.maxRetryAfterMs) return requested;
  // `!(x < cap)` also sends NaN to the cap, so the result stays finite whatever the input.
  const exponential = DEFAULTS.initialRetryDelayMs * 2 ** Math.max(attempt, 0);
  const backoff = exponential < DEFAULTS.maxRetryDelayMs ? exponential : DEFAULTS.maxRetryDelayMs;
  // Clamped, so an injected `random` outside [0, 1) cannot push the delay out of [0, cap].
  const r = random();
  const jitter = r > 0 ? Math.min(r, 1) * DEFAULTS.retryJitter : 0;
  return backoff * (1 - jitter);
}

/**
 * Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts, leaving no
 * timer or listener behind either way.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function parseNumber(value: string | null | undefined): number | undefined {
  // `Number('')` is 0, and `parseFloat('1abc')` is 1: both would accept garbage.
  if (!value || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
