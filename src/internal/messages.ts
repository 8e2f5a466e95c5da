import { ConfigurationError, type RealtimeSessionsError } from '../core/errors.js';

/**
 * Throws `` `name` must be <expected>, but received <value>. `` as a {@link ConfigurationError}
 * (an option), or as the given class (`InvalidArgumentError` for a call's argument). The one
 * builder for every option and argument message, so they all read alike.
 */
export function invalid(
  name: string,
  expected: string,
  value: unknown,
  ErrorClass: new (message: string) => RealtimeSessionsError = ConfigurationError,
): never {
  throw new ErrorClass(`\`${name}\` must be ${expected}, but received ${describeValue(value)}.`);
}

/**
 * Describes a value for an error message: its kind, and the value itself when short and safe
 * (numbers and booleans; never strings, which may be secrets).
 */
export function describeValue(value: unknown): string {
  const type = typeof value;
  if (type === 'number' || type === 'boolean') return `${type} ${value as number | boolean}`;
  if (type === 'string') return 'a string';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (type !== 'object') return type;
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
}
