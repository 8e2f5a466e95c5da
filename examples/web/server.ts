// The example app's server: the static pages and one route built on createSessionHandler, imported
// by the package's name (`realtime-sessions`, `realtime-sessions/node`: the built dist/, through
// package.json `exports`, as an app that installed the package gets it; run `npm run build` first).
// The route's mode decides the flow the page offers (written into its <meta name="connect-mode">):
//   - `client_secrets` (the default) or `sessions` (the beta endpoint, which falls back to GA
//     minting upstream): POST /session mints an ephemeral key; the page POSTs { "voice": "verse" },
//     reads { client_secret, session }, and sends its SDP offer with the (GA) secret to
//     POST <realtime base>/realtime/calls;
//   - `calls`: the page POSTs its SDP offer to POST /call, which creates the call upstream with the
//     server's key and answers the SDP answer; the page holds no key.
// Either way the page opens the microphone and plays the model's voice. The realtime base is
// https://api.openai.com/v1, or REALTIME_BASE_URL / the `realtimeBaseUrl` option, written into the
// page's <meta name="realtime-base">. /agents.html does the secret flow with the OpenAI Agents SDK
// (@openai/agents-realtime, bundled for the browser in memory by esbuild on first request).
//
// Standalone: `npx tsx examples/web/server.ts` (ENDPOINT=sessions or ENDPOINT=calls for the other
// modes). Without OPENAI_API_KEY it runs against the local stand-in, which speaks WebRTC: it mints,
// and answers POST /v1/realtime/calls with a real peer that sends session.created, so the page
// really connects with no internet (the realtime base defaults to the stand-in then). It prints one
// line per upstream call.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSessionHandler,
  type CallHandlerOptions,
  type ClientSecretHandlerOptions,
  type Fetch,
  type SessionHandlerOptions,
} from 'realtime-sessions';
import { toNodeHandler } from 'realtime-sessions/node';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

// Static files the pages need. /sdk/* serves the built package so a page can import it (the
// browser-guard test does); openapi-fetch resolves through the import map in guard.html.
const STATIC: Record<string, [string, string]> = {
  '/': [path.join(here, 'index.html'), 'text/html'],
  '/app.js': [path.join(here, 'app.js'), 'text/javascript'],
  '/style.css': [path.join(here, 'style.css'), 'text/css'],
  '/agents.html': [path.join(here, 'agents.html'), 'text/html'],
  '/agents.js': [path.join(here, 'agents.js'), 'text/javascript'],
  '/guard.html': [path.join(here, 'guard.html'), 'text/html'],
  '/sdk/index.js': [path.join(root, 'dist/index.js'), 'text/javascript'],
  '/sdk/openapi-fetch.js': [path.join(root, 'node_modules/openapi-fetch/dist/index.mjs'), 'text/javascript'],
};
/** The pages whose <meta> tags the server writes. */
const PAGES = new Set(['/', '/agents.html']);

export interface ExampleServer {
  url: string;
  close(): Promise<void>;
}

/** What the server tells the page (through index.html). */
export interface ExamplePageOptions {
  /**
   * Where the secret flow's page POSTs its SDP offer: `<realtimeBaseUrl>/realtime/calls`.
   * @default 'https://api.openai.com/v1'
   */
  realtimeBaseUrl?: string;
}

/**
 * The route's options: client_secrets mode (the default, at /session), `{ endpoint: 'sessions', … }`
 * (at /session) or `{ endpoint: 'calls', … }` (at /call).
 */
export type ExampleRouteOptions =
  | (Partial<ClientSecretHandlerOptions> & { endpoint?: 'client_secrets' })
  | (Partial<Omit<SessionHandlerOptions, 'endpoint'>> & { endpoint: 'sessions' })
  | (Partial<Omit<CallHandlerOptions, 'endpoint'>> & { endpoint: 'calls' });

/** The route's options and the page's. */
export type ExampleServerOptions = ExamplePageOptions & ExampleRouteOptions;

export const DEFAULT_REALTIME_BASE_URL = 'https://api.openai.com/v1';
const REALTIME_BASE_META = /(<meta name="realtime-base" content=")[^"]*(")/;
const CONNECT_MODE_META = /(<meta name="connect-mode" content=")[^"]*(")/;

/** An http(s) URL without its trailing slash; anything else throws now, not in the browser. */
function realtimeBase(value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`realtimeBaseUrl must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return url.href.replace(/\/+$/, '');
}

const attribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What the server pins, in every mode (the GA session config also names its type). */
export const PINNED = {
  model: 'gpt-realtime',
  instructions: 'You are the realtime-sessions example app. Answer in one short sentence.',
} as const;

/** The route for the options' mode, at its path: the page learns which from its <meta>. */
function routeFor(options: ExampleRouteOptions) {
  if (options.endpoint === 'calls') {
    const handler = createSessionHandler({
      session: { type: 'realtime', ...PINNED },
      allowFromClient: ['voice'],
      ...options,
    });
    return { path: '/call', mode: 'calls', listener: toNodeHandler(handler) } as const;
  }
  const handler =
    options.endpoint === 'sessions'
      ? createSessionHandler({ session: PINNED, allowFromClient: ['voice'], ...options })
      : createSessionHandler({
          session: { type: 'realtime', ...PINNED },
          allowFromClient: ['voice'],
          ...options,
        });
  return { path: '/session', mode: 'secret', listener: toNodeHandler(handler) } as const;
}

/**
 * @openai/agents-realtime bundled for the browser, made once on first request (about 3 s), in
 * memory: nothing is written to the tree. esbuild is the one tsup already brings.
 */
let agentsBundle: Promise<string> | undefined;
function bundleAgentsSdk(): Promise<string> {
  agentsBundle ??= import('esbuild')
    .then(({ build }) =>
      build({
        stdin: {
          contents: "export * from '@openai/agents-realtime';",
          resolveDir: root,
          loader: 'js',
        },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      }),
    )
    .then((result) => result.outputFiles[0]!.text);
  agentsBundle.catch(() => (agentsBundle = undefined)); // a failed build is tried again next time
  return agentsBundle;
}

export async function startExampleServer(
  { realtimeBaseUrl = DEFAULT_REALTIME_BASE_URL, ...options }: ExampleServerOptions = {},
  port = 0,
): Promise<ExampleServer> {
  const base = realtimeBase(realtimeBaseUrl);
  const route = routeFor(options);
  // The pages carry the flow and the realtime base in <meta> tags, rewritten here for this server.
  const page = (html: string) =>
    html
      .replace(REALTIME_BASE_META, (_, open, close) => open + attribute(base) + close)
      .replace(CONNECT_MODE_META, (_, open, close) => open + route.mode + close);
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === route.path) return route.listener(req, res);
    if (url.pathname === '/vendor/agents-realtime.js' && req.method === 'GET') {
      try {
        const code = await bundleAgentsSdk();
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(code);
      } catch (error) {
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`bundling failed: ${(error as Error).message}`);
      }
      return;
    }
    const file = STATIC[url.pathname];
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      const raw = await readFile(file[0]);
      const body = PAGES.has(url.pathname) ? page(raw.toString('utf8')) : raw;
      res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' }).end(body);
    } catch {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`missing ${url.pathname} (run npm run build?)`);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The stand-in answers like the live API (beta minting retired, a real WebRTC peer on
  // /realtime/calls); STAND_IN_BETA=1 serves the old beta contract. One line per upstream call: the
  // stand-in's own log, or, against the real API, a fetch wrapper that prints the method, path and
  // status (never headers or bodies).
  const { standInBetaFromEnv, startStandIn } = await import('../../scripts/lib/stand-in.js');
  const standIn = process.env.OPENAI_API_KEY
    ? undefined
    : await startStandIn({ beta: standInBetaFromEnv(), log: (line) => console.log(line) });
  const loggedFetch: Fetch = async (input, init) => {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const where = new URL(input instanceof Request ? input.url : input).pathname;
    try {
      const res = await fetch(input, init);
      console.log(`upstream: ${method} ${where} → ${res.status}`);
      return res;
    } catch (error) {
      console.log(`upstream: ${method} ${where} → ${(error as Error).message}`);
      throw error;
    }
  };
  const connection = standIn
    ? { apiKey: 'sk-local-stand-in', baseUrl: standIn.baseUrl }
    : { fetch: loggedFetch };
  const endpoint = process.env.ENDPOINT;
  const realtimeBaseUrl = process.env.REALTIME_BASE_URL || standIn?.baseUrl || DEFAULT_REALTIME_BASE_URL;
  const app = await startExampleServer(
    endpoint === 'calls'
      ? { endpoint, ...connection, onCall: ({ callId }) => console.log(`call route: created ${callId}`) }
      : endpoint === 'sessions'
        ? { endpoint, realtimeBaseUrl, ...connection }
        : { realtimeBaseUrl, ...connection },
    Number(process.env.PORT ?? 3000),
  );
  const upstream = standIn
    ? `stand-in upstream ${standIn.origin}${standIn.beta ? ', beta contract' : ', live-like'}`
    : 'real OpenAI API';
  const flow =
    endpoint === 'calls'
      ? 'the page sends its offer to /call, which creates the call through /realtime/calls'
      : `minting through /realtime/${endpoint === 'sessions' ? 'sessions' : 'client_secrets'}, ` +
        `connecting through ${realtimeBaseUrl.replace(/\/+$/, '')}/realtime/calls`;
  // The Agents SDK page needs a secret from /session, which a calls-mode server does not offer.
  const agents = endpoint === 'calls' ? '' : `; the Agents SDK page: ${app.url}/agents.html`;
  console.log(`Example app on ${app.url} (${upstream}, ${flow}${agents})`);
  const stop = async () => {
    await app.close();
    await standIn?.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
