// One place for the pipeline's file layout, so scripts and tests agree on it.
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OPENAPI_DIR = path.join(ROOT, 'openapi');
export const GENERATED_DIR = path.join(ROOT, 'generated');

/** The pin's files in `dir` (spec:pin --openapi-dir works on a copy of openapi/). */
export function openapiFiles(dir = OPENAPI_DIR) {
  return {
    operations: path.join(dir, 'operations.json'),
    overlay: path.join(dir, 'corrections.overlay.yaml'),
    fragment: path.join(dir, 'realtime.yaml'),
    lock: path.join(dir, 'realtime.lock.json'),
  };
}
export const { fragment: FRAGMENT, lock: LOCK, operations: OPERATIONS } = openapiFiles();

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function rel(p: string): string {
  return path.relative(ROOT, p) || '.';
}

export function readOperations(file = OPERATIONS): string[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { operations?: unknown };
  const ops = parsed.operations;
  if (!Array.isArray(ops) || ops.length === 0 || !ops.every((o) => typeof o === 'string')) {
    throw new Error(`${rel(file)}: "operations" must be a non-empty array of operationId strings`);
  }
  return ops;
}

/**
 * The operations whose generated calls go through the handwritten beta-to-GA fallback
 * (src/client/beta-fallback.ts), with the beta kind it translates.
 */
export function readFallbacks(file = OPERATIONS): Record<string, 'realtime' | 'transcription'> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { fallbacks?: unknown };
  const fallbacks = (parsed.fallbacks ?? {}) as Record<string, unknown>;
  for (const [id, kind] of Object.entries(fallbacks)) {
    if (kind !== 'realtime' && kind !== 'transcription') {
      throw new Error(`${rel(file)}: fallbacks.${id} must be "realtime" or "transcription"`);
    }
  }
  return fallbacks as Record<string, 'realtime' | 'transcription'>;
}

/** The webhooks this SDK ships, by their name in the upstream's `webhooks` map (optional list). */
export function readWebhooks(file = OPERATIONS): string[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { webhooks?: unknown };
  const hooks = parsed.webhooks ?? [];
  if (!Array.isArray(hooks) || !hooks.every((o) => typeof o === 'string')) {
    throw new Error(`${rel(file)}: "webhooks" must be an array of webhook names`);
  }
  return hooks;
}

export function packageVersion(name: string): string {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export interface Lock {
  /** The file or URL the pin was read from. */
  source: string;
  /** Where that file lives upstream, so the same bytes can be fetched again. */
  upstreamRepository: string;
  upstreamPath: string;
  upstreamCommit: string;
  upstreamVersion: string;
  upstreamSha256: string;
  fragment: string;
  fragmentSha256: string;
  operations: string[];
  /** The pinned webhooks, when any. */
  webhooks?: string[];
  correction: {
    applied: boolean;
    file: string;
    sha256: string;
    version: string;
    why: string;
    unmatchedActions: string[];
  };
  tools: Record<string, string>;
}

export function readLock(file = LOCK): Lock {
  return JSON.parse(readFileSync(file, 'utf8')) as Lock;
}
