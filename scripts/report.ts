// npm run report: rewrites the tracked reports from a real run, on purpose. `npm test` runs the same
// suites and asserts the same things, but writes none of these files, so it leaves the tree clean.
//
//   test/reliability/LOAD.md     test/reliability/load.test.ts         (20,000 requests, about 1 min)
//   test/reliability/FAULTS.md   test/reliability/fault-matrix.test.ts (written only if every row passed)
//   test/runtimes/RESULTS.md     test/matrix/runtimes.test.ts          (every runtime, a few minutes)
//
// It builds dist/ first (the runtime matrix loads the built package), then runs those three suites
// with WRITE_REPORTS=1 (see test/helpers/reports.ts) and exits 1 if a suite failed or a report was
// not rewritten. Review the diff and commit the reports with the change that moved them.
// bench/RESULTS.md is not one of them: `npm run bench` writes it.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/project.js';

const REPORTS: { file: string; suite: string }[] = [
  { file: 'test/reliability/LOAD.md', suite: 'test/reliability/load.test.ts' },
  { file: 'test/reliability/FAULTS.md', suite: 'test/reliability/fault-matrix.test.ts' },
  { file: 'test/runtimes/RESULTS.md', suite: 'test/matrix/runtimes.test.ts' },
];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  console.log(`> ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function mtimeMs(file: string): number {
  try {
    return statSync(path.join(ROOT, file)).mtimeMs;
  } catch {
    return 0;
  }
}

const started = Date.now();
if (run('npx', ['tsup']) !== 0) process.exit(1);
// The default reporter only: this partial run must not replace .cache/vitest-results.json, the
// report of the last full `npm test` that .ci/run and CI read.
const vitest = run('npx', ['vitest', 'run', '--reporter=default', ...REPORTS.map((r) => r.suite)], {
  ...process.env,
  WRITE_REPORTS: '1',
});
const stale = REPORTS.filter((r) => mtimeMs(r.file) < started);
for (const r of REPORTS) console.log(`${stale.includes(r) ? 'NOT rewritten' : 'rewritten    '}  ${r.file}`);
if (vitest !== 0 || stale.length > 0) {
  console.error('report: a suite failed or a report was not rewritten; the files above are as listed.');
  process.exit(1);
}
