// createSessionHandler against a scripted upstream (real node:http on 127.0.0.1). Every behaviour is
// checked twice: calling the handler with a `Request`, and through toNodeHandler behind a real
// node:http server reached with real `fetch`. Assertions look at what the upstream received too.
import { createServer, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import {
  createSessionHandler,
  type SessionHandler,
  type SessionHandlerOptions,
} from '../../src/handler/index.js';
import { toNodeHandler, type NodeRequestListener } from '../../src/adapters/node.js';
import { listen, type Listening } from '../helpers/listen.js';
import {
  hang,
  json,
  openaiError,
  resetBeforeHeaders,
  text,
  useScriptedServer,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import {
  answer,
  betaSession,
  browserRequest,
  expectSafeError as expectSafeErrorWith,
  type Answer,
} from './support.js';

const API_KEY = 'sk-handler-test-KEY-0123456789abcdef';
const SECRET = 'ek_handler_secret_0123456789abcdef';
const ORIGIN = 'https://app.example.com';
const PINNED = { model: 'gpt-realtime', instructions: 'Be brief.' } as const;
const SESSION = betaSession('sess_123', SECRET, { instructions: 'Be brief.', voice: 'verse' });

let upstream: ScriptedServer;
// One node:http server for the adapter runs; each test installs its own handler in it.
let app: Listening;
let listener: NodeRequestListener = (_req, res) => res.writeHead(500).end();

useScriptedServer((s) => (upstream = s));

beforeAll(async () => {
  app = await listen(createServer((req, res) => listener(req, res)));
});

afterAll(() => app.close());

function handlerWith(options: Partial<Omit<SessionHandlerOptions, 'endpoint'>> = {}): SessionHandler {
  return createSessionHandler({
    endpoint: 'sessions',
    apiKey: API_KEY,
    baseUrl: `${upstream.url}/v1`,
    maxRetries: 0,
    session: PINNED,
    allowFromClient: ['voice'],
    ...options,
  });
}

type Send = (handler: SessionHandler, request: Request) => Promise<Response>;

const direct: Send = (handler, request) => handler(request);

/** Through toNodeHandler and a real socket: the request is re-sent with real fetch. */
const viaNode: Send = async (handler, request) => {
  listener = toNodeHandler(handler);
  const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
  const headers = new Headers(request.headers);
  headers.delete('content-length'); // fetch computes it from the body
  return fetch(`${app.url}/session`, { method: request.method, headers, body });
};

/** Every error answer: fresh JSON, no-store, and no credential of any kind. */
function expectSafeError(a: Answer, status: number, code?: string): void {
  expect(typeof a.body?.error?.message).toBe('string');
  expectSafeErrorWith(a, status, code, [API_KEY, SECRET]);
}

describe.each([
  ['called directly', direct],
  ['through toNodeHandler and node:http', viaNode],
] as const)('createSessionHandler, %s', (_mode, send) => {
  describe('success', () => {
    it('answers { client_secret, session } with no-store, and the upstream saw pinned + allowed fields and our key', async () => {
      upstream.reply(json(200, SESSION, { 'x-request-id': 'req_ok' }));
      const a = await answer(await send(handlerWith(), browserRequest('{"voice":"verse"}')));

      expect(a.status).toBe(200);
      expect(a.headers.get('content-type')).toBe('application/json');
      expect(a.headers.get('cache-control')).toBe('no-store');
      // The session as a page needs it: the pinned instructions stay on the server (sessionFields).
      const { client_secret, ...full } = SESSION;
      const { instructions: _pinned, ...session } = full as typeof full & { instructions?: string };
      expect(a.body).toEqual({ client_secret, session });
      expect(a.text).not.toContain('Be brief.');

      expect(upstream.count).toBe(1);
      const seen = upstream.requests[0];
      expect(seen.method).toBe('POST');
      expect(seen.url).toBe('/v1/realtime/sessions');
      expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(seen.json).toEqual({ ...PINNED, voice: 'verse' });
    });

    it('treats an empty body as {} and sends only the pinned session', async () => {
      upstream.reply(json(200, SESSION));
      const a = await answer(await send(handlerWith(), browserRequest('')));
      expect(a.status).toBe(200);
      expect(upstream.requests[0].json).toEqual(PINNED);
    });

    it('lets the client override a pinned field only when it is allowed (pinned value is the default)', async () => {
      const handler = handlerWith({ session: { ...PINNED, voice: 'alloy' }, allowFromClient: ['voice'] });
      upstream.reply(json(200, SESSION), json(200, SESSION));
      expect((await send(handler, browserRequest('{"voice":"cedar"}'))).status).toBe(200);
      expect((await send(handler, browserRequest('{}'))).status).toBe(200);
      expect(upstream.requests.map((r) => r.json)).toEqual([
        { ...PINNED, voice: 'cedar' },
        { ...PINNED, voice: 'alloy' },
      ]);
    });

    it('accepts a charset parameter on the content type', async () => {
      upstream.reply(json(200, SESSION));
      const request = browserRequest('{}', {
        headers: { 'content-type': 'application/json; charset=UTF-8' },
      });
      expect((await send(handlerWith(), request)).status).toBe(200);
    });
  });

  describe('refuses bad requests before calling upstream', () => {
    it('400 naming a field the client may not set', async () => {
      const a = await answer(
        await send(handlerWith(), browserRequest('{"voice":"verse","instructions":"obey me"}')),
      );
      expectSafeError(a, 400, 'field_not_allowed');
      expect(a.body.error.message).toContain('"instructions"');
      expect(a.body.error.param).toBe('instructions');
      expect(upstream.count).toBe(0);
    });

    it.each([
      ['{"__proto__":{"x":1}}', 'forbidden_key', '__proto__'],
      ['{"constructor":{}}', 'forbidden_key', 'constructor'],
      ['{"voice":{"a":[{"prototype":1}]}}', 'forbidden_key', 'prototype'],
      ['{"voice":"verse","tools":[{"type":"function","name":"rm_rf"}]}', 'field_not_allowed', 'tools'],
    ])('400 for %s', async (body, code, param) => {
      const a = await answer(await send(handlerWith(), browserRequest(body)));
      expectSafeError(a, 400, code);
      expect(a.body.error.param).toBe(param);
      expect(upstream.count).toBe(0);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });

    it.each(['[]', '"voice"', 'null', '42'])('400 for JSON that is not an object: %s', async (body) => {
      expectSafeError(await answer(await send(handlerWith(), browserRequest(body))), 400, 'invalid_json');
      expect(upstream.count).toBe(0);
    });

    it('400 for malformed JSON and for bytes that are not UTF-8', async () => {
      expectSafeError(
        await answer(await send(handlerWith(), browserRequest('{"voice":'))),
        400,
        'invalid_json',
      );
      const latin1 = new Uint8Array([0x7b, 0x22, 0x76, 0xff, 0x22, 0x3a, 0x31, 0x7d]);
      expectSafeError(await answer(await send(handlerWith(), browserRequest(latin1))), 400, 'invalid_json');
      expect(upstream.count).toBe(0);
    });

    it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/json; charset=latin1']])(
      '415 for content type %s',
      async (type) => {
        const request = browserRequest('{}', { headers: { 'content-type': type } });
        expectSafeError(await answer(await send(handlerWith(), request)), 415, 'unsupported_media_type');
        expect(upstream.count).toBe(0);
      },
    );

    it('415 for a compressed body', async () => {
      const request = browserRequest('{}', { headers: { 'content-encoding': 'gzip' } });
      expectSafeError(await answer(await send(handlerWith(), request)), 415, 'unsupported_media_type');
      expect(upstream.count).toBe(0);
    });

    it("does not call onError for the browser's own mistakes", async () => {
      const onError = vi.fn();
      const handler = handlerWith({ onError });
      await send(handler, browserRequest('{"tools":[]}'));
      await send(handler, browserRequest('nope'));
      await send(handler, browserRequest('{}', { method: 'PUT' }));
      expect(onError).not.toHaveBeenCalled();
    });

    it('413 for a body over maxBodyBytes with Content-Length', async () => {
      const big = JSON.stringify({ voice: 'v'.repeat(20_000) });
      const request = browserRequest(big, { headers: { 'content-length': String(big.length) } });
      const a = await answer(await send(handlerWith(), request));
      expectSafeError(a, 413, 'body_too_large');
      expect(upstream.count).toBe(0);
    });

    it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('405 with Allow: POST for %s', async (method) => {
      const request = browserRequest(method === 'GET' ? undefined : '{}', { method });
      const a = await answer(await send(handlerWith(), request));
      expectSafeError(a, 405, 'method_not_allowed');
      expect(a.headers.get('allow')).toBe('POST');
      expect(upstream.count).toBe(0);
    });

    it('405 for OPTIONS when CORS is not configured', async () => {
      const a = await answer(await send(handlerWith(), browserRequest(undefined, { method: 'OPTIONS' })));
      expectSafeError(a, 405);
      expect(a.headers.get('allow')).toBe('POST');
    });
  });

  describe('authorize', () => {
    it('false → 401, upstream not called', async () => {
      const a = await answer(await send(handlerWith({ authorize: () => false }), browserRequest('{}')));
      expectSafeError(a, 401, 'unauthorized');
      expect(upstream.count).toBe(0);
    });

    it('throws → 500 without the thrown message; onError gets the error', async () => {
      const onError = vi.fn();
      const authorize = async () => {
        throw new Error('db password hunter2 leaked');
      };
      const a = await answer(await send(handlerWith({ authorize, onError }), browserRequest('{}')));
      expectSafeError(a, 500, 'internal_error');
      expect(a.text).not.toContain('hunter2');
      expect(onError).toHaveBeenCalledOnce();
      expect((onError.mock.calls[0][0] as Error).message).toContain('hunter2');
      expect(upstream.count).toBe(0);
    });

    it('a returned Response is sent with its status, headers and body, plus no-store', async () => {
      const authorize = () => new Response('go away', { status: 418, headers: { 'x-custom': 'yes' } });
      const response = await send(handlerWith({ authorize }), browserRequest('{}'));
      expect(response.status).toBe(418);
      expect(response.headers.get('x-custom')).toBe('yes');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toBe('go away');
      expect(upstream.count).toBe(0);
    });

    it('a returned 403 gets the CORS headers, so a cross-origin page can read it; its own headers win', async () => {
      const authorize = () =>
        Response.json({ error: 'sign in first' }, { status: 403, headers: { 'cache-control': 'private' } });
      const response = await send(
        handlerWith({ authorize, cors: { origins: [ORIGIN] } }),
        browserRequest('{}', { headers: { origin: ORIGIN } }),
      );
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(response.headers.get('vary')).toContain('Origin');
      expect(response.headers.get('cache-control')).toBe('private');
      expect(await response.json()).toEqual({ error: 'sign in first' });
      expect(upstream.count).toBe(0);
    });

    it('true (sync or async) lets the request through, and sees the browser headers', async () => {
      upstream.reply(json(200, SESSION));
      const authorize = async (request: Request) =>
        request.headers.get('authorization') === 'Bearer app-user';
      const request = browserRequest('{}', { headers: { authorization: 'Bearer app-user' } });
      expect((await send(handlerWith({ authorize }), request)).status).toBe(200);
      // The browser's credentials are not the upstream's.
      expect(upstream.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    });

    it('an authorize that consumes the body is reported as a server bug (500)', async () => {
      const onError = vi.fn();
      const authorize = async (request: Request) => (await request.text()) !== 'x';
      const a = await answer(await send(handlerWith({ authorize, onError }), browserRequest('{}')));
      expectSafeError(a, 500, 'internal_error');
      expect(onError).toHaveBeenCalledOnce();
      expect(upstream.count).toBe(0);
    });
  });

  describe('CORS', () => {
    const cors = { origins: [ORIGIN], maxAgeSeconds: 120 };

    it('answers an allowed preflight with 204 and the CORS headers', async () => {
      const request = new Request('http://app.test/session', {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      const response = await send(handlerWith({ cors }), request);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(response.headers.get('access-control-allow-methods')).toBe('POST');
      expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
      expect(response.headers.get('access-control-max-age')).toBe('120');
      expect(response.headers.get('vary')).toContain('Origin');
      expect(upstream.count).toBe(0);
    });

    it('403 for a preflight from an origin not listed', async () => {
      const request = new Request('http://app.test/session', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      const a = await answer(await send(handlerWith({ cors }), request));
      expectSafeError(a, 403, 'origin_not_allowed');
      expect(a.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('a POST from an allowed origin gets Access-Control-Allow-Origin', async () => {
      upstream.reply(json(200, SESSION));
      const response = await send(
        handlerWith({ cors }),
        browserRequest('{}', { headers: { origin: ORIGIN } }),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(response.headers.get('vary')).toContain('Origin');
      expect(upstream.count).toBe(1);
    });

    it('a POST from an origin not listed gets 403 and no upstream call', async () => {
      const request = browserRequest('{}', { headers: { origin: 'https://evil.example' } });
      expectSafeError(await answer(await send(handlerWith({ cors }), request)), 403, 'origin_not_allowed');
      expect(upstream.count).toBe(0);
    });

    it('error answers to an allowed origin carry CORS headers, so the page can read them; 405 allows OPTIONS', async () => {
      const request = browserRequest(undefined, { method: 'GET', headers: { origin: ORIGIN } });
      const a = await answer(await send(handlerWith({ cors }), request));
      expectSafeError(a, 405);
      expect(a.headers.get('allow')).toBe('POST, OPTIONS');
      expect(a.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    });
  });

  describe('upstream failures become fresh, safe errors', () => {
    // OpenAI's own error text can quote the key; the handler must never pass it on.
    const leaky = `Incorrect API key provided: ${API_KEY}. Also ${SECRET}.`;

    it('upstream 500 → 502, with the upstream request id', async () => {
      const onError = vi.fn();
      upstream.reply(
        openaiError(500, { message: leaky, type: 'server_error' }, { 'x-request-id': 'req_500' }),
      );
      const a = await answer(await send(handlerWith({ onError }), browserRequest('{}')));
      expectSafeError(a, 502, 'upstream_error');
      expect(a.body.error.request_id).toBe('req_500');
      expect(onError).toHaveBeenCalledOnce();
    });

    it('upstream 401 → 502 "upstream rejected the server\'s credentials"', async () => {
      upstream.reply(openaiError(401, { message: leaky, code: 'invalid_api_key' }));
      const a = await answer(await send(handlerWith(), browserRequest('{}')));
      expectSafeError(a, 502, 'upstream_auth');
      expect(a.body.error.message).toBe("upstream rejected the server's credentials");
    });

    it('upstream 429 → 429 passing Retry-After through', async () => {
      upstream.reply(
        openaiError(429, { message: leaky, code: 'rate_limit_exceeded' }, { 'retry-after': '7' }),
      );
      const a = await answer(await send(handlerWith(), browserRequest('{}')));
      expectSafeError(a, 429, 'rate_limited');
      expect(a.headers.get('retry-after')).toBe('7');
    });

    it('upstream 429 with only retry-after-ms → Retry-After in whole seconds, rounded up', async () => {
      upstream.reply(openaiError(429, { message: 'slow down' }, { 'retry-after-ms': '2500' }));
      const a = await answer(await send(handlerWith(), browserRequest('{}')));
      expectSafeError(a, 429);
      expect(a.headers.get('retry-after')).toBe('3');
    });

    it('with the default maxRetries (2): a transient 503 is retried away; a 429 that persists reaches the browser after 3 attempts', async () => {
      const defaults = createSessionHandler({
        endpoint: 'sessions',
        apiKey: API_KEY,
        baseUrl: `${upstream.url}/v1`,
        session: PINNED,
        allowFromClient: ['voice'],
      });
      upstream.reply(openaiError(503, { message: 'busy' }, { 'retry-after-ms': '10' }), json(200, SESSION));
      const ok = await answer(await send(defaults, browserRequest('{"voice":"verse"}')));
      expect(ok.status).toBe(200);
      expect(ok.body.client_secret.value).toBe(SECRET);
      expect(upstream.count).toBe(2);

      const slowDown = () => openaiError(429, { message: leaky }, { 'retry-after-ms': '20' });
      upstream.reply(slowDown(), slowDown(), slowDown());
      const limited = await answer(await send(defaults, browserRequest('{}')));
      expectSafeError(limited, 429, 'rate_limited');
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(upstream.count).toBe(5);
    });

    it('upstream 400 about a field the client sent → 400 naming it; about a pinned field → 502', async () => {
      upstream.reply(
        openaiError(400, {
          message: `Invalid value: 'nope'. ${leaky}`,
          param: 'voice',
          code: 'invalid_value',
        }),
        openaiError(400, { message: `Unknown model. ${leaky}`, param: 'model', code: 'model_not_found' }),
      );
      const mine = await answer(await send(handlerWith(), browserRequest('{"voice":"nope"}')));
      expectSafeError(mine, 400, 'invalid_field');
      expect(mine.body.error.param).toBe('voice');
      const theirs = await answer(await send(handlerWith(), browserRequest('{"voice":"verse"}')));
      expectSafeError(theirs, 502, 'upstream_rejected');
    });

    it('upstream hung past timeoutMs → 504', async () => {
      upstream.reply(hang());
      const a = await answer(await send(handlerWith({ timeoutMs: 150 }), browserRequest('{}')));
      expectSafeError(a, 504, 'upstream_timeout');
    });

    it('upstream connection reset → 502', async () => {
      upstream.reply(resetBeforeHeaders());
      const a = await answer(await send(handlerWith(), browserRequest('{}')));
      expectSafeError(a, 502, 'upstream_unreachable');
    });

    it('upstream 200 that is not a session → 502', async () => {
      upstream.reply(text(200, 'not json'), json(200, { id: 'sess_no_secret' }));
      expectSafeError(
        await answer(await send(handlerWith(), browserRequest('{}'))),
        502,
        'upstream_invalid_response',
      );
      expectSafeError(
        await answer(await send(handlerWith(), browserRequest('{}'))),
        502,
        'upstream_invalid_response',
      );
    });
  });
});

describe('createSessionHandler configuration', () => {
  it('creates one client at creation: a missing key throws then, not per request', () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    expect(() => createSessionHandler({ baseUrl: `${upstream.url}/v1` })).toThrow(ConfigurationError);
  });

  it('resolves the key once: changing the environment later does not change the key used', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-env-key-at-creation-0001');
    const handler = createSessionHandler({ baseUrl: `${upstream.url}/v1`, maxRetries: 0 });
    vi.stubEnv('OPENAI_API_KEY', 'sk-env-key-changed-later-02');
    upstream.reply(json(200, SESSION), json(200, SESSION));
    await handler(browserRequest('{}'));
    await handler(browserRequest('{}'));
    expect(upstream.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer sk-env-key-at-creation-0001',
      'Bearer sk-env-key-at-creation-0001',
    ]);
  });

  it('pins a snapshot of `session`: mutating the object later changes nothing', async () => {
    const session: { model: string; instructions?: string } = { model: 'gpt-realtime' };
    const handler = handlerWith({ session, allowFromClient: [] });
    session.instructions = 'injected later';
    upstream.reply(json(200, SESSION));
    await handler(browserRequest('{}'));
    expect(upstream.requests[0].json).toEqual({ model: 'gpt-realtime' });
  });

  it.each([
    [{ cors: { origins: ['*'] } }, /`cors\.origins\[0\]` must be an origin, not "\*"/],
    [{ cors: { origins: [] } }, /at least one origin/],
    [{ cors: { origins: ['not a url'] } }, /`cors\.origins\[0\]` must be an origin such as/],
    [
      { allowFromClient: ['__proto__'] as never[] },
      /`allowFromClient` must be a list of field names \(not __proto__/,
    ],
    [{ maxBodyBytes: 0 }, /maxBodyBytes/],
  ])('refuses unsafe options at creation: %j', (options, message) => {
    // Options are ConfigurationErrors, in the one message format of every option.
    expect(() => handlerWith(options as Partial<SessionHandlerOptions>)).toThrow(ConfigurationError);
    expect(() => handlerWith(options as Partial<SessionHandlerOptions>)).toThrow(message);
  });

  it('413 without reading when Content-Length is over the limit', async () => {
    let pulled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request('http://app.test/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '999999' },
      body,
      duplex: 'half',
    } as RequestInit);
    const a = await answer(await handlerWith()(request));
    expectSafeError(a, 413, 'body_too_large');
    expect(pulled).toBe(false);
  });

  it('413 for a streamed body without Content-Length, cut off at the limit (direct)', async () => {
    let chunks = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        chunks++;
        controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
    });
    const request = new Request('http://app.test/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    const a = await answer(await handlerWith({ maxBodyBytes: 4096 })(request));
    expectSafeError(a, 413, 'body_too_large');
    expect(chunks).toBeLessThan(10); // an endless stream, read only to just past the limit
    expect(upstream.count).toBe(0);
  });
});

describe('toNodeHandler specifics', () => {
  it('413 for a chunked upload without Content-Length, answered while the client is still sending', async () => {
    listener = toNodeHandler(handlerWith());
    let written = 0;
    const result = await new Promise<{ status?: number; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        const req = httpRequest(`${app.url}/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        });
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            req.destroy();
            resolve({ status: res.statusCode, headers: res.headers, body });
          });
        });
        req.on('error', reject);
        // Up to 4 MiB in 4 KiB chunks, paced so the answer can arrive mid-upload.
        const pump = (): void => {
          if (req.destroyed || written >= 1024) return;
          written++;
          req.write('['.repeat(4096), () => setTimeout(pump, 1));
        };
        pump();
      },
    );
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error.code).toBe('body_too_large');
    expect(result.headers['cache-control']).toBe('no-store');
    expect(result.headers.connection).toBe('close');
    expect(written).toBeLessThan(1024);
    expect(upstream.count).toBe(0);
  });

  it('a client that disconnects aborts the upstream call', async () => {
    const closed = new Promise<void>((resolve) =>
      upstream.reply((res) => void res.on('close', () => resolve())),
    );
    const onError = vi.fn();
    listener = toNodeHandler(handlerWith({ onError }));
    const controller = new AbortController();
    const pending = fetch(`${app.url}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await upstream.waitForRequests(1);
    controller.abort();
    await pending;
    await closed; // the handler's upstream request was cancelled, not left hanging
    expect(onError).not.toHaveBeenCalled();
  });

  it('500 naming the problem when body-parsing middleware consumed the body first', async () => {
    const adapter = toNodeHandler(handlerWith());
    listener = (req, res) => {
      req.resume(); // what express.json() does before calling the next handler
      req.once('end', () => adapter(req, res));
    };
    const a = await answer(
      await fetch(`${app.url}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(a.status).toBe(500);
    expect(a.body.error.message).toMatch(/before body-parsing middleware/);
    expect(upstream.count).toBe(0);
  });

  it('a handler that throws answers 500 JSON', async () => {
    listener = toNodeHandler(() => {
      throw new Error(`boom ${API_KEY}`);
    });
    const a = await answer(await fetch(`${app.url}/session`, { method: 'POST', body: '{}' }));
    expect(a.status).toBe(500);
    expect(a.body).toEqual({ error: { message: 'internal error' } });
    expect(a.text).not.toContain(API_KEY);
  });

  it('passes status, every header (several Set-Cookie) and a streamed body through', async () => {
    listener = toNodeHandler(async (request) => {
      const headers = new Headers({ 'x-method': request.method, 'x-url': new URL(request.url).pathname });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode('hello, '));
          controller.enqueue(new TextEncoder().encode(await request.text()));
          controller.close();
        },
      });
      return new Response(body, { status: 201, headers });
    });
    const response = await fetch(`${app.url}/some/path?q=1`, { method: 'PUT', body: 'world' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-method')).toBe('PUT');
    expect(response.headers.get('x-url')).toBe('/some/path');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe('hello, world');
  });
});
