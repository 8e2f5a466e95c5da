// A node:http reverse proxy that adds a fixed round trip to every request it forwards: half of it
// before the request goes on (the upstream sees it that much later, as over a real network), half
// before the answer goes back. Section 9 puts it in front of the stand-in, so the server's requests
// and the page's own POST to "OpenAI" pay the same simulated distance. Every request and answer
// header goes through unchanged (CORS headers included) except the hop-by-hop ones; bodies are
// buffered, which costs nothing measurable at a few kB.
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
} from 'node:http';

export interface ProxyRoute {
  /** Path prefix this route takes, e.g. `/v1/`; the longest matching prefix wins. */
  prefix: string;
  /** Where it goes: an origin such as `http://127.0.0.1:4010` (the path is kept as it is). */
  target: string;
  /** Round trip added to each request, in milliseconds (0: none). */
  delayMs: number;
}

/** Connection-level headers (RFC 9110 §7.6.1): each hop sets its own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
]);

function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

interface Forwarded {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

function forward(agent: Agent, route: ProxyRoute, req: IncomingMessage, body: Buffer): Promise<Forwarded> {
  const target = new URL(route.target);
  return new Promise((resolve, reject) => {
    const out = httpRequest(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...forwardable(req.headers), 'content-length': body.byteLength },
      },
      (res) => {
        readAll(res).then(
          (answer) =>
            resolve({ status: res.statusCode ?? 502, headers: forwardable(res.headers), body: answer }),
          reject,
        );
      },
    );
    out.once('error', reject);
    out.end(body);
  });
}

/**
 * A proxy server (not listening yet) over `routes`, which may be extended later (`routes.push`).
 * A path no route takes answers 404; a target that fails answers 502.
 */
export function createDelayProxy(routes: ProxyRoute[]): Server {
  // Keep-alive to the targets, so no request pays for a connection the previous one could reuse.
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      const route = [...routes]
        .sort((a, b) => b.prefix.length - a.prefix.length)
        .find((r) => url.startsWith(r.prefix));
      const body = await readAll(req);
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route for ${url}`);
        return;
      }
      await sleep(route.delayMs / 2);
      let answer: Forwarded;
      try {
        answer = await forward(agent, route, req, body);
      } catch (error) {
        res
          .writeHead(502, { 'content-type': 'text/plain' })
          .end(`proxy: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      await sleep(route.delayMs / 2);
      res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.byteLength });
      res.end(answer.body);
    })().catch((error: unknown) => res.destroy(error instanceof Error ? error : undefined));
  });
  server.on('close', () => agent.destroy());
  return server;
}
