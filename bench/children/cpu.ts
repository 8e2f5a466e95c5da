// CPU-only cost of the client layers, without a network: every contender gets a stub `fetch` that
// answers a fresh `Response` with the fixture session (Content-Length set, as the real API does).
// Rounds alternate like the per-call job; results are per-round differences against the stub
// baseline, i.e. what each layer adds in µs of CPU per call.
import OpenAI from 'openai';
import createClient from 'openapi-fetch';
import type { paths } from '../../generated/openapi.js';
import { alternateRounds, readConfig, runMain } from '../lib/child.js';
import { verify } from '../lib/contenders.js';
import {
  API_KEY,
  CPU_BASELINE,
  CPU_OPENAPI_FETCH_REFERENCE,
  CPU_SDK,
  REQUEST_HEADERS,
  SESSION_REQUEST,
  SESSION_RESPONSE,
} from '../lib/fixtures.js';
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
  // Reference only, not the SDK (which uses openapi-fetch for its types only):
  // openapi-fetch's own client with its defaults, as its README sets it up. What the typed layer
  // would cost per call if it ran at runtime: header merging, a DOM `Request`, `response.json()`.
  const reference = createClient<paths>({ baseUrl: BASE_URL, headers: REQUEST_HEADERS, fetch: stubFetch });

  const contenders: Record<string, () => Promise<unknown>> = {
    [CPU_BASELINE]: async () => {
      const res = await stubFetch(`${BASE_URL}/realtime/sessions`, {
        method: 'POST',
        headers: REQUEST_HEADERS,
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
          headers: REQUEST_HEADERS,
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
        headers: REQUEST_HEADERS,
        body: JSON.stringify(SESSION_REQUEST),
        signal: controller.signal,
      });
      return JSON.parse(await res.text());
    },
    [CPU_OPENAPI_FETCH_REFERENCE]: async () =>
      (await reference.POST('/realtime/sessions', { body: SESSION_REQUEST })).data,
    [CPU_SDK]: () => api.createRealtimeSession(SESSION_REQUEST),
    'openai (whole SDK)': () =>
      openai.beta.realtime.sessions.create(
        SESSION_REQUEST as unknown as OpenAI.Beta.Realtime.SessionCreateParams,
      ),
  };
  const names = Object.keys(contenders);
  const batch = async (call: () => Promise<unknown>, n: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await call();
    return performance.now() - t0;
  };
  for (const name of names) await verify(name, contenders[name]);
  for (const name of names) await batch(contenders[name], config.warmupCalls);
  const elapsedMs = await alternateRounds(names, config.rounds, (name) =>
    batch(contenders[name], config.calls),
  );
  return { calls: config.calls, elapsedMs };
});
