// 1. Per-call overhead: raw fetch vs the SDK vs openai, sequential and concurrent.
import type { PerCallConfig, PerCallLevel, PerCallResult } from '../children/percall.js';
import { CONTENDER_NAMES } from '../lib/contenders.js';
import { runJob } from '../lib/procs.js';
import { table, type Section, type Target } from '../lib/report.js';
import { fmt, fmtRatio, fmtSummary, ratios, summarize, usPerCall } from '../lib/stats.js';

export const PERCALL_FULL: PerCallLevel[] = [
  { concurrency: 1, rounds: 60, warmupCalls: 1_500, targetBatchMs: 100 },
  { concurrency: 16, rounds: 30, warmupCalls: 2_500, targetBatchMs: 250 },
  { concurrency: 64, rounds: 30, warmupCalls: 2_500, targetBatchMs: 250 },
];
export const PERCALL_QUICK: PerCallLevel[] = [
  { concurrency: 1, rounds: 3, warmupCalls: 250, targetBatchMs: 80 },
  { concurrency: 16, rounds: 3, warmupCalls: 400, targetBatchMs: 80 },
  { concurrency: 64, rounds: 3, warmupCalls: 400, targetBatchMs: 80 },
];

const OURS = ['createRealtimeSession', 'WithHttpInfo'] as const;

/** The layout every per-call comparison against raw fetch uses (here and in section 7a). */
export function vsRawFetchTable(column: string, rows: string[][]): string {
  return table(['concurrency', 'contender', 'µs/call', column, '× raw fetch (time)'], rows, [
    'r',
    'l',
    'r',
    'r',
    'r',
  ]);
}

export async function runPerCall(
  childPath: string,
  env: Record<string, string>,
  baseUrl: string,
  levels: PerCallLevel[],
): Promise<{ section: Section; raw: PerCallResult }> {
  const config: PerCallConfig = { baseUrl, levels };
  const raw = await runJob<PerCallResult>(childPath, env, config, 420_000);

  const rows: string[][] = [];
  const targets: Target[] = [];
  const facts: Record<string, number> = {};
  for (const level of raw.levels) {
    const base = level.elapsedMs['raw fetch'];
    for (const name of CONTENDER_NAMES) {
      const elapsed = level.elapsedMs[name];
      const us = summarize(usPerCall(elapsed, level.calls));
      const rps = summarize(elapsed.map((ms) => level.calls / (ms / 1000)));
      const ratio = summarize(ratios(elapsed, base));
      rows.push([
        String(level.concurrency),
        name === 'raw fetch (copy)' ? 'raw fetch (copy) — noise floor' : name,
        fmtSummary(us, 1),
        fmtSummary(rps),
        name === 'raw fetch' ? '1 (baseline)' : fmtRatio(ratio),
      ]);
    }
    const c = level.concurrency;
    facts[`percall.c${c}.rawUs`] = summarize(usPerCall(base, level.calls)).median;
    facts[`percall.c${c}.noise`] = summarize(ratios(level.elapsedMs['raw fetch (copy)'], base)).median;
    facts[`percall.c${c}.openai`] = summarize(ratios(level.elapsedMs.openai, base)).median;
    for (const name of OURS) {
      const ratio = summarize(ratios(level.elapsedMs[name], base));
      facts[`percall.c${c}.${name}`] = ratio.median;
      targets.push({
        name: `per-call, ${name}, concurrency ${level.concurrency}`,
        goal: '≤ 1.05× raw fetch',
        measured: fmtRatio(ratio),
        met: ratio.median <= 1.05,
      });
      const vsOpenai = summarize(ratios(level.elapsedMs[name], level.elapsedMs.openai));
      targets.push({
        name: `per-call, ${name} vs openai, concurrency ${level.concurrency}`,
        goal: '< 1× openai (faster)',
        measured: fmtRatio(vsOpenai),
        met: vsOpenai.median < 1,
      });
    }
  }

  const shape = raw.levels
    .map((l) => `concurrency ${l.concurrency}: ${l.rounds} rounds × ${fmt(l.calls)} calls per contender`)
    .join('; ');
  const body = [
    `${shape}. Contenders alternate within each round (the starting contender rotates every round),`,
    'a full GC runs before every batch, and each contender is warmed up first. "µs/call" is the',
    "batch's elapsed time divided by its calls (at concurrency 1 that is the sequential latency);",
    '"× raw fetch" is the per-round ratio of elapsed time against raw fetch in the same round',
    '(lower is better). All figures: median (min–max) over rounds.',
    '',
    vsRawFetchTable('calls/s', rows),
  ].join('\n');
  return { section: { title: '1. Per-call overhead', body, targets, facts }, raw };
}
