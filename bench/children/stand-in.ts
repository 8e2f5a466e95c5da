// The repository's stand-in (scripts/lib/stand-in.ts: live-like minting, and POST /realtime/calls
// answered by a real werift WebRTC peer) in its own process, for section 9. Over IPC:
//   { type: 'requests' }     → { type: 'requests', requests }: what it received since the last
//                              `reset` (method, path, authorization kind, content type, status), to
//                              check each connection or batch (lib/stand-in-log.ts);
//   { type: 'reset' }        → { type: 'reset-done', closed }: closes every call's peer and forgets
//                              calls and requests, so peers from earlier attempts (a page's closed
//                              connection, a Node client's never-used answer) use no CPU, sockets or
//                              memory during the next one.
import { startStandIn } from '../../scripts/lib/stand-in.js';
import { exitWithParent } from '../lib/child.js';
import type { SeenRequest } from '../lib/stand-in-log.js';

exitWithParent();
const standIn = await startStandIn();

function authKind(header: string | undefined): SeenRequest['auth'] {
  if (!header) return 'none';
  if (header.startsWith('Bearer sk-')) return 'sk';
  if (header.startsWith('Bearer ek_')) return 'ek';
  return 'other';
}

process.on('message', (msg: { type?: string }) => {
  void (async () => {
    if (msg.type === 'requests') {
      const requests: SeenRequest[] = standIn.requests.map((r) => ({
        method: r.method,
        path: r.url.split('?')[0] ?? '',
        auth: authKind(r.headers.authorization),
        contentType: (r.headers['content-type'] ?? '').split(';')[0] ?? '',
        status: r.status,
      }));
      process.send?.({ type: 'requests', requests });
    } else if (msg.type === 'reset') {
      const calls = [...standIn.calls.values()];
      await Promise.all(calls.map((call) => call.peer?.close()));
      standIn.calls.clear();
      standIn.requests.length = 0;
      process.send?.({ type: 'reset-done', closed: calls.length });
    }
  })();
});
process.send?.({ type: 'ready', origin: standIn.origin, baseUrl: standIn.baseUrl });
