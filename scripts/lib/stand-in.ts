// A local stand-in for the upstream minting endpoints, for `npm start`, the browser example and smoke
// tests: no API key, no internet. It answers like the real endpoints do, shaped after the upstream
// examples in openapi/realtime.yaml (x-oaiMeta):
//   POST /realtime/sessions                the session as configured + `client_secret` (60 s)
//   POST /realtime/client_secrets          `{ value, expires_at, session }`, the GA session as
//                                          configured; expires after `expires_after.seconds` (600)
//   POST /realtime/transcription_sessions  the transcription session + `client_secret` (600 s)
// Run it behind Prism in proxy mode (see prism.ts) to have every request and response validated
// against the pinned fragment.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GA_SESSION_DEFAULTS,
  GA_TRANSCRIPTION_DEFAULTS,
  SESSION_DEFAULTS,
  TRANSCRIPTION_DEFAULTS,
} from './session-defaults.js';

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

const newId = () => `sess_${randomBytes(12).toString('hex')}`;
const newSecret = () => `ek_${randomBytes(16).toString('hex')}`;
const seconds = (now: number) => Math.floor(now / 1000);

/** Plain objects merge key by key (the request's nested settings keep the defaults around them). */
function merge(base: unknown, over: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}

/** Builds the session the real endpoint would return for `request`, with a fresh 60 s secret. */
export function standInSession(request: Record<string, unknown>, now = Date.now()): Record<string, unknown> {
  const { client_secret: _ttl, ...config } = request;
  return {
    id: newId(),
    ...SESSION_DEFAULTS,
    ...config,
    client_secret: {
      value: newSecret(),
      expires_at: seconds(now) + 60,
    },
  };
}

/**
 * Builds what POST /realtime/client_secrets would return for `request`: the secret at the top level
 * and the effective GA session (realtime or transcription, by `session.type`).
 */
export function standInClientSecret(
  request: Record<string, unknown>,
  now = Date.now(),
): Record<string, unknown> {
  const session = (request.session ?? { type: 'realtime' }) as Record<string, unknown>;
  const ttl = (request.expires_after as { seconds?: number } | undefined)?.seconds ?? 600;
  const effective =
    session.type === 'transcription'
      ? {
          type: 'transcription',
          object: 'realtime.transcription_session',
          id: newId(),
          ...(merge(GA_TRANSCRIPTION_DEFAULTS, session) as object),
        }
      : {
          type: 'realtime',
          object: 'realtime.session',
          id: newId(),
          ...(merge(GA_SESSION_DEFAULTS, session) as object),
        };
  return { value: newSecret(), expires_at: seconds(now) + ttl, session: effective };
}

/** Builds what POST /realtime/transcription_sessions would return: the session and a 600 s secret. */
export function standInTranscriptionSession(
  request: Record<string, unknown>,
  now = Date.now(),
): Record<string, unknown> {
  return {
    id: newId(),
    ...(merge(TRANSCRIPTION_DEFAULTS, request) as object),
    client_secret: { value: newSecret(), expires_at: seconds(now) + 600 },
  };
}

/** What each route answers, given the parsed JSON body: a status and a body. */
type Route = (request: Record<string, unknown>) => [number, unknown];

const ROUTES: [RegExp, Route][] = [
  [/(^|\/)realtime\/sessions$/, (request) => [200, standInSession(request)]],
  [
    /(^|\/)realtime\/client_secrets$/,
    (request) => {
      // The real endpoint refuses a session without its type, as the fragment does.
      const type = (request.session as { type?: unknown } | undefined)?.type;
      if (request.session !== undefined && type !== 'realtime' && type !== 'transcription') {
        return [
          400,
          {
            error: {
              message: "Missing required parameter: 'session.type'.",
              type: 'invalid_request_error',
              param: 'session.type',
              code: 'missing_required_parameter',
            },
          },
        ];
      }
      return [200, standInClientSecret(request)];
    },
  ],
  [/(^|\/)realtime\/transcription_sessions$/, (request) => [200, standInTranscriptionSession(request)]],
];

function reply(res: ServerResponse, status: number, body: unknown): void {
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
      const path = (req.url ?? '').split('?')[0] ?? '';
      const refuse = (status: number, message: string) =>
        reply(res, status, { error: { message, type: 'invalid_request_error' } });
      const route = ROUTES.find(([pattern]) => pattern.test(path));
      if (req.method !== 'POST' || !route) return refuse(404, `Unknown route ${req.method} ${path}`);
      if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) return refuse(401, 'Missing bearer token.');
      let parsed: unknown;
      try {
        parsed = body ? JSON.parse(body) : {};
      } catch {
        return refuse(400, 'Body is not valid JSON.');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return refuse(400, 'Body must be a JSON object.');
      }
      reply(res, ...route[1](parsed as Record<string, unknown>));
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
