// Bad usage: what the person typed cannot run. Every such message reads
// `realtime-sessions: <problem> (try `realtime-sessions <command> --help`)`; report.ts adds the
// prefix and the hint, so the problems here say only what is wrong.
import { ConfigurationError } from '../core/errors.js';
import { closest } from '../internal/suggest.js';

/** The executable's name, as a person types it. */
export const NAME = 'realtime-sessions';

/** Bad usage (an unknown command or flag, a missing or malformed value): one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `<name> must be <expected>, but received "<text>"`: the shape of the client's own messages. */
export function mustBe(name: string, expected: string, text: unknown): UsageError {
  return new UsageError(`${name} must be ${expected}, but received ${JSON.stringify(text)}`);
}

/** `unknown <what> "<typed>"`, with the closest of `known` when it looks like a typo of it. */
export function unknown(what: string, typed: string, known: readonly string[]): UsageError {
  const guess = closest(typed, known);
  return new UsageError(
    `unknown ${what} "${typed}"${guess === undefined ? '' : `; did you mean "${guess}"?`}`,
  );
}

/**
 * The client's message about one of its options (`` `timeoutMs` must be … ``, as
 * src/internal/messages.ts builds them all) with the option renamed to what the person typed or
 * set (`--timeout`, `OPENAI_TIMEOUT_MS`); `error` itself when it is about another option.
 */
export function renamed(error: unknown, option: string, source: string): unknown {
  const prefix = `\`${option}\` `;
  if (!(error instanceof ConfigurationError) || !error.message.startsWith(prefix)) return error;
  return new ConfigurationError(`${source} ${error.message.slice(prefix.length)}`, error);
}
