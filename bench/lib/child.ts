// Helpers for job processes: report one result over IPC, exit when the orchestrator goes away.

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

/** Forces full collections until the heap stops shrinking (finalizers may free more on later runs). */
export async function settleHeap(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
    const used = process.memoryUsage().heapUsed;
    if (i >= 3 && used >= last - 1024) break;
    last = used;
  }
}
