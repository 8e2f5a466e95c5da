// The example app's server: static page + the token route, built on createSessionHandler.
// Run it with `npx tsx examples/web/server.ts` (uses the local stand-in unless OPENAI_API_KEY is set);
// `ENDPOINT=sessions npx tsx examples/web/server.ts` uses the beta sessions mode instead (which falls
// back to GA minting upstream). The page is the same in both modes: it POSTs { "voice": "verse" },
// reads { client_secret, session }, and connects with the (GA) secret through
// POST <realtime base>/realtime/calls. The realtime base is https://api.openai.com/v1, or
// REALTIME_BASE_URL / the `realtimeBaseUrl` option, which this server writes into the page's
// <meta name="realtime-base">. The stand-in does not speak WebRTC: with it, Connect still goes to
// the realtime base, which does not know the stand-in's secrets; the page shows whatever it answers.
// Standalone, the server prints one line per upstream call.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSessionHandler,
  type ClientSecretHandlerOptions,
  type SessionHandlerOptions,
} from '../../src/handler/index.js';
import { toNodeHandler } from '../../src/adapters/node.js';
import type { Fetch } from '../../src/client/options.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

// Static files the page needs. /sdk/* serves the built package so a page can import it (the
// browser-guard test does); openapi-fetch resolves through the import map in guard.html.
const STATIC: Record<string, [string, string]> = {
  '/': [path.join(here, 'index.html'), 'text/html'],
  '/app.js': [path.join(here, 'app.js'), 'text/javascript'],
  '/guard.html': [path.join(here, 'guard.html'), 'text/html'],
  '/sdk/index.js': [path.join(root, 'dist/index.js'), 'text/javascript'],
  '/sdk/openapi-fetch.js': [path.join(root, 'node_modules/openapi-fetch/dist/index.mjs'), 'text/javascript'],
};

export interface ExampleServer {
  url: string;
  close(): Promise<void>;
}

/** What the server tells the page (through index.html). */
export interface ExamplePageOptions {
  /**
   * Where the page POSTs its SDP offer: `<realtimeBaseUrl>/realtime/calls`.
   * @default 'https://api.openai.com/v1'
   */
  realtimeBaseUrl?: string;
}

/**
 * The token route's options: client_secrets mode (the default), or `{ endpoint: 'sessions', … }`;
 * plus the page's.
 */
export type ExampleServerOptions = ExamplePageOptions &
  (
    | (Partial<ClientSecretHandlerOptions> & { endpoint?: 'client_secrets' })
    | (Partial<Omit<SessionHandlerOptions, 'endpoint'>> & { endpoint: 'sessions' })
  );

export const DEFAULT_REALTIME_BASE_URL = 'https://api.openai.com/v1';
const REALTIME_BASE_META = /(<meta name="realtime-base" content=")[^"]*(")/;

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

const PINNED = { model: 'gpt-realtime', instructions: 'You are a friendly assistant.' } as const;

export async function startExampleServer(
  { realtimeBaseUrl = DEFAULT_REALTIME_BASE_URL, ...options }: ExampleServerOptions = {},
  port = 0,
): Promise<ExampleServer> {
  const base = realtimeBase(realtimeBaseUrl);
  // The same pinned config in both modes; the GA session config also names its type.
  const session = toNodeHandler(
    options.endpoint === 'sessions'
      ? createSessionHandler({ session: PINNED, allowFromClient: ['voice'], ...options })
      : createSessionHandler({
          session: { type: 'realtime', ...PINNED },
          allowFromClient: ['voice'],
          ...options,
        }),
  );
  // index.html carries the realtime base in a <meta> tag, rewritten here for this server.
  const page = (html: string) =>
    html.replace(REALTIME_BASE_META, (_, open, close) => open + attribute(base) + close);
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/session') return session(req, res);
    const file = STATIC[url.pathname];
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      const raw = await readFile(file[0]);
      const body = url.pathname === '/' ? page(raw.toString('utf8')) : raw;
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
  // The stand-in answers like the live API (beta minting retired); STAND_IN_BETA=1 serves the old
  // beta contract. One line per upstream call: the stand-in's own log, or, against the real API, a
  // fetch wrapper that prints the method, path and status (never headers or bodies).
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
  const betaMode = process.env.ENDPOINT === 'sessions';
  const realtimeBaseUrl = process.env.REALTIME_BASE_URL || DEFAULT_REALTIME_BASE_URL;
  const app = await startExampleServer(
    betaMode ? { endpoint: 'sessions', realtimeBaseUrl, ...connection } : { realtimeBaseUrl, ...connection },
    Number(process.env.PORT ?? 3000),
  );
  console.log(
    `Example app on ${app.url} (${standIn ? `stand-in upstream ${standIn.origin}${standIn.beta ? ', beta contract' : ', live-like'}` : 'real OpenAI API'}, ` +
      `minting through /realtime/${betaMode ? 'sessions' : 'client_secrets'}, ` +
      `connecting through ${realtimeBaseUrl.replace(/\/+$/, '')}/realtime/calls)`,
  );
  const stop = async () => {
    await app.close();
    await standIn?.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
