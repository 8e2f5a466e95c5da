// What a command prints on success: the minted session as aligned rows, or with --json the whole
// answer, the secret masked unless --show-secret in both forms; for a command that mints nothing
// (hangup), one line saying what was done, or with --json the same as an object.
import { maskSecret } from '../internal/mask.js';
import { redact } from '../internal/redact.js';
import type { CliIo, Values } from './io.js';

/** A minted secret as every endpoint returns it, nested (`client_secret`) or top-level. */
interface MintedSecret {
  value?: unknown;
  expires_at?: unknown;
}

/** What a command minted, as printMinted shows it. */
export interface Minted {
  /** The whole answer, which --json prints. */
  response: unknown;
  /** Where the answer keeps the secret: its `client_secret`, or the answer itself. */
  secret: MintedSecret | null | undefined;
  /** Rows describing the session, shown above its expiry and its secret. */
  rows: [string, string][];
  /** `response` with the secret replaced by `shown`. */
  withSecret(shown: string): unknown;
}

/** Prints `minted` to stdout: rows, or with --json the answer; the secret masked unless --show-secret. */
export function printMinted(minted: Minted, values: Values, io: Required<CliIo>): void {
  // The transcription endpoint's own example answers `client_secret: null`: say so, do not crash.
  const value = typeof minted.secret?.value === 'string' ? minted.secret.value : undefined;
  const shown = value === undefined || values['show-secret'] === true ? value : maskSecret(value);
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(printable(minted, shown, values), null, 2)}\n`);
    return;
  }
  const expiresAt = minted.secret?.expires_at;
  const expiry =
    typeof expiresAt === 'number'
      ? `${isoTime(expiresAt)} (${Math.max(0, Math.round(expiresAt - io.now() / 1000))} s left)`
      : '(not reported)';
  const all: [string, string][] = [
    ...minted.rows,
    ['expires at', expiry],
    ['secret', shown ?? '(none returned)'],
  ];
  io.stdout.write(all.map(([label, text]) => `${label.padEnd(12)} ${text}\n`).join(''));
}

/** Prints what a command did that returns no answer: `line`, or with --json `result`. */
export function printDone(result: object, line: string, values: Values, io: Required<CliIo>): void {
  io.stdout.write(values.json === true ? `${JSON.stringify(result, null, 2)}\n` : `${line}\n`);
}

/** The answer as --json prints it. */
function printable(minted: Minted, shown: string | undefined, values: Values): unknown {
  if (shown !== undefined) return minted.withSecret(shown);
  if (values['show-secret'] === true) return minted.response;
  // Without a string secret there is nothing to mask in place, but an odd answer may still carry
  // one elsewhere: print it scrubbed.
  return JSON.parse(redact(JSON.stringify(minted.response))) as unknown;
}

function isoTime(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  return Number.isNaN(date.getTime()) ? String(unixSeconds) : date.toISOString();
}
