// Node (20, 22, 24) through `import`: loads dist/index.js and serves the token route with node:http
// through the README's adapter, `http.createServer(toNodeHandler(handler))` from dist/node.js.
// Usage: node entries/node.mjs '<config JSON>'
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runScenario } from '../scenario.mjs';
import { serveNode } from './serve-node.mjs';

const config = JSON.parse(process.argv[2]);
const dist = (file) => pathToFileURL(path.join(config.packageRoot, 'dist', file)).href;
let toNodeHandler;

const line = await runScenario({
  runtime: config.runtime,
  version: `node ${process.versions.node}`,
  config,
  load: async () => {
    const sdk = await import(dist('index.js'));
    ({ toNodeHandler } = await import(dist('node.js')));
    return sdk;
  },
  serve: (handler) => serveNode(createServer(toNodeHandler(handler))),
});
console.log(line);
process.exitCode = line.startsWith('PASS ') ? 0 : 1;
