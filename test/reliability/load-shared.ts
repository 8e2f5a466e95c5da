// Shared by the load runner and its upstream: the seeded fault plan. Not a test file.

export const FAULT_RATE = 0.05;
export const SEED = 0x5eed;

export type Outcome = 'ok' | '500' | 'reset';

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: one uniform number in [0, 1) per seed. */
function uniform(seed: number): number {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * What the upstream does with attempt `attempt` (0-based) for request `id`: deterministic, so the
 * runner can predict every request's fate, whatever order the calls arrive in. 5 % fail, half of
 * them with a 500 and half with a connection reset.
 */
export function outcomeFor(id: string, attempt: number): Outcome {
  if (id.startsWith('warm:')) return 'ok';
  const r = uniform((fnv1a(id) ^ SEED) + Math.imul(attempt + 1, 0x9e3779b9));
  if (r >= FAULT_RATE) return 'ok';
  return r < FAULT_RATE / 2 ? '500' : 'reset';
}

/** Outcome letters as the upstream reports them: O ok, E 500, R reset. */
export const LETTER: Record<Outcome, string> = { ok: 'O', '500': 'E', reset: 'R' };
