// 2. Cold start: `await import(...)` of the built package in a fresh node process, against openai
// and against an empty module (what the harness itself costs). Contenders alternate per process.
// The headline is a ratio from this one run: the package's import time over the empty module's,
// per round, both timed the same way in processes spawned the same way.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
import { SDK_DIR, OUT_DIR, ROOT } from '../lib/build.js';
import { exec } from '../lib/procs.js';
import { table, type Section } from '../lib/report.js';
import { fmtRatio, fmtSummary, ratios, summarize } from '../lib/stats.js';

// Timed inside the child: performance.now() counts from the process's time origin, so `readyMs`
// is how long after process start the import had finished.
const CHILD = [
  'const t0 = performance.now();',
  'await import(process.argv[1]);',
  'const t1 = performance.now();',
  'process.stdout.write(JSON.stringify({ importMs: t1 - t0, readyMs: t1 }));',
].join('\n');

interface Contender {
  name: string;
  specifier: string;
}

export async function runColdStart(processes: number): Promise<Section> {
  // The floor is an empty module in a file: the first import of a file costs a few ms (the ESM
  // loader's file resolution and reading), which every contender pays too.
  const empty = path.join(OUT_DIR, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const contenders: Contender[] = [
    { name: 'empty module file (harness floor)', specifier: pathToFileURL(empty).href },
    {
      name: 'realtime-sessions (dist/index.js)',
      specifier: pathToFileURL(path.join(SDK_DIR, 'index.js')).href,
    },
    { name: 'openai', specifier: 'openai' },
    // Its only runtime dependency on its own, to show its share of the import.
    { name: 'openapi-fetch alone', specifier: 'openapi-fetch' },
  ];
  const importMs: Record<string, number[]> = {};
  const wallMs: Record<string, number[]> = {};
  const once = async (c: Contender): Promise<{ importMs: number; wallMs: number }> => {
    const result = await exec(process.execPath, ['--input-type=module', '-e', CHILD, c.specifier], {
      cwd: ROOT,
      timeoutMs: 30_000,
    });
    if (result.code !== 0) throw new Error(`cold start of ${c.name} failed: ${result.stderr.slice(-1000)}`);
    return { importMs: (JSON.parse(result.stdout) as { importMs: number }).importMs, wallMs: result.wallMs };
  };
  // Two discarded processes each: file-system cache, not Node, should be warm.
  for (let i = 0; i < 2; i++) for (const c of contenders) await once(c);
  for (let round = 0; round < processes; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length];
      const r = await once(c);
      (importMs[c.name] ??= []).push(r.importMs);
      (wallMs[c.name] ??= []).push(r.wallMs);
    }
  }

  const floor = contenders[0].name;
  const ours = contenders[1].name;
  const rows = contenders.map((c) => [
    c.name,
    fmtSummary(summarize(importMs[c.name]), 2, ' ms'),
    c.name === floor ? '—' : fmtRatio(summarize(ratios(importMs[c.name], importMs[floor]))),
    fmtSummary(summarize(wallMs[c.name]), 1, ' ms'),
    c.name === floor ? '—' : fmtRatio(summarize(ratios(wallMs[c.name], wallMs[floor]))),
  ]);
  const oursImport = summarize(importMs[ours]);
  // What importing the package costs over importing any file at all (the floor), as a ratio.
  const overFloor = summarize(ratios(importMs[ours], importMs[floor]));
  const vsOpenai = summarize(ratios(importMs[ours], importMs.openai));
  const align: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r'];
  const body = [
    `${processes} fresh \`node\` processes per contender, alternating. "import" is measured inside the`,
    'child with `performance.now()` around `await import(...)`; "wall" is spawn to exit as seen by the',
    'parent (Node start-up included). "× floor" columns are per-round ratios against the empty module.',
    '',
    table(['module', 'import', 'import × floor', 'process wall', 'wall × floor'], rows, align),
    '',
    `realtime-sessions import vs the empty module, per round: ${fmtRatio(overFloor)} (target ≤ 1.6×).`,
    `realtime-sessions import time vs openai, per round: ${fmtRatio(vsOpenai)}.`,
  ].join('\n');
  return {
    title: '2. Cold start',
    body,
    facts: {
      'cold.importMs': oursImport.median,
      'cold.importOverFloor': overFloor.median,
      'cold.openaiImportMs': summarize(importMs.openai).median,
      'cold.openapiFetchMs': summarize(importMs['openapi-fetch alone']).median,
      'cold.floorMs': summarize(importMs[floor]).median,
    },
    targets: [
      {
        name: 'cold import of dist/index.js',
        goal: '< 10 ms',
        measured: fmtSummary(oursImport, 2, ' ms'),
        met: oursImport.median < 10,
      },
      {
        name: 'cold import of dist/index.js over an empty module',
        goal: '≤ 1.6×',
        measured: fmtRatio(overFloor),
        met: overFloor.median <= 1.6,
      },
    ],
  };
}
