// CPU-only cost of the client layers, without a network: every contender gets a stub `fetch` that
// answers a fresh `Response` with the fixture session (Content-Length set, as the real API does).
// Rounds alternate like the per-call job; results are per-round differences against the stub
// baseline, i.e. what each layer adds in µs of CPU per call.
import OpenAI from 'openai';
import createClient, { createQuerySerializer } from 'openapi-fetch';
import type { paths } from '../../generated/openapi.js';
import { readConfig, runMain } from '../lib/child.js';
import { API_KEY, CPU_BASELINE, SESSION_REQUEST, SESSION_RESPONSE } from '../lib/fixtures.js';
import { loadSdk } from '../lib/sdk.js';

export interface CpuConfig {
  rounds: number;
  calls: number;
  warmupCalls: number;
}

export interface CpuResult {
  calls: number;
  /** Elapsed ms per round, per contender. */
  elapsedMs: Record<string, number[]>;
}

const BASE_URL = 'http://127.0.0.1:9/v1';
const TEXT = JSON.stringify(SESSION_RESPONSE);
const RESPONSE_HEADERS = {
  'content-type': 'application/json',
  'content-length': String(Buffer.byteLength(TEXT)),
  'x-request-id': 'req_4b7f0c2e9a1d8f3e6b5c4a2d1e0f9a8b',
};
const stubFetch = async (_input: unknown, _init?: unknown): Promise<Response> =>
  new Response(TEXT, { status: 200, headers: RESPONSE_HEADERS });

/** The shape the SDK hands openapi-fetch instead of a DOM Request (see src/client.ts). */
class PreparedRequest {
  readonly url: string;
  readonly method: string;
  readonly body: BodyInit | null | undefined;
  readonly signal: AbortSignal | null | undefined;
  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method ?? 'GET';
    this.body = init.body;
    this.signal = init.signal;
  }
}

runMain(async (): Promise<CpuResult> => {
  const config = readConfig<CpuConfig>();
  const sdk = await loadSdk();
  const api = new sdk.RealtimeApi({
    apiKey: API_KEY,
    baseUrl: BASE_URL,
    maxRetries: 0,
    fetch: stubFetch,
  });
  const openai = new OpenAI({ apiKey: API_KEY, baseURL: BASE_URL, maxRetries: 0, fetch: stubFetch });
  const headers = {
    Authorization: `Bearer ${API_KEY}`,
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
  const client = createClient<paths>({
    baseUrl: BASE_URL,
    Request: PreparedRequest as unknown as typeof Request,
    fetch: ((r: PreparedRequest) =>
      stubFetch(r.url, {
        method: r.method,
        headers,
        body: r.body,
        signal: r.signal,
      })) as unknown as typeof fetch,
    querySerializer: createQuerySerializer(),
    bodySerializer: (body: unknown) => JSON.stringify(body),
  });

  // What RealtimeApi#attempt does per call, with fetch called directly instead of through
  // openapi-fetch: body check, timeout controller + timer, fetch, size-capped text, JSON object
  // check, request id. An estimate of the proposed fix, not the SDK's code.
  const sdkHeaders = { ...headers, 'user-agent': 'realtime-sessions/0.0.0' };
  const directAttempt = async (body: object) => {
    if (Object.getPrototypeOf(body) !== Object.prototype) throw new TypeError('not a plain object');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      const response = await stubFetch(`${BASE_URL}/realtime/sessions`, {
        method: 'POST',
        headers: sdkHeaders,
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const declared = response.headers.get('content-length');
      if (declared === null || !/^\d+$/.test(declared) || Number(declared) > 10 * 1024 * 1024)
        throw new Error('length');
      const text = await response.text();
      const data: unknown = JSON.parse(text);
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not an object');
      return {
        status: response.status,
        headers: response.headers,
        data,
        requestId: response.headers.get('x-request-id'),
      };
    } finally {
      clearTimeout(timer);
    }
  };

  const contenders: Record<string, () => Promise<unknown>> = {
    [CPU_BASELINE]: async () => {
      const res = await stubFetch(`${BASE_URL}/realtime/sessions`, {
        method: 'POST',
        headers,
        body: JSON.stringify(SESSION_REQUEST),
      });
      return JSON.parse(await res.text());
    },
    '+ AbortController, setTimeout, clearTimeout': async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 60_000);
      try {
        const res = await stubFetch(`${BASE_URL}/realtime/sessions`, {
          method: 'POST',
          headers,
          body: JSON.stringify(SESSION_REQUEST),
          signal: controller.signal,
        });
        return JSON.parse(await res.text());
      } finally {
        clearTimeout(timer);
      }
    },
    '+ AbortController only': async () => {
      const controller = new AbortController();
      const res = await stubFetch(`${BASE_URL}/realtime/sessions`, {
        method: 'POST',
        headers,
        body: JSON.stringify(SESSION_REQUEST),
        signal: controller.signal,
      });
      return JSON.parse(await res.text());
    },
    'openapi-fetch POST, configured as the SDK does': async () => {
      // parseAs 'text': openapi-fetch reads the body, as in the SDK.
      const { data } = await client.POST('/realtime/sessions', { body: SESSION_REQUEST, parseAs: 'text' });
      return JSON.parse(data ?? '');
    },
    'createRealtimeSession (whole SDK)': () => api.createRealtimeSession(SESSION_REQUEST),
    'proposed: SDK path without openapi-fetch': () => directAttempt(SESSION_REQUEST),
    'openai (whole SDK)': () =>
      openai.beta.realtime.sessions.create(
        SESSION_REQUEST as unknown as OpenAI.Beta.Realtime.SessionCreateParams,
      ),
  };
  const names = Object.keys(contenders);
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const batch = async (call: () => Promise<unknown>, n: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await call();
    return performance.now() - t0;
  };
  for (const name of names) await batch(contenders[name], config.warmupCalls);
  const elapsedMs: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, [] as number[]]));
  for (let round = 0; round < config.rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      gc();
      elapsedMs[name].push(await batch(contenders[name], config.calls));
    }
  }
  return { calls: config.calls, elapsedMs };
});
