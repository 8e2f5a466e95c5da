// 3. Bundle size: an app that imports only createRealtimeClientSecret (the GA call) and one that
// imports only createRealtimeSession (the beta call, with its fallback to GA and the beta ↔ GA
// translation), bundled with esbuild, against the same app written with openai; plus size-limit's
// own count of both (the gate in .size-limit.json), run on the same snapshot of dist/.
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { OUT_DIR, SDK_DIR, ROOT } from '../lib/build.js';
import { exec } from '../lib/procs.js';
import { table, type Section, type Target } from '../lib/report.js';
import { fmt } from '../lib/stats.js';

const DIST_INDEX = JSON.stringify(path.join(SDK_DIR, 'index.js'));
const SRC_INDEX = JSON.stringify(path.join(ROOT, 'src', 'index.ts'));

const APPS = {
  ga: [
    `import { createRealtimeClientSecret } from ${DIST_INDEX};`,
    "const secret = await createRealtimeClientSecret({ session: { type: 'realtime', model: 'gpt-realtime' } }, { apiKey: globalThis.KEY });",
    'console.log(secret.value);',
  ].join('\n'),
  session: [
    `import { createRealtimeSession } from ${DIST_INDEX};`,
    "const session = await createRealtimeSession({ model: 'gpt-realtime' }, { apiKey: globalThis.KEY });",
    'console.log(session.client_secret.value);',
  ].join('\n'),
  openai: [
    "import OpenAI from 'openai';",
    "const session = await new OpenAI({ apiKey: globalThis.KEY }).beta.realtime.sessions.create({ model: 'gpt-realtime' });",
    'console.log(session.client_secret.value);',
  ].join('\n'),
};

/** Budgets, brotli B (1 kB = 1000 B, as size-limit counts). */
const GA_BUDGET = 3_600;
const SESSION_TARGET = 4_600;
/** Where the translation lives in src/, and strings only it contains (to find it in a dist/ bundle). */
const TRANSLATE_FILE = 'src/client/beta-translate.ts';
const FALLBACK_FILE = 'src/client/beta-fallback.ts';
const TRANSLATE_MARKERS = ['session.audio.input.format', 'GA sessions have no sampling temperature'];

export interface BundleSize {
  minified: number;
  gzip: number;
  brotli: number;
  /** Minified bytes contributed by each input file. */
  inputs: Record<string, number>;
  code: string;
}

const brotli = (code: Uint8Array): number =>
  brotliCompressSync(code, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.byteLength },
  }).byteLength;

export async function bundleSize(contents: string, plugins: Plugin[] = []): Promise<BundleSize> {
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
    plugins,
  });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  return {
    inputs: Object.fromEntries(Object.entries(output.inputs).map(([file, v]) => [file, v.bytesInOutput])),
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotli(code),
    code: result.outputFiles[0].text,
  };
}

/**
 * src/client/beta-translate.ts replaced by two identity functions: the session app without the
 * translation, so its brotli share can be read off (compression is not additive: an estimate).
 */
const stubTranslation: Plugin = {
  name: 'stub-beta-translate',
  setup(b) {
    b.onResolve({ filter: /\/beta-translate\.js$/ }, () => ({ path: 'beta-translate', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export const toGaRequest = (k, r) => r; export const fromGaResponse = (k, a) => a;',
      loader: 'js',
    }));
  },
};

interface SizeLimitEntry {
  name: string;
  size: number;
  sizeLimit?: number;
  passed?: boolean;
}

/**
 * size-limit (the gate `npm run build` runs) with the project's .size-limit.json, on the bench's
 * snapshot of dist/ (its paths are relative to the config, and the snapshot is OUT_DIR/dist).
 * Undefined when it cannot run; the section then reports this bench's own build only.
 */
async function sizeLimit(): Promise<{ entries: SizeLimitEntry[] } | { error: string }> {
  try {
    writeFileSync(
      path.join(OUT_DIR, '.size-limit.json'),
      readFileSync(path.join(ROOT, '.size-limit.json'), 'utf8'),
    );
    const result = await exec('npx', ['size-limit', '--json'], { cwd: OUT_DIR, timeoutMs: 120_000 });
    // It exits 1 when a limit is exceeded, still printing the JSON.
    const entries = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as SizeLimitEntry[];
    if (!Array.isArray(entries)) throw new Error(result.stderr.slice(-500));
    return { entries };
  } catch (error) {
    return { error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

/** size-limit's entry for the app importing `name`, matched by its `import`-naming title. */
const entryFor = (entries: SizeLimitEntry[], name: string): SizeLimitEntry | undefined =>
  entries.find((e) => new RegExp(`\\b${name}\\b`).test(e.name));

export async function runBundle(): Promise<Section> {
  const ga = await bundleSize(APPS.ga);
  const ours = await bundleSize(APPS.session);
  const theirs = await bundleSize(APPS.openai);
  // The same apps built from src/, so the bytes can be split per source file (openapi-fetch's share
  // included, none now: the SDK uses only its types).
  const gaSrc = await bundleSize(APPS.ga.replace(DIST_INDEX, SRC_INDEX));
  const fromSrc = await bundleSize(APPS.session.replace(DIST_INDEX, SRC_INDEX));
  const noTranslation = await bundleSize(APPS.session.replace(DIST_INDEX, SRC_INDEX), [stubTranslation]);
  const limits = await sizeLimit();

  const inputBytes = (s: BundleSize, file: string): number => s.inputs[file] ?? 0;
  const files = [...new Set([...Object.keys(fromSrc.inputs), ...Object.keys(gaSrc.inputs)])]
    .filter((file) => inputBytes(fromSrc, file) > 0 || inputBytes(gaSrc, file) > 0)
    .sort((a, b) => inputBytes(fromSrc, b) - inputBytes(fromSrc, a));
  const share = (s: BundleSize, file: string): string =>
    inputBytes(s, file) > 0
      ? `${fmt(inputBytes(s, file))} (${((inputBytes(s, file) / s.minified) * 100).toFixed(0)} %)`
      : '—';
  const composition = files.map((file) => [
    `\`${file.replace(/^node_modules\//, '')}\``,
    share(fromSrc, file),
    share(gaSrc, file),
  ]);
  const openapiFetchBytes = Object.entries(fromSrc.inputs)
    .filter(([file]) => file.includes('node_modules/openapi-fetch/'))
    .reduce((sum, [, bytes]) => sum + bytes, 0);

  // The GA app must not carry the translation: checked in the src/ build (by file) and in the
  // dist/ build (by strings only the translation has).
  const gaTranslateBytes = inputBytes(gaSrc, TRANSLATE_FILE);
  const gaMarkers = TRANSLATE_MARKERS.filter((m) => ga.code.includes(m));
  const sessionMarkers = TRANSLATE_MARKERS.filter((m) => ours.code.includes(m));
  const translationInGa = gaTranslateBytes > 0 || gaMarkers.length > 0;
  const translateMinified = inputBytes(fromSrc, TRANSLATE_FILE);
  const fallbackMinified = inputBytes(fromSrc, FALLBACK_FILE);
  const translateBrotli = fromSrc.brotli - noTranslation.brotli;

  const limitEntries = 'entries' in limits ? limits.entries : [];
  const gaLimit = entryFor(limitEntries, 'createRealtimeClientSecret');
  const sessionLimit = entryFor(limitEntries, 'createRealtimeSession');
  /** The verdict uses size-limit's count when it ran (it is the gate), else this bench's build. */
  const measured = (bench: number, limit: SizeLimitEntry | undefined): { bytes: number; text: string } =>
    limit
      ? {
          bytes: limit.size,
          text: `${fmt(limit.size)} B (size-limit; this bench's esbuild build: ${fmt(bench)} B)`,
        }
      : { bytes: bench, text: `${fmt(bench)} B (this bench's esbuild build; size-limit did not run)` };
  const gaMeasured = measured(ga.brotli, gaLimit);
  const sessionMeasured = measured(ours.brotli, sessionLimit);

  const row = (name: string, s: BundleSize, limit?: SizeLimitEntry): string[] => [
    name,
    fmt(s.minified),
    fmt(s.gzip),
    fmt(s.brotli),
    limit ? `${fmt(limit.size)}${limit.sizeLimit ? ` (gate ${fmt(limit.sizeLimit)})` : ''}` : '—',
  ];
  const ratio = (a: BundleSize): string[] => [
    (a.minified / theirs.minified).toFixed(3),
    (a.gzip / theirs.gzip).toFixed(3),
    (a.brotli / theirs.brotli).toFixed(3),
    '',
  ];
  const body = [
    'esbuild JS API, `bundle: true, minify: true, format: "esm"`, platform browser; gzip level 9,',
    'brotli quality 11. Bytes (1 kB = 1000 B, as size-limit counts). The size-limit column is',
    "`npx size-limit --json` with the project's .size-limit.json on the same snapshot of dist/ (the",
    '`npm run build` gate); the targets are judged on it when it ran.',
    'entries' in limits ? '' : `size-limit did not run: ${limits.error}.`,
    '',
    table(
      ['app', 'minified B', 'gzip B', 'brotli B', 'size-limit B'],
      [
        row('imports only `createRealtimeClientSecret` (dist/index.js)', ga, gaLimit),
        row('imports only `createRealtimeSession` (dist/index.js)', ours, sessionLimit),
        row('same app with `openai` (beta sessions.create)', theirs),
        ['ratio `createRealtimeClientSecret` app / openai', ...ratio(ga)],
        ['ratio `createRealtimeSession` app / openai', ...ratio(ours)],
      ],
      ['l', 'r', 'r', 'r', 'r'],
    ),
    '',
    `What \`createRealtimeSession\` carries beyond \`createRealtimeClientSecret\`: ${fmt(ours.brotli - ga.brotli)} B brotli`,
    `(${fmt(ours.minified - ga.minified)} B minified), the beta call with its fallback to GA. In the build from src/,`,
    `the translation (\`${TRANSLATE_FILE}\`) is ${fmt(translateMinified)} B minified and the fallback`,
    `(\`${FALLBACK_FILE}\`) ${fmt(fallbackMinified)} B; with the translation replaced by two identity functions the`,
    `session app is ${fmt(noTranslation.brotli)} B brotli instead of ${fmt(fromSrc.brotli)} B, so the translation costs about`,
    `${fmt(translateBrotli)} B brotli (compression is not additive: an estimate). The GA app carries none of it:`,
    `${TRANSLATE_FILE} contributes ${fmt(gaTranslateBytes)} B to its src/ build, and its dist/ bundle contains`,
    `${gaMarkers.length === 0 ? 'none' : gaMarkers.map((m) => `"${m}"`).join(', ')} of the translation's own strings`,
    `(${TRANSLATE_MARKERS.map((m) => `"${m}"`).join(', ')}; the session app's bundle contains ${sessionMarkers.length} of ${TRANSLATE_MARKERS.length}).`,
    '',
    `Where the minified bytes come from (the same apps bundled from src/: \`createRealtimeSession\` ${fmt(fromSrc.minified)} B`,
    `minified, ${fmt(fromSrc.brotli)} B brotli; \`createRealtimeClientSecret\` ${fmt(gaSrc.minified)} B minified, ${fmt(gaSrc.brotli)} B brotli):`,
    '',
    table(
      ['input', '`createRealtimeSession` app, minified B (share)', '`createRealtimeClientSecret` app'],
      composition,
      ['l', 'r', 'r'],
    ),
  ]
    .filter((line, i, all) => !(line === '' && all[i - 1] === ''))
    .join('\n');

  const targets: Target[] = [
    {
      name: 'bundle (createRealtimeClientSecret only), brotli',
      goal: `≤ 3.6 kB (${fmt(GA_BUDGET)} B)`,
      measured: gaMeasured.text,
      met: gaMeasured.bytes <= GA_BUDGET,
    },
    {
      name: 'bundle (createRealtimeClientSecret only): no beta ↔ GA translation in it',
      goal: `0 B of ${TRANSLATE_FILE}, none of its strings`,
      measured: `${fmt(gaTranslateBytes)} B, ${gaMarkers.length} of ${TRANSLATE_MARKERS.length} strings`,
      met: !translationInGa,
    },
    {
      name: 'bundle (createRealtimeSession only, translation included), brotli',
      goal: `≤ 4.6 kB (${fmt(SESSION_TARGET)} B)`,
      measured: `${sessionMeasured.text}; translation ≈ ${fmt(translateBrotli)} B of it`,
      met: sessionMeasured.bytes <= SESSION_TARGET,
    },
  ];
  return {
    title: '3. Bundle size',
    body,
    facts: {
      'bundle.brotli': ours.brotli,
      'bundle.minified': ours.minified,
      'bundle.sizeLimit': sessionLimit?.size ?? Number.NaN,
      'bundle.sizeLimitGate': sessionLimit?.sizeLimit ?? Number.NaN,
      'bundle.gaBrotli': ga.brotli,
      'bundle.gaSizeLimit': gaLimit?.size ?? Number.NaN,
      'bundle.translationInGa': translationInGa ? 1 : 0,
      'bundle.sessionOverGaBrotli': ours.brotli - ga.brotli,
      'bundle.translateMinified': translateMinified,
      'bundle.fallbackMinified': fallbackMinified,
      'bundle.translateBrotli': translateBrotli,
      'bundle.openapiFetchMinified': openapiFetchBytes,
      'bundle.fromSrcMinified': fromSrc.minified,
      'bundle.openaiBrotli': theirs.brotli,
    },
    targets,
  };
}
