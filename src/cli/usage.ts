// Bad usage: what the person typed cannot run. Every such message reads
// `realtime-sessions: <problem> (try `realtime-sessions <command> --help`)`; report.ts adds the
// prefix and the hint, so the problems here say only what is wrong.
import { ConfigurationError, InvalidArgumentError } from '../core/errors.js';
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
 * The client's message about one of its options or a call's arguments (`` `timeoutMs` must be … ``,
 * as src/internal/messages.ts builds them all) with the name changed to what the person typed or
 * set (`--timeout`, `OPENAI_TIMEOUT_MS`, `CALL_ID`), of the same class; `error` itself when it is
 * about another one.
 */
export function renamed(error: unknown, option: string, source: string): unknown {
  const prefix = `\`${option}\` `;
  const Same =
    error instanceof ConfigurationError
      ? ConfigurationError
      : error instanceof InvalidArgumentError
        ? InvalidArgumentError
        : undefined;
  if (Same === undefined || !(error as Error).message.startsWith(prefix)) return error;
  return new Same(`${source} ${(error as Error).message.slice(prefix.length)}`, error);
}
