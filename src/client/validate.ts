import { InvalidArgumentError } from '../core/errors.js';
import { invalid } from '../internal/messages.js';

/**
 * Rejects anything but a plain object (`{}` literal or `Object.create(null)`) as a request body,
 * before any network call: JSON would silently turn a `Date`, `Map` or class instance into
 * something the caller did not mean to send.
 */
export function assertRequestObject(value: unknown): void {
  // The prototype is null or has none itself: Object.prototype, from this realm or another
  // (iframe, vm). Arrays, Dates, Maps and class instances have a longer chain.
  const proto =
    typeof value === 'object' && value !== null ? (Object.getPrototypeOf(value) as object | null) : 0;
  if (proto === 0 || (proto && Object.getPrototypeOf(proto))) {
    invalid('request', 'a plain object', value, InvalidArgumentError);
  }
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
