import { InvalidArgumentError } from './errors.js';
import { describe } from './options.js';

/**
 * Rejects anything but a plain object (`{}` literal or `Object.create(null)`) as a request body,
 * before any network call: JSON would silently turn a `Date`, `Map` or class instance into
 * something the caller did not mean to send.
 */
export function assertRequestObject(value: unknown, name: string): void {
  if (isPlainObject(value)) return;
  throw new InvalidArgumentError(
    `Expected ${name} to be a plain object such as { model: 'gpt-realtime' }, but received ${describe(value)}.`,
  );
}

/** Serializes a request body, reporting a circular structure or a BigInt as the caller's mistake. */
export function serializeJson(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (cause) {
    throw new InvalidArgumentError(
      `The request cannot be serialized as JSON: ${(cause as Error).message}`,
      cause,
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  // The second test accepts objects from another realm (iframe, vm), whose Object.prototype differs.
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}
