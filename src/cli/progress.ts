// What a request in flight is doing, for a person watching a terminal. The SDK has no retry hook,
// so the CLI hands the client a `fetch` that watches: each call of it is one attempt, a call to
// the same URL as the last is a retry, and its reason is what the last attempt got. A call to
// another URL is the beta fallback moving on to POST /realtime/client_secrets.
import type { Fetch } from '../client/options.js';

/** What the progress lines name: the command's action and the limits the client runs with. */
export interface ProgressPlan {
  /** What the command does, e.g. `minting a client secret`. */
  doing: string;
  /** Per-attempt timeout the client was given, to name it when an attempt runs out of time. */
  timeoutMs: number;
  maxRetries: number;
}

/** One attempt, as the next one needs to describe it. */
interface Attempt {
  /** `POST https://…/realtime/client_secrets`, without query or credentials. */
  target: string;
  /** Retries of `target` before this attempt. */
  retries: number;
  signal: AbortSignal | null | undefined;
  /** The status answered, or the error `fetch` threw; `undefined` while in flight. */
  outcome?: { status: number } | { error: unknown };
}

/**
 * A `fetch` that calls `globalThis.fetch` (looked up per call, as the client does) and tells
 * `say` one line before each attempt: the first names the action and the request, each retry its
 * number and the reason.
 */
export function progressFetch(say: (line: string) => void, plan: ProgressPlan): Fetch {
  let last: Attempt | undefined;
  return async (input, init) => {
    const target = `${init?.method ?? 'GET'} ${shownUrl(input)}`;
    const retries = last?.target === target ? last.retries + 1 : 0;
    if (last === undefined) say(`${plan.doing}: ${target} …`);
    else if (retries > 0) say(`retry ${retries} of ${plan.maxRetries} after ${reason(last, plan)} …`);
    else say(`${target} instead, after ${reason(last, plan)} …`);
    const attempt: Attempt = { target, retries, signal: init?.signal };
    last = attempt;
    try {
      const response = await globalThis.fetch(input, init);
      attempt.outcome = { status: response.status };
      return response;
    } catch (error) {
      attempt.outcome = { error };
      throw error;
    }
  };
}

/** Why the next attempt is made, from what `attempt` got. */
function reason(attempt: Attempt, plan: ProgressPlan): string {
  // The client aborts an attempt's signal only when its time is up (the CLI passes no signal of
  // its own), and that may happen after the headers, while the body is read.
  if (attempt.signal?.aborted === true) return `no complete answer within ${plan.timeoutMs} ms`;
  const outcome = attempt.outcome;
  if (outcome === undefined) return 'an attempt that did not finish';
  if ('status' in outcome) {
    // A 2xx is retried only when its body broke off.
    return outcome.status >= 200 && outcome.status < 300
      ? `an answer that broke off (status ${outcome.status})`
      : `status ${outcome.status}`;
  }
  return `a connection error (${connectionDetail(outcome.error)})`;
}

/**
 * The useful part of a failed fetch: Node's rejects with `TypeError('fetch failed')` and keeps the
 * code (ECONNREFUSED…) or the reason one level down, in `cause`.
 */
function connectionDetail(error: unknown): string {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(inner instanceof Error)) return String(inner);
  const code = (inner as { code?: unknown }).code;
  return typeof code === 'string' ? code : inner.message;
}

/** The URL without its query or any `user:password@`, which may hold credentials. */
function shownUrl(input: string | URL | Request): string {
  const url = new URL(input instanceof Request ? input.url : String(input));
  return `${url.origin}${url.pathname}`;
}
