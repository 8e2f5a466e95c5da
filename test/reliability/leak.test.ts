// Secrets never leak: every error path of the facade and of the token handler is driven with a
// recognisable API key (LEAK_KEY) and minted secret (LEAK_SECRET) echoed back by the upstream wherever it
// can echo them. Neither may appear in an error's message, stack, JSON or util.inspect output (cause
// chain included), in anything written to the console or to stdout/stderr during the suite (errors
// are logged on purpose, as an application would), nor in the handler's error answers (body and
// headers).
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  ConfigurationError,
  ConnectionError,
  createSessionHandler,
  InvalidArgumentError,
  InvalidResponseError,
  RealtimeApi,
  RealtimeSessionsError,
  TimeoutError,
  type SessionHandlerOptions,
} from '../../src/index.js';
import {
  closedPortUrl,
  hang,
  json,
  openaiError,
  resetBeforeHeaders,
  resetMidBody,
  stallAfterHeaders,
  startScriptedServer,
  text,
  type Reply,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import { LEAK_KEY, LEAK_SECRET, settle } from './support.js';

/** Both secrets share this marker: a partial or cut-off leak is caught too. */
const MARKER = /LEAKCHECK/;
const ECHO = `Incorrect API key provided: ${LEAK_KEY}. Bearer ${LEAK_KEY}; minted "${LEAK_SECRET}"`;

// ---- Capture every console method and stdout/stderr write for the whole file --------------------

const captured: string[] = [];
const restores: (() => void)[] = [];

beforeAll(() => {
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table', 'assert'] as const;
  for (const method of methods) {
    const spy = vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: Infinity }))).join(' '));
    });
    restores.push(() => spy.mockRestore());
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    restores.push(() => (stream.write = original));
  }
});
afterAll(() => {
  for (const restore of restores.reverse()) restore();
});

// ---- Helpers --------------------------------------------------------------------------------------

let server: ScriptedServer;
let closedUrl: string;
beforeAll(async () => {
  server = await startScriptedServer();
  closedUrl = await closedPortUrl();
});
afterAll(() => server.close());

/** Every rendering of an error that may end up in a log, a bug report or an HTTP answer. */
function renderings(error: unknown): string[] {
  const out = [
    String(error),
    JSON.stringify(error) ?? '',
    inspect(error, { depth: Infinity }),
    inspect(error, { depth: Infinity, showHidden: true }),
  ];
  for (let e: unknown = error, i = 0; e instanceof Error && i < 10; e = e.cause, i++) {
    out.push(e.message, e.stack ?? '', JSON.stringify(e) ?? '');
  }
  return out;
}

function expectClean(error: unknown): void {
  for (const text of renderings(error)) expect(text).not.toMatch(MARKER);
  // Log it the way an application would; the capture is checked at the end of the file.
  console.error('request failed:', error);
  console.warn({ err: error });
  console.log(`${String(error)}`);
}

function client(options: { baseUrl?: string; timeoutMs?: number } = {}): RealtimeApi {
  return new RealtimeApi({
    apiKey: LEAK_KEY,
    baseUrl: options.baseUrl ?? `${server.url}/v1`,
    maxRetries: 0,
    timeoutMs: options.timeoutMs ?? 5_000,
  });
}

/** A client whose custom `fetch` rejects with `error`, as a proxy wrapper or a test double might. */
function rejectingFetchClient(error: unknown): RealtimeApi {
  return new RealtimeApi({
    apiKey: LEAK_KEY,
    baseUrl: 'http://upstream.test/v1',
    maxRetries: 0,
    fetch: () => Promise.reject(error),
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  const result = await settle(promise);
  expect(result.ok, 'the call should fail').toBe(false);
  return result.ok ? undefined : result.error;
}

// ---- Facade -------------------------------------------------------------------------------------

const STATUSES = [400, 401, 403, 404, 408, 409, 418, 422, 429, 500, 502, 503, 504];

interface UpstreamCase {
  name: string;
  reply: Reply;
  error: abstract new (...args: never[]) => Error;
}

const upstreamCases: UpstreamCase[] = [
  ...STATUSES.map((status) => ({
    name: `${status}, OpenAI envelope echoing key and secret in every field`,
    reply: openaiError(status, {
      message: ECHO,
      type: `Bearer ${LEAK_KEY}`,
      param: LEAK_KEY,
      code: LEAK_SECRET,
    }),
    error: ApiError,
  })),
  ...STATUSES.map((status) => ({
    name: `${status}, text body echoing both`,
    reply: text(status, ECHO),
    error: ApiError,
  })),
  {
    name: '502, problem details echoing both',
    reply: json(502, { title: `Bad key ${LEAK_KEY}`, detail: ECHO }),
    error: ApiError,
  },
  {
    name: '500, HTML echoing the key',
    reply: text(500, `<html><body><pre>Authorization: Bearer ${LEAK_KEY}</pre>${LEAK_SECRET}</body></html>`, {
      'content-type': 'text/html',
    }),
    error: ApiError,
  },
  {
    name: '500, a session in the error body',
    reply: json(500, { client_secret: { value: LEAK_SECRET, expires_at: 1 }, key: LEAK_KEY }),
    error: ApiError,
  },
  {
    name: '200, JSON cut inside the secret',
    reply: text(200, `{"id":"sess_1","client_secret":{"value":"${LEAK_SECRET.slice(0, 20)}`, {
      'content-type': 'application/json',
    }),
    error: InvalidResponseError,
  },
  {
    name: '200, JSON missing its last brace',
    reply: text(200, `{"client_secret":{"value":"${LEAK_SECRET}","expires_at":1},"k":"${LEAK_KEY}"`, {
      'content-type': 'application/json',
    }),
    error: InvalidResponseError,
  },
  {
    name: '200, not JSON, echoing both',
    reply: text(200, `not json: ${ECHO}`),
    error: InvalidResponseError,
  },
  {
    name: '200, the secret straddling the 200-character excerpt limit',
    reply: text(200, `${'x'.repeat(190)} ${LEAK_SECRET} ${LEAK_KEY}`),
    error: InvalidResponseError,
  },
  {
    name: '200, a JSON array of sessions',
    reply: json(200, [{ client_secret: { value: LEAK_SECRET, expires_at: 1 } }]),
    error: InvalidResponseError,
  },
  {
    name: '200, a JSON string holding the secret',
    reply: json(200, LEAK_SECRET),
    error: InvalidResponseError,
  },
  {
    name: '200, HTML echoing the key',
    reply: text(200, `<!doctype html><p>Bearer ${LEAK_KEY}</p>`, { 'content-type': 'text/html' }),
    error: InvalidResponseError,
  },
  {
    name: 'reset mid-body, inside the secret',
    reply: resetMidBody(`{"client_secret":{"value":"${LEAK_SECRET}`),
    error: ConnectionError,
  },
  {
    name: 'reset before headers',
    reply: resetBeforeHeaders(),
    error: ConnectionError,
  },
  {
    name: 'headers then a stall, after part of the secret',
    reply: stallAfterHeaders(200, {}, `{"client_secret":{"value":"${LEAK_SECRET}`),
    error: TimeoutError,
  },
  {
    name: 'no answer (timeout)',
    reply: hang(),
    error: TimeoutError,
  },
];

describe('facade errors carry neither key nor secret', () => {
  it('the upstream did receive the key (the checks below are not vacuous)', async () => {
    server.reply(json(200, { client_secret: { value: LEAK_SECRET, expires_at: 1 } }));
    const data = await client().createRealtimeSession({});
    expect(data.client_secret.value).toBe(LEAK_SECRET);
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${LEAK_KEY}`);
  });

  it.each(upstreamCases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    server.reply(c.reply);
    // A short timeout only where the timeout is the path under test: a busy machine must not turn
    // another path into a timeout.
    const timeoutMs = c.error === TimeoutError ? 200 : 5_000;
    const error = await failure(client({ timeoutMs }).createRealtimeSession({ model: 'gpt-realtime' }));
    expect(error).toBeInstanceOf(c.error);
    expectClean(error);
  });

  // The same cases on the beta-to-GA fallback: the beta path answers 404 as the live API does, and
  // the case answers the GA call.
  it.each(upstreamCases.map((c) => [c.name, c] as const))(
    'after a beta 404, on the GA call: %s',
    async (_, c) => {
      server.reply(json(404, { error: { message: 'Invalid URL (POST /v1/realtime/sessions)' } }), c.reply);
      const timeoutMs = c.error === TimeoutError ? 200 : 5_000;
      const error = await failure(client({ timeoutMs }).createRealtimeSession({ model: 'gpt-realtime' }));
      expect(error).toBeInstanceOf(c.error);
      expect(server.requests.at(-1)!.url).toBe('/v1/realtime/client_secrets');
      expectClean(error);
    },
  );

  it('after a beta 404, a GA 200 echoing both but without a string value is an InvalidResponseError, clean', async () => {
    server.reply(
      json(404, { error: { message: 'Invalid URL (POST /v1/realtime/sessions)' } }),
      json(200, { value: { nested: LEAK_SECRET }, expires_at: 1, session: { instructions: ECHO } }),
    );
    const error = await failure(client().createRealtimeSession({}));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expectClean(error);
  });

  it('connection refused', async () => {
    const error = await failure(client({ baseUrl: closedUrl }).createRealtimeSession({}));
    expect(error).toBeInstanceOf(ConnectionError);
    expectClean(error);
  });

  it('caller abort (before and during the call)', async () => {
    const before = await failure(client().createRealtimeSession({}, { signal: AbortSignal.abort() }));
    expectClean(before);
    server.reply(hang());
    const controller = new AbortController();
    const during = client().createRealtimeSession({}, { signal: controller.signal });
    await server.waitForRequests(server.count + 1);
    controller.abort();
    expectClean(await failure(during));
  });

  it('a custom fetch that rejects with the key in its message: the cause chain is scrubbed too', async () => {
    const inner = Object.assign(new Error(`proxy refused Bearer ${LEAK_KEY}`), {
      code: 'ECONNREFUSED',
      headers: { authorization: `Bearer ${LEAK_KEY}` },
    });
    const thrown = new TypeError('fetch failed', { cause: inner });
    const error = (await failure(rejectingFetchClient(thrown).createRealtimeSession({}))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    // Message, stack, JSON and util.inspect of the error and of every cause in its chain.
    expectClean(error);
    // The chain keeps what callers branch on: the outer message, the inner name and code.
    const cause = error.cause as Error;
    expect(cause.message).toBe('fetch failed');
    expect(cause.name).toBe('TypeError');
    expect((cause.cause as Error).message).toBe('proxy refused Bearer [REDACTED]');
    expect((cause.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(cause.cause).not.toHaveProperty('headers');
  });

  it("a runtime's own cause, with nothing to scrub, is kept as it is", async () => {
    const original = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    const error = (await failure(
      rejectingFetchClient(original).createRealtimeSession({}),
    )) as ConnectionError;
    expect(error.cause).toBe(original);
  });

  it('a key of any shape (a gateway key behind a custom baseUrl) is scrubbed wherever it is echoed', async () => {
    const gatewayKey = 'gw_LEAKCHECK_0123456789abcdef';
    server.reply(openaiError(500, { message: `bad key ${gatewayKey}` }, { 'x-request-id': gatewayKey }));
    const api = new RealtimeApi({ apiKey: gatewayKey, baseUrl: `${server.url}/v1`, maxRetries: 0 });
    const error = (await failure(api.createRealtimeSession({}))) as ApiError;
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${gatewayKey}`);
    expect(error.requestId).toBe('[REDACTED]');
    expectClean(error);
  });

  it('a per-call authorization header replaces the key, and is scrubbed in its place', async () => {
    const callKey = 'tenant_LEAKCHECK_0123456789abcdef';
    server.reply(
      openaiError(401, { message: `Incorrect API key provided: ${callKey}` }, { 'x-request-id': callKey }),
    );
    const error = (await failure(
      client().createRealtimeSession({}, { headers: { Authorization: `Bearer ${callKey}` } }),
    )) as ApiError;
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${callKey}`);
    expect(error.status).toBe(401);
    expect(error.message).toBe('401 Incorrect API key provided: [REDACTED] (POST /realtime/sessions)');
    expectClean(error);
  });

  it.each([
    ['timeoutMs: -1', { timeoutMs: -1 }],
    ['maxRetries: 1.5', { maxRetries: 1.5 }],
    ['baseUrl: the key', { baseUrl: LEAK_KEY }],
    ['baseUrl: ftp:// with the key', { baseUrl: `ftp://${LEAK_KEY}.example` }],
    ['headers: the key as a string', { headers: LEAK_KEY as never }],
    ['organization: a number', { organization: 42 as never }],
    ['fetch: not a function', { fetch: LEAK_KEY as never }],
  ] as const)('configuration error: %s', (_, options) => {
    let error: unknown;
    try {
      new RealtimeApi({ apiKey: LEAK_KEY, ...options });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expectClean(error);
  });

  it.each([
    ['a string request', () => client().createRealtimeSession(LEAK_KEY as never)],
    [
      'a request holding a BigInt',
      () => client().createRealtimeSession({ instructions: LEAK_KEY, n: 1n } as never),
    ],
    [
      'a circular request',
      () => {
        const body: Record<string, unknown> = { instructions: LEAK_SECRET };
        body.self = body;
        return client().createRealtimeSession(body as never);
      },
    ],
    [
      'a per-call timeoutMs that is the key',
      () => client().createRealtimeSession({}, { timeoutMs: LEAK_KEY as never }),
    ],
    [
      'per-call headers that are the key',
      () => client().createRealtimeSession({}, { headers: LEAK_KEY as never }),
    ],
  ] as const)('argument error: %s', async (_, call) => {
    const error = await failure(Promise.resolve().then(call));
    expect(error).toBeInstanceOf(RealtimeSessionsError);
    expect([InvalidArgumentError, ConfigurationError].some((c) => error instanceof c)).toBe(true);
    expectClean(error);
  });
});

// ---- Handler --------------------------------------------------------------------------------------

const reported: unknown[] = [];

function handler(
  options: Omit<SessionHandlerOptions, 'endpoint'> = {},
): (request: Request) => Promise<Response> {
  return createSessionHandler({
    endpoint: 'sessions',
    apiKey: LEAK_KEY,
    baseUrl: `${server.url}/v1`,
    maxRetries: 0,
    timeoutMs: 5_000,
    session: { model: 'gpt-realtime', instructions: 'Pinned.' },
    allowFromClient: ['voice'],
    // As an application would: log every failure the handler reports.
    onError: (error) => {
      reported.push(error);
      console.error('realtime session failed', error);
    },
    ...options,
  });
}

function post(body: string, headers: Record<string, string> = {}): Request {
  return new Request('http://app.test/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

async function expectCleanAnswer(response: Response, status: number): Promise<void> {
  expect(response.status).toBe(status);
  const body = await response.text();
  expect(body).not.toMatch(MARKER);
  expect(JSON.stringify([...response.headers])).not.toMatch(MARKER);
  expect(typeof (JSON.parse(body) as { error: { message: unknown } }).error.message).toBe('string');
}

describe('handler error answers carry neither key nor secret', () => {
  const cases: [string, Reply | 'refused', number, string?][] = [
    ['upstream 500 echoing key and secret', openaiError(500, { message: ECHO, param: LEAK_KEY }), 502],
    [
      'upstream 500 HTML echoing the key',
      text(500, `<h1>${ECHO}</h1>`, { 'content-type': 'text/html' }),
      502,
    ],
    ['upstream 401 echoing the key', openaiError(401, { message: ECHO, code: 'invalid_api_key' }), 502],
    ['upstream 403 echoing the key', openaiError(403, { message: ECHO }), 502],
    ['upstream 429 echoing the key', openaiError(429, { message: ECHO }, { 'retry-after': '3' }), 429],
    ['upstream 400, param echoing the key', openaiError(400, { message: ECHO, param: LEAK_KEY }), 502],
    [
      'upstream 400 about the client field, message echoing the key',
      openaiError(400, { message: ECHO, param: 'voice' }),
      400,
      '{"voice":"x"}',
    ],
    ['upstream 200 cut inside the secret', text(200, `{"client_secret":{"value":"${LEAK_SECRET}`), 502],
    ['upstream 200 without a session, echoing the key', json(200, { echo: ECHO }), 502],
    [
      'upstream 200, client_secret without expires_at',
      json(200, { client_secret: { value: LEAK_SECRET } }),
      502,
    ],
    [
      'upstream 200, a JSON array with the secret',
      json(200, [{ client_secret: { value: LEAK_SECRET } }]),
      502,
    ],
    ['upstream timeout', hang(), 504],
    [
      'upstream stalls mid-secret',
      stallAfterHeaders(200, {}, `{"client_secret":{"value":"${LEAK_SECRET}`),
      504,
    ],
    ['upstream reset', resetBeforeHeaders(), 502],
    ['upstream reset mid-secret', resetMidBody(`{"client_secret":{"value":"${LEAK_SECRET}`), 502],
    ['upstream refused', 'refused', 502],
  ];

  const named = cases.map(
    ([name, reply, status, body]) => [`${name} → ${status}`, reply, status, body] as const,
  );
  it.each(named)('%s', async (_, reply, status, body = '{}') => {
    const before = reported.length;
    // A short timeout only where the timeout is the path under test (504): a busy machine must not
    // turn another path into a timeout.
    const timeoutMs = status === 504 ? 200 : 5_000;
    if (reply !== 'refused') server.reply(reply);
    const h = handler(reply === 'refused' ? { baseUrl: `${closedUrl}/v1`, timeoutMs } : { timeoutMs });
    const response = await h(post(body));
    await expectCleanAnswer(response, status);
    // onError got the SDK's error, itself clean.
    expect(reported.length).toBe(before + 1);
    expectClean(reported.at(-1));
  });

  it.each([
    ['405 wrong method', () => handler()(new Request('http://app.test/session', { method: 'GET' })), 405],
    ['415 wrong content type', () => handler()(post('{}', { 'content-type': 'text/plain' })), 415],
    ['413 too large', () => handler({ maxBodyBytes: 64 })(post(`{"voice":"${'v'.repeat(100)}"}`)), 413],
    ['400 invalid JSON', () => handler()(post('{"voice":')), 400],
    ['400 field not allowed', () => handler()(post('{"instructions":"x"}')), 400],
    ['400 forbidden key', () => handler()(post('{"__proto__":{}}')), 400],
    ['401 authorize false', () => handler({ authorize: () => false })(post('{}')), 401],
    [
      '500 authorize throws',
      () =>
        handler({
          authorize: () => {
            throw new Error('session store down');
          },
        })(post('{}')),
      500,
    ],
    [
      '403 origin not allowed',
      () =>
        handler({ cors: { origins: ['https://app.example'] } })(
          post('{}', { origin: 'https://evil.example' }),
        ),
      403,
    ],
  ] as const)('handler refusal: %s', async (_, call, status) => {
    const before = server.count;
    await expectCleanAnswer(await call(), status);
    expect(server.count).toBe(before);
  });

  it('through toNodeHandler: a 500 from upstream echoing the key answers 502 without it', async () => {
    const { createServer } = await import('node:http');
    const { toNodeHandler } = await import('../../src/adapters/node.js');
    const { listen } = await import('../helpers/listen.js');
    server.reply(openaiError(500, { message: ECHO }, { 'x-request-id': 'req_123' }));
    const app = await listen(createServer(toNodeHandler(handler())));
    try {
      const response = await fetch(`${app.url}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      await expectCleanAnswer(response, 502);
    } finally {
      await app.close();
    }
  });
});

// ---- Former defects, now regression tests ------------------------------------------------------

describe('former leaks', () => {
  // Was a leak: escapes were decoded only after redaction. redact() now re-serialises JSON first.
  it('an error body spelling the key with JSON escapes is still redacted', async () => {
    const escaped = LEAK_KEY.replace('-', '\\u002d');
    server.reply(
      text(500, `{"error":{"message":"bad key ${escaped}"}}`, { 'content-type': 'application/json' }),
    );
    const error = await failure(client().createRealtimeSession({}));
    expect((error as Error).message).not.toMatch(MARKER);
    expect(JSON.stringify(error)).not.toMatch(MARKER);
  });

  // Was a leak: the raw x-request-id reached `requestId` and the browser. It is now redacted, and
  // the handler forwards only OpenAI-shaped ids.
  it('an x-request-id echoing the key does not reach error.requestId', async () => {
    server.reply(openaiError(500, { message: 'x' }, { 'x-request-id': LEAK_KEY }));
    const error = (await failure(client().createRealtimeSession({}))) as ApiError;
    expect(String(error.requestId)).not.toMatch(MARKER);
  });

  it('an ephemeral key glued to other text (a URL-encoded quote) is still redacted', async () => {
    server.reply(text(400, `bad token %22ek_LEAKCHECK_glued_0001%22`, { 'content-type': 'text/plain' }));
    const error = await failure(client().createRealtimeSession({}));
    expect((error as Error).message).not.toMatch(MARKER);
    expect(JSON.stringify(error)).not.toMatch(MARKER);
  });

  it('an x-request-id echoing the key does not reach the handler answer', async () => {
    server.reply(openaiError(500, { message: 'x' }, { 'x-request-id': LEAK_KEY }));
    const response = await handler({ onError: () => {} })(post('{}'));
    expect(await response.text()).not.toMatch(MARKER);
  });
});

// ---- Last: nothing reached the console or the standard streams ------------------------------------

describe('console and standard streams', () => {
  it('captured output is not empty (errors were logged) and never contains the key or the secret', () => {
    expect(captured.length).toBeGreaterThan(50);
    for (const line of captured) expect(line).not.toMatch(MARKER);
  });
});
