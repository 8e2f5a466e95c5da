// How a failure reaches the person: one line on stderr and an exit code. With --json the line is
// `{"error":{"name","message","status","requestId"}}`, so a script can read it. Whatever a message
// quotes, the API key and anything shaped like a key or a minted secret are scrubbed from it.
import {
  ApiError,
  ConfigurationError,
  InvalidArgumentError,
  InvalidResponseError,
  RealtimeSessionsError,
} from '../core/errors.js';
import { redact } from '../internal/redact.js';
import type { CliIo } from './io.js';
import { NAME, UsageError } from './usage.js';

/** Exit codes: 0 success, 1 the API or the network failed, 2 bad usage or configuration. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** What the report needs to know about the command line, whether or not it parsed. */
export interface ReportContext {
  /** `--json` was given: the error goes out as JSON too. */
  json: boolean;
  /** The command named, for the `--help` hint; `undefined` when none (or no known one) was. */
  command: string | undefined;
}

/** The facts of an error, as the JSON line carries them. */
interface ErrorFacts {
  name: string;
  message: string;
  status: number | null;
  requestId: string | null;
}

/** Writes `error` to stderr, as one line of text or of JSON, and returns the exit code. */
export function report(error: unknown, io: Required<CliIo>, context: ReportContext): number {
  const usage = isUsage(error);
  const facts = factsOf(error);
  const key = io.env.OPENAI_API_KEY;
  let message = oneLine(facts.message);
  if (usage) {
    // Usage messages all end alike; the client's end with a full stop, which the hint replaces.
    const help = context.command === undefined ? `${NAME} --help` : `${NAME} ${context.command} --help`;
    message = `${message.replace(/\.$/, '')} (try \`${help}\`)`;
  }
  if (context.json) {
    const requestId = facts.requestId === null ? null : scrub(facts.requestId, key);
    const line = { error: { ...facts, message: scrub(message, key), requestId } };
    io.stderr.write(`${JSON.stringify(line)}\n`);
  } else {
    const id = facts.requestId === null || facts.requestId === '' ? '' : ` (request id ${facts.requestId})`;
    io.stderr.write(`${NAME}: ${scrub(`${message}${id}`, key)}\n`);
  }
  return usage ? EXIT.usage : EXIT.failure;
}

// `user:password@` in a URL: undici quotes a base URL that carries them when it refuses it.
const URL_CREDENTIALS = /\/\/[^\s/@]+@/g;

/**
 * `text` without the API key `key` (however short), anything shaped like a key or a minted
 * secret, and credentials in URLs.
 */
export function scrub(text: string, key: string | undefined): string {
  // redact() skips keys under 8 characters, which would mangle text elsewhere; a configured key
  // of 4 or more is still worth hiding in a line meant for a person.
  let scrubbed = redact(text, key === undefined ? [] : [key]).replace(URL_CREDENTIALS, '//[REDACTED]@');
  if (key !== undefined && key.length >= 4) scrubbed = scrubbed.split(key).join('[REDACTED]');
  return scrubbed;
}

/** Bad usage or configuration: nothing was sent, and running again as is would fail again. */
function isUsage(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof ConfigurationError ||
    error instanceof InvalidArgumentError
  );
}

function factsOf(error: unknown): ErrorFacts {
  if (error instanceof ApiError || error instanceof InvalidResponseError) {
    return { name: error.name, message: error.message, status: error.status, requestId: error.requestId };
  }
  if (error instanceof UsageError || error instanceof RealtimeSessionsError) {
    return { name: error.name, message: error.message, status: null, requestId: null };
  }
  // A bug, not a failure the SDK describes: say what it was, to report it.
  const name = error instanceof Error ? error.name : 'Error';
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { name, message: `unexpected error: ${text}`, status: null, requestId: null };
}

/** Messages may quote a multi-line upstream answer; the report is one line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
