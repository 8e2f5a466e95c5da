// The one place that turns vitest's JSON report (.cache/vitest-results.json, written by the `json`
// reporter in vitest.config.ts) into the summary line CI reads: "N passed, N failed", alone on the
// last line of stdout. Used by .ci/run and by .github/workflows/ci.yml. Plain Node, no dependencies,
// so it runs whether or not the dev tools are installed.
//
//   node scripts/ci-summary.mjs [--test-exit-code=N] [--results=FILE]
//
// Counting rules:
// - failed = failed tests + test files that crashed outside a test (numRuntimeErrorTestSuites).
// - Skipped and todo tests are never allowed to pass: each one counts as failed, and stderr says so.
// - No report (the run stopped before vitest: setup, generate:check, lint, typecheck, build or
//   package lint) or an unreadable one: 0 passed, 1 failed.
// - --test-exit-code is the exit code of the command that ran the tests (default 0). If it is not 0
//   and nothing else failed, failed is 1: a red command never prints "0 failed".
// Exits 0 only when the test command succeeded and failed is 0; otherwise 1.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
for (const a of args) {
  if (!/^--(test-exit-code|results)=/.test(a)) {
    console.error(`ci-summary: unknown argument ${a}`);
    process.exit(2);
  }
}
const resultsFile =
  option('results') ?? fileURLToPath(new URL('../.cache/vitest-results.json', import.meta.url));
const testExitCode = Number(option('test-exit-code') ?? 0);

let passed = 0;
let failed = 1;
let skipped = 0;
let report;
try {
  report = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch (error) {
  if (error?.code === 'ENOENT') {
    console.error(`ci-summary: no ${resultsFile}: the run stopped before vitest`);
  } else {
    console.error(`ci-summary: cannot read ${resultsFile}: ${error?.message ?? error}`);
  }
}
if (report) {
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  skipped = report.numPendingTests + report.numTodoTests;
}
if (testExitCode !== 0 && failed === 0) failed = 1;
if (skipped > 0) {
  console.error(`${skipped} test(s) were skipped: skipped tests are not allowed to count as passing`);
  failed += skipped;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = testExitCode === 0 && failed === 0 ? 0 : 1;
