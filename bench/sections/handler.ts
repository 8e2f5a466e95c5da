// 6. Token handler throughput: createSessionHandler behind node:http (toNodeHandler) vs a bare
// node:http proxy with fetch and no SDK, each in its own process, hit by autocannon in yet another
// process at concurrency 64, alternating rounds.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { autocannon, type AutocannonLoad, type AutocannonRun } from '../lib/autocannon.js';
import { buildHandlerFallback, SDK_DIR } from '../lib/build.js';
import { HANDLER_CLIENT_BODY } from '../lib/fixtures.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { analyze, CATEGORIES, extraSelfTime, top, type Analysis, type CpuProfile } from '../lib/profile.js';
import { ask, startHelper, type Helper } from '../lib/procs.js';
import { table, type Section } from '../lib/report.js';
import { fmt, fmtRatio, fmtSummary, ratios, summarize } from '../lib/stats.js';

export interface HandlerPlan {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** After the measured rounds, one extra run per server under the CPU profiler (0 = none). */
  profileSeconds: number;
}

export const HANDLER_FULL: HandlerPlan = {
  rounds: 5,
  seconds: 3,
  warmupSeconds: 2,
  connections: 64,
  profileSeconds: 3,
};
export const HANDLER_QUICK: HandlerPlan = {
  rounds: 1,
  seconds: 1,
  warmupSeconds: 1,
  connections: 64,
  profileSeconds: 0,
};

/** What every run of this section sends: the browser's JSON body. */
function load(seconds: number, connections: number): AutocannonLoad {
  return { seconds, connections, contentType: 'application/json', body: HANDLER_CLIENT_BODY };
}

export async function runHandler(
  serverPath: string,
  env: Record<string, string>,
  baseUrl: string,
  plan: HandlerPlan,
): Promise<Section> {
  const names = ['createSessionHandler + toNodeHandler', 'bare node:http + fetch proxy (floor)'] as const;
  const servers: Helper<{ url: string }>[] = [];
  const exported = await Promise.all(
    ['index.js', 'node.js'].map(
      async (file) =>
        typeof ((await import(pathToFileURL(path.join(SDK_DIR, file)).href)) as Record<string, unknown>)
          .createSessionHandler === 'function',
    ),
  );
  let note = '';
  if (!exported.includes(true)) {
    env = { ...env, SDK_HANDLER_FALLBACK: await buildHandlerFallback() };
    note =
      '\n\n**Note:** dist/ does not export `createSessionHandler` yet, so the handler was taken from ' +
      '`src/handler/index.ts` bundled by esbuild (dependencies external); `toNodeHandler` is from dist/node.js.';
  }
  try {
    for (const mode of ['sdk', 'bare']) {
      servers.push(
        await startHelper<{ url: string }>(serverPath, [mode, baseUrl], { env: { ...process.env, ...env } }),
      );
    }
    // Check each answers like the real thing before timing anything.
    for (const server of servers) {
      const res = await fetch(server.info.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: HANDLER_CLIENT_BODY,
      });
      const body = (await res.json()) as { client_secret?: { value?: string }; session?: { voice?: string } };
      if (
        res.status !== 200 ||
        typeof body.client_secret?.value !== 'string' ||
        body.session?.voice !== 'verse'
      ) {
        throw new Error(`${server.info.url} answered ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      }
    }
    for (const server of servers)
      await autocannon(server.info.url, load(plan.warmupSeconds, plan.connections));

    const runs: AutocannonRun[][] = [[], []];
    for (let round = 0; round < plan.rounds; round++) {
      for (let k = 0; k < servers.length; k++) {
        const i = (round + k) % servers.length;
        runs[i].push(await autocannon(servers[i].info.url, load(plan.seconds, plan.connections)));
      }
    }
    const rps = runs.map((r) => r.map((x) => x.rps));
    const ratio = summarize(ratios(rps[0], rps[1]));
    const bad = runs.flat().reduce((s, r) => s + r.bad, 0);
    const rows = names.map((name, i) => [
      name,
      fmtSummary(summarize(rps[i])),
      fmtSummary(summarize(runs[i].map((r) => r.p50))),
      fmtSummary(summarize(runs[i].map((r) => r.p99))),
      i === 0 ? fmtRatio(ratio) : '1 (floor)',
    ]);
    const body =
      [
        `autocannon (separate process) \`-c ${plan.connections} -d ${plan.seconds} -m POST\` with body \`${HANDLER_CLIENT_BODY}\`,`,
        `${plan.rounds} alternating round(s) after a ${plan.warmupSeconds} s warm-up of each server. Each server runs in its`,
        'own process and calls the same local upstream process. req/s is total requests / duration;',
        '"× floor" is the per-round throughput ratio handler / bare proxy (higher is better).',
        `Non-2xx, errors and timeouts across all runs: ${fmt(bad)}.`,
        '',
        table(['server', 'req/s', 'p50 latency ms', 'p99 latency ms', '× floor (throughput)'], rows, [
          'l',
          'r',
          'r',
          'r',
          'r',
        ]),
      ].join('\n') + note;
    const facts: Record<string, number> = {
      'handler.ratio': ratio.median,
      'handler.sdkRps': summarize(rps[0]).median,
      'handler.bareRps': summarize(rps[1]).median,
      'handler.bad': bad,
    };
    const profile = plan.profileSeconds > 0 ? `\n\n${await profileServers(servers, plan, facts)}` : '';
    return {
      title: '6. Token handler',
      body: body + profile,
      facts,
      targets: [
        {
          name: 'handler throughput vs bare proxy, c=64',
          goal: '≥ 0.9×',
          measured: fmtRatio(ratio),
          met: ratio.median >= 0.9 && bad === 0,
        },
      ],
    };
  } finally {
    for (const server of servers) await server.stop();
  }
}

/**
 * One extra run per server with the V8 CPU profiler on (the sampler behind `node --cpu-prof`,
 * started and stopped inside the server over IPC so start-up and warm-up are not in it),
 * normalised per request: where each server's CPU goes.
 */
async function profileServers(
  servers: Helper<{ url: string }>[],
  plan: HandlerPlan,
  facts: Record<string, number>,
): Promise<string> {
  const analyses: Analysis[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'realtime-sessions-handler-prof-'));
  try {
    for (const [i, server] of servers.entries()) {
      const file = path.join(dir, `${i}.cpuprofile`);
      await ask(server, { type: 'profile-start', intervalUs: 250 }, 'profile-started');
      const run = await autocannon(server.info.url, load(plan.profileSeconds, plan.connections));
      await ask(server, { type: 'profile-stop', file }, 'profile-stopped');
      // Requests cut off at the end are still in flight when the profile stops; roughly equal.
      analyses.push(analyze(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, run.total));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const labels = ['createSessionHandler', 'bare proxy'];
  const rows = [...CATEGORIES, 'idle' as const]
    .filter((c) => analyses.some((a) => (a.byCategory.get(c) ?? 0) >= 0.5))
    .map((c) => [
      c === 'bench harness' ? 'bench code (the bare proxy itself)' : c,
      ...analyses.map((a) => fmt(a.byCategory.get(c) ?? 0, 1)),
    ]);
  rows.push(['**CPU total (non-idle)**', ...analyses.map((a) => `**${fmt(a.cpuPerCall, 1)}**`)]);
  const [sdk, bare] = analyses;
  facts['handler.sdkCpuUs'] = sdk.cpuPerCall;
  facts['handler.bareCpuUs'] = bare.cpuPerCall;
  facts['handler.gcExtraUs'] =
    (sdk.byCategory.get('garbage collector') ?? 0) - (bare.byCategory.get('garbage collector') ?? 0);
  for (const fn of ['toRequest', 'writeResponse', 'json', 'sessionHandler', 'createRealtimeSession']) {
    const entry = [...sdk.inclusiveSdk].find(([k]) => k.startsWith(`${fn} `));
    if (entry) facts[`handler.inc.${fn}`] = entry[1];
  }
  const diff = extraSelfTime(sdk, bare);
  diff.delete('(idle)');
  return [
    'CPU profile of each server process (V8 sampler as in `node --cpu-prof`, 250 µs interval,',
    `steady state only) during one more ${plan.profileSeconds} s run at c=${plan.connections}, in µs of server CPU per`,
    'request. "idle" is time the server waited (on autocannon or the upstream): a server with idle',
    'time left is not the bottleneck, so its throughput is set by the other processes on the 2 cores.',
    '',
    table(['server CPU µs per request', ...labels], rows, ['l', 'r', 'r']),
    '',
    'Functions with the most extra self time in the handler server vs the bare proxy (µs/request):',
    '',
    table(
      ['function', 'extra self µs/request'],
      top(diff, 15).map(([k, us]) => [`\`${k}\``, fmt(us, 1)]),
      ['l', 'r'],
    ),
    '',
    'SDK functions in the handler server by inclusive CPU time (µs/request; the synchronous part of',
    'each call, including the runtime work it triggers — awaited continuations count separately):',
    '',
    table(
      ['function', 'inclusive µs/request'],
      top(sdk.inclusiveSdk, 15).map(([k, us]) => [`\`${k}\``, fmt(us, 1)]),
      ['l', 'r'],
    ),
  ].join('\n');
}
