import { EXPIRES_AFTER_SECONDS } from './defaults.js';
import { invalid } from './messages.js';

/**
 * The GA `expires_after` for a lifetime of `seconds`, checked against the endpoint's bounds (the
 * spec's 10 to 7200) before any request: a `ConfigurationError` naming `name` otherwise. The one
 * check the token route's `expiresAfterSeconds` and the CLI's `--expires-after` share.
 */
export function expiresAfter(seconds: unknown, name: string): { anchor: 'created_at'; seconds: number } {
  const { min, max } = EXPIRES_AFTER_SECONDS;
  if (!Number.isSafeInteger(seconds) || (seconds as number) < min || (seconds as number) > max) {
    invalid(name, `a whole number of seconds from ${min} to ${max}`, seconds);
  }
  return { anchor: 'created_at', seconds: seconds as number };
}
