// 1. Per-call overhead: raw fetch vs the SDK vs openai, sequential and concurrent; and, against an
// upstream that answers like the live API (beta path retired), the SDK's beta call once its client
// remembers the retirement vs raw fetch POSTing the same GA body, in the same rounds.
import type { PerCallConfig, PerCallLevel, PerCallResult } from '../children/percall.js';
import { CONTENDER_NAMES, GA_CONTENDER_NAMES } from '../lib/contenders.js';
import { CLIENT_SECRET_RESPONSE } from '../lib/fixtures.js';
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
const [GA_BASELINE, GA_OURS] = GA_CONTENDER_NAMES;
const GA_SECRET_NOTE = `${fmt(Buffer.byteLength(JSON.stringify(CLIENT_SECRET_RESPONSE)))} B`;

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
  /** An upstream in `live` mode: adds the GA rows (second table). */
  liveBaseUrl?: string,
): Promise<{ section: Section; raw: PerCallResult }> {
  const config: PerCallConfig = { baseUrl, levels, liveBaseUrl };
  const raw = await runJob<PerCallResult>(childPath, env, config, 600_000);

  const rows: string[][] = [];
  const gaRows: string[][] = [];
  const targets: Target[] = [];
  const gaTargets: Target[] = [];
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
    const gaBase = level.elapsedMs[GA_BASELINE];
    if (gaBase) {
      for (const name of GA_CONTENDER_NAMES) {
        const elapsed = level.elapsedMs[name];
        gaRows.push([
          String(c),
          name,
          fmtSummary(summarize(usPerCall(elapsed, level.calls)), 1),
          fmtSummary(summarize(elapsed.map((ms) => level.calls / (ms / 1000)))),
          name === GA_BASELINE ? '1 (baseline)' : fmtRatio(summarize(ratios(elapsed, gaBase))),
        ]);
      }
      const ratio = summarize(ratios(level.elapsedMs[GA_OURS], gaBase));
      facts[`percall.c${c}.rawGaUs`] = summarize(usPerCall(gaBase, level.calls)).median;
      facts[`percall.c${c}.gaRemembered`] = ratio.median;
      gaTargets.push({
        name: `per-call, createRealtimeSession via GA (fallback remembered), concurrency ${c}`,
        goal: '≤ 1.05× raw fetch (GA)',
        measured: fmtRatio(ratio),
        met: ratio.median <= 1.05,
      });
    }
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
    ...(gaRows.length === 0
      ? []
      : [
          '',
          '### After the beta retirement: createRealtimeSession through GA',
          '',
          'The same job, in the same rounds as the table above, against a second upstream process that',
          'answers like the live API: `POST /v1/realtime/sessions` → 404 `Invalid URL (POST',
          '/v1/realtime/sessions)`, `POST /v1/realtime/client_secrets` → a GA secret',
          `\`{ value, expires_at, session }\` (${GA_SECRET_NOTE}). The SDK row is a \`RealtimeApi\` with the default`,
          "`betaEndpoints: 'fallback'` whose first call (made before the warm-up, not timed) met the 404 and",
          'fell back: the client remembers the retirement, so every timed call goes straight to',
          '`POST /realtime/client_secrets`, translating the beta request to GA (`toGaRequest`) and the answer',
          'back to the beta shape (`fromGaResponse`). Before timing, the job checks on a recording client',
          'that the SDK sends exactly the GA body the floor sends, and that its second call skips the beta',
          'path. The floor is raw fetch POSTing that GA body to the same upstream and parsing the answer,',
          'with no translation back. "× raw fetch" here is against raw fetch (GA) in the same round; the',
          "noise floor is the table above's. Translation's CPU alone is in section 8.",
          '',
          vsRawFetchTable('calls/s', gaRows),
        ]),
  ].join('\n');
  return {
    section: { title: '1. Per-call overhead', body, targets: [...targets, ...gaTargets], facts },
    raw,
  };
}
