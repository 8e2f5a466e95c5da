// The per-call contenders. Each is a zero-argument function doing one POST /realtime/sessions
// against the local upstream and returning the parsed session. One client per contender, reused.
import OpenAI from 'openai';
import {
  API_KEY,
  BETA_RETIRED_BODY,
  CLIENT_SECRET_RESPONSE,
  GA_REQUEST,
  REQUEST_HEADERS,
  SESSION_REQUEST,
  SESSION_RESPONSE,
} from './fixtures.js';
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
/**
 * Against the upstream in `live` mode (beta path retired, children/upstream.ts): the SDK's beta call
 * once its client has seen the retirement, so every call goes straight to `POST /realtime/client_secrets`
 * with the translated body, against raw fetch POSTing that same GA body there.
 */
export const GA_CONTENDER_NAMES = [
  'raw fetch (GA)',
  'createRealtimeSession (GA, fallback remembered)',
] as const;
export type GaContenderName = (typeof GA_CONTENDER_NAMES)[number];
export type ContenderName =
  (typeof CONTENDER_NAMES)[number] | (typeof ABLATION_NAMES)[number] | GaContenderName;

/**
 * Every contender. The GA ones need `liveBaseUrl` (an upstream in `live` mode); without it they
 * throw when called, so jobs that never name them need not start that upstream.
 */
export function makeContenders(
  baseUrl: string,
  sdk: BenchSdk,
  liveBaseUrl?: string,
): Record<ContenderName, Call> {
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
    ...makeGaContenders(liveBaseUrl, sdk),
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

/** The GA contenders against the upstream in `live` mode. Call {@link primeGa} before timing them. */
function makeGaContenders(liveBaseUrl: string | undefined, sdk: BenchSdk): Record<GaContenderName, Call> {
  if (!liveBaseUrl) {
    const missing = (): Promise<SessionLike> => Promise.reject(new Error('no live upstream (liveBaseUrl)'));
    return { 'raw fetch (GA)': missing, 'createRealtimeSession (GA, fallback remembered)': missing };
  }
  const url = `${liveBaseUrl}/realtime/client_secrets`;
  const body = JSON.stringify(GA_REQUEST);
  // The GA floor: the same shape as raw fetch above, POSTing the body the SDK sends to the GA path.
  // It returns the GA answer as is (no translation back: that is the SDK's extra work).
  async function rawFetchGa(): Promise<SessionLike> {
    const res = await fetch(url, { method: 'POST', headers: REQUEST_HEADERS, body });
    const text = await res.text();
    if (!res.ok) throw new Error(`upstream answered ${res.status}`);
    // The GA shape, `{ value, expires_at, session }`: `verify` knows this contender answers it.
    return JSON.parse(text) as SessionLike;
  }
  // Default `betaEndpoints: 'fallback'`: its first call (primeGa) meets the 404 and falls back, and the
  // client remembers it, so the timed calls go to the GA path directly.
  const remembered = new sdk.RealtimeApi({ apiKey: API_KEY, baseUrl: liveBaseUrl, maxRetries: 0 });
  return {
    'raw fetch (GA)': rawFetchGa,
    'createRealtimeSession (GA, fallback remembered)': () =>
      remembered.createRealtimeSession(SESSION_REQUEST),
  };
}

/**
 * Before any GA contender is timed: checks on a recording client that the SDK falls back exactly as
 * measured (first call: the beta path answers the live 404 body, then one POST /realtime/client_secrets
 * with GA_REQUEST's bytes; second call: that GA POST only), then makes the measured client's first
 * call, the one that falls back. Throws if anything differs.
 */
export async function primeGa(
  sdk: BenchSdk,
  liveBaseUrl: string,
  contenders: Record<ContenderName, Call>,
): Promise<void> {
  const seen: string[] = [];
  const recording = new sdk.RealtimeApi({
    apiKey: API_KEY,
    baseUrl: liveBaseUrl,
    maxRetries: 0,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      const path = String(input instanceof Request ? input.url : input).slice(liveBaseUrl.length);
      const text = await res.clone().text();
      seen.push(`${path} ${res.status} ${String(init?.body)}${res.status === 404 ? ` → ${text}` : ''}`);
      return res;
    },
  });
  const gaLine = `/realtime/client_secrets 200 ${JSON.stringify(GA_REQUEST)}`;
  const expected = [
    `/realtime/sessions 404 ${JSON.stringify(SESSION_REQUEST)} → ${BETA_RETIRED_BODY}`,
    gaLine,
    gaLine,
  ];
  await verify('fallback check, first call', () => recording.createRealtimeSession(SESSION_REQUEST));
  await verify('fallback check, second call', () => recording.createRealtimeSession(SESSION_REQUEST));
  if (seen.join('\n') !== expected.join('\n')) {
    throw new Error(
      `the SDK's fallback is not what the GA rows assume.\nexpected:\n${expected.join('\n')}\nsaw:\n${seen.join('\n')}`,
    );
  }
  // The measured client's own first call: beta 404, then GA. From here on it calls GA only.
  await verify(
    'createRealtimeSession (GA), first call',
    contenders['createRealtimeSession (GA, fallback remembered)'],
  );
  const translated = await contenders['createRealtimeSession (GA, fallback remembered)']();
  if ((translated as { voice?: unknown }).voice !== CLIENT_SECRET_RESPONSE.session.audio.output.voice) {
    throw new Error(
      `the GA answer did not come back in the beta shape: ${JSON.stringify(translated).slice(0, 200)}`,
    );
  }
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
 * The GA floor answers the GA shape (the secret at the top level); every other contender the beta one.
 */
export async function verify(name: string, call: () => Promise<unknown>): Promise<void> {
  const answer = (await call()) as (Partial<SessionLike> & { value?: unknown }) | undefined;
  const value = name === 'raw fetch (GA)' ? answer?.value : answer?.client_secret?.value;
  if (value !== SESSION_RESPONSE.client_secret.value) {
    throw new Error(`${name}: unexpected answer ${JSON.stringify(answer)?.slice(0, 200)}`);
  }
}
