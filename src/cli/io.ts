// What the CLI reads and writes, passed to `main` so that tests need no real process.

/** Where the CLI writes and what it reads; `main` takes it so tests need no real process. */
export interface CliIo {
  /** Results (the session, help text). @default process.stdout */
  stdout: { write(text: string): unknown };
  /**
   * The one-line error, `realtime-sessions: <message>`, and, when `isTTY` is `true`, what a
   * request in flight is doing. @default process.stderr
   */
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /**
   * Where OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID, OPENAI_TIMEOUT_MS and
   * OPENAI_MAX_RETRIES are read. @default process.env
   */
  env: Record<string, string | undefined>;
  /** Clock for "seconds left", in milliseconds. @default Date.now */
  now?: () => number;
}

/** The flags of one command line, by long name: a string, `true` for a boolean flag, or absent. */
export type Values = Record<string, string | boolean | undefined>;

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
