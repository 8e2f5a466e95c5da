// The local upstream: a node:http server on 127.0.0.1 that answers every POST with the same
// realistic session JSON, keep-alive on. Runs in its own process so its CPU time is not charged to
// the contenders (on 2 cores the two processes still compete, equally for every contender).
import { createServer } from 'node:http';
import { serveUntilParentLeaves } from '../lib/child.js';
import { SESSION_RESPONSE } from '../lib/fixtures.js';

const body = Buffer.from(JSON.stringify(SESSION_RESPONSE));
const headers = {
  'content-type': 'application/json',
  'content-length': String(body.byteLength),
  'openai-processing-ms': '412',
  'x-request-id': 'req_4b7f0c2e9a1d8f3e6b5c4a2d1e0f9a8b',
};

const server = createServer((req, res) => {
  // The request body is not needed, but 'end' only fires once it has been read.
  req.resume();
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url?.endsWith('/realtime/sessions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    res.writeHead(200, headers);
    res.end(body);
  });
});
// Unlimited requests per socket, so no contender pays for reconnects.
server.maxRequestsPerSocket = 0;
serveUntilParentLeaves(server, (port) => ({
  port,
  baseUrl: `http://127.0.0.1:${port}/v1`,
  bytes: body.byteLength,
}));
