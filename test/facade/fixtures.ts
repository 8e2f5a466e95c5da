// Shared values for the facade suites. Not a test file: vitest only collects `*.test.ts`.
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { RealtimeApi, type ClientOptions, type RealtimeSessionCreateResponse } from '../../src/index.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';

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
 * Starts a scripted server before the suite (handing it to `assign`), resets it and unstubs the
 * environment after each test, and closes it after the suite.
 */
export function useScriptedServer(assign: (server: ScriptedServer) => void): void {
  let server: ScriptedServer | undefined;
  beforeAll(async () => {
    server = await startScriptedServer();
    assign(server);
  });
  afterEach(() => {
    server?.reset();
    vi.unstubAllEnvs();
  });
  afterAll(() => server?.close());
}

/** A client for `server`'s `/v1` with the facade suites' API key; `options` win. */
export function facadeClient(server: ScriptedServer, options: ClientOptions = {}): RealtimeApi {
  return new RealtimeApi({ apiKey: API_KEY, baseUrl: `${server.url}/v1`, ...options });
}
