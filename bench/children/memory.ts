// Heap growth job (run with --expose-gc): warm up, settle the heap, then sample heapUsed after
// every quarter of the calls. Steady state means the samples do not trend upwards.
import { makeContenders, runBatch, verify, type ContenderName } from '../lib/contenders.js';
import { readConfig, runMain, settleHeap } from '../lib/child.js';
import { loadSdk } from '../lib/sdk.js';

export interface MemoryConfig {
  baseUrl: string;
  contender: ContenderName;
  warmupCalls: number;
  calls: number;
  samples: number;
  concurrency: number;
}

export interface MemorySample {
  calls: number;
  heapUsed: number;
  external: number;
  rss: number;
}

export interface MemoryResult {
  contender: string;
  samples: MemorySample[];
  elapsedMs: number;
}

function sample(calls: number): MemorySample {
  const m = process.memoryUsage();
  return { calls, heapUsed: m.heapUsed, external: m.external, rss: m.rss };
}

runMain(async (): Promise<MemoryResult> => {
  const config = readConfig<MemoryConfig>();
  const sdk = await loadSdk();
  const call = makeContenders(config.baseUrl, sdk)[config.contender];
  await verify(config.contender, call);
  await runBatch(call, config.warmupCalls, config.concurrency);
  await settleHeap();
  const samples = [sample(0)];
  const step = Math.ceil(config.calls / config.samples);
  const t0 = performance.now();
  for (let done = 0; done < config.calls;) {
    const n = Math.min(step, config.calls - done);
    await runBatch(call, n, config.concurrency);
    done += n;
    await settleHeap();
    samples.push(sample(done));
  }
  return { contender: config.contender, samples, elapsedMs: performance.now() - t0 };
});
