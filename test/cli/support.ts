// What the CLI suites share: the scripted upstream, running `main(argv, io)` with captured output and
// a fixed clock, the one-error-line check, and running the real executable
// (`node --import tsx src/bin.ts`).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { main, type CliIo } from '../../src/cli/index.js';
import { useScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One `main(argv, io)` run: its exit code and everything it wrote. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A `run(argv, env?)` that calls `main` with captured output, `now` fixed at `nowMs` and by default
 * `OPENAI_API_KEY=apiKey`; with `tty`, stderr says it is a terminal (`isTTY: true`), as a person's is.
 */
export function cliRunner(options: {
  apiKey: string;
  nowMs: number;
  tty?: boolean;
}): (argv: string[], env?: Record<string, string | undefined>) => Promise<Run> {
  return async (argv, env = { OPENAI_API_KEY: options.apiKey }) => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text), isTTY: options.tty },
      env,
      now: () => options.nowMs,
    };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  };
}

/** The run failed with `code`, wrote nothing to stdout and one `realtime-sessions:` line to stderr without any of `secrets`. */
export function expectOneErrorLine(r: Run, code: number, secrets: string[]): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^realtime-sessions: [^\n]+\n$/);
  for (const secret of secrets) expect(r.stderr).not.toContain(secret);
}

/** The `{ error }` line `--json` prints on stderr. */
export interface JsonError {
  name: string;
  message: string;
  status: number | null;
  requestId: string | null;
}

/** The run failed with `code`, wrote nothing to stdout and one JSON line to stderr without any of `secrets`: its `error`. */
export function expectOneJsonError(r: Run, code: number, secrets: string[]): JsonError {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^\{[^\n]+\}\n$/);
  for (const secret of secrets) expect(r.stderr).not.toContain(secret);
  const { error, ...rest } = JSON.parse(r.stderr) as { error: JsonError };
  expect(rest).toEqual({});
  expect(Object.keys(error).sort()).toEqual(['message', 'name', 'requestId', 'status']);
  return error;
}

/** What a CLI suite calls: `run`, the scripted upstream's `/v1` URL and the one-error-line check. */
export interface CliSuite {
  run: ReturnType<typeof cliRunner>;
  /** `run` with stderr a terminal. */
  runOnTty: ReturnType<typeof cliRunner>;
  baseUrl(): string;
  /** `expectOneErrorLine` with the suite's secrets. */
  expectOneErrorLine(r: Run, code: number): void;
  /** `expectOneJsonError` with the suite's secrets. */
  expectOneJsonError(r: Run, code: number): JsonError;
}

/**
 * Starts a scripted upstream for the suite (handing it to `assign`, see useScriptedServer) and
 * returns a runner with `OPENAI_API_KEY=apiKey` and `now` fixed at `nowMs`; the error-line check
 * looks for none of `secrets`.
 */
export function useCliSuite(
  options: { apiKey: string; nowMs: number; secrets: string[] },
  assign: (upstream: ScriptedServer) => void,
): CliSuite {
  let upstream: ScriptedServer | undefined;
  useScriptedServer((s) => assign((upstream = s)));
  return {
    run: cliRunner(options),
    runOnTty: cliRunner({ ...options, tty: true }),
    baseUrl: () => `${upstream!.url}/v1`,
    expectOneErrorLine: (r, code) => expectOneErrorLine(r, code, options.secrets),
    expectOneJsonError: (r, code) => expectOneJsonError(r, code, options.secrets),
  };
}

/**
 * Runs the real executable with `args` from the repository root, with only PATH,
 * `OPENAI_API_KEY=apiKey` and `env` set. Rejects on a non-zero exit, with `code` and `stderr`.
 */
export function runBin(
  args: string[],
  apiKey: string,
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/bin.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, OPENAI_API_KEY: apiKey, ...env },
    timeout: 20_000,
  });
}
