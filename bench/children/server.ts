// A token route on 127.0.0.1 for the handler benchmark, in its own process:
//   sdk:  createSessionHandler behind node:http via toNodeHandler (the built package);
//   bare: a node:http proxy with no SDK that does the same job by hand with fetch (the floor).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { serveUntilParentLeaves } from '../lib/child.js';
import { API_KEY, REQUEST_HEADERS } from '../lib/fixtures.js';
import { startProfiler } from '../lib/profile.js';
import { loadHandlerFactory, loadSdkNode } from '../lib/sdk.js';

const [mode, baseUrl] = process.argv.slice(2);
if ((mode !== 'sdk' && mode !== 'bare') || !baseUrl) throw new Error('usage: server.mjs sdk|bare BASE_URL');

async function sdkListener(): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  const [createSessionHandler, { toNodeHandler }] = await Promise.all([loadHandlerFactory(), loadSdkNode()]);
  return toNodeHandler(
    createSessionHandler({
      endpoint: 'sessions',
      apiKey: API_KEY,
      baseUrl,
      maxRetries: 0,
      session: { model: 'gpt-realtime' },
      allowFromClient: ['voice'],
    }),
  );
}

/**
 * The floor: read the body, merge the allowed field over the pinned session, POST it upstream with
 * fetch, and answer `{ client_secret, session }`. No validation beyond what JSON.parse does.
 */
function bareListener(): (req: IncomingMessage, res: ServerResponse) => void {
  const url = `${baseUrl}/realtime/sessions`;
  const pinned = { model: 'gpt-realtime' };
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const client = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { voice?: string };
          const upstream = await fetch(url, {
            method: 'POST',
            headers: REQUEST_HEADERS,
            body: JSON.stringify({ ...pinned, voice: client.voice }),
          });
          const { client_secret, ...session } = JSON.parse(await upstream.text()) as Record<string, unknown>;
          const text = JSON.stringify({ client_secret, session });
          res.writeHead(upstream.ok ? 200 : 502, {
            'content-type': 'application/json',
            'cache-control': 'no-store',
            'content-length': Buffer.byteLength(text),
          });
          res.end(text);
        } catch {
          res.writeHead(500).end();
        }
      })();
    });
  };
}

const listener = mode === 'sdk' ? await sdkListener() : bareListener();
serveUntilParentLeaves(createServer(listener), (port) => ({ url: `http://127.0.0.1:${port}/session` }));

// Profiling on request, so only steady-state traffic is in the profile:
// { type: 'profile-start', intervalUs } then { type: 'profile-stop', file }.
let stopProfiler: ((file: string) => Promise<void>) | undefined;
process.on('message', (msg: { type?: string; intervalUs?: number; file?: string }) => {
  void (async () => {
    if (msg.type === 'profile-start') {
      stopProfiler = await startProfiler(msg.intervalUs ?? 250);
      process.send?.({ type: 'profile-started' });
    } else if (msg.type === 'profile-stop' && stopProfiler && msg.file) {
      await stopProfiler(msg.file);
      stopProfiler = undefined;
      process.send?.({ type: 'profile-stopped' });
    }
  })();
});
