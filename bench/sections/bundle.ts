// 3. Bundle size: an app that imports only createRealtimeSession, bundled with esbuild, against the
// same app written with openai.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import path from 'node:path';
import { build } from 'esbuild';
import { SDK_DIR, ROOT } from '../lib/build.js';
import { table, type Section } from '../lib/report.js';
import { fmt } from '../lib/stats.js';

const APPS = {
  'realtime-sessions': [
    `import { createRealtimeSession } from ${JSON.stringify(path.join(SDK_DIR, 'index.js'))};`,
    "const session = await createRealtimeSession({ model: 'gpt-realtime' }, { apiKey: globalThis.KEY });",
    'console.log(session.client_secret.value);',
  ].join('\n'),
  openai: [
    "import OpenAI from 'openai';",
    "const session = await new OpenAI({ apiKey: globalThis.KEY }).beta.realtime.sessions.create({ model: 'gpt-realtime' });",
    'console.log(session.client_secret.value);',
  ].join('\n'),
};

export interface BundleSize {
  minified: number;
  gzip: number;
  brotli: number;
  /** Minified bytes contributed by each input file. */
  inputs: Record<string, number>;
}

export async function bundleSize(contents: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    define: { __PACKAGE_VERSION__: '"0.0.0"' },
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  return {
    inputs: Object.fromEntries(Object.entries(output.inputs).map(([file, v]) => [file, v.bytesInOutput])),
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.byteLength },
    }).byteLength,
  };
}

export async function runBundle(): Promise<Section> {
  const ours = await bundleSize(APPS['realtime-sessions']);
  const theirs = await bundleSize(APPS.openai);
  // The same app built from src/, so the bytes can be split per source file (openapi-fetch's share
  // included: the SDK calls its `createFinalURL`, the rest of it tree-shakes).
  const fromSrc = await bundleSize(
    APPS['realtime-sessions'].replace(
      JSON.stringify(path.join(SDK_DIR, 'index.js')),
      JSON.stringify(path.join(ROOT, 'src', 'index.ts')),
    ),
  );
  const composition = Object.entries(fromSrc.inputs)
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([file, bytes]) => [
      `\`${file.replace(/^node_modules\//, '')}\``,
      fmt(bytes),
      `${((bytes / fromSrc.minified) * 100).toFixed(0)} %`,
    ]);
  const openapiFetchBytes = Object.entries(fromSrc.inputs)
    .filter(([file]) => file.includes('node_modules/openapi-fetch/'))
    .reduce((sum, [, bytes]) => sum + bytes, 0);
  const row = (name: string, s: BundleSize): string[] => [name, fmt(s.minified), fmt(s.gzip), fmt(s.brotli)];
  const body = [
    'esbuild JS API, `bundle: true, minify: true, format: "esm"`, platform browser; gzip level 9,',
    'brotli quality 11. Bytes (1 kB = 1000 B, as size-limit counts).',
    '',
    table(
      ['app', 'minified B', 'gzip B', 'brotli B'],
      [
        row('imports only `createRealtimeSession` (dist/index.js)', ours),
        row('same app with `openai`', theirs),
        [
          'ratio ours / openai',
          (ours.minified / theirs.minified).toFixed(3),
          (ours.gzip / theirs.gzip).toFixed(3),
          (ours.brotli / theirs.brotli).toFixed(3),
        ],
      ],
      ['l', 'r', 'r', 'r'],
    ),
    '',
    `Where the minified bytes come from (the same app bundled from src/, ${fmt(fromSrc.minified)} B minified, ${fmt(fromSrc.brotli)} B brotli):`,
    '',
    table(['input', 'minified B', 'share'], composition, ['l', 'r', 'r']),
  ].join('\n');
  return {
    title: '3. Bundle size',
    body,
    facts: {
      'bundle.brotli': ours.brotli,
      'bundle.minified': ours.minified,
      'bundle.openapiFetchMinified': openapiFetchBytes,
      'bundle.fromSrcMinified': fromSrc.minified,
      'bundle.openaiBrotli': theirs.brotli,
    },
    targets: [
      {
        name: 'bundle (createRealtimeSession only), brotli',
        goal: '< 4 kB (4000 B)',
        measured: `${fmt(ours.brotli)} B`,
        met: ours.brotli < 4000,
      },
    ],
  };
}
