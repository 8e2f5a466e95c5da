// Abuse of the token route: every request here must be refused with a 4xx (or the documented 500 for a
// throwing `authorize`) and the upstream, a real node:http server, must never be called.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, createSessionHandler, type SessionHandlerOptions } from '../../src/index.js';
import { toNodeHandler } from '../../src/adapters/node.js';
import { listen } from '../helpers/listen.js';
import { json, useScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';
import { API_KEY, SESSION } from './support.js';

const APP_ORIGIN = 'https://app.example.com';
const TOKEN = 'Bearer app-token-123';
const LIMIT = 16 * 1024; // the handler's default maxBodyBytes

let upstream: ScriptedServer;
useScriptedServer((s) => (upstream = s));
// A healthy upstream for every test; useScriptedServer's reset after each test drops it.
beforeEach(() => {
  upstream.fallback = json(200, SESSION);
});

function handler(
  options: Omit<SessionHandlerOptions, 'endpoint'> = {},
): (request: Request) => Promise<Response> {
  return createSessionHandler({
    endpoint: 'sessions',
    apiKey: API_KEY,
    baseUrl: `${upstream.url}/v1`,
    maxRetries: 0,
    session: { model: 'gpt-realtime', instructions: 'Server-pinned.' },
    allowFromClient: ['voice', 'tools'],
    cors: { origins: [APP_ORIGIN] },
    authorize: (request) => request.headers.get('authorization') === TOKEN,
    ...options,
  });
}

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request('http://app.test/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: TOKEN, ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

/** The answer is a JSON error with the status, and the upstream saw nothing. */
async function expectRefused(response: Response, status: number, code?: string): Promise<void> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: { message: string; code?: string } };
  expect(typeof body.error.message).toBe('string');
  if (code) expect(body.error.code).toBe(code);
  expect(upstream.count).toBe(0);
}

function expectPrototypeClean(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(typeof Object.prototype.constructor).toBe('function');
}

describe('control: a valid request does reach the upstream', () => {
  it('200 and one upstream call', async () => {
    const response = await handler()(post('{"voice":"verse"}'));
    expect(response.status).toBe(200);
    expect(upstream.count).toBe(1);
    expect(upstream.requests[0]!.json).toEqual({
      model: 'gpt-realtime',
      instructions: 'Server-pinned.',
      voice: 'verse',
    });
  });
});

describe('fields the client may not set', () => {
  it.each([
    ['model', '{"model":"gpt-4o-realtime-preview"}'],
    ['instructions', '{"instructions":"Ignore the server."}'],
    ['an allowed field plus a pinned one', '{"voice":"verse","model":"other"}'],
    ['client_secret', '{"client_secret":{"value":"ek_forged","expires_at":1}}'],
    ['a case variant', '{"Voice":"verse"}'],
    ['a trailing space', '{"voice ":"verse"}'],
    ['a homoglyph (Cyrillic о)', '{"vоice":"verse"}'],
    ['a zero-width space', '{"voice\\u200b":"verse"}'],
    ['the empty key', '{"":1}'],
    ['a duplicate that switches to a pinned field', '{"voice":"a","instructions":"b","voice":"c"}'],
  ])('%s → 400 field_not_allowed', async (_, body) => {
    await expectRefused(await handler()(post(body)), 400, 'field_not_allowed');
  });
});

describe('prototype-polluting keys, at the top and nested, refused before anything else', () => {
  it.each([
    ['__proto__ at the top (raw JSON text)', '{"__proto__":{"polluted":1}}'],
    ['constructor.prototype at the top', '{"constructor":{"prototype":{"polluted":1}}}'],
    ['prototype at the top', '{"prototype":{"polluted":1}}'],
    ['__proto__ inside an allowed field', '{"voice":{"__proto__":{"polluted":1}}}'],
    [
      'constructor inside an array of an allowed field',
      '{"tools":[{"type":"function","constructor":{"prototype":{"polluted":1}}}]}',
    ],
    ['__proto__ deep in arrays', `{"tools":${'['.repeat(50)}{"__proto__":{"polluted":1}}${']'.repeat(50)}}`],
    ['__proto__ spelled with escapes', '{"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":1}}'],
    ['__proto__ after an allowed duplicate', '{"voice":"a","voice":{"x":{"__proto__":{"polluted":1}}}}'],
  ])('%s → 400 forbidden_key', async (_, body) => {
    await expectRefused(await handler()(post(body)), 400, 'forbidden_key');
    expectPrototypeClean();
  });

  it('also when the key is listed in allowFromClient: the handler refuses to be configured so', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(() => handler({ allowFromClient: [key as never] })).toThrow(ConfigurationError);
    }
  });

  it('a pinned session with polluting keys does not pollute either', async () => {
    const session = JSON.parse('{"model":"gpt-realtime","__proto__":{"polluted":1}}') as never;
    const response = await handler({ session })(post('{}'));
    expect(response.status).toBe(200);
    expectPrototypeClean();
  });
});

describe('oversized bodies', () => {
  it('Content-Length over the limit → 413 without reading', async () => {
    const body = `{"voice":"${'v'.repeat(LIMIT)}"}`;
    await expectRefused(
      await handler()(post(body, { 'content-length': String(body.length) })),
      413,
      'body_too_large',
    );
  });

  it('a Content-Length that understates → cut at the limit anyway (direct)', async () => {
    const body = `{"voice":"${'v'.repeat(LIMIT)}"}`;
    await expectRefused(await handler()(post(body, { 'content-length': '2' })), 413, 'body_too_large');
  });

  it('a stream without Content-Length that never ends → 413, and the handler stops pulling', async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        controller.enqueue(new Uint8Array(1024).fill(0x61));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expectRefused(await handler()(post(endless)), 413, 'body_too_large');
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThanOrEqual(LIMIT + 4 * 1024);
  });

  it('through toNodeHandler: a chunked upload without Content-Length past 16 KiB gets 413 while still sending, and the server neither buffers it nor reads it forever', async () => {
    const requests: IncomingMessage[] = [];
    const server = createServer(toNodeHandler(handler()));
    server.on('request', (req: IncomingMessage) => requests.push(req));
    const app = await listen(server);
    const { port } = new URL(app.url);

    // Server side: the largest body backlog buffered in the request stream, sampled every 5 ms.
    let maxBuffered = 0;
    let bytesReadAtAnswer = -1;
    const sampler = setInterval(() => {
      for (const req of requests) maxBuffered = Math.max(maxBuffered, req.readableLength);
    }, 5);

    const CHUNK = Buffer.alloc(4 * 1024, 0x61);
    const SAFETY_CAP = 64 * 1024 * 1024;
    let sent = 0;
    let sentAtAnswer = -1;
    let answeredAt = -1;
    let status = 0;
    const start = performance.now();

    const closed = await new Promise<{ at: number; socket: Socket }>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port: Number(port),
        method: 'POST',
        path: '/session',
        headers: { 'content-type': 'application/json', authorization: TOKEN },
      });
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        answeredAt = performance.now();
        sentAtAnswer = sent;
        bytesReadAtAnswer = requests[0]?.socket.bytesRead ?? -1;
        res.resume();
      });
      req.on('socket', (socket: Socket) =>
        socket.once('close', () => resolve({ at: performance.now(), socket })),
      );
      req.on('error', () => {}); // EPIPE / ECONNRESET once the server hangs up: expected
      req.write('{"voice":"');
      // Keep uploading (2 MB/s) after the answer, like a client that ignores it.
      const pump = setInterval(() => {
        if (req.destroyed || req.socket?.destroyed) return clearInterval(pump);
        if (sent > SAFETY_CAP || performance.now() - start > 10_000) {
          clearInterval(pump);
          req.destroy();
          return reject(new Error('the server kept reading for 10 s'));
        }
        req.write(CHUNK);
        sent += CHUNK.length;
      }, 2);
    });
    clearInterval(sampler);
    await app.close();

    expect(status).toBe(413);
    expect(upstream.count).toBe(0);
    // Answered early: the client was still uploading and had sent little more than the limit.
    expect(sentAtAnswer).toBeGreaterThan(LIMIT - CHUNK.length);
    expect(sentAtAnswer).toBeLessThan(LIMIT + 512 * 1024);
    // The server had read little beyond the limit when it answered, and never buffered a backlog.
    expect(bytesReadAtAnswer).toBeGreaterThan(0);
    expect(bytesReadAtAnswer).toBeLessThan(LIMIT + 512 * 1024);
    expect(maxBuffered).toBeLessThan(256 * 1024);
    // Then it discards for at most its 2 s linger and hangs up, though the client never stops.
    expect(closed.at - answeredAt).toBeLessThan(2_000 + 1_500);
    expect(sent).toBeLessThan(SAFETY_CAP);
  });
  it('through toNodeHandler: a raw client that never stops uploading gets its 413, then the server hangs up', async () => {
    const server = createServer(toNodeHandler(handler()));
    let serverSocket: Socket | undefined;
    server.on('connection', (socket: Socket) => (serverSocket = socket));
    const app = await listen(server);
    const { port } = new URL(app.url);

    const CHUNK = Buffer.alloc(4 * 1024, 0x61);
    const frame = Buffer.concat([
      Buffer.from(`${CHUNK.length.toString(16)}\r\n`),
      CHUNK,
      Buffer.from('\r\n'),
    ]);
    let sent = 0;
    let answer = '';
    let answeredAt = -1;
    const start = performance.now();
    const socket = connect(Number(port), '127.0.0.1');
    const closedAt = await new Promise<number>((resolve) => {
      socket.on('data', (data: Buffer) => {
        if (answeredAt < 0) answeredAt = performance.now();
        answer += data.toString('latin1');
      });
      socket.on('error', () => {}); // EPIPE / ECONNRESET once the server hangs up: expected
      socket.on('close', () => resolve(performance.now()));
      socket.write(
        `POST /session HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
          `authorization: ${TOKEN}\r\ntransfer-encoding: chunked\r\n\r\n`,
      );
      const pump = setInterval(() => {
        if (socket.destroyed || performance.now() - start > 10_000) {
          clearInterval(pump);
          socket.destroy();
          return;
        }
        socket.write(frame);
        sent += CHUNK.length;
      }, 2);
    });
    const bytesRead = serverSocket?.bytesRead ?? -1;
    await app.close();

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(upstream.count).toBe(0);
    // The server hung up on its own, soon after answering, while the client was still sending.
    expect(closedAt - start).toBeLessThan(10_000);
    expect(closedAt - answeredAt).toBeLessThan(2_000 + 1_500);
    // Everything the server ever read: the limit, a little in flight, and at most the linger's worth.
    expect(bytesRead).toBeGreaterThan(LIMIT);
    expect(bytesRead).toBeLessThan(LIMIT + 8 * 1024 * 1024);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('wrong content type or encoding → 415', () => {
  it.each([
    ['missing', undefined],
    ['text/plain', 'text/plain'],
    ['form', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['a JSON look-alike', 'application/json-patch+json'],
    ['a non-UTF-8 charset', 'application/json; charset=latin1'],
    ['two content types', 'application/json, text/plain'],
  ])('%s', async (_, type) => {
    const request = new Request('http://app.test/session', {
      method: 'POST',
      headers: type === undefined ? { authorization: TOKEN } : { 'content-type': type, authorization: TOKEN },
      body: type === undefined ? new Blob(['{}']).stream() : '{}',
      duplex: 'half',
    } as RequestInit);
    if (type === undefined) request.headers.delete('content-type');
    await expectRefused(await handler()(request), 415, 'unsupported_media_type');
  });

  it('gzip content-encoding', async () => {
    await expectRefused(
      await handler()(post('{}', { 'content-encoding': 'gzip' })),
      415,
      'unsupported_media_type',
    );
  });
});

describe('authorize', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer guess' }],
    ['the server API key as token', { authorization: `Bearer ${API_KEY}` }],
  ])('%s → 401', async (_, headers) => {
    const request = post('{}', { authorization: '', ...headers });
    if (!('authorization' in headers)) request.headers.delete('authorization');
    await expectRefused(await handler()(request), 401, 'unauthorized');
  });

  it.each([
    ['a truthy string', () => 'yes'],
    ['the number 1', () => 1],
    ['undefined', () => undefined],
    ['a promise of false', async () => false],
  ])('authorize returning %s → 401 (only `true` allows)', async (_, authorize) => {
    await expectRefused(await handler({ authorize: authorize as never })(post('{}')), 401, 'unauthorized');
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('session store down');
      },
    ],
    ['rejects', () => Promise.reject(new Error('session store down'))],
    ['consumes the body', async (request: Request) => (await request.text()) !== ''],
  ])(
    'authorize that %s → 500 internal_error (documented: a server fault, not the client)',
    async (_, authorize) => {
      await expectRefused(
        await handler({ authorize: authorize as never })(post('{}')),
        500,
        'internal_error',
      );
    },
  );
});

describe('CORS and methods', () => {
  it.each([
    ['another site', 'https://evil.example'],
    ['the opaque origin', 'null'],
    ['http instead of https', 'http://app.example.com'],
    ['another port', 'https://app.example.com:8443'],
    ['a suffix trick', 'https://app.example.com.evil.example'],
  ])('preflight from %s → 403 without CORS grants', async (_, origin) => {
    const response = await handler()(
      new Request('http://app.test/session', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      }),
    );
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
    await expectRefused(response, 403, 'origin_not_allowed');
  });

  it('a POST from a disallowed origin with a valid token → 403', async () => {
    await expectRefused(
      await handler()(post('{}', { origin: 'https://evil.example' })),
      403,
      'origin_not_allowed',
    );
  });

  it('control: a preflight from the allowed origin → 204 with grants, upstream not called', async () => {
    const response = await handler()(
      new Request('http://app.test/session', { method: 'OPTIONS', headers: { origin: APP_ORIGIN } }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(upstream.count).toBe(0);
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('%s → 405', async (method) => {
    const request = new Request('http://app.test/session', {
      method,
      headers: { authorization: TOKEN, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : '{}',
    });
    await expectRefused(await handler()(request), 405, 'method_not_allowed');
  });
});
