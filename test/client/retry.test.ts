// The retry rules as pure functions: no server, no timers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay, shouldRetry } from '../../src/client/retry.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const h = (init: Record<string, string> = {}) => new Headers(init);
const noJitter = () => 0;
const fullJitter = () => 0.999_999;

describe('shouldRetry', () => {
  it.each([408, 409, 429, 500, 502, 503, 504, 599])('%i is retryable', (status) => {
    expect(shouldRetry(status, h())).toBe(true);
  });

  it.each([400, 401, 403, 404, 410, 422, 200])('%i is not', (status) => {
    expect(shouldRetry(status, h())).toBe(false);
  });

  it('x-should-retry overrides the status rule both ways', () => {
    expect(shouldRetry(500, h({ 'x-should-retry': 'false' }))).toBe(false);
    expect(shouldRetry(400, h({ 'x-should-retry': 'true' }))).toBe(true);
  });

  it('any other x-should-retry value is ignored', () => {
    expect(shouldRetry(500, h({ 'x-should-retry': 'maybe' }))).toBe(true);
    expect(shouldRetry(400, h({ 'x-should-retry': '1' }))).toBe(false);
  });

  it('works without headers', () => {
    expect(shouldRetry(503, undefined)).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  it('reads Retry-After in seconds', () => {
    expect(parseRetryAfter(h({ 'retry-after': '2' }), NOW)).toBe(2_000);
    expect(parseRetryAfter(h({ 'retry-after': '0.5' }), NOW)).toBe(500);
    expect(parseRetryAfter(h({ 'retry-after': ' 3 ' }), NOW)).toBe(3_000);
  });

  it('reads Retry-After as an HTTP date, relative to now', () => {
    const in5s = new Date(NOW + 5_000).toUTCString();
    expect(parseRetryAfter(h({ 'retry-after': in5s }), NOW)).toBe(5_000);
  });

  it('a past HTTP date is negative', () => {
    const ago = new Date(NOW - 10_000).toUTCString();
    expect(parseRetryAfter(h({ 'retry-after': ago }), NOW)).toBe(-10_000);
  });

  it('retry-after-ms takes precedence over Retry-After', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '150', 'retry-after': '30' }), NOW)).toBe(150);
  });

  it('falls back to Retry-After when retry-after-ms is garbage', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': 'soon', 'retry-after': '2' }), NOW)).toBe(2_000);
  });

  it.each(['', 'soon', '1abc', 'NaN', 'Infinity', '0x10', '--1'])('garbage %j is undefined', (value) => {
    expect(parseRetryAfter(h({ 'retry-after': value }), NOW)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after-ms': value }), NOW)).toBeUndefined();
  });

  it('absent headers are undefined', () => {
    expect(parseRetryAfter(h(), NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('honours retry-after-ms and Retry-After between 0 and 60 s, without jitter', () => {
    expect(retryDelay(0, h({ 'retry-after-ms': '250' }), fullJitter)).toBe(250);
    expect(retryDelay(3, h({ 'retry-after': '7' }), fullJitter)).toBe(7_000);
    expect(retryDelay(0, h({ 'retry-after-ms': '0' }), fullJitter)).toBe(0);
    expect(retryDelay(0, h({ 'retry-after': '60' }), fullJitter)).toBe(60_000);
  });

  it('ignores a wait over 60 s and backs off instead', () => {
    expect(retryDelay(0, h({ 'retry-after': '61' }), noJitter)).toBe(500);
    expect(retryDelay(1, h({ 'retry-after-ms': '3600000' }), noJitter)).toBe(1_000);
  });

  it('ignores a negative wait (a date in the past) and backs off instead', () => {
    expect(retryDelay(0, h({ 'retry-after-ms': '-5' }), noJitter)).toBe(500);
    expect(retryDelay(0, h({ 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' }), noJitter)).toBe(500);
  });

  it('ignores garbage and backs off instead', () => {
    expect(retryDelay(2, h({ 'retry-after': 'later' }), noJitter)).toBe(2_000);
  });

  it('doubles from 0.5 s and caps at 8 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 30].map((n) => retryDelay(n, undefined, noJitter))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000,
    ]);
  });

  it('jitter removes at most 25 %', () => {
    expect(retryDelay(0, undefined, () => 0.5)).toBe(437.5);
    expect(retryDelay(0, undefined, fullJitter)).toBeCloseTo(375, 3);
    expect(retryDelay(4, undefined, fullJitter)).toBeCloseTo(6_000, 2);
  });

  it('uses Math.random by default, within the jitter band', () => {
    for (let i = 0; i < 100; i++) {
      const delay = retryDelay(1, undefined);
      expect(delay).toBeGreaterThan(750);
      expect(delay).toBeLessThanOrEqual(1_000);
    }
  });

  it('property: always finite, ≥ 0 and ≤ the cap, whatever the attempt, headers and random', () => {
    const headerValue = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: -100_000, max: 200_000 }).map(String),
      fc.double({ noNaN: false }).map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
      fc.string(),
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.nat(100), fc.integer(), fc.double()),
        headerValue,
        headerValue,
        fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true }), fc.double()),
        (attempt, ms, seconds, random) => {
          const headers = new Headers();
          if (ms !== undefined) headers.set('retry-after-ms', ms);
          if (seconds !== undefined) headers.set('retry-after', seconds);
          const delay = retryDelay(attempt, headers, () => random);
          return Number.isFinite(delay) && delay >= 0 && delay <= 60_000;
        },
      ),
      { seed: 42, numRuns: 2_000 },
    );
  });

  it('property: without server headers the delay stays within the backoff band', () => {
    fc.assert(
      fc.property(fc.nat(64), fc.double({ min: 0, max: 1, maxExcluded: true }), (attempt, random) => {
        const cap = Math.min(500 * 2 ** attempt, 8_000);
        const delay = retryDelay(attempt, undefined, () => random);
        return delay <= cap && delay >= cap * 0.75;
      }),
      { seed: 42 },
    );
  });
});
