// createRealtimeClientSecret (GA POST /realtime/client_secrets), class and standalone forms, against a
// scripted server: the exact request, both result forms, errors, retries, and the minted `value`
// kept out of every error.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  BadRequestError,
  ConfigurationError,
  createRealtimeClientSecret,
  createRealtimeClientSecretWithHttpInfo,
  InternalServerError,
  InvalidArgumentError,
  InvalidResponseError,
  RateLimitError,
  RealtimeApi,
  TimeoutError,
  UnprocessableEntityError,
  VERSION,
  type ClientOptions,
  type RealtimeCreateClientSecretRequest,
  type RealtimeCreateClientSecretResponse,
} from '../../src/index.js';
import {
  hang,
  json,
  openaiError,
  resetMidBody,
  text,
  useScriptedServer,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import { API_KEY, clearOpenAiEnv, facadeClient, rejectionOf } from './support.js';

const PATH = '/v1/realtime/client_secrets';
// Without a recognisable `ek_` prefix: only the `"value"` rule of redact() can catch it.
const VALUE = 'MINTEDVALUE0123456789abcdef';

const REQUEST: RealtimeCreateClientSecretRequest = {
  expires_after: { anchor: 'created_at', seconds: 600 },
  session: {
    type: 'realtime',
    model: 'gpt-realtime',
    instructions: 'You are a friendly assistant. Ünïcödé ✓',
    audio: { output: { voice: 'marin' } },
  },
};

/** Shaped after the upstream example in openapi/realtime.yaml. */
const MINTED: RealtimeCreateClientSecretResponse = {
  value: VALUE,
  expires_at: 1_900_000_600,
  session: {
    type: 'realtime',
    object: 'realtime.session',
    id: 'sess_C9CiUVUzUzYIssh3ELY1d',
    model: 'gpt-realtime',
    output_modalities: ['audio'],
    instructions: 'You are a friendly assistant.',
    tool_choice: 'auto',
    audio: { output: { voice: 'marin', speed: 1 } },
  },
};
const MINTED_TEXT = JSON.stringify(MINTED);

let server: ScriptedServer;

useScriptedServer((s) => (server = s));

const client = (options: ClientOptions = {}): RealtimeApi => facadeClient(server, options);

/** The minted value in none of the ways an error is printed or shipped to a log service. */
function expectNoValue(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  const e = error as Error;
  for (const rendered of [
    e.message,
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: Infinity }),
    JSON.stringify(Object.fromEntries(Object.entries(e))),
  ]) {
    expect(rendered).not.toContain(VALUE);
    expect(rendered).not.toContain(API_KEY);
  }
}

describe('RealtimeApi.createRealtimeClientSecret', () => {
  it('POSTs the exact JSON body to /realtime/client_secrets with auth, content negotiation and User-Agent', async () => {
    server.reply(json(200, MINTED));

    const minted = await client({ organization: 'org-1', project: 'proj_2' }).createRealtimeClientSecret(
      REQUEST,
    );

    expect(minted).toEqual(MINTED);
    expect(minted.value).toBe(VALUE);
    expect(server.count).toBe(1);
    const [seen] = server.requests;
    expect(seen!.method).toBe('POST');
    expect(seen!.url).toBe(PATH);
    expect(seen!.body).toBe(JSON.stringify(REQUEST));
    expect(seen!.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': `realtime-sessions/${VERSION}`,
      'openai-organization': 'org-1',
      'openai-project': 'proj_2',
    });
  });

  it('sends a transcription session config unchanged', async () => {
    const request: RealtimeCreateClientSecretRequest = {
      session: { type: 'transcription', audio: { input: { transcription: { model: 'gpt-4o-transcribe' } } } },
    };
    server.reply(json(200, { ...MINTED, session: { type: 'transcription', id: 'sess_t', object: 'x' } }));
    await client().createRealtimeClientSecret(request);
    expect(server.requests[0]!.json).toEqual(request);
  });

  it('WithHttpInfo returns status, headers, data and the request id', async () => {
    server.reply(json(200, MINTED, { 'x-request-id': 'req_cs', 'openai-processing-ms': '7' }));
    const { status, headers, data, requestId } = await client().createRealtimeClientSecretWithHttpInfo(
      REQUEST,
      { headers: { 'x-call': '1' } },
    );
    expect(status).toBe(200);
    expect(headers.get('openai-processing-ms')).toBe('7');
    expect(data).toEqual(MINTED);
    expect(requestId).toBe('req_cs');
    expect(server.requests[0]!.headers['x-call']).toBe('1');
  });

  it('a request that is not a plain object rejects with InvalidArgumentError and sends nothing', async () => {
    const error = await rejectionOf(
      client().createRealtimeClientSecret(null as unknown as RealtimeCreateClientSecretRequest),
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(server.count).toBe(0);
  });
});

describe('createRealtimeClientSecret (standalone)', () => {
  it('takes client and request options in one object', async () => {
    server.reply(json(200, MINTED));
    const minted = await createRealtimeClientSecret(REQUEST, {
      apiKey: API_KEY,
      baseUrl: `${server.url}/v1`,
      headers: { 'x-extra': '1' },
      signal: new AbortController().signal,
      timeoutMs: 5_000,
      maxRetries: 0,
    });
    expect(minted).toEqual(MINTED);
    expect(server.requests[0]!.url).toBe(PATH);
    expect(server.requests[0]!.headers).toMatchObject({ authorization: `Bearer ${API_KEY}`, 'x-extra': '1' });
    expect(server.requests[0]!.json).toEqual(REQUEST);
  });

  it('WithHttpInfo returns the HTTP details', async () => {
    server.reply(json(200, MINTED, { 'x-request-id': 'req_standalone_cs' }));
    const result = await createRealtimeClientSecretWithHttpInfo(REQUEST, {
      apiKey: API_KEY,
      baseUrl: `${server.url}/v1`,
    });
    expect(result).toMatchObject({ status: 200, data: MINTED, requestId: 'req_standalone_cs' });
  });

  it('rejects without an API key, and sends nothing', async () => {
    clearOpenAiEnv();
    await expect(createRealtimeClientSecret(REQUEST, { baseUrl: server.url })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    expect(server.count).toBe(0);
  });
});

describe('errors', () => {
  it.each([
    [400, BadRequestError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
  ] as const)(
    '%i becomes %s, its message naming POST /realtime/client_secrets',
    async (status, ErrorClass) => {
      server.reply(
        openaiError(
          status,
          { message: 'Invalid session.type.', param: 'session.type', code: 'invalid_value' },
          { 'x-request-id': 'req_err', 'x-should-retry': 'false' },
        ),
      );
      const error = (await rejectionOf(client().createRealtimeClientSecret(REQUEST))) as ApiError;
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toMatchObject({
        status,
        param: 'session.type',
        code: 'invalid_value',
        requestId: 'req_err',
        method: 'POST',
        path: '/realtime/client_secrets',
      });
      expect(error.message).toBe(`${status} Invalid session.type. (POST /realtime/client_secrets)`);
    },
  );

  it('a timeout names the route', async () => {
    server.fallback = hang();
    const error = await rejectionOf(
      client({ timeoutMs: 100, maxRetries: 0 }).createRealtimeClientSecret(REQUEST),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('Request timed out after 100 ms (POST /realtime/client_secrets)');
  });

  it('a 2xx that is not a JSON object is an InvalidResponseError, not data', async () => {
    server.reply(text(200, '[]'));
    const error = await rejectionOf(client().createRealtimeClientSecret(REQUEST));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/\(POST \/realtime\/client_secrets\)$/);
  });
});

describe('retries', () => {
  it('503 then 200: two attempts, the same body both times', async () => {
    server.reply(
      openaiError(503, { message: 'busy', type: 'server_error' }, { 'retry-after-ms': '0' }),
      json(200, MINTED),
    );
    await expect(client().createRealtimeClientSecret(REQUEST)).resolves.toEqual(MINTED);
    expect(server.count).toBe(2);
    expect(server.requests.map((r) => r.url)).toEqual([PATH, PATH]);
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
  });

  it('429 on every attempt: maxRetries + 1 attempts, then RateLimitError', async () => {
    server.fallback = openaiError(429, { message: 'slow down' }, { 'retry-after-ms': '0' });
    await expect(client({ maxRetries: 2 }).createRealtimeClientSecret(REQUEST)).rejects.toThrow(
      RateLimitError,
    );
    expect(server.count).toBe(3);
  });

  it('400 is not retried', async () => {
    server.fallback = openaiError(400, { message: 'bad' }, { 'retry-after-ms': '0' });
    await expect(client({ maxRetries: 3 }).createRealtimeClientSecret(REQUEST)).rejects.toThrow(
      BadRequestError,
    );
    expect(server.count).toBe(1);
  });
});

describe('the minted value never reaches an error', () => {
  it.each([
    ['an error body echoing the minted answer', json(500, { error: { message: 'oops' }, echo: MINTED })],
    [
      'a plain-text gateway error quoting the answer',
      text(502, `upstream answered {"value":"${VALUE}","expires_at":1} too late`),
    ],
    ['a 2xx with trailing garbage', text(200, `${MINTED_TEXT} garbage`)],
    ['a 2xx cut inside the value', text(200, MINTED_TEXT.slice(0, MINTED_TEXT.indexOf(VALUE) + 10))],
    ['a 2xx JSON array of answers', json(200, [MINTED])],
    ['a 2xx with an escaped quote in the value', text(200, `{"value":"${VALUE}\\"x","expires_at":1`)],
  ])('%s', async (_, reply) => {
    server.reply(reply);
    const error = await rejectionOf(client({ maxRetries: 0 }).createRealtimeClientSecret(REQUEST));
    expect(error).toBeInstanceOf(Error);
    expectNoValue(error);
  });

  it('the connection breaking mid-body, after part of the value arrived', async () => {
    server.reply(resetMidBody(MINTED_TEXT.slice(0, MINTED_TEXT.indexOf(VALUE) + 12)));
    expectNoValue(await rejectionOf(client({ maxRetries: 0 }).createRealtimeClientSecret(REQUEST)));
  });
});
