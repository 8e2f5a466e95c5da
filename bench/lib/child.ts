// Helpers for child processes: jobs report one result over IPC; helper servers report that they
// are ready. Both exit when the orchestrator goes away.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}

export function runMain(main: () => Promise<object>): void {
  // Only as a forked job: importing a child module elsewhere (for its types) must do nothing.
  if (typeof process.send !== 'function') return;
  exitWithParent();
  main().then(
    (result) => {
      process.send?.({ type: 'result', ...result }, () => process.exit(0));
    },
    (error: unknown) => {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.send?.({ type: 'error', error: text }, () => process.exit(1));
    },
  );
}

export function readConfig<T>(): T {
  const raw = process.env.BENCH_CONFIG;
  if (!raw) throw new Error('BENCH_CONFIG is not set');
  return JSON.parse(raw) as T;
}

/**
 * Listens on a free port of 127.0.0.1 and reports `{ type: 'ready', ...ready(port) }`. Keep-alive
 * outlasts any pause in the bench, so no contender pays for reconnecting.
 */
export function serveUntilParentLeaves(server: Server, ready: (port: number) => object): void {
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.send?.({ type: 'ready', ...ready(port) });
  });
  const stop = (): void => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}

const exposedGc = (globalThis as { gc?: () => void }).gc;

/** A full collection when run with --expose-gc, else nothing (timing runs still work without it). */
export const gc = exposedGc ?? ((): void => undefined);

/**
 * Runs `rounds` rounds in which every contender runs one batch, the starting contender rotated each
 * round (round r: C_r, C_r+1, …) so drift and position effects hit all of them equally. A full GC
 * runs before every batch so no contender pays for another's garbage. Returns each contender's
 * batch times in round order.
 */
export async function alternateRounds<Name extends string>(
  names: readonly Name[],
  rounds: number,
  batch: (name: Name) => Promise<number>,
): Promise<Record<Name, number[]>> {
  const elapsedMs = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Name, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      gc();
      elapsedMs[name].push(await batch(name));
    }
  }
  return elapsedMs;
}

/** Forces full collections until the heap stops shrinking (finalizers may free more on later runs). */
export async function settleHeap(): Promise<void> {
  if (!exposedGc) throw new Error('run with --expose-gc');
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    exposedGc();
    await new Promise((r) => setTimeout(r, 20));
    const used = process.memoryUsage().heapUsed;
    if (i >= 3 && used >= last - 1024) break;
    last = used;
  }
}
