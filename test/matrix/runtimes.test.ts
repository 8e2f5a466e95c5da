// The cross-runtime matrix: the built package (dist/) in Node 20 (import and require), Node 22,
// Node 24, Bun, Deno, Cloudflare workerd (miniflare) and Chromium, plus a consumer type-check under
// moduleResolution node16 and bundler. The runtimes are ordinary npm packages installed into
// test/runtimes (its own package.json and lock, never the root's); this file installs them on a
// fresh clone. See test/runtimes/harness.ts for how each runtime is started. `npm run report`
// (WRITE_REPORTS=1) also rewrites test/runtimes/RESULTS.md from the run; `npm test` writes nothing.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  copyPackage,
  ensureHarness,
  ROOT,
  runMatrix,
  runtimeSpecs,
  startUpstreams,
  systemNode,
  writeResults,
  type MatrixResult,
  type Upstreams,
} from '../runtimes/harness.js';
import { WRITE_REPORTS } from '../helpers/reports.js';

const CHECKS = [...runtimeSpecs().map((s) => s.id), 'tsc-node16', 'tsc-bundler'];
let upstreams: Upstreams;
let matrix: MatrixResult;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist/index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm test` does).');
  }
  // Cold `npm ci` of the runtimes takes about 15 s here; the hook allows for a slow registry.
  const installMs = await ensureHarness();
  upstreams = await startUpstreams();
  matrix = await runMatrix({ upstreams });
  if (WRITE_REPORTS) await writeResults(matrix.results);
  console.log(
    [
      `runtime matrix: install ${installMs > 0 ? `${(installMs / 1000).toFixed(1)} s (npm ci)` : 'skipped (already installed)'}, run ${(matrix.durationMs / 1000).toFixed(1)} s`,
      ...matrix.results.map((r) => `  ${r.line}  (${(r.durationMs / 1000).toFixed(1)} s)`),
    ].join('\n'),
  );
}, 600_000);

afterAll(async () => {
  await upstreams?.close();
});

describe('runtime matrix', () => {
  it.each(CHECKS)('%s passes', (id) => {
    const result = matrix.results.find((r) => r.runtime === id);
    expect(result, `${id} did not run`).toBeDefined();
    // On failure the message is the runtime's own line (runtime, version, step, reason) and output.
    expect(result!.passed, `${result!.line}\n${result!.output}`).toBe(true);
    expect(result!.line).toMatch(new RegExp(`^PASS ${id} \\[[^\\]]+\\] \\(`));
  });

  it('fails a deliberately broken build, naming the runtime and the step', async () => {
    const broken = copyPackage();
    try {
      // A regression in the ESM build only: createRealtimeSession drops the client secret. The
      // CommonJS build in the same folder is left intact.
      const dist = path.join(broken, 'dist');
      renameSync(path.join(dist, 'index.js'), path.join(dist, 'real.js'));
      writeFileSync(
        path.join(dist, 'index.js'),
        [
          "export * from './real.js';",
          "import { createRealtimeSession as mint } from './real.js';",
          'export async function createRealtimeSession(request, options) {',
          '  const { client_secret: _dropped, ...session } = await mint(request, options);',
          '  return session;',
          '}',
          '',
        ].join('\n'),
      );
      const { results } = await runMatrix({
        packageRoot: broken,
        only: ['deno', `${systemNode}-cjs`],
        upstreams,
      });
      const deno = results.find((r) => r.runtime === 'deno')!;
      expect(deno.passed).toBe(false);
      expect(deno.line).toMatch(
        /^FAIL deno \[deno [\d.]+\] step 1 \(mint with createRealtimeSession\): Error: client_secret\.value is undefined/,
      );
      // The same folder through require() gets past the mint: the failure points at the ESM build.
      const cjs = results.find((r) => r.runtime === `${systemNode}-cjs`)!;
      expect(cjs.line).not.toMatch(/ step [0-4] /);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
