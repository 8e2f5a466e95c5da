// 9b. The calls route against a bare SDP proxy, each behind node:http in its own process
// (children/sdp-server.ts), each POSTed the same Chromium offer (lib/sdp-fixtures.ts):
//   - the route: toNodeHandler(createSessionHandler({ endpoint: 'calls', session })), dist/;
//   - the floors, what a developer writes by hand: read the offer, POST it upstream multipart with
//     the key and the pinned session, answer the text. `bare-string` writes the multipart body as
//     one string, as the SDK does: the floor the targets are against (the strictest one). `bare`
//     builds FormData, as OpenAI's WebRTC guide does: a reference row.
// Two upstreams, for two questions:
//   - throughput: a fixed-answer upstream in its own process (children/upstream.ts `calls`: a
//     captured werift answer, no work per request), autocannon at c=64 in another, alternating
//     rounds after a warm-up of each server. This shows the route's own overhead: with a real
//     WebRTC answer per request the upstream would be the bottleneck and every server look alike;
//   - latency: the stand-in, a real werift peer answering every offer. A Node client job sends one
//     offer at a time to each server in turn (the order cycling through every permutation), so a
//     slow moment of the machine hits all of them; per round, the median and p90 of each server's
//     times, and the per-round ratio of medians. What a page waits for, minus the network.
// Neither has section 9a's simulated round trip: it would hide the routes' cost under 100 ms of
// waiting. Every answer is checked (a 201 SDP answer; against the fixed upstream, its exact bytes),
// and after each latency round the stand-in's log must show one multipart POST with the API key
// per offer sent, all answered 201.
import { autocannon, type AutocannonRun } from '../lib/autocannon.js';
import type { ChildName } from '../lib/build.js';
import { runJob, startHelper, type Helper } from '../lib/procs.js';
import { table, type Section } from '../lib/report.js';
import { CHROMIUM_OFFER, SDP_ANSWER } from '../lib/sdp-fixtures.js';
import { takeRequests } from '../lib/stand-in-log.js';
import { fmt, fmtRatio, fmtSummary, median, ratios, summarize, type Summary } from '../lib/stats.js';
import type { ConnectPlan } from './connect.js';

/** The route's throughput against the floor's, and its latency (1 / 0.9). */
const THROUGHPUT_GOAL = 0.9;
const LATENCY_GOAL = 1.11;

const SERVERS = [
  { mode: 'sdk', label: 'calls route: createSessionHandler + toNodeHandler' },
  { mode: 'bare', label: 'bare node:http proxy, FormData (as the OpenAI guide)' },
  { mode: 'bare-string', label: 'bare node:http proxy, multipart as one string (floor)' },
] as const;
type ServerMode = (typeof SERVERS)[number]['mode'];

type Children = Record<ChildName, string>;
type Env = Record<string, string>;

/** Section 9b; without the calls mode in dist/ (`calls` false) only the floors run. */
export async function measureCallsRoute(
  children: Children,
  env: Env,
  plan: ConnectPlan,
  calls: boolean,
): Promise<Omit<Section, 'title'>> {
  const modes = SERVERS.map((s) => s.mode).filter((m) => calls || m !== 'sdk');
  const throughput = await measureThroughput(children, env, plan, modes);
  const latency = await measureLatency(children, env, plan, modes);
  return render(plan, modes, throughput, latency, calls);
}

async function startServers(
  children: Children,
  env: Env,
  modes: readonly ServerMode[],
  baseUrl: string,
): Promise<Helper<{ url: string }>[]> {
  const servers: Helper<{ url: string }>[] = [];
  for (const mode of modes) {
    servers.push(
      await startHelper<{ url: string }>(children['sdp-server'], [mode, baseUrl], {
        env: { ...process.env, ...env },
      }),
    );
  }
  return servers;
}

interface Throughput {
  runs: AutocannonRun[][];
  bad: number;
}

async function measureThroughput(
  children: Children,
  env: Env,
  plan: ConnectPlan,
  modes: readonly ServerMode[],
): Promise<Throughput> {
  const upstream = await startHelper<{ baseUrl: string }>(children.upstream, ['calls']);
  let servers: Helper<{ url: string }>[] = [];
  try {
    servers = await startServers(children, env, modes, upstream.info.baseUrl);
    for (const [i, server] of servers.entries()) {
      const res = await fetch(server.info.url, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp' },
        body: CHROMIUM_OFFER,
      });
      const text = await res.text();
      const type = res.headers.get('content-type');
      if (res.status !== 201 || type !== 'application/sdp' || text !== SDP_ANSWER) {
        throw new Error(`${modes[i]} answered ${res.status} ${type}: ${text.slice(0, 300)}`);
      }
    }
    const load = (seconds: number) => ({
      seconds,
      connections: plan.connections,
      contentType: 'application/sdp',
      body: CHROMIUM_OFFER,
    });
    for (const server of servers) await autocannon(server.info.url, load(plan.warmupSeconds));
    const runs: AutocannonRun[][] = servers.map(() => []);
    for (let round = 0; round < plan.throughputRounds; round++) {
      for (let k = 0; k < servers.length; k++) {
        const i = (round + k) % servers.length;
        runs[i].push(await autocannon(servers[i].info.url, load(plan.seconds)));
      }
    }
    return { runs, bad: runs.flat().reduce((s, r) => s + r.bad, 0) };
  } finally {
    for (const server of servers) await server.stop();
    await upstream.stop();
  }
}

/** The nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Latency {
  /** Per server, per round: the median and the p90 of its request times, ms. */
  medians: number[][];
  p90s: number[][];
}

async function measureLatency(
  children: Children,
  env: Env,
  plan: ConnectPlan,
  modes: readonly ServerMode[],
): Promise<Latency> {
  const standIn = await startHelper<{ baseUrl: string }>(children['stand-in'], []);
  let servers: Helper<{ url: string }>[] = [];
  try {
    servers = await startServers(children, env, modes, standIn.info.baseUrl);
    const expected = 'POST /v1/realtime/calls sk multipart/form-data 201';
    /** One job: `requests` offers per server, interleaved; then the stand-in's log is checked. */
    const round = async (requests: number): Promise<number[][]> => {
      const { latenciesMs } = await runJob<{ latenciesMs: number[][] }>(
        children['sdp-client'],
        env,
        { urls: servers.map((s) => s.info.url), requests },
        120_000,
      );
      const seen = await takeRequests(standIn);
      const wrong = seen.filter((line) => line !== expected);
      if (wrong.length > 0 || seen.length !== requests * servers.length) {
        throw new Error(
          `the stand-in saw ${seen.length} requests (expected ${requests * servers.length} × ${expected}); others: ${wrong.slice(0, 3).join('; ')}`,
        );
      }
      return latenciesMs;
    };
    // Warm-up, untimed: long enough for V8 to optimise each server's hot path (the route has more
    // code to warm than the floors: after 6 requests it was still measurably slower here) and for
    // werift's first answers.
    await round(30);
    const latency: Latency = { medians: servers.map(() => []), p90s: servers.map(() => []) };
    for (let r = 0; r < plan.latencyRounds; r++) {
      (await round(plan.latencyRequests)).forEach((times, i) => {
        latency.medians[i].push(median(times));
        latency.p90s[i].push(percentile(times, 90));
      });
    }
    return latency;
  } finally {
    for (const server of servers) await server.stop();
    await standIn.stop();
  }
}

function render(
  plan: ConnectPlan,
  modes: readonly ServerMode[],
  throughput: Throughput,
  latency: Latency,
  calls: boolean,
): Omit<Section, 'title'> {
  const label = (m: ServerMode): string => SERVERS.find((s) => s.mode === m)!.label;
  const floor = modes.indexOf('bare-string');
  const rps = throughput.runs.map((r) => r.map((x) => x.rps));
  const vsFloor = (series: number[][], i: number): Summary => summarize(ratios(series[i], series[floor]));
  const cell = (series: number[][], i: number): string =>
    i === floor ? '1 (floor)' : fmtRatio(vsFloor(series, i));
  const throughputRows = modes.map((m, i) => [
    label(m),
    fmtSummary(summarize(rps[i])),
    fmtSummary(summarize(throughput.runs[i].map((r) => r.p50))),
    fmtSummary(summarize(throughput.runs[i].map((r) => r.p99))),
    cell(rps, i),
  ]);
  const latencyRows = modes.map((m, i) => [
    label(m),
    fmtSummary(summarize(latency.medians[i]), 1),
    fmtSummary(summarize(latency.p90s[i]), 1),
    i === floor
      ? '–'
      : fmtSummary(summarize(latency.medians[i].map((ms, r) => ms - latency.medians[floor][r])), 2),
    cell(latency.medians, i),
  ]);
  const body = [
    '### 9b. The calls route against a bare SDP proxy',
    '',
    `Each server in its own process on 127.0.0.1, POSTed a Chromium offer (${fmt(CHROMIUM_OFFER.length)} B, \`application/sdp\`). The floor is`,
    "the bare proxy writing its multipart body as one string (as the SDK does); the FormData one is what OpenAI's",
    "guide shows. No simulated round trip here: it would hide the routes' cost under 100 ms of waiting.",
    '',
    `**Fixed-answer upstream** (its own process, the same captured ${fmt(SDP_ANSWER.length)} B werift answer every time, so the`,
    `upstream costs nearly nothing): autocannon \`-c ${plan.connections} -d ${plan.seconds}\`, ${plan.throughputRounds} alternating round(s) after a ${plan.warmupSeconds} s`,
    'warm-up of each server; "× floor" is the per-round throughput ratio (higher is better). Non-2xx, errors and',
    `timeouts across all runs: ${fmt(throughput.bad)}.`,
    '',
    table(['server', 'req/s', 'p50 latency ms', 'p99 latency ms', '× floor (throughput)'], throughputRows, [
      'l',
      'r',
      'r',
      'r',
      'r',
    ]),
    '',
    '**The stand-in** (a real werift peer answers each offer): a Node client in its own process POSTs one offer at a',
    `time to each server in turn (the order cycling through every permutation), ${plan.latencyRequests} per server per round, ${plan.latencyRounds} round(s) after a`,
    'warm-up round of 30 each; the stand-in closes every peer between rounds. Per round: the median and p90 of each',
    "server's request times and its median's difference to the floor's, in ms; \"× floor\" is the per-round ratio of",
    'medians (lower is better). Every answer was a 201 SDP answer, and the stand-in saw every server send',
    '`multipart/form-data` with the API key.',
    '',
    table(['server', 'median ms', 'p90 ms', 'median − floor, ms', '× floor (latency)'], latencyRows, [
      'l',
      'r',
      'r',
      'r',
      'r',
    ]),
    ...(calls
      ? []
      : ['', "**The calls route was not measured**: the built package has no `endpoint: 'calls'` yet."]),
  ].join('\n');
  const sdk = modes.indexOf('sdk');
  const bare = modes.indexOf('bare');
  const facts: Record<string, number> = { 'sdp.bad': throughput.bad };
  const tput = sdk < 0 ? undefined : vsFloor(rps, sdk);
  const lat = sdk < 0 ? undefined : vsFloor(latency.medians, sdk);
  if (tput && lat) {
    facts['sdp.throughputRatio'] = tput.median;
    facts['sdp.throughputRatioFormData'] = summarize(ratios(rps[sdk], rps[bare])).median;
    facts['sdp.latencyRatio'] = lat.median;
    facts['sdp.latencyExtraMs'] = median(latency.medians[sdk].map((ms, r) => ms - latency.medians[floor][r]));
  }
  const none = 'n/a (no calls mode in dist/)';
  return {
    body,
    facts,
    targets: [
      {
        name: `calls route throughput vs bare SDP proxy, fixed-answer upstream, c=${plan.connections}`,
        goal: `≥ ${THROUGHPUT_GOAL}×`,
        measured: tput ? fmtRatio(tput) : none,
        met: tput ? tput.median >= THROUGHPUT_GOAL && throughput.bad === 0 : undefined,
      },
      {
        name: 'calls route latency vs bare SDP proxy, stand-in (werift answers), c=1',
        goal: `≤ ${LATENCY_GOAL}×`,
        measured: lat ? fmtRatio(lat) : none,
        met: lat ? lat.median <= LATENCY_GOAL : undefined,
      },
    ],
  };
}
