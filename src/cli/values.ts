// Flag values turned into what the client takes. Only the form is checked here (a value is there,
// a number is a number); ranges are the client's to check, so each rule lives in one place.
import { EXPIRES_AFTER_SECONDS } from '../internal/defaults.js';
import { expiresAfter } from '../internal/expires-after.js';
import { mustBe, renamed, UsageError } from './usage.js';

/** A text flag: its value, or a usage error when it is blank. */
export function nonEmpty(flag: string, value: string | boolean): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(`${flag} needs a non-empty value`);
  return value;
}

// A plain decimal, optionally signed: what a person types for a number. `Number()` alone would
// also take '', '0x10' and '1e3'.
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A numeric flag or variable, `name` as the person wrote it: its number, else a usage error. */
export function numeric(name: string, text: string, expected: string): number {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) throw mustBe(name, expected, text);
  return Number(trimmed);
}

/**
 * `--expires-after`: digits, else a usage error; then the bounds check the token route shares
 * (src/internal/expires-after.ts), a ConfigurationError.
 */
export function expiresAfterFlag(value: string | boolean): ReturnType<typeof expiresAfter> {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!/^\d+$/.test(text)) {
    const { min, max } = EXPIRES_AFTER_SECONDS;
    throw mustBe('--expires-after', `a whole number of seconds from ${min} to ${max}`, value);
  }
  try {
    return expiresAfter(Number(text), '--expires-after');
  } catch (error) {
    // The shared check quotes its name in backticks, as the SDK's messages quote options.
    throw renamed(error, '--expires-after', '--expires-after');
  }
}
