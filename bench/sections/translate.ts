// 8. CPU cost of the beta → GA translation per call (children/translate.ts), no network.
import type { TranslateConfig, TranslateResult } from '../children/translate.js';
import { TRANSLATE_ROWS } from '../lib/fixtures.js';
import { runJob } from '../lib/procs.js';
import { table, type Section } from '../lib/report.js';
import { fmt, fmtRatio, fmtSummary, ratios, summarize, usPerCall } from '../lib/stats.js';

export const TRANSLATE_FULL: TranslateConfig = { rounds: 15, iterations: 5_000, warmupIterations: 20_000 };
export const TRANSLATE_QUICK: TranslateConfig = { rounds: 3, iterations: 2_000, warmupIterations: 2_000 };

export async function runTranslate(
  childPath: string,
  env: Record<string, string>,
  config: TranslateConfig,
): Promise<Section> {
  const result = await runJob<TranslateResult>(childPath, env, config, 180_000);
  const yardstick = result.elapsedMs[TRANSLATE_ROWS.parse];
  const facts: Record<string, number> = {};
  const key: Record<string, string> = {
    [TRANSLATE_ROWS.perCall]: 'translate.perCallUs',
    [TRANSLATE_ROWS.perCallFull]: 'translate.perCallFullUs',
    [TRANSLATE_ROWS.toGa]: 'translate.toGaUs',
    [TRANSLATE_ROWS.toGaFull]: 'translate.toGaFullUs',
    [TRANSLATE_ROWS.fromGa]: 'translate.fromGaUs',
    [TRANSLATE_ROWS.stringify]: 'translate.stringifyUs',
    [TRANSLATE_ROWS.parse]: 'translate.parseUs',
  };
  const rows = Object.entries(result.elapsedMs).map(([name, elapsed]) => {
    const us = summarize(usPerCall(elapsed, result.iterations));
    if (key[name]) facts[key[name]] = us.median;
    const vsParse = summarize(ratios(elapsed, yardstick));
    if (key[name]) facts[`${key[name].replace(/Us$/, '')}VsParse`] = vsParse.median;
    return [name, fmtSummary(us, 2), name === TRANSLATE_ROWS.parse ? '1 (yardstick)' : fmtRatio(vsParse)];
  });
  const body = [
    'What a beta call adds in CPU once it goes through `POST /realtime/client_secrets`: `toGaRequest` on',
    'the way out and `fromGaResponse` on the way back (src/client/beta-translate.ts; internal, so the job',
    'bundles it from src/ with the same esbuild as every child; tsup builds dist/ with esbuild too,',
    'unminified). Synchronous loops in a child process, every contender warmed up with',
    `${fmt(config.warmupIterations)} calls, then ${config.rounds} alternating rounds × ${fmt(result.iterations)} calls, a full GC before every batch,`,
    "every result kept in a module-level sink. The per-call request is section 1's",
    `(${result.fields.small} fields); the full one sets ${result.fields.full} fields, every field the translation maps. The GA`,
    `answer is section 1's (${fmt(result.answerBytes)} B as JSON), parsed once beforehand as the SDK hands it over.`,
    'The yardsticks are work every call does anyway, translated or not; the last column is the',
    "per-round ratio against JSON.parse, which holds when the machine's speed drifts (on this shared",
    'machine the µs of every row move together between runs, JSON.parse among them). Hot loops are a best',
    'case: in a server the functions run once per request among other code.',
    '',
    table(['µs per call (CPU, no network)', 'µs/call', '× JSON.parse of the answer'], rows, ['l', 'r', 'r']),
  ].join('\n');
  return { title: '8. Beta → GA translation, CPU per call', body, targets: [], facts };
}
