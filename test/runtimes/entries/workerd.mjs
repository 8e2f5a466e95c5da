// Cloudflare workerd through miniflare (which needs Node 22+, so the harness runs this file with
// the node22 binary). Bundles worker.mjs with esbuild (the Worker is one module: worker.mjs,
// scenario.mjs and dist/), runs steps 1-4 inside the Worker via /__scenario, then
// step 5 against the Worker's own HTTP server. workerd's version is printed by workerd itself.
// Usage: node22 entries/workerd.mjs '<config JSON>'
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyFor, resultLine, runRouteStep } from '../scenario.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const config = JSON.parse(process.argv[2]);
const require = createRequire(import.meta.url);

const workerdVersion = execFileSync(require('workerd').default, ['--version'], { encoding: 'utf8' }).trim();
const miniflareVersion = JSON.parse(readFileSync(require.resolve('miniflare/package.json'), 'utf8')).version;
const version = `${workerdVersion}, miniflare ${miniflareVersion}`;

let mf;
try {
  const line = await run();
  console.log(line);
  process.exitCode = line.startsWith('PASS ') ? 0 : 1;
} finally {
  await mf?.dispose();
}

async function run() {
  let url;
  try {
    const script = await bundle();
    const { Miniflare } = await import('miniflare');
    mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: '2025-09-01',
      host: '127.0.0.1',
      port: 0,
      bindings: {
        MATRIX_CONFIG: JSON.stringify(config),
        OPENAI_API_KEY: keyFor(config, 'route'),
        OPENAI_BASE_URL: config.upstream,
      },
    });
    url = await mf.ready;
  } catch (error) {
    return resultLine(config.runtime, version, {
      failed: { step: 0, reason: `${error.name}: ${error.message}` },
    });
  }
  const answer = await fetch(new URL('/__scenario', url));
  if (!answer.ok) {
    // runClientSteps reports every failure it sees, so this is the Worker itself failing.
    const reason = `the Worker answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`;
    return resultLine(config.runtime, version, { failed: { step: 0, reason } });
  }
  const client = await answer.json();
  if (client.failed) return resultLine(config.runtime, version, client);
  const route = await runRouteStep(config, new URL('/session', url).href);
  return resultLine(config.runtime, version, route.failed ? route : { steps: client.steps + route.steps });
}

async function bundle() {
  // esbuild comes from the repository root's devDependencies (Node resolution walks up to it).
  const esbuild = await import('esbuild');
  const packageEntry = path.join(config.packageRoot, 'dist/index.js');
  const result = await esbuild.build({
    entryPoints: [path.join(here, 'worker.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'package-under-test',
        setup(build) {
          build.onResolve({ filter: /^realtime-sessions$/ }, () => ({ path: packageEntry }));
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}
