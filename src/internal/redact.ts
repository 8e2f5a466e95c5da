import { DEFAULTS } from './defaults.js';

const REDACTED = '[REDACTED]';

// Every minted key is a string under a key named `value`: `client_secret.value` in a session, the
// top-level `value` of a GA client secret (`{ "value": "ek_…", "expires_at": …, "session": … }`).
// No other `value` in these bodies is worth keeping in an error, so every one is scrubbed: a
// truncated body may have lost the `client_secret` around it. The closing quote is optional
// because a truncated body can end inside the value.
const SECRET_VALUE = /("value"\s*:\s*")(?:[^"\\]|\\.)*"?/g;
// Ephemeral keys (`ek_…`, even glued to text such as a URL-encoded quote) and OpenAI API keys
// (`sk-…`, `sk-proj-…`, from a word boundary so `task-list` stays readable).
const KNOWN_KEY = /(?:ek_|\bsk-)[A-Za-z0-9_-]+/g;
// A configured key shorter than this is not a real credential (tests use `'test'`), and
// scrubbing every occurrence of a short string would mangle the text around it.
const MIN_SECRET_LENGTH = 8;

/**
 * Removes secrets from text that may end up in an error message, excerpt or log: the minted
 * `client_secret.value` or top-level `value`, anything shaped like an OpenAI key, and the
 * credentials the request sent (`secrets`).
 *
 * @example
 * ```ts
 * redact('{"client_secret":{"value":"ek_123"}}'); // '{"client_secret":{"value":"[REDACTED]"}}'
 * redact('{"value":"k1","expires_at":1}'); // '{"value":"[REDACTED]","expires_at":1}'
 * ```
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  // A JSON escape (`sk\u002d…`) hides a key from the patterns below and comes back decoded once the
  // body is parsed into an error's `body` and `message`; re-serialising spells every key out.
  try {
    text = JSON.stringify(JSON.parse(text));
  } catch {
    // Not JSON, or nested too deep to re-serialise: scrub it as text.
  }
  for (const secret of secrets)
    if (secret.length >= MIN_SECRET_LENGTH) text = text.split(secret).join(REDACTED);
  return text.replace(SECRET_VALUE, `$1${REDACTED}"`).replace(KNOWN_KEY, REDACTED);
}

/**
 * A short, single-line excerpt of a body for an error message: HTML tags dropped, whitespace
 * collapsed, cut to `maxChars`. Callers pass text that is already redacted, and cutting after
 * redaction means a secret is never half-quoted.
 */
export function excerpt(text: string, maxChars: number = DEFAULTS.excerptChars): string {
  const line = (/^\s*</.test(text) ? text.replace(/<[^>]*>/g, ' ') : text).replace(/\s+/g, ' ').trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
}
