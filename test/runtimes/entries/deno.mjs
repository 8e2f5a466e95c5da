// Deno: loads dist/index.js and serves the token route with `Deno.serve`. Options are passed
// explicitly (no environment defaults). Run from the package root, so Deno finds its package.json.
// Usage: deno run --no-prompt --allow-net --allow-read --allow-env entries/deno.mjs '<config JSON>'
import { pathToFileURL } from 'node:url';
import { runScenario } from '../scenario.mjs';

const config = JSON.parse(Deno.args[0]);

const line = await runScenario({
  runtime: config.runtime,
  version: `deno ${Deno.version.deno}`,
  config,
  load: () => import(pathToFileURL(`${config.packageRoot}/dist/index.js`).href),
  serve: async (handler) => {
    const listening = Promise.withResolvers();
    const server = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: listening.resolve }, handler);
    const { port } = await listening.promise;
    return { url: `http://127.0.0.1:${port}/session`, close: () => server.shutdown() };
  },
});
console.log(line);
Deno.exitCode = line.startsWith('PASS ') ? 0 : 1;
