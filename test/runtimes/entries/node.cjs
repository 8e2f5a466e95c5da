// Node 20 through `require()`: the same scenario, with the package loaded from dist/index.cjs and
// dist/node.cjs. The scenario and serve-node.mjs are ESM, which CommonJS reaches through import().
// Usage: node entries/node.cjs '<config JSON>'
const { createServer } = require('node:http');
const path = require('node:path');

const config = JSON.parse(process.argv[2]);
const dist = (file) => path.join(config.packageRoot, 'dist', file);

async function main() {
  const { runScenario } = await import('../scenario.mjs');
  const { serveNode } = await import('./serve-node.mjs');
  let toNodeHandler;
  const line = await runScenario({
    runtime: config.runtime,
    version: `node ${process.versions.node}, require()`,
    config,
    load: async () => {
      const sdk = require(dist('index.cjs'));
      ({ toNodeHandler } = require(dist('node.cjs')));
      return sdk;
    },
    serve: (handler) => serveNode(createServer(toNodeHandler(handler))),
  });
  console.log(line);
  process.exitCode = line.startsWith('PASS ') ? 0 : 1;
}

main();
