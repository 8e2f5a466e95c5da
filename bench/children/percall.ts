// Per-call overhead job. For each concurrency level: warm every contender up, then run rounds in
// which every contender does the same batch of calls, one after the other, with the starting
// contender rotated each round (round r: C_r, C_r+1, …) so drift and position effects hit all
// of them equally. A full GC runs before every batch so no contender pays for another's garbage.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { CONTENDER_NAMES, makeContenders, runBatch, verify, type ContenderName } from '../lib/contenders.js';
import { readConfig, runMain } from '../lib/child.js';
import { SESSION_RESPONSE } from '../lib/fixtures.js';
import { loadSdk } from '../lib/sdk.js';

export interface PerCallLevel {
  concurrency: number;
  rounds: number;
  warmupCalls: number;
  /**
   * Calls per batch. Without it the batch is sized after the warm-up so that one batch of raw
   * fetch takes about `targetBatchMs` (between 100 and 5,000 calls): the run then takes the same
   * time on a fast and on a slow (or busy) machine.
   */
  calls?: number;
  targetBatchMs?: number;
}

export interface PerCallConfig {
  baseUrl: string;
  levels: PerCallLevel[];
  /** Only these contenders (for profiling runs). */
  only?: ContenderName[];
  /**
   * Profiling run: instead of rounds, each contender (after its warm-up) runs one batch of `calls`
   * under the V8 CPU profiler (the same sampler as `node --cpu-prof`, started and stopped through
   * node:inspector so only the measured calls are in the profile), saved to
   * `<profileDir>/<contender>-c<concurrency>.cpuprofile`.
   */
  profileDir?: string;
}

export interface PerCallLevelResult {
  concurrency: number;
  calls: number;
  rounds: number;
  /** Elapsed ms of each round's batch, per contender, in round order. */
  elapsedMs: Record<string, number[]>;
}

export interface PerCallResult {
  levels: PerCallLevelResult[];
}

runMain(async (): Promise<PerCallResult> => {
  const config = readConfig<PerCallConfig>();
  const sdk = await loadSdk();
  const all = makeContenders(config.baseUrl, sdk);
  const names = (config.only ?? [...CONTENDER_NAMES]) as ContenderName[];
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

  for (const name of names) await verify(name, all[name], SESSION_RESPONSE.client_secret.value);

  const levels: PerCallLevelResult[] = [];
  if (config.profileDir) {
    for (const level of config.levels) {
      const elapsedMs: Record<string, number[]> = {};
      for (const name of names) {
        await runBatch(all[name], level.warmupCalls, level.concurrency);
        gc();
        const file = path.join(
          config.profileDir,
          `${name.replace(/\W+/g, '_')}-c${level.concurrency}.cpuprofile`,
        );
        const calls = level.calls ?? 5_000;
        elapsedMs[name] = [await profiled(file, () => runBatch(all[name], calls, level.concurrency))];
      }
      levels.push({ concurrency: level.concurrency, calls: level.calls ?? 5_000, rounds: 1, elapsedMs });
    }
    return { levels };
  }
  for (const level of config.levels) {
    const warmupMs: number[] = [];
    for (const name of names) warmupMs.push(await runBatch(all[name], level.warmupCalls, level.concurrency));
    // Size from the slowest contender's warm-up, so no batch overshoots the target.
    const usPerCall = (Math.max(...warmupMs) * 1000) / level.warmupCalls;
    const calls =
      level.calls ??
      Math.min(5_000, Math.max(100, Math.round(((level.targetBatchMs ?? 200) * 1000) / usPerCall)));
    const elapsedMs: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, [] as number[]]));
    for (let round = 0; round < level.rounds; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length];
        gc();
        elapsedMs[name].push(await runBatch(all[name], calls, level.concurrency));
      }
    }
    levels.push({ concurrency: level.concurrency, calls, rounds: level.rounds, elapsedMs });
    process.stderr.write(`  per-call: concurrency ${level.concurrency} done\n`);
  }
  return { levels };
});

async function profiled(file: string, run: () => Promise<number>): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const elapsed = await run();
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    return elapsed;
  } finally {
    session.disconnect();
  }
}
