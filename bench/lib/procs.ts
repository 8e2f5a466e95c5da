// Child-process bookkeeping: every process the bench starts is registered here and killed (by its
// own pid, never by name) when the bench ends, fails or is interrupted.
import { fork, spawn, type ChildProcess, type ForkOptions, type SpawnOptions } from 'node:child_process';

const live = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Kills every child still running: SIGTERM, then SIGKILL for those that ignore it. */
export async function killAll(): Promise<void> {
  const children = [...live];
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline && [...live].some((c) => c.exitCode === null && c.signalCode === null)) {
    await new Promise((r) => setTimeout(r, 25));
  }
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

export function liveCount(): number {
  return live.size;
}

/** A long-lived helper process (upstream, servers) that reports `{ type: 'ready', ... }` over IPC. */
export interface Helper<T> {
  child: ChildProcess;
  info: T;
  stop(): Promise<void>;
}

export async function startHelper<T>(
  modulePath: string,
  args: string[],
  options: ForkOptions = {},
  timeoutMs = 15_000,
): Promise<Helper<T>> {
  // execArgv [] unless given: fork() would otherwise pass on this process's flags (tsx's loader).
  const child = track(
    fork(modulePath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [], ...options }),
  );
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${modulePath} did not start in ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('message', (msg: { type?: string } & T) => {
      clearTimeout(timer);
      if (msg.type === 'ready') resolve(msg);
      else reject(new Error(`${modulePath}: unexpected first message ${JSON.stringify(msg)}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${modulePath} exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  return {
    child,
    info,
    stop: () => stopChild(child),
  };
}

/** Sends a message to a helper and resolves with its reply of the given type. */
export function ask<R = unknown>(
  helper: Helper<unknown>,
  message: object,
  reply: string,
  timeoutMs = 30_000,
): Promise<R> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { type?: string }): void => {
      if (msg.type !== reply) return;
      clearTimeout(timer);
      helper.child.off('message', onMessage);
      resolve(msg as R);
    };
    const timer = setTimeout(() => {
      helper.child.off('message', onMessage);
      reject(new Error(`no ${reply} from ${helper.child.spawnargs.slice(-2).join(' ')}`));
    }, timeoutMs);
    helper.child.on('message', onMessage);
    helper.child.send(message);
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Runs a forked job (with --expose-gc, `config` in BENCH_CONFIG) that sends exactly one
 * `{ type: 'result', ... }` message (or `{ type: 'error' }`) and exits. Rejects on timeout, after
 * killing the job.
 */
export async function runJob<T>(
  modulePath: string,
  env: Record<string, string>,
  config: object,
  timeoutMs: number,
): Promise<T> {
  const child = track(
    fork(modulePath, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env, BENCH_CONFIG: JSON.stringify(config) },
      execArgv: ['--expose-gc'],
    }),
  );
  try {
    return await new Promise<T>((resolve, reject) => {
      let result: T | undefined;
      let failure: Error | undefined;
      const timer = setTimeout(() => {
        failure = new Error(`${modulePath} timed out after ${timeoutMs} ms`);
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('message', (msg: { type: string; error?: string } & T) => {
        if (msg.type === 'result') result = msg;
        else if (msg.type === 'error') failure = new Error(`${modulePath}: ${msg.error}`);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (failure) reject(failure);
        else if (result !== undefined && code === 0) resolve(result);
        else reject(new Error(`${modulePath} exited with code ${code}, signal ${signal}, without a result`));
      });
    });
  } finally {
    await stopChild(child);
  }
}

export interface Exec {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Spawns a command, collects its output, and measures its wall time from spawn to exit. */
export function exec(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs: number },
): Promise<Exec> {
  const { timeoutMs, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = track(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions }));
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let wallMs = Number.NaN;
    child.once('exit', () => (wallMs = Number(process.hrtime.bigint() - start) / 1e6));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs });
    });
  });
}
