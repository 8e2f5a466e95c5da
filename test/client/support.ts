// Shared values for the facade suites. Not a test file: vitest only collects `*.test.ts`.
import { vi } from 'vitest';
import { RealtimeApi, type ClientOptions, type RealtimeSessionCreateResponse } from '../../src/index.js';
import type { ScriptedServer } from '../helpers/scripted-server.js';

export const API_KEY = 'sk-test-facade-0123456789';

/** A session as the upstream returns it. */
export const SESSION: RealtimeSessionCreateResponse = {
  id: 'sess_001',
  object: 'realtime.session',
  model: 'gpt-realtime',
  modalities: ['audio', 'text'],
  voice: 'verse',
  client_secret: { value: 'ek_facade_test_secret', expires_at: 1_900_000_000 },
};

/** Milliseconds since `start`, for timing assertions. */
export function since(start: number): number {
  return performance.now() - start;
}

/** Awaits a promise that must reject, and returns the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/**
 * Keeps the developer's own environment out of the tests that rely on defaults (useScriptedServer
 * unstubs it after each test).
 */
export function clearOpenAiEnv(): void {
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID'])
    vi.stubEnv(name, '');
}

/** Runs `run` where `window` and `document` exist, as in a browser, and removes them again. */
export function withBrowserGlobals<T>(run: () => T): T {
  const scope = globalThis as { window?: unknown; document?: unknown };
  scope.window = {};
  scope.document = {};
  try {
    return run();
  } finally {
    delete scope.window;
    delete scope.document;
  }
}

/** A client for `server`'s `/v1` with the facade suites' API key; `options` win. */
export function facadeClient(server: ScriptedServer, options: ClientOptions = {}): RealtimeApi {
  return new RealtimeApi({ apiKey: API_KEY, baseUrl: `${server.url}/v1`, ...options });
}
