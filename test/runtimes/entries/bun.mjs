// Bun: loads dist/index.js and serves the token route with `Bun.serve({ port: 0, fetch: handler })`.
// Usage: bun entries/bun.mjs '<config JSON>'
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runScenario } from '../scenario.mjs';

const config = JSON.parse(process.argv[2]);

const line = await runScenario({
  runtime: config.runtime,
  version: `bun ${Bun.version}`,
  config,
  load: () => import(pathToFileURL(path.join(config.packageRoot, 'dist/index.js')).href),
  serve: async (handler) => {
    const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler });
    return { url: `http://127.0.0.1:${server.port}/session`, close: () => server.stop(true) };
  },
});
console.log(line);
process.exitCode = line.startsWith('PASS ') ? 0 : 1;
