// A token route on 127.0.0.1 for the handler benchmark, in its own process:
//   sdk:  createSessionHandler behind node:http via toNodeHandler (the built package);
//   bare: a node:http proxy with no SDK that does the same job by hand with fetch (the floor).
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { API_KEY } from '../lib/fixtures.js';
import { loadHandlerFactory, loadSdkNode } from '../lib/sdk.js';

const [mode, baseUrl] = process.argv.slice(2);
if ((mode !== 'sdk' && mode !== 'bare') || !baseUrl) throw new Error('usage: server.mjs sdk|bare BASE_URL');

async function sdkListener(): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  const [createSessionHandler, { toNodeHandler }] = await Promise.all([loadHandlerFactory(), loadSdkNode()]);
  return toNodeHandler(
    createSessionHandler({
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
            headers: {
              Authorization: `Bearer ${API_KEY}`,
              'Content-Type': 'application/json',
              Accept: 'application/json',
            },
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
const server = createServer(listener);
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}/session` });
});

// Profiling on request, so only steady-state traffic is in the profile (the sampler is the one
// behind `node --cpu-prof`): { type: 'profile-start', intervalUs } then { type: 'profile-stop', file }.
let session: Session | undefined;
process.on('message', (msg: { type?: string; intervalUs?: number; file?: string }) => {
  void (async () => {
    if (msg.type === 'profile-start') {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: msg.intervalUs ?? 250 });
      await session.post('Profiler.start');
      process.send?.({ type: 'profile-started' });
    } else if (msg.type === 'profile-stop' && session && msg.file) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      writeFileSync(msg.file, JSON.stringify(profile));
      process.send?.({ type: 'profile-stopped' });
    }
  })();
});

const stop = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
