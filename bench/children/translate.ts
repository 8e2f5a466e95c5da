// CPU cost of the beta ↔ GA translation (src/client/beta-translate.ts), no network: what a beta call adds
// per call once it goes through POST /realtime/client_secrets. The functions are internal (not
// exported from dist/), so this child bundles src/client/beta-translate.ts itself: the same esbuild that
// builds every child, as tsup (also esbuild) builds dist/, unminified in both. Synchronous loops,
// alternating rounds like the other jobs, a full GC before every batch; every result is kept in a
// module-level sink so V8 cannot drop the work.
import { fromGaResponse, toGaRequest } from '../../src/client/beta-translate.js';
import { alternateRounds, readConfig, runMain } from '../lib/child.js';
import {
  CLIENT_SECRET_RESPONSE,
  FULL_SESSION_REQUEST,
  GA_REQUEST,
  SESSION_REQUEST,
  SESSION_RESPONSE,
  TRANSLATE_ROWS,
} from '../lib/fixtures.js';

export interface TranslateConfig {
  rounds: number;
  /** Calls per batch. */
  iterations: number;
  warmupIterations: number;
}

export interface TranslateResult {
  iterations: number;
  /** Elapsed ms per round, per contender. */
  elapsedMs: Record<string, number[]>;
  /** Fields set by each request (for the row labels). */
  fields: { small: number; full: number };
  /** Bytes of the GA answer as the upstream sends it. */
  answerBytes: number;
}

type BetaRequest = Parameters<typeof toGaRequest>[1];
type GaAnswer = Parameters<typeof fromGaResponse>[1];

const small = SESSION_REQUEST as unknown as BetaRequest;
const full = FULL_SESSION_REQUEST as unknown as BetaRequest;
const answerText = JSON.stringify(CLIENT_SECRET_RESPONSE);
// What the SDK hands fromGaResponse: a freshly parsed answer, not the frozen-shape literal.
const answer = JSON.parse(answerText) as GaAnswer;

let sink: unknown;

const contenders: Record<string, () => unknown> = {
  [TRANSLATE_ROWS.perCall]: () => {
    sink = toGaRequest('realtime', small);
    return fromGaResponse('realtime', answer);
  },
  [TRANSLATE_ROWS.perCallFull]: () => {
    sink = toGaRequest('realtime', full);
    return fromGaResponse('realtime', answer);
  },
  [TRANSLATE_ROWS.toGa]: () => toGaRequest('realtime', small),
  [TRANSLATE_ROWS.toGaFull]: () => toGaRequest('realtime', full),
  [TRANSLATE_ROWS.fromGa]: () => fromGaResponse('realtime', answer),
  [TRANSLATE_ROWS.stringify]: () => JSON.stringify(GA_REQUEST),
  [TRANSLATE_ROWS.parse]: () => JSON.parse(answerText),
};

function check(): void {
  const ga = JSON.stringify(toGaRequest('realtime', small));
  if (ga !== JSON.stringify(GA_REQUEST)) throw new Error(`toGaRequest gave ${ga}, not GA_REQUEST`);
  const fullGa = toGaRequest('realtime', full) as { session: Record<string, unknown> };
  const fullKeys = Object.keys(fullGa.session).length;
  if (fullKeys < 8) throw new Error(`the full request translated to ${JSON.stringify(fullGa)}`);
  const beta = fromGaResponse('realtime', answer) as { client_secret?: { value?: unknown }; voice?: unknown };
  if (beta.client_secret?.value !== SESSION_RESPONSE.client_secret.value || beta.voice !== 'verse') {
    throw new Error(`fromGaResponse gave ${JSON.stringify(beta).slice(0, 200)}`);
  }
}

function batch(call: () => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink = call();
  return performance.now() - t0;
}

runMain(async (): Promise<TranslateResult> => {
  const config = readConfig<TranslateConfig>();
  check();
  const names = Object.keys(contenders);
  for (const name of names) batch(contenders[name], config.warmupIterations);
  const elapsedMs = await alternateRounds(names, config.rounds, async (name) =>
    batch(contenders[name], config.iterations),
  );
  // Read the sink once, so it is observably used.
  if (sink === undefined) throw new Error('no result');
  return {
    iterations: config.iterations,
    elapsedMs,
    fields: { small: Object.keys(small).length, full: Object.keys(full).length },
    answerBytes: Buffer.byteLength(answerText),
  };
});
