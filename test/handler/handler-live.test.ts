// The token route on today's upstream: the live-like stand-in answers the beta path 404, as the live
// API does since May 2026. The default options mint through GA; `endpoint: 'sessions'` (existing apps)
// mints through the beta-to-GA fallback; `betaEndpoints: 'beta'` reports the retirement as a 502.
// Every test checks what the upstream received.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { createSessionHandler } from '../../src/handler/index.js';
import { json, openaiError, startScriptedServer } from '../helpers/scripted-server.js';
import { answer, browserRequest, expectSafeError } from './support.js';

const API_KEY = 'sk-handler-live-KEY-0123456789abcdef';

let live: StandIn;
let sent: number;
beforeAll(async () => {
  live = await startStandIn();
});
afterAll(() => live.close());

/** What reached the stand-in since the last call, as `path status`. */
function received(): string[] {
  const seen = live.requests.slice(sent).map((r) => `${r.url} ${r.status}`);
  sent = live.requests.length;
  return seen;
}

describe('the token route against the live API of today', () => {
  beforeAll(() => {
    sent = live.requests.length;
  });

  it('with default options (client_secrets, the GA endpoint) it mints in one upstream call', async () => {
    const handler = createSessionHandler({ apiKey: API_KEY, baseUrl: live.baseUrl });
    const a = await answer(handler(browserRequest('{}')));
    expect(a.status).toBe(200);
    expect(a.body.client_secret.value).toMatch(/^ek_[0-9a-f]{32}$/);
    expect(a.body.client_secret.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(a.body.session.type).toBe('realtime');
    expect(received()).toEqual(['/v1/realtime/client_secrets 200']);
    expect(JSON.parse(live.requests.at(-1)!.body)).toEqual({ session: { type: 'realtime' } });
  });

  it("'sessions' mode (existing apps) mints through the fallback: the browser sees the beta shape", async () => {
    const handler = createSessionHandler({
      endpoint: 'sessions',
      apiKey: API_KEY,
      baseUrl: live.baseUrl,
      session: { model: 'gpt-realtime', instructions: 'Be brief.', input_audio_format: 'g711_ulaw' },
      allowFromClient: ['voice'],
    });
    const first = await answer(handler(browserRequest('{"voice":"marin"}')));
    expect(first.status).toBe(200);
    expect(first.body.client_secret.value).toMatch(/^ek_/);
    expect(first.body.session).toMatchObject({
      model: 'gpt-realtime',
      voice: 'marin',
      input_audio_format: 'g711_ulaw',
      modalities: ['audio', 'text'],
    });
    expect(first.body.session.client_secret).toBeUndefined();
    expect(received()).toEqual(['/v1/realtime/sessions 404', '/v1/realtime/client_secrets 200']);
    expect(JSON.parse(live.requests.at(-1)!.body)).toEqual({
      session: {
        type: 'realtime',
        model: 'gpt-realtime',
        instructions: 'Be brief.',
        audio: { input: { format: { type: 'audio/pcmu' } }, output: { voice: 'marin' } },
      },
    });

    // The handler's one client remembers: the next browser goes straight to GA.
    const second = await answer(handler(browserRequest('{}')));
    expect(second.status).toBe(200);
    expect(received()).toEqual(['/v1/realtime/client_secrets 200']);
  });

  it("'sessions' mode: a GA rejection of the browser's field is a 400 naming the field the browser sent", async () => {
    const upstream = await startScriptedServer(
      json(404, {
        error: { message: 'Invalid URL (POST /v1/realtime/sessions)', type: 'invalid_request_error' },
      }),
      openaiError(400, {
        message: "Invalid value: 'nope'. Supported values are: 'alloy', 'verse'.",
        param: 'session.audio.output.voice',
        code: 'invalid_value',
      }),
    );
    try {
      const handler = createSessionHandler({
        endpoint: 'sessions',
        apiKey: API_KEY,
        baseUrl: `${upstream.url}/v1`,
        maxRetries: 0,
        allowFromClient: ['voice'],
      });
      const a = await answer(handler(browserRequest('{"voice":"nope"}')));
      expectSafeError(a, 400, 'invalid_field', [API_KEY]);
      expect(a.body.error.param).toBe('voice');
      expect(upstream.requests.map((r) => r.url)).toEqual([
        '/v1/realtime/sessions',
        '/v1/realtime/client_secrets',
      ]);
    } finally {
      await upstream.close();
    }
  });

  it("'sessions' mode with a beta-only pinned field: the route fails closed with a 500 and reports the reason", async () => {
    const reported: unknown[] = [];
    const handler = createSessionHandler({
      endpoint: 'sessions',
      apiKey: API_KEY,
      baseUrl: live.baseUrl,
      session: { model: 'gpt-realtime', temperature: 0.8 },
      onError: (error) => reported.push(error),
    });
    const a = await answer(handler(browserRequest('{}')));
    expectSafeError(a, 500, 'internal_error', [API_KEY]);
    expect(String(reported[0])).toMatch(/InvalidArgumentError: `request\.temperature` has no GA equivalent/);
    expect(received()).toEqual(['/v1/realtime/sessions 404']);
  });

  it("'sessions' mode with betaEndpoints 'beta': the retirement is an upstream error (502), reported", async () => {
    const reported: unknown[] = [];
    const handler = createSessionHandler({
      endpoint: 'sessions',
      apiKey: API_KEY,
      baseUrl: live.baseUrl,
      betaEndpoints: 'beta',
      onError: (error) => reported.push(error),
    });
    const a = await answer(handler(browserRequest('{}')));
    expectSafeError(a, 502, 'upstream_error', [API_KEY]);
    expect((reported[0] as Error).name).toBe('BetaEndpointRetiredError');
    expect(received()).toEqual(['/v1/realtime/sessions 404']);
  });

  it('a beta session config without `endpoint` is a ConfigurationError that says how to keep it', () => {
    expect(() =>
      createSessionHandler({ apiKey: API_KEY, session: { model: 'gpt-realtime', voice: 'verse' } as never }),
    ).toThrow(ConfigurationError);
    expect(() =>
      createSessionHandler({ apiKey: API_KEY, session: { model: 'gpt-realtime' } as never }),
    ).toThrow(/the default since 0\.2\.0.*pass `endpoint: 'sessions'`/);
    expect(() => createSessionHandler({ apiKey: API_KEY, betaEndpoints: 'sometimes' as never })).toThrow(
      ConfigurationError,
    );
  });
});
