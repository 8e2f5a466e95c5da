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
  },
  {
    entry: { bin: 'src/bin.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'node',
    define: { __PACKAGE_VERSION__: JSON.stringify(pkg.version) },
  },
]);
