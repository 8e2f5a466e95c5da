// The local upstream: a node:http server on 127.0.0.1 that answers every POST with the same
// realistic session JSON, keep-alive on. Runs in its own process so its CPU time is not charged to
// the contenders (on 2 cores the two processes still compete, equally for every contender).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESSION_RESPONSE } from '../lib/fixtures.js';

const body = Buffer.from(JSON.stringify(SESSION_RESPONSE));
const headers = {
  'content-type': 'application/json',
  'content-length': String(body.byteLength),
  'openai-processing-ms': '412',
  'x-request-id': 'req_4b7f0c2e9a1d8f3e6b5c4a2d1e0f9a8b',
};
let requests = 0;
let bodyBytes = 0;
let connections = 0;

const server = createServer((req, res) => {
  req.on('data', (chunk: Buffer) => (bodyBytes += chunk.byteLength));
  req.on('end', () => {
    requests++;
    if (req.method !== 'POST' || !req.url?.endsWith('/realtime/sessions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.on('connection', () => connections++);
// Long keep-alive so no contender pays for reconnects; unlimited requests per socket.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.maxRequestsPerSocket = 0;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', port, baseUrl: `http://127.0.0.1:${port}/v1`, bytes: body.byteLength });
});

process.on('message', (msg: { type?: string }) => {
  if (msg.type === 'stats') process.send?.({ type: 'stats', requests, bodyBytes, connections });
});
const stop = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
