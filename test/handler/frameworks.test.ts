// The README's Hono snippet, as written, in a real Hono app: the route mints through the handler
// against a scripted upstream on 127.0.0.1, and Hono's routing, method matching and `c.req.raw`
// leave the browser's request and the handler's answer intact (CORS preflight included).
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createSessionHandler } from '../../src/index.js';
import { json, openaiError, useScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';
import { answer, betaSession } from './support.js';

const API_KEY = 'sk-frameworks-test-0123456789abcdef';
const SECRET = 'ek_frameworks_secret_0123456789';
const ORIGIN = 'https://app.example.com';
const SESSION = betaSession('sess_hono', SECRET, { voice: 'verse' });

let upstream: ScriptedServer;
useScriptedServer((s) => (upstream = s));

function honoApp(): Hono {
  const handler = createSessionHandler({
    endpoint: 'sessions',
    apiKey: API_KEY,
    baseUrl: `${upstream.url}/v1`,
    maxRetries: 0,
    session: { model: 'gpt-realtime' },
    allowFromClient: ['voice'],
    cors: { origins: [ORIGIN] },
  });
  const app = new Hono();
  app.on(['POST', 'OPTIONS'], '/session', (c) => handler(c.req.raw));
  return app;
}

describe('createSessionHandler in Hono (README snippet)', () => {
  it('mints a session: the upstream gets the pinned config plus the allowed field, the browser the secret', async () => {
    upstream.reply(json(200, SESSION));
    const a = await answer(
      honoApp().request('/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ voice: 'verse' }),
      }),
    );
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toBe('no-store');
    expect(a.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(a.body).toEqual({
      client_secret: SESSION.client_secret,
      session: { id: 'sess_hono', object: 'realtime.session', model: 'gpt-realtime', voice: 'verse' },
    });
    expect(upstream.count).toBe(1);
    const received = upstream.requests[0];
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/v1/realtime/sessions');
    expect(received.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(received.body)).toEqual({ model: 'gpt-realtime', voice: 'verse' });
  });

  it('refuses a field the browser may not set with 400, without calling upstream', async () => {
    const a = await answer(
      honoApp().request('/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-realtime-preview' }),
      }),
    );
    expect(a.status).toBe(400);
    expect(a.body.error).toMatchObject({ code: 'field_not_allowed', param: 'model' });
    expect(upstream.count).toBe(0);
  });

  it('answers the CORS preflight through Hono', async () => {
    const response = await honoApp().request('/session', {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(upstream.count).toBe(0);
  });

  it('passes an upstream 429 through with Retry-After, and never the upstream text', async () => {
    upstream.reply(openaiError(429, { message: `key ${API_KEY} over quota` }, { 'retry-after': '4' }));
    const a = await answer(
      honoApp().request('/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('4');
    expect(a.body.error.code).toBe('rate_limited');
    expect(a.text).not.toContain(API_KEY);
  });

  it('leaves other methods to Hono (404 from its router, no upstream call)', async () => {
    const response = await honoApp().request('/session', { method: 'GET' });
    expect(response.status).toBe(404);
    expect(upstream.count).toBe(0);
  });
});
