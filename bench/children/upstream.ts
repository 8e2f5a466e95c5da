// The local upstream: a node:http server on 127.0.0.1 that answers every POST with the same
// realistic JSON, keep-alive on. Runs in its own process so its CPU time is not charged to the
// contenders (on 2 cores the two processes still compete, equally for every contender).
//   upstream.mjs [beta]  the beta contract: POST /realtime/sessions → the fixture session
//                        (SESSION_RESPONSE); what sections 1–7 measure the SDK against.
//   upstream.mjs live    like the live API since the beta endpoints were retired:
//                        POST /realtime/sessions → 404 with the live "Invalid URL" body
//                        (BETA_RETIRED_BODY), POST /realtime/client_secrets → the fixture GA secret
//                        (CLIENT_SECRET_RESPONSE). Section 1's GA rows run against it.
//   upstream.mjs calls   POST /realtime/calls → 201, the stand-in's SDP answer captured once
//                        (SDP_ANSWER) and a `Location`: section 9b's fixed-answer upstream, which
//                        leaves the route's own cost visible (a real WebRTC answer takes ~40 ms).
import { createServer, type ServerResponse } from 'node:http';
import { serveUntilParentLeaves } from '../lib/child.js';
import { BETA_RETIRED_BODY, CLIENT_SECRET_RESPONSE, SESSION_RESPONSE } from '../lib/fixtures.js';
import { SDP_ANSWER } from '../lib/sdp-fixtures.js';

const mode = process.argv[2] ?? 'beta';
if (mode !== 'beta' && mode !== 'live' && mode !== 'calls') {
  throw new Error('usage: upstream.mjs [beta|live|calls]');
}

interface Answer {
  status: number;
  body: Buffer;
  headers: Record<string, string>;
}

function answer(
  status: number,
  text: string,
  processingMs: string,
  extra: Record<string, string> = { 'content-type': 'application/json' },
): Answer {
  const body = Buffer.from(text);
  return {
    status,
    body,
    headers: {
      ...extra,
      'content-length': String(body.byteLength),
      'openai-processing-ms': processingMs,
      'x-request-id': 'req_4b7f0c2e9a1d8f3e6b5c4a2d1e0f9a8b',
    },
  };
}

const session = answer(200, JSON.stringify(SESSION_RESPONSE), '412');
const clientSecret = answer(200, JSON.stringify(CLIENT_SECRET_RESPONSE), '412');
const retired = answer(404, BETA_RETIRED_BODY, '2');
const call = answer(201, SDP_ANSWER, '38', {
  'content-type': 'application/sdp',
  location: '/v1/realtime/calls/rtc_5d2e8f0a9b1c4d3e6f7a8b9c',
});
/** Path suffix → answer, per mode. */
const ROUTES: Record<typeof mode, [suffix: string, answer: Answer][]> = {
  beta: [['/realtime/sessions', session]],
  live: [
    ['/realtime/sessions', retired],
    ['/realtime/client_secrets', clientSecret],
  ],
  calls: [['/realtime/calls', call]],
};
const routes = ROUTES[mode];
/** The answer the mode is measured by: what `bytes` reports. */
const main = mode === 'beta' ? session : mode === 'live' ? clientSecret : call;

function send(res: ServerResponse, a: Answer): void {
  res.writeHead(a.status, a.headers);
  res.end(a.body);
}

const server = createServer((req, res) => {
  // The request body is not needed, but 'end' only fires once it has been read.
  req.resume();
  req.on('end', () => {
    const route = req.method === 'POST' ? routes.find(([suffix]) => req.url?.endsWith(suffix)) : undefined;
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    send(res, route[1]);
  });
});
// Unlimited requests per socket, so no contender pays for reconnects.
server.maxRequestsPerSocket = 0;
serveUntilParentLeaves(server, (port) => ({
  port,
  baseUrl: `http://127.0.0.1:${port}/v1`,
  bytes: main.body.byteLength,
}));
