// Shared values and helpers for the reliability suites. Not a test file: vitest only collects `*.test.ts`.
import { writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import type { Fetch } from '../../src/index.js';

/** A recognisable API key: it must never show up in an error, a log line or an answer. */
export const LEAK_KEY = 'sk-LEAKCHECK-k3y0123456789abcdefXYZ';
/** A recognisable minted secret, for the same checks. */
export const LEAK_SECRET = 'ek_LEAKCHECK_s3cret0123456789abcdef';
/** An API key for suites that do not look for leaks. */
export const API_KEY = 'sk-reliability-0123456789abcdef';

/** What a healthy upstream answers. */
export const SESSION = {
  id: 'sess_rel_001',
  object: 'realtime.session',
  model: 'gpt-realtime',
  voice: 'verse',
  client_secret: { value: 'ek_reliability_secret_0123456789', expires_at: 1_900_000_000 },
} as const;

export function since(start: number): number {
  return performance.now() - start;
}

/** Settles a promise into a value or an error, never throwing. */
export async function settle<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A `fetch` that counts calls (client-side attempts) and delegates to the global one. */
export function countingFetch(): { fetch: Fetch; readonly calls: number } {
  let calls = 0;
  return {
    fetch: (input, init) => {
      calls++;
      return globalThis.fetch(input, init);
    },
    get calls() {
      return calls;
    },
  };
}

/** Writes a markdown file formatted the way `prettier --check .` expects. */
export async function writeMarkdown(url: URL, markdown: string): Promise<void> {
  const file = url.pathname;
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(markdown, { ...config, parser: 'markdown' }));
}

/** Escapes a table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
