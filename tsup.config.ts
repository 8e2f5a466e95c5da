import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    sourcemap: false,
    treeshake: true,
    // The User-Agent names this version; one source of truth is package.json.
    define: { __PACKAGE_VERSION__: JSON.stringify(pkg.version) },
    external: ['node:http', 'node:stream'],
    // openapi-fetch's runtime code we call (createFinalURL, a dozen lines) is bundled in, tree-shaken,
    // so importing the package does not load openapi-fetch's whole module (about half of a cold
    // import's cost). It stays in `dependencies` for its types (src/client/contract.ts).
    noExternal: ['openapi-fetch'],
    // One file per ESM entry, as the CommonJS build has: importing the package reads one module,
    // not the entry plus a shared chunk. The code both entries share is the handler-core registry
    // (src/handler/core.ts), which is process-wide by design, so each entry may carry its own copy.
    splitting: false,
  },
  {
    entry: { bin: 'src/bin.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'node',
    define: { __PACKAGE_VERSION__: JSON.stringify(pkg.version) },
    // As above: the CLI starts without loading openapi-fetch.
    noExternal: ['openapi-fetch'],
  },
]);
