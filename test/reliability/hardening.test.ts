// Regression tests for what a skilled attacker and a careless caller found in the token route, each
// run against real servers: the route behind node:http (toNodeHandler) or called directly, the
// upstream a scripted node:http server on 127.0.0.1. Each would fail on the code before the fix.
import { connect } from 'node:net';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { toNodeHandler } from '../../src/adapters/node.js';
import { createSessionHandler, type ClientSecretHandlerOptions } from '../../src/handler/index.js';
import { listen } from '../helpers/listen.js';
import { hang, json, useScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';

const API_KEY = 'sk-hardening-KEY-0123456789abcdef';
const SECRET = 'ek_hardening_secret_0123456789abc';
const FUTURE = Math.floor(Date.now() / 1000) + 600;

let upstream: ScriptedServer;
useScriptedServer((s) => (upstream = s));

function route(options: Partial<ClientSecretHandlerOptions> = {}) {
  const reported: unknown[] = [];
  const handler = createSessionHandler({
    apiKey: API_KEY,
    baseUrl: `${upstream.url}/v1`,
    maxRetries: 0,
    allowFromClient: ['voice'],
    onError: (error) => reported.push(error),
    ...options,
  });
  return { handler, reported };
}

const post = (body: string | ReadableStream<Uint8Array> = '{}') =>
  new Request('http://app.test/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    // Required by undici for a streamed body.
    ...({ duplex: 'half' } as object),
  });

const minted = (session: unknown, extra: object = {}) =>
  json(200, { value: SECRET, expires_at: FUTURE, session, ...extra });

describe('the API key never reaches the browser in a 200', () => {
  it.each([
    ['echoed into instructions', { type: 'realtime', instructions: `Authorization: Bearer ${API_KEY}` }],
    ['echoed into an extra field', { type: 'realtime', debug: { authorization: `Bearer ${API_KEY}` } }],
    ['echoed into the audio settings', { type: 'realtime', audio: { output: { voice: API_KEY } } }],
  ])('%s: 502, reported, and the key is not in the answer', async (_, session) => {
    upstream.reply(minted(session));
    const { handler, reported } = route({ sessionFields: ['type', 'audio', 'instructions', 'debug'] });
    const response = await handler(post());
    const text = await response.text();
    expect(response.status).toBe(502);
    expect(JSON.parse(text).error.code).toBe('upstream_invalid_response');
    expect(text).not.toContain(API_KEY);
    expect(String(reported[0])).toMatch(/echoes the credentials/);
    expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('a credential in the client-level headers (a gateway setup) is checked too', async () => {
    const gateway = 'gw-token-0123456789abcdef';
    upstream.reply(minted({ type: 'realtime', audio: { output: { voice: `echo ${gateway}` } } }));
    const { handler } = route({ apiKey: 'placeholder', headers: { authorization: `Bearer ${gateway}` } });
    const response = await handler(post());
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain(gateway);
    expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${gateway}`);
  });
});

describe("the server's pinned config stays on the server", () => {
  const pinnedEcho = {
    type: 'realtime',
    id: 'sess_1',
    object: 'realtime.session',
    model: 'gpt-realtime',
    expires_at: FUTURE,
    instructions: 'Internal: the discount code is 4242.',
    prompt: { id: 'pmpt_internal' },
    tracing: { workflow_name: 'internal', metadata: { team: 'billing' } },
    tools: [
      {
        type: 'mcp',
        server_label: 'crm',
        server_url: 'https://crm.internal.example/mcp',
        headers: { 'x-crm-key': 'crm-secret-value' },
        authorization: 'crm-oauth-token',
      },
    ],
    audio: { output: { voice: 'marin' } },
  };

  it('by default the answer has only what a page needs to connect', async () => {
    upstream.reply(minted(pinnedEcho));
    const response = await route().handler(post('{"voice":"marin"}'));
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(body.session).toEqual({
      type: 'realtime',
      id: 'sess_1',
      object: 'realtime.session',
      model: 'gpt-realtime',
      expires_at: FUTURE,
      audio: { output: { voice: 'marin' } },
    });
    const text = JSON.stringify(body);
    for (const pinned of [
      'discount code',
      'pmpt_internal',
      'billing',
      'crm.internal',
      'crm-secret',
      'crm-oauth',
    ]) {
      expect(text).not.toContain(pinned);
    }
  });

  it('`sessionFields` lists what to return instead', async () => {
    upstream.reply(minted(pinnedEcho));
    const response = await route({ sessionFields: ['model', 'instructions'] }).handler(post());
    expect((await response.json()).session).toEqual({
      model: 'gpt-realtime',
      instructions: 'Internal: the discount code is 4242.',
    });
  });

  it('`sessionFields` is checked at creation', () => {
    expect(() => route({ sessionFields: 'instructions' as never })).toThrow(
      /`sessionFields` must be an array/,
    );
  });
});

describe("a deeply nested body is the browser's mistake, not a 500", () => {
  it('5,000 levels fit in 16 KiB: 400, no upstream call, no onError', async () => {
    const body = `{"voice":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(body.length).toBeLessThan(16_384);
    const { handler, reported } = route();
    const response = await handler(post(body));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/nests deeper than 32 levels/);
    expect(reported).toEqual([]);
    expect(upstream.count).toBe(0);
  });

  it('a real config (five levels) still passes', async () => {
    upstream.reply(minted({ type: 'realtime' }));
    const response = await route({ allowFromClient: ['audio'] }).handler(
      post('{"audio":{"input":{"turn_detection":{"type":"server_vad","threshold":0.5}}}}'),
    );
    expect(response.status).toBe(200);
  });
});

describe('a stalled or trickled upload gets 408, not a connection held for minutes', () => {
  it('through node:http: a body that stops half way answers 408 after bodyTimeoutMs', async () => {
    const { handler } = route({ bodyTimeoutMs: 300 });
    const app = await listen(createServer(toNodeHandler(handler)));
    try {
      const started = performance.now();
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
        let received = '';
        socket.on('data', (chunk) => (received += chunk));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
        // Declares 100 bytes, sends 5 and stalls.
        socket.write(
          'POST /session HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"voi',
        );
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(answer).toContain('"code":"body_timeout"');
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(upstream.count).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('through the Fetch API: a stream that never ends answers 408 and is cancelled', async () => {
    let cancelled = false;
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"voice":'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const response = await route({ bodyTimeoutMs: 200 }).handler(post(stalled));
    expect(response.status).toBe(408);
    expect(cancelled).toBe(true);
    expect(upstream.count).toBe(0);
  });

  it('bodyTimeoutMs is checked at creation', () => {
    expect(() => route({ bodyTimeoutMs: 0 })).toThrow(/`bodyTimeoutMs` must be a positive whole number/);
  });
});

describe('one deadline bounds the whole upstream exchange', () => {
  it('a hung upstream with retries left answers 504 at upstreamTimeoutMs, not after every attempt', async () => {
    upstream.fallback = hang();
    const { handler, reported } = route({ upstreamTimeoutMs: 400, maxRetries: 2, timeoutMs: 60_000 });
    const started = performance.now();
    const response = await handler(post());
    const elapsed = performance.now() - started;
    expect(response.status).toBe(504);
    expect((await response.json()).error.code).toBe('upstream_timeout');
    expect(elapsed).toBeLessThan(5_000);
    expect(upstream.count).toBe(1);
    expect((reported[0] as Error).name).toBe('TimeoutError');
  });

  it('the default is 15 s (a token route answers in seconds, not minutes)', async () => {
    const { HANDLER_DEFAULTS } = await import('../../src/handler/options.js');
    expect(HANDLER_DEFAULTS.upstreamTimeoutMs).toBeLessThanOrEqual(15_000);
  });
});

describe('garbage 200s fail closed', () => {
  it.each([
    ['an empty value', { value: '', expires_at: FUTURE, session: { type: 'realtime' } }],
    ['expires_at 0', { value: SECRET, expires_at: 0, session: { type: 'realtime' } }],
    ['expires_at in the past', { value: SECRET, expires_at: Math.floor(Date.now() / 1000) - 5, session: {} }],
    ['an array session', { value: SECRET, expires_at: FUTURE, session: [{ type: 'realtime' }] }],
  ])('%s: 502, reported', async (_, body) => {
    upstream.reply(json(200, body));
    const { handler, reported } = route();
    const response = await handler(post());
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe('upstream_invalid_response');
    expect(String(reported[0])).toMatch(/upstream answer unusable/);
  });
});

describe('failures the browser can act on', () => {
  it("an upstream 400 about a field the browser sent carries upstream's message, scrubbed", async () => {
    upstream.reply(
      json(400, {
        error: {
          message: `Invalid value: 'nope'. Supported values are: 'alloy', 'verse'. (key ${API_KEY})`,
          type: 'invalid_request_error',
          param: 'session.audio.output.voice',
          code: 'invalid_value',
        },
      }),
    );
    const response = await route().handler(post('{"voice":"nope"}'));
    const body = await response.json();
    expect(response.status).toBe(400);
    expect(body.error.param).toBe('voice');
    expect(body.error.message).toContain("Supported values are: 'alloy', 'verse'");
    expect(JSON.stringify(body)).not.toContain(API_KEY);
  });

  it('an upstream message about anything else stays hidden: 502 with a fixed message', async () => {
    upstream.reply(
      json(400, {
        error: {
          message: 'Internal: tool crm misconfigured',
          param: 'session.tools[0].server_url',
          code: 'x',
        },
      }),
    );
    const response = await route().handler(post('{"voice":"verse"}'));
    const text = await response.text();
    expect(response.status).toBe(502);
    expect(text).not.toContain('crm');
  });
});

describe('options a careless caller gets wrong are refused, naming the right one', () => {
  it.each([
    [
      { baseURL: 'http://127.0.0.1:1/v1' },
      /Unknown option `baseURL` for new RealtimeApi\(\): did you mean `baseUrl`\?/,
    ],
    [{ timeout: 5_000 }, /`timeout`.*did you mean `timeoutMs`/],
    [{ defaultHeaders: {} }, /`defaultHeaders`.*did you mean `headers`/],
    [{ defaultQuery: {} }, /`defaultQuery`.*sends no query parameters/],
    [{ maxRetires: 1 }, /`maxRetires`.*did you mean `maxRetries`/],
    [{ apikey: API_KEY }, /`apikey`.*did you mean `apiKey`/],
  ])('new RealtimeApi(%j)', async (options, message) => {
    const { RealtimeApi, ConfigurationError } = await import('../../src/index.js');
    expect(() => new RealtimeApi({ apiKey: API_KEY, ...options } as never)).toThrow(ConfigurationError);
    expect(() => new RealtimeApi({ apiKey: API_KEY, ...options } as never)).toThrow(message);
    expect(upstream.count).toBe(0);
  });

  it('a handler option typo (allowFromClients) is refused instead of running with an empty allow-list', () => {
    expect(() => route({ allowFromClients: ['voice'] } as never)).toThrow(
      /Unknown option `allowFromClients` for createSessionHandler\(\): did you mean `allowFromClient`\?/,
    );
    expect(() => route({ baseURL: 'http://x' } as never)).toThrow(/did you mean `baseUrl`/);
  });

  it('a baseUrl carrying user:password@ is refused at creation, without echoing the password', async () => {
    const { RealtimeApi } = await import('../../src/index.js');
    let message = '';
    try {
      new RealtimeApi({
        apiKey: API_KEY,
        baseUrl: `http://user:hunter2-secret@127.0.0.1:${upstream.port}/v1`,
      });
    } catch (error) {
      message = `${(error as Error).name}: ${(error as Error).message}`;
    }
    expect(message).toMatch(/^ConfigurationError: `baseUrl` must be a URL without user:password@/);
    expect(message).not.toContain('hunter2');
    expect(() => route({ baseUrl: 'http://user:pw@127.0.0.1/v1' })).toThrow(/without user:password@/);
    expect(upstream.count).toBe(0);
  });

  it('a credential in client-level headers (a gateway) is scrubbed from errors, JSON and onError', async () => {
    const { RealtimeApi, ApiError } = await import('../../src/index.js');
    const gateway = 'gw-secret-token-0123456789';
    const azure = 'azure-api-key-0123456789ab';
    upstream.reply(json(401, { error: { message: `bad token Bearer ${gateway}; api-key ${azure}` } }));
    const api = new RealtimeApi({
      apiKey: 'placeholder',
      baseUrl: `${upstream.url}/v1`,
      maxRetries: 0,
      headers: { authorization: `Bearer ${gateway}`, 'api-key': azure },
    });
    const error = await api
      .createRealtimeClientSecret({ session: { type: 'realtime' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const seen = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(seen).not.toContain(gateway);
    expect(seen).not.toContain(azure);
    expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${gateway}`);

    upstream.reply(json(401, { error: { message: `bad token ${gateway}` } }));
    const { handler, reported } = route({
      apiKey: 'placeholder',
      headers: { authorization: `Bearer ${gateway}` },
    });
    const answer = await handler(post());
    expect(await answer.text()).not.toContain(gateway);
    expect(String(reported[0])).not.toContain(gateway);
    expect(JSON.stringify(reported[0])).not.toContain(gateway);
  });
});

describe("an allowed field's value is checked against the pinned schema before any upstream call", () => {
  it.each([
    ['client_secrets', { voice: { nested: 1 } }, 'voice', /^voice must have property "id"/],
    ['client_secrets', { instructions: 42 }, 'instructions', /^instructions must be a string/],
    ['sessions', { voice: { nested: 1 } }, 'voice', /^voice must be a string/],
    ['sessions', { instructions: 42 }, 'instructions', /^instructions must be a string/],
  ] as const)(
    '%s mode, %j: 400 naming the field and what was expected',
    async (endpoint, body, field, message) => {
      const { handler, reported } = route({
        endpoint,
        session: endpoint === 'sessions' ? { model: 'gpt-realtime' } : { type: 'realtime' },
        allowFromClient: ['voice', 'instructions'],
      } as never);
      const response = await handler(post(JSON.stringify(body)));
      const answer = await response.json();
      expect(response.status).toBe(400);
      expect(answer.error).toMatchObject({ code: 'invalid_field', param: field });
      expect(answer.error.message).toMatch(message);
      expect(upstream.count).toBe(0);
      expect(reported).toEqual([]);
    },
  );

  it('a valid value still mints (a custom GA voice object included)', async () => {
    upstream.reply(minted({ type: 'realtime' }));
    const response = await route().handler(post('{"voice":{"id":"voice_1234"}}'));
    expect(response.status).toBe(200);
    expect(upstream.requests[0]!.json).toEqual({
      session: { type: 'realtime', audio: { output: { voice: { id: 'voice_1234' } } } },
    });
  });

  it('the validators are their own file in dist/, not in the package entry a minting app imports', async () => {
    const { readFileSync } = await import('node:fs');
    const entry = readFileSync(new URL('../../dist/index.js', import.meta.url), 'utf8');
    expect(entry).toContain("import('./validate.js')");
    // ajv's generated code reports every failure with an instancePath.
    expect(entry).not.toContain('instancePath');
    expect(readFileSync(new URL('../../dist/validate.js', import.meta.url), 'utf8').length).toBeGreaterThan(
      10_000,
    );
  });
});
