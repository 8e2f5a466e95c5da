// A local stand-in for the upstream POST /realtime/sessions, for `npm start`, the browser example
// and smoke tests: no API key, no internet. It answers like the real endpoint does (the session as
// configured plus a fresh `client_secret` that expires in 60 s). Run it behind Prism in proxy mode
// (see prism.ts) to have every request and response validated against the pinned fragment.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface StandIn {
  /** Base URL to use as the SDK's `baseUrl`, e.g. `http://127.0.0.1:PORT/v1`. */
  baseUrl: string;
  origin: string;
  requests: StandInRequest[];
  close(): Promise<void>;
}

const SESSION_DEFAULTS = {
  object: 'realtime.session',
  model: 'gpt-realtime',
  modalities: ['audio', 'text'],
  instructions: 'You are a friendly assistant.',
  voice: 'alloy',
  input_audio_format: 'pcm16',
  output_audio_format: 'pcm16',
  input_audio_transcription: null,
  turn_detection: {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 200,
    create_response: true,
    interrupt_response: true,
  },
  tools: [],
  tool_choice: 'auto',
  temperature: 0.8,
  max_response_output_tokens: 'inf',
  speed: 1,
  tracing: null,
};

/** Builds the session the real endpoint would return for `request`, with a fresh 60 s secret. */
export function standInSession(request: Record<string, unknown>, now = Date.now()): Record<string, unknown> {
  const { client_secret: _ttl, ...config } = request;
  return {
    id: `sess_${randomBytes(12).toString('hex')}`,
    ...SESSION_DEFAULTS,
    ...config,
    client_secret: {
      value: `ek_${randomBytes(16).toString('hex')}`,
      expires_at: Math.floor(now / 1000) + 60,
    },
  };
}

function reply(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_${randomBytes(8).toString('hex')}`,
  });
  res.end(text);
}

export async function startStandIn(port = 0): Promise<StandIn> {
  const requests: StandInRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'POST' || !/(^|\/)realtime\/sessions$/.test(path ?? '')) {
        return reply(res, 404, {
          error: { message: `Unknown route ${req.method} ${path}`, type: 'invalid_request_error' },
        });
      }
      if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
        return reply(res, 401, {
          error: { message: 'Missing bearer token.', type: 'invalid_request_error' },
        });
      }
      let parsed: unknown;
      try {
        parsed = body ? JSON.parse(body) : {};
      } catch {
        return reply(res, 400, {
          error: { message: 'Body is not valid JSON.', type: 'invalid_request_error' },
        });
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return reply(res, 400, {
          error: { message: 'Body must be a JSON object.', type: 'invalid_request_error' },
        });
      }
      reply(res, 200, standInSession(parsed as Record<string, unknown>));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: `${origin}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
