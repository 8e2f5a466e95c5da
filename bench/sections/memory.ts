// 4. Memory: heapUsed after warm-up + GC vs after N calls + GC, sampled every quarter, in a child
// with --expose-gc. Raw fetch runs the same way as a control: what the runtime itself retains.
import type { MemoryConfig, MemoryResult } from '../children/memory.js';
import type { ContenderName } from '../lib/contenders.js';
import { runJob } from '../lib/procs.js';
import { table, type Section } from '../lib/report.js';
import { fmt, slope } from '../lib/stats.js';

export interface MemoryPlan {
  calls: number;
  warmupCalls: number;
  samples: number;
  concurrency: number;
}

export const MEMORY_FULL: MemoryPlan = { calls: 100_000, warmupCalls: 5_000, samples: 4, concurrency: 64 };
export const MEMORY_QUICK: MemoryPlan = { calls: 2_000, warmupCalls: 400, samples: 4, concurrency: 64 };
/** The raw fetch control runs a shorter version of the same plan: it only shows the runtime's noise. */
const CONTROL_SHARE = 0.4;

const KB = 1024;
/** Above this slope (bytes retained per call, over the post-warm-up samples) we call it a trend. */
const TREND_BYTES_PER_CALL = 1;

export async function runMemory(
  childPath: string,
  env: Record<string, string>,
  baseUrl: string,
  plan: MemoryPlan,
  quick = false,
): Promise<Section> {
  const contenders: ContenderName[] = ['createRealtimeSession', 'raw fetch'];
  const results: MemoryResult[] = [];
  for (const contender of contenders) {
    const share = contender === 'raw fetch' ? CONTROL_SHARE : 1;
    const config: MemoryConfig = { baseUrl, contender, ...plan, calls: Math.round(plan.calls * share) };
    results.push(await runJob<MemoryResult>(childPath, env, config, 240_000));
  }
  const header = [
    'contender',
    'calls',
    'heapUsed after warm-up',
    ...results[0].samples
      .slice(1)
      .map(
        (sample, i) =>
          `growth after ${fmt(sample.calls)} (control: ${fmt(results[1].samples[i + 1]?.calls ?? 0)})`,
      ),
    'slope',
  ];
  const rows = results.map((r) => {
    const base = r.samples[0].heapUsed;
    const kb = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${fmt(bytes / KB, 1)} KB`;
    return [
      r.contender === 'raw fetch' ? 'raw fetch (control)' : r.contender,
      fmt(r.samples[r.samples.length - 1].calls),
      `${fmt(base / KB)} KB`,
      ...r.samples.slice(1).map((s) => kb(s.heapUsed - base)),
      `${slope(
        r.samples.map((s) => s.calls),
        r.samples.map((s) => s.heapUsed),
      ).toFixed(3)} B/call`,
    ];
  });
  const ours = results[0];
  const ys = ours.samples.map((s) => s.heapUsed);
  const oursSlope = slope(
    ours.samples.map((s) => s.calls),
    ys,
  );
  const growth = (ys[ys.length - 1] - ys[0]) / KB;
  const body = [
    `${fmt(plan.warmupCalls)} warm-up calls, then the calls at concurrency ${plan.concurrency} in ${plan.samples} equal parts, one`,
    'client reused, in a child process run with `--expose-gc`; heapUsed is read after forced full',
    'GCs (repeated until the heap stops shrinking) after the warm-up and after every part. Growth is',
    'against the post-warm-up heap. "slope" is the least-squares slope of heapUsed over calls across',
    'all samples: a leak of one small object per call would show as tens of B/call. Raw fetch is a',
    `shorter control run (${CONTROL_SHARE * 100} % of the calls): what the runtime itself retains or frees.`,
    '',
    table(header, rows, ['l', ...header.slice(1).map(() => 'r' as const)]),
    '',
    `rss after the run: ${results.map((r) => `${r.contender} ${fmt(r.samples[r.samples.length - 1].rss / KB / KB, 1)} MB`).join(', ')}.`,
  ].join('\n');
  return {
    title: '4. Memory',
    body,
    facts: {
      'memory.slope': oursSlope,
      'memory.growthKb': growth,
      'memory.calls': plan.calls,
      'memory.controlSlope': slope(
        results[1].samples.map((s) => s.calls),
        results[1].samples.map((s) => s.heapUsed),
      ),
    },
    targets: [
      {
        name: `heap growth over ${fmt(plan.calls)} calls (createRealtimeSession)`,
        goal: `no trend (slope < ${TREND_BYTES_PER_CALL} B/call)`,
        measured: `${growth >= 0 ? '+' : ''}${fmt(growth, 1)} KB, slope ${oursSlope.toFixed(3)} B/call`,
        // A quick run's few thousand calls are within the heap's own noise: no verdict.
        met: quick ? undefined : oursSlope < TREND_BYTES_PER_CALL,
      },
    ],
  };
}
