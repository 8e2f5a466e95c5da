// 7. What costs what:
//  a. ablation over the network: raw fetch with one SDK ingredient added at a time, alternating
//     with the SDK in the same rounds;
//  b. CPU-only cost of each client layer against a stub fetch (no network noise at all);
//  c. V8 CPU profiles of the measured calls, aggregated into CPU µs per call by origin (SDK,
//     openapi-fetch, undici, node core, GC …) and into the functions whose self time differs most
//     from raw fetch.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CpuConfig, CpuResult } from '../children/cpu.js';
import { CPU_BASELINE } from '../lib/fixtures.js';
import type { PerCallConfig, PerCallLevel, PerCallResult } from '../children/percall.js';
import { ABLATION_NAMES, type ContenderName } from '../lib/contenders.js';
import { runJob } from '../lib/procs.js';
import { table, type Section } from '../lib/report.js';
import { analyze, CATEGORIES, extraSelfTime, profileFile, top, type CpuProfile } from '../lib/profile.js';
import { extraUsPerCall, fmt, fmtRatio, fmtSummary, ratios, summarize, usPerCall } from '../lib/stats.js';
import { vsRawFetchTable } from './percall.js';

export interface CostsPlan {
  ablation: PerCallLevel[];
  cpu: CpuConfig;
  profile: PerCallLevel[];
}

export const COSTS_FULL: CostsPlan = {
  ablation: [
    { concurrency: 1, rounds: 32, warmupCalls: 1_500, targetBatchMs: 100 },
    { concurrency: 64, rounds: 16, warmupCalls: 2_500, targetBatchMs: 250 },
  ],
  cpu: { rounds: 15, calls: 1_000, warmupCalls: 3_000 },
  profile: [{ concurrency: 1, calls: 5_000, rounds: 1, warmupCalls: 2_000 }],
};
export const COSTS_QUICK: CostsPlan = {
  ablation: [{ concurrency: 1, rounds: 3, warmupCalls: 250, targetBatchMs: 80 }],
  cpu: { rounds: 3, calls: 300, warmupCalls: 300 },
  profile: [{ concurrency: 1, calls: 600, rounds: 1, warmupCalls: 300 }],
};

const CONTENDERS: ContenderName[] = ['raw fetch', 'createRealtimeSession', 'openai'];

/** A run of the per-call job against the local upstream (7a and 7c differ only in what they ask). */
type PerCallJob = (config: Omit<PerCallConfig, 'baseUrl'>) => Promise<PerCallResult>;

export async function runCosts(
  children: { percall: string; cpu: string },
  env: Record<string, string>,
  baseUrl: string,
  plan: CostsPlan,
): Promise<Section> {
  const facts: Record<string, number> = {};
  const perCall: PerCallJob = (config) =>
    runJob<PerCallResult>(children.percall, env, { baseUrl, ...config }, 300_000);
  const parts = [
    await runAblation(perCall, plan.ablation, facts),
    await runCpu(children.cpu, env, plan.cpu, facts),
    await runProfile(perCall, plan.profile, facts),
  ];
  return { title: '7. What costs what', body: parts.join('\n\n'), targets: [], facts };
}

async function runAblation(
  perCall: PerCallJob,
  levels: PerCallLevel[],
  facts: Record<string, number>,
): Promise<string> {
  const names: ContenderName[] = ['raw fetch', ...ABLATION_NAMES, 'createRealtimeSession'];
  const result = await perCall({ levels, only: names });
  const rows: string[][] = [];
  for (const level of result.levels) {
    const base = level.elapsedMs['raw fetch'];
    for (const name of names) {
      const elapsed = level.elapsedMs[name];
      const delta = summarize(extraUsPerCall(elapsed, base, level.calls));
      const ratio = summarize(ratios(elapsed, base));
      facts[`ablation.c${level.concurrency}.${name}.deltaUs`] = delta.median;
      facts[`ablation.c${level.concurrency}.${name}.ratio`] = ratio.median;
      rows.push([
        String(level.concurrency),
        name,
        fmtSummary(summarize(usPerCall(elapsed, level.calls)), 1),
        name === 'raw fetch' ? '—' : fmtSummary(delta, 1),
        name === 'raw fetch' ? '1 (baseline)' : fmtRatio(ratio),
      ]);
    }
  }
  return [
    '### 7a. Ablation over the network',
    '',
    'Raw fetch with one ingredient of the SDK added at a time, alternating with the SDK in the same',
    "rounds (same method as section 1). The SDK's default per-attempt timeout is an AbortController",
    "whose signal goes to fetch, plus a timer; `redirect: 'error'` is shown because it lets undici skip",
    'cloning the request (and teeing its body stream) before sending.',
    '',
    vsRawFetchTable('Δ µs/call vs raw fetch', rows),
  ].join('\n');
}

async function runCpu(
  childPath: string,
  env: Record<string, string>,
  config: CpuConfig,
  facts: Record<string, number>,
): Promise<string> {
  const result = await runJob<CpuResult>(childPath, env, config, 180_000);
  const base = result.elapsedMs[CPU_BASELINE];
  const rows = Object.entries(result.elapsedMs).map(([name, elapsed]) => {
    const us = summarize(usPerCall(elapsed, result.calls));
    const delta = summarize(extraUsPerCall(elapsed, base, result.calls));
    facts[`cpu.${name}.us`] = us.median;
    facts[`cpu.${name}.deltaUs`] = delta.median;
    return [name, fmtSummary(us, 1), name === CPU_BASELINE ? '—' : fmtSummary(delta, 1)];
  });
  return [
    '### 7b. CPU cost of each layer, no network',
    '',
    `Every contender calls a stub \`fetch\` that returns a fresh \`Response\` with the fixture session`,
    `(Content-Length set). ${config.rounds} alternating rounds × ${fmt(result.calls)} sequential calls. "Δ" is the`,
    'per-round difference against the stub baseline: the CPU each layer adds per call. The openapi-fetch',
    'row is a reference, not part of the SDK (which uses openapi-fetch only for its types):',
    "`client.POST` of a `createClient<paths>()` with openapi-fetch's defaults (merged",
    '`Headers`, a DOM `Request`, `response.json()`), i.e. what the typed layer would cost if it ran at',
    'runtime.',
    '',
    table(['contender (stub fetch)', 'µs/call', 'Δ µs/call vs baseline'], rows, ['l', 'r', 'r']),
  ].join('\n');
}

async function runProfile(
  perCall: PerCallJob,
  levels: PerCallLevel[],
  facts: Record<string, number>,
): Promise<string> {
  // BENCH_PROFILE_DIR keeps the .cpuprofile files (open them in Chrome DevTools → Performance).
  const keep = process.env.BENCH_PROFILE_DIR;
  const dir = keep ? path.resolve(keep) : mkdtempSync(path.join(os.tmpdir(), 'realtime-sessions-prof-'));
  mkdirSync(dir, { recursive: true });
  try {
    const result = await perCall({ levels, only: CONTENDERS, profileDir: dir });
    const parts: string[] = [
      '### 7c. CPU profiles',
      '',
      'One warm batch per contender under the V8 CPU profiler (100 µs sampling, the sampler behind',
      '`node --cpu-prof`, started and stopped via `node:inspector` around the measured calls only).',
      'CPU µs per call of the client process, by where the code lives ("idle" = waiting on the',
      'upstream). Sampling attribution is approximate (±1 µs); the categories add up to the total.',
      "JSON.parse is charged to its caller: to `parseJson` in the SDK, to the harness's own function for",
      'raw fetch, so `parseJson` below is mostly the same parse raw fetch does.',
    ];
    for (const level of result.levels) {
      const analyses = CONTENDERS.map((name) => {
        const file = profileFile(dir, name, level.concurrency);
        return analyze(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, level.calls);
      });
      const rows = [...CATEGORIES, 'idle' as const]
        .filter((c) => analyses.some((a) => (a.byCategory.get(c) ?? 0) >= 0.05))
        .map((c) => [c, ...analyses.map((a) => fmt(a.byCategory.get(c) ?? 0, 1))]);
      rows.push(['**CPU total (non-idle)**', ...analyses.map((a) => `**${fmt(a.cpuPerCall, 1)}**`)]);
      rows.push([
        'wall µs/call in this batch',
        ...CONTENDERS.map((name) => fmt((level.elapsedMs[name][0] * 1000) / level.calls, 1)),
      ]);
      parts.push(
        '',
        `Concurrency ${level.concurrency}, ${fmt(level.calls)} calls per contender:`,
        '',
        table(['CPU µs per call', ...CONTENDERS], rows, ['l', ...CONTENDERS.map(() => 'r' as const)]),
      );

      const [raw, ours] = analyses;
      const gc = (a: (typeof analyses)[number]): number => a.byCategory.get('garbage collector') ?? 0;
      facts[`profile.c${level.concurrency}.gcExtraUs`] = gc(ours) - gc(raw);
      facts[`profile.c${level.concurrency}.cpuExtraUs`] = ours.cpuPerCall - raw.cpuPerCall;
      facts[`profile.c${level.concurrency}.sdkCpuUs`] = ours.cpuPerCall;
      facts[`profile.c${level.concurrency}.rawCpuUs`] = raw.cpuPerCall;
      facts[`profile.c${level.concurrency}.openapiFetchUs`] = ours.byCategory.get('openapi-fetch') ?? 0;
      parts.push(
        '',
        `Functions with the most extra self time in createRealtimeSession vs raw fetch (µs/call, c=${level.concurrency}):`,
        '',
        table(
          ['function', 'extra self µs/call'],
          top(extraSelfTime(ours, raw), 12).map(([k, us]) => [`\`${k}\``, fmt(us, 2)]),
          ['l', 'r'],
        ),
        '',
        `SDK functions by inclusive CPU time (µs/call, c=${level.concurrency}; includes the undici work they trigger synchronously):`,
        '',
        table(
          ['function', 'inclusive µs/call'],
          top(ours.inclusiveSdk, 10).map(([k, us]) => [`\`${k}\``, fmt(us, 2)]),
          ['l', 'r'],
        ),
      );
    }
    return parts.join('\n');
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
