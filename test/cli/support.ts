// What the CLI suites share: running `main(argv, io)` with captured output and a fixed clock, the
// one-error-line check, and running the real executable (`node --import tsx src/bin.ts`).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { main, type CliIo } from '../../src/cli.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts a scripted upstream before the suite (handing it to `assign`), resets it after each test, closes it after the suite. */
export function useScriptedUpstream(assign: (upstream: ScriptedServer) => void): void {
  let upstream: ScriptedServer | undefined;
  beforeAll(async () => {
    upstream = await startScriptedServer();
    assign(upstream);
  });
  afterEach(() => upstream?.reset());
  afterAll(() => upstream?.close());
}

/** One `main(argv, io)` run: its exit code and everything it wrote. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A `run(argv, env?)` that calls `main` with captured output, `now` fixed at `nowMs` and by default `OPENAI_API_KEY=apiKey`. */
export function cliRunner(options: {
  apiKey: string;
  nowMs: number;
}): (argv: string[], env?: Record<string, string | undefined>) => Promise<Run> {
  return async (argv, env = { OPENAI_API_KEY: options.apiKey }) => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
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

/** Runs the real executable with `args` from the repository root, with only PATH and `OPENAI_API_KEY=apiKey` set. */
export function runBin(args: string[], apiKey: string): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/bin.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, OPENAI_API_KEY: apiKey },
    timeout: 20_000,
  });
}
