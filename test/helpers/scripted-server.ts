// A real node:http server on 127.0.0.1 that a test scripts reply by reply, and that records every
// request it receives. Used by the facade, CLI, token handler and reliability suites.
//
//   const server = await startScriptedServer();
//   server.reply(json(503, { error: { message: 'busy' } }, { 'retry-after-ms': '0' }), json(200, SESSION));
//   const api = new RealtimeApi({ apiKey: 'sk-test', baseUrl: server.url });
//   await api.createRealtimeSession({ model: 'gpt-realtime' });
//   expect(server.count).toBe(2);
//   expect(server.requests[1].json).toEqual({ model: 'gpt-realtime' });
//   await server.close();
//
// Replies are queued with `reply()` and used once each, in order; when the queue is empty the
// `fallback` answers (by default a 599 that names the unexpected request, so a missing script
// fails loudly instead of hanging).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';

/** One request as the server received it. */
export interface RecordedRequest {
  /** e.g. `'POST'`. */
  method: string;
  /** Path and query, e.g. `'/v1/realtime/sessions'`. */
  url: string;
  /** Lower-cased header names, as node:http exposes them. */
  headers: IncomingHttpHeaders;
  /** The raw body as UTF-8 text (`''` when none). */
  body: string;
  /** The body parsed as JSON, or `undefined` when it is empty or not JSON. */
  json: unknown;
  /** `performance.now()` when the request's body had been read. */
  at: number;
}

/**
 * Answers one request. It may write anything to `res`, destroy the socket, or never answer;
 * a returned promise is awaited only to surface errors.
 */
export type Reply = (res: ServerResponse, req: RecordedRequest) => void | Promise<void>;

export interface ScriptedServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly port: number;
  /** Every request received so far, in order of arrival. */
  readonly requests: readonly RecordedRequest[];
  /** `requests.length`: how many attempts reached the server. */
  readonly count: number;
  /** Queues replies, each used for exactly one request, in order. */
  reply(...replies: Reply[]): void;
  /** Answers every request once the queue is empty. */
  fallback: Reply;
  /** Forgets recorded requests and queued replies; resets `fallback`. */
  reset(): void;
  /** Resolves when `count` reaches `n` (useful before aborting a call mid-flight). */
  waitForRequests(n: number): Promise<void>;
  /** Destroys every open connection (hung replies included) and stops listening. */
  close(): Promise<void>;
}

const unexpected: Reply = (res, req) =>
  send(res, 599, `scripted-server: no reply queued for ${req.method} ${req.url}`, {
    'content-type': 'text/plain',
  });

/** Starts a server on 127.0.0.1 and a random free port, optionally with replies already queued. */
export async function startScriptedServer(...replies: Reply[]): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [...replies];
  const sockets = new Set<Socket>();
  const waiters: { n: number; resolve: () => void }[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        json: parseJson(body),
        at: performance.now(),
      };
      requests.push(recorded);
      for (const waiter of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const reply = queue.shift() ?? api.fallback;
      Promise.resolve()
        .then(() => reply(res, recorded))
        .catch((error: unknown) => {
          // A reply that throws is a bug in the test; answer so the client does not hang on it.
          if (!res.headersSent) send(res, 598, `scripted-server: reply threw ${String(error)}`);
          else res.destroy();
        });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const api: ScriptedServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get count() {
      return requests.length;
    },
    reply: (...more) => void queue.push(...more),
    fallback: unexpected,
    reset() {
      requests.length = 0;
      queue.length = 0;
      api.fallback = unexpected;
    },
    waitForRequests: (n) =>
      requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
  return api;
}

/**
 * Starts a server before the suite (handing it to `assign`), closes it after the suite, and after
 * each test resets it and unstubs the environment, so neither queued replies nor `vi.stubEnv` leak
 * into the next test.
 */
export function useScriptedServer(assign: (server: ScriptedServer) => void): void {
  let server: ScriptedServer | undefined;
  beforeAll(async () => {
    server = await startScriptedServer();
    assign(server);
  });
  afterEach(() => {
    server?.reset();
    vi.unstubAllEnvs();
  });
  afterAll(() => server?.close());
}

/** A URL on 127.0.0.1 where nothing listens, for "connection refused". */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

// ---- Reply builders ---------------------------------------------------------------------------

/** `status` with `body` serialized as JSON. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (res) => send(res, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

/** `status` with `body` sent verbatim (default content type `text/plain`). */
export function text(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return (res) => send(res, status, body, { 'content-type': 'text/plain; charset=utf-8', ...headers });
}

/** `status` with the OpenAI error envelope `{ error: { message, type, param, code } }`. */
export function openaiError(
  status: number,
  error: { message: string; type?: string; param?: string | null; code?: string | null },
  headers: Record<string, string> = {},
): Reply {
  return json(
    status,
    { error: { type: 'invalid_request_error', param: null, code: null, ...error } },
    headers,
  );
}

/** Never answers; the connection stays open until the client gives up or the server closes. */
export function hang(): Reply {
  return () => {};
}

/** Sends the status line and headers (and optionally the start of a body), then stalls. */
export function stallAfterHeaders(
  status = 200,
  headers: Record<string, string> = {},
  partialBody = '',
): Reply {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.flushHeaders();
    if (partialBody) res.write(partialBody);
  };
}

/** Destroys the socket before any byte of a response: the client sees a reset. */
export function resetBeforeHeaders(): Reply {
  return (res) => void res.socket?.destroy();
}

/**
 * Sends headers that promise `fullLength` bytes (chunked when omitted), writes `partialBody`, then
 * destroys the socket: the client sees the connection break mid-body.
 */
export function resetMidBody(partialBody: string, status = 200, headers: Record<string, string> = {}): Reply {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.write(partialBody, () => setTimeout(() => res.socket?.destroy(), 20));
  };
}

/** Sends `body` in `chunks` pieces, `intervalMs` apart: a slow but complete response. */
export function drip(
  status: number,
  body: string,
  {
    chunks = 5,
    intervalMs = 50,
    headers = {},
  }: { chunks?: number; intervalMs?: number; headers?: Record<string, string> } = {},
): Reply {
  return async (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    const size = Math.ceil(body.length / chunks);
    for (let i = 0; i < body.length; i += size) {
      if (res.destroyed) return;
      res.write(body.slice(i, i + size));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    res.end();
  };
}

/** Runs `replies` in turn, one per request, then repeats the last one: handy as a `fallback`. */
export function sequence(...replies: Reply[]): Reply {
  let i = 0;
  return (res, req) => replies[Math.min(i++, replies.length - 1)]!(res, req);
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function parseJson(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
