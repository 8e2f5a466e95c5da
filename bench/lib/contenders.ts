// The per-call contenders. Each is a zero-argument function doing one POST /realtime/sessions
// against the local upstream and returning the parsed session. One client per contender, reused.
import OpenAI from 'openai';
import { API_KEY, REQUEST_HEADERS, SESSION_REQUEST, SESSION_RESPONSE } from './fixtures.js';
import type { BenchSdk, SessionLike } from './sdk.js';

export type Call = () => Promise<SessionLike>;

export const CONTENDER_NAMES = [
  'raw fetch',
  'raw fetch (copy)',
  'createRealtimeSession',
  'WithHttpInfo',
  'openai',
] as const;
/**
 * Raw fetch with one SDK ingredient added at a time, to split the SDK's overhead into what the
 * runtime charges for each feature (section 7).
 */
export const ABLATION_NAMES = [
  'raw fetch + timeout signal',
  'raw fetch + redirect: error',
  'raw fetch + timeout signal + redirect: error',
] as const;
export type ContenderName = (typeof CONTENDER_NAMES)[number] | (typeof ABLATION_NAMES)[number];

export function makeContenders(baseUrl: string, sdk: BenchSdk): Record<ContenderName, Call> {
  const url = `${baseUrl}/realtime/sessions`;

  // Raw fetch: the floor. Same method, URL, headers and body as the SDK sends; parses like it does.
  async function rawFetch(): Promise<SessionLike> {
    const res = await fetch(url, {
      method: 'POST',
      headers: REQUEST_HEADERS,
      body: JSON.stringify(SESSION_REQUEST),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`upstream answered ${res.status}`);
    return JSON.parse(text) as SessionLike;
  }

  // An identical copy, compiled and optimised separately by V8: raw fetch vs this is the noise floor.
  // Written out twice on purpose: closures from one shared factory would share V8's feedback.
  async function rawFetchCopy(): Promise<SessionLike> {
    const res = await fetch(url, {
      method: 'POST',
      headers: REQUEST_HEADERS,
      body: JSON.stringify(SESSION_REQUEST),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`upstream answered ${res.status}`);
    return JSON.parse(text) as SessionLike;
  }

  // What the SDK does per attempt for its default 60 s timeout: a controller, a timer, a signal.
  async function withTimeoutSignal(redirect: RequestRedirect): Promise<SessionLike> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: REQUEST_HEADERS,
        body: JSON.stringify(SESSION_REQUEST),
        signal: controller.signal,
        redirect,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`upstream answered ${res.status}`);
      return JSON.parse(text) as SessionLike;
    } finally {
      clearTimeout(timer);
    }
  }
  // undici clones the request (and tees its body stream) before sending unless redirects are
  // refused: `redirect: 'error'` skips that clone.
  async function redirectError(): Promise<SessionLike> {
    const res = await fetch(url, {
      method: 'POST',
      headers: REQUEST_HEADERS,
      body: JSON.stringify(SESSION_REQUEST),
      redirect: 'error',
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`upstream answered ${res.status}`);
    return JSON.parse(text) as SessionLike;
  }

  const api = new sdk.RealtimeApi({ apiKey: API_KEY, baseUrl, maxRetries: 0 });
  const openai = new OpenAI({ apiKey: API_KEY, baseURL: baseUrl, maxRetries: 0 });
  // openai 7 types `model` as a fixed list that predates 'gpt-realtime'; the wire body is the same.
  const openaiRequest = SESSION_REQUEST as unknown as OpenAI.Beta.Realtime.SessionCreateParams;

  return {
    'raw fetch': rawFetch,
    'raw fetch (copy)': rawFetchCopy,
    createRealtimeSession: () => api.createRealtimeSession(SESSION_REQUEST),
    WithHttpInfo: async () => (await api.createRealtimeSessionWithHttpInfo(SESSION_REQUEST)).data,
    openai: () => openai.beta.realtime.sessions.create(openaiRequest) as Promise<SessionLike>,
    'raw fetch + timeout signal': () => withTimeoutSignal('follow'),
    'raw fetch + redirect: error': redirectError,
    'raw fetch + timeout signal + redirect: error': () => withTimeoutSignal('error'),
  };
}

/** Runs `calls` calls with `concurrency` in flight; returns the elapsed milliseconds. */
export async function runBatch(call: Call, calls: number, concurrency: number): Promise<number> {
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < calls) {
      started++;
      await call();
    }
  };
  const workers = new Array<Promise<void>>(Math.min(concurrency, calls));
  const t0 = performance.now();
  for (let i = 0; i < workers.length; i++) workers[i] = worker();
  await Promise.all(workers);
  return performance.now() - t0;
}

/**
 * Checks that a contender really got the session back (done outside the timed loops): a client
 * that reports failures in its result (openapi-fetch's `error`) would otherwise time its failures.
 */
export async function verify(name: string, call: () => Promise<unknown>): Promise<void> {
  const session = (await call()) as Partial<SessionLike> | undefined;
  if (session?.client_secret?.value !== SESSION_RESPONSE.client_secret.value) {
    throw new Error(`${name}: unexpected answer ${JSON.stringify(session)?.slice(0, 200)}`);
  }
}
