// What each failure becomes: the error class, its fields and its message.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RealtimeApi,
  RealtimeSessionsError,
  TimeoutError,
  UnprocessableEntityError,
} from '../../src/index.js';
import {
  closedPortUrl,
  drip,
  json,
  openaiError,
  resetBeforeHeaders,
  resetMidBody,
  text,
  useScriptedServer,
  type Reply,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import { API_KEY, rejectionOf, SESSION } from './support.js';

let server: ScriptedServer;
let api: RealtimeApi;

/** `status` with `body` gzip-compressed, its compressed length declared. */
function gzipped(status: number, body: string | Buffer): Reply {
  const compressed = gzipSync(body);
  return (res) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': String(compressed.length),
    });
    res.end(compressed);
  };
}

useScriptedServer((s) => {
  server = s;
  // No retries here: retry behaviour has its own suite.
  api = new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0, timeoutMs: 5_000 });
});

describe('the OpenAI error envelope', () => {
  it.each([
    [400, BadRequestError, 'BadRequestError'],
    [401, AuthenticationError, 'AuthenticationError'],
    [403, PermissionDeniedError, 'PermissionDeniedError'],
    [404, NotFoundError, 'NotFoundError'],
    [409, ConflictError, 'ConflictError'],
    [422, UnprocessableEntityError, 'UnprocessableEntityError'],
    [429, RateLimitError, 'RateLimitError'],
    [500, InternalServerError, 'InternalServerError'],
    [503, InternalServerError, 'InternalServerError'],
  ])(
    '%i becomes %s with code, type, param, requestId and a message naming status and route',
    async (status, ErrorClass, name) => {
      const body = {
        error: {
          message: "Invalid value for 'voice'.",
          type: 'invalid_request_error',
          param: 'voice',
          code: 'invalid_value',
        },
      };
      server.reply(json(status, body, { 'x-request-id': `req_${status}` }));

      // A 404 from a beta path means it is retired (the fallback suite covers that); on the GA path
      // it is a plain NotFoundError.
      const path = status === 404 ? '/realtime/client_secrets' : '/realtime/sessions';
      const error = await rejectionOf(
        status === 404
          ? api.createRealtimeClientSecret({ session: { type: 'realtime' } })
          : api.createRealtimeSession({ voice: 'nope' }),
      );

      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toBeInstanceOf(RealtimeSessionsError);
      expect(error).toBeInstanceOf(Error);
      const e = error as ApiError;
      expect(e.name).toBe(name);
      expect(e.status).toBe(status);
      expect(e.code).toBe('invalid_value');
      expect(e.type).toBe('invalid_request_error');
      expect(e.param).toBe('voice');
      expect(e.requestId).toBe(`req_${status}`);
      expect(e.headers.get('x-request-id')).toBe(`req_${status}`);
      expect(e.body).toEqual(body);
      expect(e.method).toBe('POST');
      expect(e.path).toBe(path);
      expect(e.message).toBe(`${status} Invalid value for 'voice'. (POST ${path})`);
      expect(e.stack).toContain(name);
    },
  );

  it('an unmapped status (418) is a plain ApiError', async () => {
    server.reply(openaiError(418, { message: "I'm a teapot" }));
    const error = (await rejectionOf(api.createRealtimeSession({}))) as ApiError;
    expect(error.constructor).toBe(ApiError);
    expect(error.name).toBe('ApiError');
    expect(error.status).toBe(418);
    expect(error.message).toBe("418 I'm a teapot (POST /realtime/sessions)");
  });

  it('null code and param stay null', async () => {
    server.reply(
      openaiError(401, { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: null }),
    );
    const error = (await rejectionOf(api.createRealtimeSession({}))) as ApiError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBeNull();
    expect(error.param).toBeNull();
    expect(error.requestId).toBeNull();
  });

  it('headers are available but not enumerable, so logs stay short', async () => {
    server.reply(openaiError(400, { message: 'bad' }, { 'x-request-id': 'req_h' }));
    const error = (await rejectionOf(api.createRealtimeSession({}))) as ApiError;
    expect(Object.keys(error)).not.toContain('headers');
    expect(error.headers.get('x-request-id')).toBe('req_h');
  });
});

describe('non-envelope error bodies', () => {
  it('an HTML 502 page becomes InternalServerError with a short, whitespace-collapsed excerpt', async () => {
    const page = `<!DOCTYPE html>
<html>
  <head><title>502 Bad Gateway</title></head>
  <body>
    <center><h1>502    Bad Gateway</h1></center>
    <hr><center>nginx</center>
    ${'<p>padding</p>\n'.repeat(200)}
  </body>
</html>`;
    server.reply(text(502, page, { 'content-type': 'text/html' }));

    const error = (await rejectionOf(api.createRealtimeSession({}))) as ApiError;

    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(502);
    expect(error.body).toBe(page);
    expect(error.message).toMatch(/^502 status code: 502 Bad Gateway 502 Bad Gateway nginx padding/);
    expect(error.message).toMatch(/\(POST \/realtime\/sessions\)$/);
    expect(error.message).not.toMatch(/\s{2}|\n|<h1>/);
    expect(error.message.length).toBeLessThan(300);
  });

  it('a plain-text error keeps its text as body', async () => {
    server.reply(text(503, 'upstream connect error or disconnect/reset before headers'));
    const error = (await rejectionOf(api.createRealtimeSession({}))) as ApiError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.body).toBe('upstream connect error or disconnect/reset before headers');
    expect(error.message).toBe(
      '503 status code: upstream connect error or disconnect/reset before headers (POST /realtime/sessions)',
    );
  });

  it('an empty error body says so', async () => {
    server.reply(text(404, ''));
    // The GA path: a 404 from a beta path is a retirement, answered through GA.
    const error = (await rejectionOf(
      api.createRealtimeClientSecret({ session: { type: 'realtime' } }),
    )) as ApiError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.body).toBeUndefined();
    expect(error.message).toBe('404 status code (no body) (POST /realtime/client_secrets)');
  });

  it('RFC 9457 problem details (gateways, Prism) use their detail', async () => {
    server.reply(
      json(422, { type: 'about:blank', title: 'Invalid request', detail: 'temperature must be <= 1.2' }),
    );
    const error = (await rejectionOf(api.createRealtimeSession({}))) as ApiError;
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error.message).toBe('422 temperature must be <= 1.2 (POST /realtime/sessions)');
    expect(error.code).toBeNull();
  });

  it('`{ "error": "text" }` uses the text', async () => {
    server.reply(json(400, { error: 'model is required' }));
    const error = (await rejectionOf(api.createRealtimeSession({}))) as ApiError;
    expect(error.message).toBe('400 model is required (POST /realtime/sessions)');
  });
});

describe('unusable 2xx bodies become InvalidResponseError, never data', () => {
  it.each([
    ['invalid JSON', '{"client_secret": {', /body is not valid JSON/],
    ['an empty body', '', /body is empty/],
    ['whitespace only', '  \n', /body is empty/],
    ['a JSON array', '[1,2,3]', /body is JSON array, not an object/],
    ['a JSON string', '"ok"', /body is JSON string, not an object/],
    ['JSON null', 'null', /body is JSON null, not an object/],
    ['a number', '42', /body is JSON number, not an object/],
    ['an HTML page', '<html><body>Welcome to nginx!</body></html>', /body is not valid JSON/],
  ])('%s', async (_, body, problem) => {
    server.reply(text(200, body, { 'content-type': 'application/json', 'x-request-id': 'req_bad' }));

    const error = (await rejectionOf(api.createRealtimeSession({}))) as InvalidResponseError;

    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toBeInstanceOf(RealtimeSessionsError);
    expect(error.name).toBe('InvalidResponseError');
    expect(error.status).toBe(200);
    expect(error.requestId).toBe('req_bad');
    expect(error.headers.get('x-request-id')).toBe('req_bad');
    expect(error.message).toMatch(problem);
    expect(error.message).toMatch(/^200 invalid response: .*\(POST \/realtime\/sessions\)/);
    expect(error.excerpt.length).toBeLessThanOrEqual(200);
  });

  it('the excerpt is at most 200 characters', async () => {
    server.reply(text(200, `not json ${'x'.repeat(5_000)}`));
    const error = (await rejectionOf(api.createRealtimeSession({}))) as InvalidResponseError;
    expect(error.excerpt.length).toBe(200);
    expect(error.message.length).toBeLessThan(320);
  });

  it('is not retried: the server did act on the request', async () => {
    const retrying = new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 3 });
    server.fallback = text(200, 'not json');
    await expect(retrying.createRealtimeSession({})).rejects.toThrow(InvalidResponseError);
    expect(server.count).toBe(1);
  });

  it('a 2xx body over 10 MiB is refused without buffering it', async () => {
    const chunk = 'x'.repeat(1024 * 1024);
    server.reply(async (res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no declared length
      for (let i = 0; i < 11 && !res.destroyed; i++) {
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    });
    const error = (await rejectionOf(api.createRealtimeSession({}))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/body over 10485760 bytes/);
  });

  it('a declared Content-Length over 10 MiB is refused before reading', async () => {
    server.reply((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(20 * 1024 * 1024) });
      res.write('{"a":');
    });
    const error = await rejectionOf(api.createRealtimeSession({}));
    expect(error).toBeInstanceOf(InvalidResponseError);
  });

  it('a gzip-compressed 2xx is decoded and parsed', async () => {
    server.reply(gzipped(200, JSON.stringify(SESSION)));
    await expect(api.createRealtimeSession({})).resolves.toEqual(SESSION);
  });

  it('a compressed 2xx that inflates past 10 MiB is refused, whatever its Content-Length says', async () => {
    server.reply(gzipped(200, Buffer.alloc(11 * 1024 * 1024, 0x20))); // ~11 kB on the wire
    const error = (await rejectionOf(api.createRealtimeSession({}))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/body over 10485760 bytes/);
  });

  it('an error body over 10 MiB is cut, not buffered', async () => {
    server.reply((res) => {
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': String(20 * 1024 * 1024) });
      res.write('partial');
    });
    const error = (await rejectionOf(api.createRealtimeSession({}))) as ApiError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).toMatch(/body over 10485760 bytes/);
  });

  it('a 204 is an empty body', async () => {
    server.reply((res) => {
      res.writeHead(204);
      res.end();
    });
    await expect(api.createRealtimeSession({})).rejects.toThrow(/body is empty/);
  });

  it('a slow but complete body is read in full', async () => {
    server.reply(drip(200, JSON.stringify(SESSION), { chunks: 4, intervalMs: 30 }));
    await expect(api.createRealtimeSession({})).resolves.toEqual(SESSION);
  });
});

describe('no response', () => {
  it('connection refused becomes ConnectionError with the cause', async () => {
    const refused = new RealtimeApi({ apiKey: API_KEY, baseUrl: await closedPortUrl(), maxRetries: 0 });
    const error = (await rejectionOf(refused.createRealtimeSession({}))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error.name).toBe('ConnectionError');
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toMatch(/\(POST \/realtime\/sessions\)$/);
    expect(error.method).toBe('POST');
    expect(error.path).toBe('/realtime/sessions');
  });

  it('a reset before headers becomes ConnectionError', async () => {
    server.reply(resetBeforeHeaders());
    const error = (await rejectionOf(api.createRealtimeSession({}))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.cause).toBeDefined();
  });

  it('a reset mid-body on a 2xx becomes ConnectionError, not InvalidResponseError', async () => {
    server.reply(resetMidBody('{"client_secret":{"value":"ek_'));
    const error = (await rejectionOf(api.createRealtimeSession({}))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.cause).toBeDefined();
  });

  it('a reset mid-body on an error status becomes ConnectionError', async () => {
    server.reply(resetMidBody('{"error":{"mess', 500));
    const error = await rejectionOf(api.createRealtimeSession({}));
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it('truncated JSON with an honest Content-Length is an InvalidResponseError', async () => {
    server.reply(
      text(200, '{"client_secret":{"value":"ek_x","expires_at":1', { 'content-type': 'application/json' }),
    );
    await expect(api.createRealtimeSession({})).rejects.toThrow(InvalidResponseError);
  });
});
