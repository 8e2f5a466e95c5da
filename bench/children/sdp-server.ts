// An SDP route on 127.0.0.1 for section 9b, in its own process: the page's offer in, the upstream's
// SDP answer out.
//   sdk:         toNodeHandler(createSessionHandler({ endpoint: 'calls', session })) (the built package)
//   bare:        the floor, as OpenAI's WebRTC guide writes the server side of the calls flow: read
//                the offer, POST it upstream as FormData (`sdp` and `session` parts, typed as the
//                spec's encoding asks) with the key, answer the text. No size cap, no checks.
//   bare-string: the same with the multipart body written out as one string, as the SDK does,
//                with no FormData encoder.
//   sdp-server.mjs MODE UPSTREAM_BASE_URL
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { serveUntilParentLeaves } from '../lib/child.js';
import { API_KEY, CALL_SESSION } from '../lib/fixtures.js';
import { loadHandlerFactoryAs, loadSdkNode, type BenchSdkCalls } from '../lib/sdk.js';

const SDP_SERVER_MODES = ['sdk', 'bare', 'bare-string'] as const;
type SdpServerMode = (typeof SDP_SERVER_MODES)[number];

const [mode, upstreamBase] = process.argv.slice(2) as [SdpServerMode | undefined, string | undefined];
if (!mode || !SDP_SERVER_MODES.includes(mode) || !upstreamBase) {
  throw new Error(`usage: sdp-server.mjs ${SDP_SERVER_MODES.join('|')} UPSTREAM_BASE_URL`);
}
const baseUrl: string = upstreamBase;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
const url = `${baseUrl}/realtime/calls`;
const sessionJson = JSON.stringify(CALL_SESSION);

async function sdkListener(): Promise<Listener> {
  const [createSessionHandler, { toNodeHandler }] = await Promise.all([
    loadHandlerFactoryAs<BenchSdkCalls>(),
    loadSdkNode(),
  ]);
  return toNodeHandler(
    createSessionHandler({
      endpoint: 'calls',
      apiKey: API_KEY,
      baseUrl,
      maxRetries: 0,
      session: CALL_SESSION,
    }),
  );
}

function formData(offer: string): FormData {
  const form = new FormData();
  form.set('sdp', new Blob([offer], { type: 'application/sdp' }));
  form.set('session', new Blob([sessionJson], { type: 'application/json' }));
  return form;
}

function multipartString(offer: string): { body: string; contentType: string } {
  const boundary = `bench-${randomUUID()}`;
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="sdp"\r\nContent-Type: application/sdp\r\n\r\n${offer}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="session"\r\nContent-Type: application/json\r\n\r\n${sessionJson}\r\n` +
    `--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function bareListener(asString: boolean): Listener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const offer = Buffer.concat(chunks).toString('utf8');
          const authorization = `Bearer ${API_KEY}`;
          const request: RequestInit = asString
            ? (() => {
                const { body, contentType } = multipartString(offer);
                return { method: 'POST', headers: { authorization, 'content-type': contentType }, body };
              })()
            : { method: 'POST', headers: { authorization }, body: formData(offer) };
          const upstream = await fetch(url, request);
          const answer = await upstream.text();
          res.writeHead(upstream.status === 201 ? 201 : 502, {
            'content-type': upstream.status === 201 ? 'application/sdp' : 'text/plain',
            'cache-control': 'no-store',
            'content-length': Buffer.byteLength(answer),
          });
          res.end(answer);
        } catch {
          res.writeHead(500).end();
        }
      })();
    });
  };
}

const listener = mode === 'sdk' ? await sdkListener() : bareListener(mode === 'bare-string');
serveUntilParentLeaves(createServer(listener), (port) => ({ url: `http://127.0.0.1:${port}/call` }));
