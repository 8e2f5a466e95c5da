import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig([
  {
    // `validate` is the token route's field validators (generated from the pinned fragment), which
    // the route imports on first use; both builds load the ESM file, as Node allows from CommonJS.
    entry: { index: 'src/index.ts', node: 'src/node.ts', validate: 'src/handler/validate.ts' },
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
    // No openapi-fetch runtime is imported (its `createFinalURL` is a concatenation for our
    // parameterless, query-free paths): it stays in `dependencies` for its types
    // (src/client/contract.ts), and importing the package never loads its module.
    // One file per ESM entry, as the CommonJS build has: importing the package reads one module,
    // not the entry plus a shared chunk. The code both entries share is the handler-core registry
    // (src/handler/core.ts), which is process-wide by design, so each entry may carry its own copy.
    splitting: false,
    // The field validators stay out of dist/index.js: src/handler/validators-loader.ts imports
    // them on first use from their own file, dist/validate.js.
    esbuildPlugins: [
      {
        name: 'validators-apart',
        setup(build) {
          build.onResolve({ filter: /^\.\/validate\.js$/ }, (args) =>
            args.importer.endsWith('validators-loader.ts')
              ? { path: './validate.js', external: true }
              : undefined,
          );
        },
      },
    ],
  },
  {
    entry: { bin: 'src/bin.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'node',
    define: { __PACKAGE_VERSION__: JSON.stringify(pkg.version) },
  },
]);
