// node:http adapter for Fetch-API handlers such as createSessionHandler. Kept out of src/handler/ so the
// handler stays free of node: imports and runs in Workers, Deno and Bun unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { BodyReadResult } from '../handler/body.js';
import { coreOf, type SessionHandlerCore, type SessionHandlerCoreAnswer } from '../handler/core.js';

/**
 * Any Fetch-API handler: takes a `Request`, answers a `Response`. `createSessionHandler` returns
 * one; so do Hono's `app.fetch` and most Worker-style routers.
 *
 * @example
 * ```ts
 * const health: FetchHandler = () => new Response('ok');
 * createServer(toNodeHandler(health)).listen(3000);
 * ```
 */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * A `node:http` request listener; Express and Connect accept it too. Mount it before any
 * body-parsing middleware (`express.json()`…): the handler reads the body itself, and a body
 * already consumed answers 500.
 *
 * @example
 * ```ts
 * const app = express();
 * app.post('/session', toNodeHandler(createSessionHandler({ session: { model: 'gpt-realtime' } })));
 * app.use(express.json()); // after the token route
 * ```
 */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * After answering a request whose body was not read to the end (413, 401…), how long to keep reading
 * and discarding before closing the socket. Closing at once would reset the connection while the client
 * is still uploading, and some clients then lose the answer.
 */
const LINGER_MS = 2_000;

const CLIENT_GONE = 'client disconnected before the request body ended';

/**
 * Adapts a Fetch-API handler to `node:http`: the request body streams into the handler (so its size
 * limit applies to the bytes actually received), the answer streams back, a client that disconnects
 * aborts `request.signal`, and a handler that throws answers 500.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createSessionHandler } from 'realtime-sessions';
 * import { toNodeHandler } from 'realtime-sessions/node';
 * createServer(toNodeHandler(createSessionHandler({ session: { model: 'gpt-realtime' } }))).listen(3000);
 * ```
 */
export function toNodeHandler(handler: FetchHandler): NodeRequestListener {
  // createSessionHandler without authorize: the same handler, minus building a Fetch Request and
  // reading back a Response. Only the exact function it returned has a core (see handler/core.ts):
  // a wrapper around it runs as any Fetch handler. Anything but POST takes the generic path.
  const core = coreOf(handler);
  return (req, res) => {
    const run = core && req.method === 'POST' ? serveCore(core, handler, req, res) : serve(handler, req, res);
    run.catch((error: unknown) => {
      // Only reachable when writing the answer itself failed; nothing more can be sent.
      res.destroy(error instanceof Error ? error : undefined);
    });
  };
}

/** Aborts when the client goes away before the answer is complete. */
function abortOnDisconnect(res: ServerResponse): AbortSignal {
  const disconnected = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) disconnected.abort();
  });
  return disconnected.signal;
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const signal = abortOnDisconnect(res);
  if (req.readableEnded && req.method !== 'GET' && req.method !== 'HEAD') {
    // Body-parsing middleware (express.json()…) got there first: the handler would see no body.
    const message = 'request body already consumed: mount toNodeHandler before body-parsing middleware';
    return writeResponse(errorResponse(500, message), req, res);
  }
  let request: Request;
  try {
    request = toRequest(req, signal);
  } catch {
    // new Request refuses some methods (TRACE, TRACK) and malformed URLs.
    return writeResponse(errorResponse(400, 'bad request'), req, res);
  }

  let response: Response;
  try {
    response = await handler(request);
    if (!(response instanceof Response)) throw new TypeError('handler did not return a Response');
  } catch {
    response = errorResponse(500, 'internal error');
  }
  await writeResponse(response, req, res);
}

/** The fast path for createSessionHandler's core: same checks and answers as {@link serve}. */
async function serveCore(
  core: SessionHandlerCore,
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.readableEnded) return serve(handler, req, res);
  try {
    // What new Request would refuse (a malformed URL) answers 400 here too.
    requestUrl(req);
  } catch {
    return writeResponse(errorResponse(400, 'bad request'), req, res);
  }
  const signal = abortOnDisconnect(res);
  let answer: SessionHandlerCoreAnswer;
  try {
    answer = await core({
      method: 'POST',
      header: (name) => rawHeader(req, name),
      body: (maxBytes, deadline) => readBody(req, maxBytes, deadline),
      signal,
    });
  } catch {
    return writeResponse(errorResponse(500, 'internal error'), req, res);
  }
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = answer.headers;
  // See writeResponse: an answer that starts mid-upload closes the connection after it.
  if (!req.complete) headers.connection = 'close';
  res.once('finish', () => discardUnreadBody(req));
  res.writeHead(answer.status, headers);
  res.end(answer.body ?? undefined);
}

/** A request header as `Headers.get` would give it: every value of that name, joined with ", ". */
function rawHeader(req: IncomingMessage, name: string): string | null {
  const raw = req.rawHeaders;
  let value: string | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i];
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    // Headers trims leading and trailing whitespace from each value.
    const part = raw[i + 1].trim();
    value = value === null ? part : `${value}, ${part}`;
  }
  return value;
}

/**
 * The request body, read from the socket and stopping once more than `maxBytes` arrived, as
 * readCapped does over the stream {@link bodyStream} gives the generic path. What is left unread is
 * discarded after the answer (see discardUnreadBody).
 */
function readBody(req: IncomingMessage, maxBytes: number, deadline: AbortSignal): Promise<BodyReadResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (result: BodyReadResult): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      deadline.removeEventListener('abort', onDeadline);
      resolve(result);
    };
    // What is left unread is discarded after the answer, and the socket closed after the linger.
    const onDeadline = (): void => {
      req.pause();
      finish({ kind: 'timeout' });
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += bytes.byteLength;
      if (total > maxBytes) {
        req.pause();
        finish({ kind: 'too_large' });
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = (): void => {
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
      finish({ kind: 'ok', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    };
    const onError = (cause: unknown): void => finish({ kind: 'unreadable', cause });
    const onClose = (): void => finish({ kind: 'unreadable', cause: new Error(CLIENT_GONE) });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
    if (deadline.aborted) onDeadline();
    else deadline.addEventListener('abort', onDeadline, { once: true });
  });
}

function requestUrl(req: IncomingMessage): URL {
  const protocol = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  try {
    return new URL(req.url ?? '/', `${protocol}://${req.headers.host ?? 'localhost'}`);
  } catch {
    return new URL(req.url ?? '/', `${protocol}://localhost`);
  }
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const url = requestUrl(req);
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers
    headers.append(name, req.rawHeaders[i + 1]);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = {
    method,
    headers,
    signal,
    body: hasBody ? bodyStream(req) : undefined,
    // Required by undici for a streamed body; other fetch implementations ignore it.
    duplex: 'half',
  };
  return new Request(url, init);
}

/**
 * The request body as a web stream that only pulls from the socket when the handler reads, so a
 * handler that stops at its size limit stops the upload too.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.pause();
        req.on('data', (chunk: Buffer | string) => {
          if (settled) return;
          const bytes =
            typeof chunk === 'string'
              ? new TextEncoder().encode(chunk)
              : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          controller.enqueue(bytes);
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => {
          if (settled) return;
          settled = true;
          controller.close();
        });
        req.once('error', (error) => {
          if (settled) return;
          settled = true;
          controller.error(error);
        });
        req.once('close', () => {
          if (settled) return;
          settled = true;
          controller.error(new Error(CLIENT_GONE));
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        // The handler has read enough. The rest is discarded as it arrives (see writeResponse).
        settled = true;
      },
    },
    { highWaterMark: 1 },
  );
}

async function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie' || name === 'connection' || name === 'transfer-encoding') continue;
    res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);

  if (!req.complete) {
    // The answer starts while the client is still uploading (413, 401, 415… or a handler that
    // streams): close the connection after it rather than wait for an upload of unknown size.
    res.setHeader('connection', 'close');
  }
  res.once('finish', () => discardUnreadBody(req));

  if (response.body === null || req.method === 'HEAD') {
    await response.body?.cancel().catch(() => undefined);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.once('close', () => {
    if (!res.writableFinished) reader.cancel().catch(() => undefined);
  });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await drained(res);
    if (res.destroyed) return;
  }
  res.end();
}

/**
 * Once the answer is complete, whatever the handler did not read is discarded as it arrives, so the
 * client is not blocked on a full socket. A handler may still be reading while its answer streams,
 * so this waits for `finish`. If the upload still has not ended after the linger, the socket goes.
 */
function discardUnreadBody(req: IncomingMessage): void {
  if (req.readableEnded) return;
  req.removeAllListeners('data');
  req.resume();
  if (!req.complete) setTimeout(() => req.complete || req.socket?.destroy(), LINGER_MS).unref();
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function errorResponse(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: { message } }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}
