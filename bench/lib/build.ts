// Build steps the bench needs before measuring:
//  - the package itself (dist/), rebuilt with tsup when src/ is newer than dist/;
//  - the bench's own child processes, compiled from TypeScript to plain ESM so they run under
//    plain `node` (no tsx loader in any measured process). Relative imports are bundled in: that
//    is how children/translate.ts gets src/client/beta-translate.ts, which dist/ does not export.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { exec } from './procs.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const BENCH_DIR = path.join(ROOT, 'bench');
export const DIST_DIR = path.join(ROOT, 'dist');
/** Compiled children; removed again when the bench ends. */
export const OUT_DIR = path.join(BENCH_DIR, '.build');
/**
 * The copy of dist/ every part of a run measures. Taken once at the start, so a `tsup` run
 * elsewhere (it empties dist/ first) cannot break or change the package in the middle of a run.
 */
export const SDK_DIR = path.join(OUT_DIR, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds dist/ with tsup alone when it is missing or older than src/ (size-limit is measured here). */
export async function ensurePackageBuilt(force: boolean, log: (line: string) => void): Promise<void> {
  const entry = path.join(DIST_DIR, 'index.js');
  const stale =
    force ||
    !existsSync(entry) ||
    !existsSync(path.join(DIST_DIR, 'node.js')) ||
    newestMtime(path.join(ROOT, 'src')) > statSync(entry).mtimeMs;
  if (!stale) {
    log('dist/ is up to date with src/');
    return;
  }
  log('building dist/ with `npx tsup` …');
  const result = await exec('npx', ['tsup'], { cwd: ROOT, timeoutMs: 180_000 });
  if (result.code !== 0) {
    throw new Error(
      `npx tsup failed (${result.code}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
    );
  }
  log(`built dist/ in ${(result.wallMs / 1000).toFixed(1)} s`);
}

export const CHILDREN = [
  'upstream',
  'percall',
  'memory',
  'server',
  'cpu',
  'translate',
  'stand-in',
  'delay-proxy',
  'connect-app',
  'sdp-server',
  'sdp-client',
] as const;
export type ChildName = (typeof CHILDREN)[number];

export async function buildChildren(): Promise<Record<ChildName, string>> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  await build({
    entryPoints: CHILDREN.map((name) => path.join(BENCH_DIR, 'children', `${name}.ts`)),
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  return Object.fromEntries(CHILDREN.map((name) => [name, path.join(OUT_DIR, `${name}.mjs`)])) as Record<
    ChildName,
    string
  >;
}

/**
 * Fallback while the package does not export createSessionHandler yet: src/handler/index.ts bundled on
 * its own (same esbuild, dependencies external), so the handler benchmark can still run.
 */
export async function buildHandlerFallback(): Promise<string> {
  const out = path.join(OUT_DIR, 'sdk-handler.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'src', 'handler', 'index.ts')],
    outfile: out,
    bundle: true,
    packages: 'external',
    platform: 'neutral',
    format: 'esm',
    target: 'es2022',
    define: { __PACKAGE_VERSION__: '"bench"' },
    logLevel: 'error',
  });
  return out;
}

/** Copies dist/ to SDK_DIR (call after buildChildren, which empties OUT_DIR). */
export async function snapshotPackage(log: (line: string) => void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (existsSync(path.join(DIST_DIR, 'index.js')) && existsSync(path.join(DIST_DIR, 'node.js'))) {
      rmSync(SDK_DIR, { recursive: true, force: true });
      cpSync(DIST_DIR, SDK_DIR, { recursive: true });
      if (existsSync(path.join(SDK_DIR, 'index.js')) && existsSync(path.join(SDK_DIR, 'node.js'))) return;
    }
    if (attempt >= 2) throw new Error('dist/ keeps disappearing (another build running?); try again');
    log('dist/ is incomplete (another build running?): building it again');
    await ensurePackageBuilt(true, log);
  }
}

export function removeChildren(): void {
  rmSync(OUT_DIR, { recursive: true, force: true });
}
