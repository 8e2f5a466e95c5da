// The app server of section 9a, in its own process: what a developer deploys, with the built
// package (dist/). One node:http server, one origin:
//   GET  /connect   the page (lib/connect-page.ts)
//   POST /token     toNodeHandler(createSessionHandler({ session })): client_secrets mode, the
//                   two-step flow's token route
//   POST /call      toNodeHandler(createSessionHandler({ endpoint: 'calls', session })): the
//                   one-step flow's route
//   connect-app.mjs UPSTREAM_BASE_URL    e.g. http://127.0.0.1:PORT/v1 (the delaying proxy)
// Reports { type: 'ready', origin, calls } where `calls` says whether the package has the calls mode
// (without it /call answers 501 and the section reports the one-step flow as not measured).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { serveUntilParentLeaves } from '../lib/child.js';
import { CONNECT_PAGE } from '../lib/connect-page.js';
import { API_KEY, CALL_SESSION } from '../lib/fixtures.js';
import {
  loadHandlerFactoryAs,
  loadSdkNode,
  type BenchSdkCalls,
  type BenchSdkClientSecrets,
} from '../lib/sdk.js';

const baseUrl = process.argv[2];
if (!baseUrl) throw new Error('usage: connect-app.mjs UPSTREAM_BASE_URL');

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
const { toNodeHandler } = await loadSdkNode();
const client = { apiKey: API_KEY, baseUrl, maxRetries: 0, session: CALL_SESSION };
const token: Listener = toNodeHandler((await loadHandlerFactoryAs<BenchSdkClientSecrets>())(client));
let call: Listener | undefined;
try {
  call = toNodeHandler((await loadHandlerFactoryAs<BenchSdkCalls>())({ endpoint: 'calls', ...client }));
} catch {
  // A package without the calls mode refuses the endpoint (ConfigurationError).
  call = undefined;
}

const page = Buffer.from(CONNECT_PAGE);
const server = createServer((req, res) => {
  const path = (req.url ?? '').split('?')[0];
  if (req.method === 'GET' && path === '/connect') {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': page.byteLength,
      'cache-control': 'no-store',
    });
    res.end(page);
  } else if (path === '/token') {
    token(req, res);
  } else if (path === '/call' && call) {
    call(req, res);
  } else {
    req.resume();
    res.writeHead(path === '/call' ? 501 : 404, { 'content-type': 'text/plain' }).end('not here');
  }
});
serveUntilParentLeaves(server, (port) => ({ origin: `http://127.0.0.1:${port}`, calls: call !== undefined }));
