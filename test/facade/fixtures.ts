// Shared values for the facade suites. Not a test file: vitest only collects `*.test.ts`.
import type { RealtimeSessionCreateResponse } from '../../src/index.js';

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
