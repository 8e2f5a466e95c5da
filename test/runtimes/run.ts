// Runs the runtime matrix outside vitest and prints each runtime's result line. With WRITE_REPORTS=1
// (as `npm run report` sets it) a full run against the real dist/ also rewrites RESULTS.md. Installs
// the runtimes first when needed.
// Usage: npx tsx test/runtimes/run.ts [--package-root=DIR] [runtime ...]
//   e.g. `npx tsx test/runtimes/run.ts deno workerd`; default: every runtime, against the repo root.
import path from 'node:path';
import { WRITE_REPORTS } from '../helpers/reports.js';
import { ensureHarness, ROOT, runMatrix, writeResults } from './harness.js';

const args = process.argv.slice(2);
const rootArg = args.find((a) => a.startsWith('--package-root='));
const packageRoot = rootArg ? path.resolve(rootArg.slice('--package-root='.length)) : ROOT;
const only = args.filter((a) => !a.startsWith('--'));

const installMs = await ensureHarness();
if (installMs > 0) console.log(`installed the runtimes (npm ci) in ${(installMs / 1000).toFixed(1)} s`);
const { results, durationMs } = await runMatrix({ packageRoot, ...(only.length > 0 ? { only } : {}) });
for (const r of results) {
  console.log(`${r.line}  (${(r.durationMs / 1000).toFixed(1)} s)`);
  if (!r.passed && r.output) console.log(r.output.replace(/^/gm, '    '));
}
const passed = results.filter((r) => r.passed).length;
console.log(`matrix: ${passed}/${results.length} passed in ${(durationMs / 1000).toFixed(1)} s`);
if (WRITE_REPORTS && only.length === 0 && packageRoot === ROOT) await writeResults(results);
process.exitCode = passed === results.length ? 0 : 1;
