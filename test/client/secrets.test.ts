// Neither the API key nor a minted client_secret may surface in any error, however it is printed,
// nor in anything the SDK logs.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import {
  ApiError,
  ConfigurationError,
  ConnectionError,
  createRealtimeSession,
  InvalidResponseError,
  RealtimeApi,
  TimeoutError,
  type ClientOptions,
} from '../../src/index.js';
import {
  closedPortUrl,
  hang,
  json,
  resetBeforeHeaders,
  resetMidBody,
  stallAfterHeaders,
  text,
  useScriptedServer,
  type Reply,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import { rejectionOf, withBrowserGlobals } from './support.js';

const API_KEY = 'sk-test-SECRETKEY-123';
const CLIENT_SECRET = 'ek_SECRETVALUE_456';
// A configured key with no recognisable prefix: only the configured-secret rule can catch it.
const PLAIN_KEY = 'SECRETPLAINKEY789xyz';
const SECRETS = [API_KEY, CLIENT_SECRET, PLAIN_KEY, 'SECRETKEY', 'SECRETVALUE', 'SECRETPLAIN'];

const SESSION_WITH_SECRET = {
  id: 'sess_leak',
  object: 'realtime.session',
  client_secret: { value: CLIENT_SECRET, expires_at: 1_900_000_000 },
};
const SESSION_TEXT = JSON.stringify(SESSION_WITH_SECRET);

let server: ScriptedServer;
const consoleSpies: MockInstance[] = [];

// Registered before the server: after-hooks run in reverse, so the server is closed before the
// logs are read.
beforeAll(() => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    consoleSpies.push(vi.spyOn(console, method));
  }
});
afterAll(() => {
  const logged = consoleSpies.flatMap((spy) =>
    spy.mock.calls.map((args) => inspect(args, { depth: Infinity })),
  );
  for (const spy of consoleSpies) spy.mockRestore();
  for (const line of logged) for (const secret of SECRETS) expect(line).not.toContain(secret);
});
useScriptedServer((s) => (server = s));

/** Every way an error is commonly printed or shipped to a log service. */
function renderings(error: unknown): Record<string, string> {
  const e = error as Error;
  return {
    message: e.message,
    stack: e.stack ?? '',
    string: String(e),
    json: JSON.stringify(e),
    inspect: inspect(e, { depth: Infinity, showHidden: false }),
    causeJson: JSON.stringify((e as { cause?: unknown }).cause ?? null) ?? '',
    ownProps: JSON.stringify(Object.fromEntries(Object.entries(e))),
  };
}

function expectNoSecrets(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  for (const [how, rendered] of Object.entries(renderings(error))) {
    for (const secret of SECRETS) {
      expect(rendered, `${how} of ${(error as Error).name} contains ${secret}`).not.toContain(secret);
    }
  }
}

function client(options: ClientOptions = {}): RealtimeApi {
  return new RealtimeApi({
    apiKey: API_KEY,
    baseUrl: server.url,
    maxRetries: 0,
    timeoutMs: 2_000,
    ...options,
  });
}

const echo = `Incorrect API key provided: ${API_KEY}. Your last session was ${CLIENT_SECRET}.`;

describe('API errors echoing secrets', () => {
  it.each([400, 401, 403, 404, 409, 422, 429, 500, 502, 503])(
    '%i with an envelope echoing both secrets',
    async (status) => {
      server.reply(
        json(
          status,
          {
            error: { message: echo, type: 'invalid_request_error', param: API_KEY, code: CLIENT_SECRET },
            session: SESSION_WITH_SECRET,
          },
          { 'x-request-id': 'req_1' },
        ),
      );
      // 'beta': the 404 stays the beta path's answer (a BetaEndpointRetiredError) instead of a fallback.
      const error = await rejectionOf(client({ betaEndpoints: 'beta' }).createRealtimeSession({}));
      expect(error).toBeInstanceOf(ApiError);
      expectNoSecrets(error);
      // Redacted, not dropped: the rest of the message is still there to read.
      expect((error as ApiError).message).toMatch(/^\d{3} Incorrect API key provided: \[REDACTED\]/);
    },
  );

  it('a 500 retried twice still leaks nothing', async () => {
    server.fallback = json(500, { error: { message: echo } }, { 'retry-after-ms': '0' });
    const error = await rejectionOf(client({ maxRetries: 2 }).createRealtimeSession({}));
    expect(server.count).toBe(3);
    expectNoSecrets(error);
  });

  it('an HTML page echoing the Authorization header', async () => {
    server.reply(
      text(502, `<html><body><pre>Authorization: Bearer ${API_KEY}\n${SESSION_TEXT}</pre></body></html>`, {
        'content-type': 'text/html',
      }),
    );
    const error = await rejectionOf(client().createRealtimeSession({}));
    expect(error).toBeInstanceOf(ApiError);
    expectNoSecrets(error);
  });

  it('a key without a known prefix is still redacted, because it is the configured one', async () => {
    server.reply(text(401, `bad key ${PLAIN_KEY}`));
    const error = await rejectionOf(client({ apiKey: PLAIN_KEY }).createRealtimeSession({}));
    expectNoSecrets(error);
    expect((error as Error).message).toContain('[REDACTED]');
  });

  it('a secret straddling the 200-character excerpt cut is not half-quoted', async () => {
    for (let pad = 185; pad < 200; pad++) {
      server.reply(text(500, `${'x'.repeat(pad)} ${API_KEY} ${CLIENT_SECRET}`));
      expectNoSecrets(await rejectionOf(client().createRealtimeSession({})));
    }
  });
});

describe('2xx bodies that cannot be returned', () => {
  it.each<[string, Reply]>([
    ['invalid JSON containing the secret', text(200, `${SESSION_TEXT} trailing garbage`)],
    [
      'truncated JSON, cut inside the secret',
      text(200, SESSION_TEXT.slice(0, SESSION_TEXT.indexOf(CLIENT_SECRET) + 12)),
    ],
    ['truncated JSON, cut after the secret', text(200, SESSION_TEXT.slice(0, -3))],
    ['a JSON array of sessions', json(200, [SESSION_WITH_SECRET])],
    ['a JSON string that is the secret', json(200, CLIENT_SECRET)],
    ['a body that echoes the key', text(200, `Bearer ${API_KEY}`)],
    [
      'secrets with escaped JSON',
      text(200, `{"client_secret":{"value":"${CLIENT_SECRET}\\"x","expires_at":1},`),
    ],
  ])('%s', async (_, reply) => {
    server.reply(reply);
    const error = await rejectionOf(client().createRealtimeSession({}));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expectNoSecrets(error);
  });
});

describe('no response', () => {
  it('timeout (hung server)', async () => {
    server.fallback = hang();
    const error = await rejectionOf(client({ timeoutMs: 100 }).createRealtimeSession({}));
    expect(error).toBeInstanceOf(TimeoutError);
    expectNoSecrets(error);
  });

  it('timeout mid-body, after part of the secret arrived', async () => {
    server.fallback = stallAfterHeaders(200, {}, SESSION_TEXT.slice(0, -10));
    const error = await rejectionOf(client({ timeoutMs: 150 }).createRealtimeSession({}));
    expect(error).toBeInstanceOf(TimeoutError);
    expectNoSecrets(error);
  });

  it('reset before headers', async () => {
    server.reply(resetBeforeHeaders());
    const error = await rejectionOf(client().createRealtimeSession({}));
    expect(error).toBeInstanceOf(ConnectionError);
    expectNoSecrets(error);
  });

  it('reset mid-body, after part of the secret arrived', async () => {
    server.reply(resetMidBody(SESSION_TEXT.slice(0, -10)));
    const error = await rejectionOf(client().createRealtimeSession({}));
    expect(error).toBeInstanceOf(ConnectionError);
    expectNoSecrets(error);
  });

  it('connection refused', async () => {
    const error = await rejectionOf(client({ baseUrl: await closedPortUrl() }).createRealtimeSession({}));
    expect(error).toBeInstanceOf(ConnectionError);
    expectNoSecrets(error);
  });

  it('abort: the rejection is the caller’s own reason, and the SDK adds nothing to it', async () => {
    server.fallback = hang();
    const controller = new AbortController();
    const pending = client().createRealtimeSession({}, { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    expectNoSecrets(await rejectionOf(pending));
  });
});

describe('configuration errors', () => {
  it('a missing key', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    try {
      expectNoSecrets(await rejectionOf(createRealtimeSession({}, { baseUrl: server.url })));
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.each<[string, ClientOptions]>([
    ['invalid timeoutMs', { timeoutMs: -1 }],
    ['invalid maxRetries', { maxRetries: 1.5 }],
    ['invalid baseUrl', { baseUrl: `http://[${API_KEY}]` }],
    ['invalid headers', { headers: 'x' as unknown as Record<string, string> }],
  ])('%s, with the key configured', async (_, options) => {
    const error = await rejectionOf(createRealtimeSession({}, { apiKey: API_KEY, ...options }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expectNoSecrets(error);
  });

  it('the browser guard, with the key configured', () => {
    let error: unknown;
    withBrowserGlobals(() => {
      try {
        new RealtimeApi({ apiKey: API_KEY });
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(ConfigurationError);
    expectNoSecrets(error);
  });
});

describe('the client object itself', () => {
  it('does not expose the key when inspected or serialized', () => {
    const api = client();
    for (const rendered of [inspect(api, { depth: Infinity }), JSON.stringify(api), String(api)]) {
      expect(rendered).not.toContain(API_KEY);
    }
  });
});
