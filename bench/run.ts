// npm run bench                 full run (about 12 min on 2 cores), prints the report, writes bench/RESULTS.md
// npm run bench -- --quick      smoke run (about 2 min; section 9 alone about 45 s), prints only
//   --only=percall,cold,bundle,memory,codegen,handler,costs,translate,connect   run some parts (prints only)
//   --write                     write RESULTS.md for a quick or partial run too
//   --rebuild                   rebuild dist/ with tsup even when it looks up to date
//   BENCH_PROFILE_DIR=dir       keep the per-call .cpuprofile files of section 7c
//
// Runs every benchmark in child processes against a local upstream (its own process; a second one
// in `live` mode, beta path retired, for section 1's GA rows). Section 9 starts its own: the
// repository's stand-in with its WebRTC peer, a delaying proxy, an app server, and Chromium, driven
// from here through playwright-core. Every process it starts is killed when it ends, fails or is
// interrupted.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BENCH_DIR,
  buildChildren,
  ensurePackageBuilt,
  removeChildren,
  SDK_DIR,
  snapshotPackage,
} from './lib/build.js';
import { renderFindings } from './findings.js';
import { describeMachine } from './lib/machine.js';
import { killAll, liveCount, startHelper, type Helper } from './lib/procs.js';
import { table, verdict, type Section, type Target } from './lib/report.js';
import { runBundle } from './sections/bundle.js';
import { runCodegen } from './sections/codegen.js';
import { runColdStart } from './sections/coldstart.js';
import { HANDLER_FULL, HANDLER_QUICK, runHandler } from './sections/handler.js';
import { MEMORY_FULL, MEMORY_QUICK, runMemory } from './sections/memory.js';
import { PERCALL_FULL, PERCALL_QUICK, runPerCall } from './sections/percall.js';
import { COSTS_FULL, COSTS_QUICK, runCosts } from './sections/costs.js';
import { CONNECT_FULL, CONNECT_QUICK, runConnect } from './sections/connect.js';
import { runTranslate, TRANSLATE_FULL, TRANSLATE_QUICK } from './sections/translate.js';

const ALL = [
  'percall',
  'cold',
  'bundle',
  'memory',
  'codegen',
  'handler',
  'costs',
  'translate',
  'connect',
] as const;
type Part = (typeof ALL)[number];

interface Options {
  quick: boolean;
  parts: Set<Part>;
  write: boolean;
  rebuild: boolean;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const parts = new Set<Part>(only ? (only.split(',') as Part[]) : ALL);
  for (const p of parts)
    if (!ALL.includes(p)) throw new Error(`unknown part "${p}" (known: ${ALL.join(', ')})`);
  // A quick or partial run would overwrite the real results with noisier ones: print only.
  const write = argv.includes('--write') || (!quick && !only);
  return { quick, parts, write, rebuild: argv.includes('--rebuild') };
}

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const machine = describeMachine();
  log(`${options.quick ? 'quick' : 'full'} run: ${[...options.parts].join(', ')}`);

  await ensurePackageBuilt(options.rebuild, log);
  const children = await buildChildren();
  await snapshotPackage(log);
  const env = { SDK_DIST: SDK_DIR };

  const sections: Section[] = [];
  let upstream: Helper<{ baseUrl: string; bytes: number }> | undefined;
  let liveUpstream: Helper<{ baseUrl: string; bytes: number }> | undefined;
  try {
    upstream = await startHelper(children.upstream, ['beta']);
    const { baseUrl } = upstream.info;
    log(`upstream at ${baseUrl} (pid ${upstream.child.pid}, ${upstream.info.bytes} B per answer)`);
    // Only section 1 needs the live-mode upstream (its GA rows).
    if (options.parts.has('percall')) {
      liveUpstream = await startHelper(children.upstream, ['live']);
      log(
        `live-mode upstream at ${liveUpstream.info.baseUrl} (pid ${liveUpstream.child.pid}, beta path 404, ${liveUpstream.info.bytes} B per GA answer)`,
      );
    }

    const step = async (part: Part, run: () => Promise<Section>): Promise<void> => {
      if (!options.parts.has(part)) return;
      log(`${part} …`);
      const t0 = performance.now();
      sections.push(await run());
      log(`${part} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    };
    await step(
      'percall',
      async () =>
        (
          await runPerCall(
            children.percall,
            env,
            baseUrl,
            options.quick ? PERCALL_QUICK : PERCALL_FULL,
            liveUpstream?.info.baseUrl,
          )
        ).section,
    );
    // Nothing after section 1 uses it.
    await liveUpstream?.stop();
    await step('cold', () => runColdStart(options.quick ? 5 : 20));
    await step('bundle', () => runBundle());
    await step('memory', () =>
      runMemory(children.memory, env, baseUrl, options.quick ? MEMORY_QUICK : MEMORY_FULL, options.quick),
    );
    await step('handler', () =>
      runHandler(children.server, env, baseUrl, options.quick ? HANDLER_QUICK : HANDLER_FULL),
    );
    await step('costs', () => runCosts(children, env, baseUrl, options.quick ? COSTS_QUICK : COSTS_FULL));
    await step('translate', () =>
      runTranslate(children.translate, env, options.quick ? TRANSLATE_QUICK : TRANSLATE_FULL),
    );
    await step('connect', () => runConnect(children, env, options.quick ? CONNECT_QUICK : CONNECT_FULL));
    // Last: it is the only part that touches the working tree (generate rewrites generated/).
    await step('codegen', () => runCodegen(options.quick ? 1 : 5, options.quick));
  } finally {
    await liveUpstream?.stop();
    await upstream?.stop();
    await killAll();
    removeChildren();
  }

  const seconds = (performance.now() - started) / 1000;
  const report = render(machine, options, sections, seconds);
  process.stdout.write(`${report}\n`);
  if (options.write) {
    writeFileSync(path.join(BENCH_DIR, 'RESULTS.md'), report);
    log('wrote bench/RESULTS.md');
  } else {
    log('quick/partial run: bench/RESULTS.md not written (pass --write to force)');
  }
  log(`total ${seconds.toFixed(1)} s; ${liveCount()} child processes left`);
}

function render(
  machine: ReturnType<typeof describeMachine>,
  options: Options,
  sections: Section[],
  seconds: number,
): string {
  const targets: Target[] = sections.flatMap((s) => s.targets);
  return [
    '# realtime-sessions benchmarks',
    '',
    `Generated by \`npm run bench${options.quick ? ' -- --quick' : ''}\` on ${machine.date} (took ${seconds.toFixed(0)} s).`,
    '',
    table(
      ['machine', ''],
      [
        ['CPU', `${machine.cpu}`],
        ['cores', String(machine.cores)],
        ['Node', machine.node],
        ['OS', machine.os],
        ['memory', machine.memory],
        [
          'load average (1 min) at start / end',
          `${machine.loadAtStart.toFixed(2)} / ${os.loadavg()[0].toFixed(2)}`,
        ],
      ],
    ),
    '',
    'Every figure is a median with its min–max; every comparison is a ratio taken within the same',
    'run, per round, against the baseline of that round. All traffic is on 127.0.0.1; the upstream',
    'is a `node:http` server in its own process answering a fixed ~1.5 KB session JSON, keep-alive on',
    "(the beta contract). Section 1's GA rows use a second one that answers like the live API: the beta",
    'path 404 "Invalid URL", `POST /realtime/client_secrets` a fixed GA secret.',
    'The SDK is measured as built (`dist/`), under plain `node`.',
    '',
    '## Targets',
    '',
    table(
      ['target', 'goal', 'measured', 'verdict'],
      targets.map((t) => [t.name, t.goal, t.measured, verdict(t.met)]),
    ),
    '',
    '## Findings',
    '',
    renderFindings(
      Object.assign({}, ...sections.map((s) => s.facts ?? {})) as Record<string, number>,
      targets,
      options.quick,
    ),
    '',
    ...[...sections]
      .sort((a, b) => Number.parseInt(a.title, 10) - Number.parseInt(b.title, 10))
      .flatMap((s) => [`## ${s.title}`, '', s.body, '']),
  ].join('\n');
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping children`);
    void killAll().finally(() => {
      removeChildren();
      process.exit(130);
    });
  });
}

main().catch(async (error: unknown) => {
  // Interrupted: the signal handler is already stopping everything and exits with 130.
  if (stopping) return;
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  await killAll();
  removeChildren();
  process.exit(1);
});
