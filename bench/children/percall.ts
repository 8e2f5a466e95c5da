// Per-call overhead job. For each concurrency level: warm every contender up, then run alternating
// rounds (see alternateRounds) in which every contender does the same batch of calls.
import {
  CONTENDER_NAMES,
  GA_CONTENDER_NAMES,
  makeContenders,
  primeGa,
  runBatch,
  verify,
  type ContenderName,
} from '../lib/contenders.js';
import { alternateRounds, gc, readConfig, runMain } from '../lib/child.js';
import { profileFile, startProfiler } from '../lib/profile.js';
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
  /**
   * An upstream in `live` mode (beta path retired). With it the GA contenders run too, in the same
   * rounds as the others (by default; `only` still picks).
   */
  liveBaseUrl?: string;
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
  const all = makeContenders(config.baseUrl, sdk, config.liveBaseUrl);
  const names: ContenderName[] = config.only ?? [
    ...CONTENDER_NAMES,
    ...(config.liveBaseUrl ? GA_CONTENDER_NAMES : []),
  ];

  // The remembered client makes its one fallback call here, before any warm-up or timing.
  if (names.some((n) => (GA_CONTENDER_NAMES as readonly string[]).includes(n))) {
    if (!config.liveBaseUrl) throw new Error('GA contenders need liveBaseUrl');
    await primeGa(sdk, config.liveBaseUrl, all);
  }
  for (const name of names) await verify(name, all[name]);

  const levels: PerCallLevelResult[] = [];
  if (config.profileDir) {
    for (const level of config.levels) {
      const elapsedMs: Record<string, number[]> = {};
      const calls = level.calls ?? 5_000;
      for (const name of names) {
        await runBatch(all[name], level.warmupCalls, level.concurrency);
        const file = profileFile(config.profileDir, name, level.concurrency);
        gc();
        const stopProfiler = await startProfiler(100);
        elapsedMs[name] = [await runBatch(all[name], calls, level.concurrency)];
        await stopProfiler(file);
      }
      levels.push({ concurrency: level.concurrency, calls, rounds: 1, elapsedMs });
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
    const elapsedMs = await alternateRounds(names, level.rounds, (name) =>
      runBatch(all[name], calls, level.concurrency),
    );
    levels.push({ concurrency: level.concurrency, calls, rounds: level.rounds, elapsedMs });
    process.stderr.write(`  per-call: concurrency ${level.concurrency} done\n`);
  }
  return { levels };
});
