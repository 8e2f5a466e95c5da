// The example app's server: static page + the token route, built on createSessionHandler.
// Run it with `npx tsx examples/web/server.ts` (uses the local stand-in unless OPENAI_API_KEY is set);
// `ENDPOINT=sessions npx tsx examples/web/server.ts` uses the beta sessions mode instead. The
// page is the same in both modes: it POSTs { "voice": "verse" } and reads { client_secret, session }.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSessionHandler,
  type ClientSecretHandlerOptions,
  type SessionHandlerOptions,
} from '../../src/handler.js';
import { toNodeHandler } from '../../src/node.js';

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

/** The token route's options: client_secrets mode (the default), or `{ endpoint: 'sessions', … }`. */
export type ExampleServerOptions =
  | (Partial<ClientSecretHandlerOptions> & { endpoint?: 'client_secrets' })
  | (Partial<Omit<SessionHandlerOptions, 'endpoint'>> & { endpoint: 'sessions' });

const PINNED = { model: 'gpt-realtime', instructions: 'You are a friendly assistant.' } as const;

export async function startExampleServer(
  options: ExampleServerOptions = {},
  port = 0,
): Promise<ExampleServer> {
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
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/session') return session(req, res);
    const file = STATIC[url.pathname];
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      const body = await readFile(file[0]);
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
  // beta contract. It prints one line per upstream request.
  const { standInBetaFromEnv, startStandIn } = await import('../../scripts/lib/stand-in.js');
  const standIn = process.env.OPENAI_API_KEY
    ? undefined
    : await startStandIn({ beta: standInBetaFromEnv(), log: (line) => console.log(line) });
  const connection = standIn ? { apiKey: 'sk-local-stand-in', baseUrl: standIn.baseUrl } : {};
  const betaMode = process.env.ENDPOINT === 'sessions';
  const app = await startExampleServer(
    betaMode ? { endpoint: 'sessions', ...connection } : connection,
    Number(process.env.PORT ?? 3000),
  );
  console.log(
    `Example app on ${app.url} (${standIn ? `stand-in upstream ${standIn.origin}${standIn.beta ? ', beta contract' : ', live-like'}` : 'real OpenAI API'}, ` +
      `minting through /realtime/${betaMode ? 'sessions' : 'client_secrets'})`,
  );
  const stop = async () => {
    await app.close();
    await standIn?.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
