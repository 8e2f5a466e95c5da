// A local stand-in for the upstream minting endpoints, for `npm start`, the browser example and smoke
// tests: no API key, no internet. By default it answers like the live API does since the beta
// endpoints were retired (May 2026; the answers are quoted from public reports, see
// openapi/corrections.overlay.yaml):
//   POST /realtime/sessions                404 `Invalid URL (POST /v1/realtime/sessions)`
//   POST /realtime/transcription_sessions  404 `Invalid URL (POST /v1/realtime/transcription_sessions)`
//   POST /realtime[?model=…]               400 `beta_api_shape_disabled` (the beta WebRTC SDP shape)
//   POST /realtime/client_secrets          `{ value, expires_at, session }`, the GA session as
//                                          configured; expires after `expires_after.seconds` (600)
//   POST /realtime/translations/client_secrets  the same for a translation session
//   POST /realtime/calls                   201 SDP answer + `Location` (multipart with a key, or raw
//                                          SDP with a live ephemeral key it minted; stand-in-calls.ts),
//                                          from a real WebRTC peer (werift, stand-in-peer.ts) that
//                                          sends session.created and answers session.update;
//                                          with CORS (ACAO `*`, `Location` exposed), and a preflight
//                                          OPTIONS answered 204, as a page on another origin needs
//   POST /realtime/calls/{id}/accept|hangup|refer|reject  200, empty, for a call it knows
// With `startStandIn({ beta: true })` (`STAND_IN_BETA=1` for `npm start` and the example server) it
// imitates a server that still has the beta contract, shaped after the upstream examples in
// openapi/realtime.yaml (x-oaiMeta):
//   POST /realtime/sessions                the session as configured + `client_secret` (60 s)
//   POST /realtime/transcription_sessions  the transcription session + `client_secret` (600 s)
//   POST /realtime/client_secrets          as above
// (The beta SDP exchange itself is not imitated: in beta mode POST /realtime is an unknown route.)
// `log` gets one line per request it answers, e.g.
//   stand-in: POST /v1/realtime/sessions → 404 (beta endpoint retired)
//   stand-in: POST /v1/realtime/client_secrets → 200
// Run it behind Prism in proxy mode (see prism.ts) to have requests and responses validated
// against the pinned fragment.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CALL_CONTROL,
  CALLS,
  CALLS_CORS,
  CALLS_PREFLIGHT,
  isSdpOffer,
  newCallId,
  parseMultipart,
} from './stand-in-calls.js';
import { answerOffer, type StandInPeer } from './stand-in-peer.js';
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
  /** The status the stand-in answered with (set once it has answered). */
  status?: number;
}

export interface StandInOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Serve the old beta contract: POST /realtime/sessions and /realtime/transcription_sessions mint
   * as they did before the 2026 retirement. Default false: they answer the live 404.
   */
  beta?: boolean;
  /** Called with one line per request answered, e.g. `stand-in: POST /v1/realtime/client_secrets → 200`. */
  log?: (line: string) => void;
}

/** A call the stand-in knows: one it created over /realtime/calls, or an announced SIP call. */
export interface StandInCall {
  state: 'incoming' | 'active' | 'accepted' | 'rejected' | 'referred' | 'ended';
  /** The session the call was created or accepted with (the multipart `session` part, the accept body). */
  session?: unknown;
  /** How the call was created: `'multipart'` (API key), `'sdp'` (ephemeral key) or `'sip'`. */
  via: 'multipart' | 'sdp' | 'sip';
  /** The refer target or the reject body, when one was sent. */
  control?: unknown;
  /** The WebRTC peer that answered a call made over /realtime/calls. */
  peer?: StandInPeer;
}

export interface StandIn {
  /** Base URL to use as the SDK's `baseUrl`, e.g. `http://127.0.0.1:PORT/v1`. */
  baseUrl: string;
  origin: string;
  /** Whether it serves the old beta contract (see `StandInOptions.beta`). */
  beta: boolean;
  /** Every request received, in order. */
  requests: StandInRequest[];
  /** The calls it knows, by call id. */
  calls: Map<string, StandInCall>;
  /** Announces an incoming SIP call (as before a `realtime.call.incoming` webhook): its call id. */
  incomingCall(): string;
  close(): Promise<void>;
}

/**
 * Whether the environment asks for the beta contract: `STAND_IN_BETA` set to `1`, `true` or `yes`.
 * Read by `npm start` and the example server; `startStandIn` itself never reads the environment.
 */
export function standInBetaFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.STAND_IN_BETA ?? '');
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

/** What a route answers, given the parsed JSON body: a status, a body, and a note for the log. */
type Answer = [status: number, body: unknown, note?: string];
type Route = (request: Record<string, unknown>) => Answer;

/** The live API's answer to a path it no longer has (quoted from public reports, 2026). */
export function invalidUrl(method: string, path: string): Record<string, unknown> {
  return {
    error: {
      message: `Invalid URL (${method} ${path})`,
      type: 'invalid_request_error',
      param: null,
      code: null,
    },
  };
}

/** The live API's answer to the beta WebRTC SDP shape, POST /v1/realtime?model=… (2026). */
export const BETA_SHAPE_DISABLED = {
  error: {
    message: 'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.',
    type: 'invalid_request_error',
    code: 'beta_api_shape_disabled',
    param: '',
  },
};

const SESSIONS = /(^|\/)realtime\/sessions$/;
const TRANSCRIPTION_SESSIONS = /(^|\/)realtime\/transcription_sessions$/;
const CLIENT_SECRETS = /(^|\/)realtime\/client_secrets$/;
/** The beta WebRTC endpoint (the query, `?model=…`, is not part of the path). */
const BETA_SDP = /(^|\/)realtime$/;

const clientSecrets: Route = (request) => {
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
      'missing session.type',
    ];
  }
  return [200, standInClientSecret(request)];
};

/** What POST /realtime/translations/client_secrets returns: a secret and the translation session. */
export function standInTranslationSecret(
  request: Record<string, unknown>,
  now = Date.now(),
): Record<string, unknown> {
  const ttl = (request.expires_after as { seconds?: number } | undefined)?.seconds ?? 600;
  const expires_at = seconds(now) + ttl;
  const session = merge(
    {
      model: 'gpt-realtime-translate',
      audio: { input: { transcription: null, noise_reduction: null }, output: {} },
    },
    request.session ?? {},
  ) as object;
  return {
    value: newSecret(),
    expires_at,
    session: { id: newId(), type: 'translation', expires_at, ...session },
  };
}

const TRANSLATION_SECRETS = /(^|\/)realtime\/translations\/client_secrets$/;

/** The JSON routes of each contract. */
const BETA_ROUTES: [RegExp, Route][] = [
  [SESSIONS, (request) => [200, standInSession(request)]],
  [CLIENT_SECRETS, clientSecrets],
  [TRANSCRIPTION_SESSIONS, (request) => [200, standInTranscriptionSession(request)]],
  [TRANSLATION_SECRETS, (request) => [200, standInTranslationSecret(request)]],
];
const LIVE_ROUTES: [RegExp, Route][] = [
  [CLIENT_SECRETS, clientSecrets],
  [TRANSLATION_SECRETS, (request) => [200, standInTranslationSecret(request)]],
];
/** Paths the live API retired: they answer 404 before anything else is looked at, as unknown URLs do. */
const RETIRED = [SESSIONS, TRANSCRIPTION_SESSIONS];

interface Minted {
  expiresAt: number;
  session: Record<string, unknown>;
}

interface CallAnswers {
  refuse(status: number, message: string): void;
  answerSdp(sdp: string, callId: string): void;
}

/**
 * POST /realtime/calls: multipart with a key (an ephemeral one must be live), or a raw SDP offer
 * with a live ephemeral key this stand-in minted.
 */
function createCall(
  contentType: string,
  body: string,
  authorization: string,
  minted: Map<string, Minted>,
  calls: Map<string, StandInCall>,
  { refuse, answerSdp }: CallAnswers,
): void {
  const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
  if (!token) return refuse(401, 'Missing bearer token.');
  const ephemeral = token.startsWith('ek_');
  const key = ephemeral ? minted.get(token) : undefined;
  if (ephemeral && !(key && key.expiresAt > Date.now() / 1000)) {
    return refuse(401, 'Invalid or expired ephemeral key.');
  }
  let offer: string;
  let session: unknown;
  let via: StandInCall['via'];
  if (/^multipart\/form-data/i.test(contentType)) {
    const parts = parseMultipart(contentType, body);
    if (!parts) return refuse(400, 'Malformed multipart body.');
    const sdpPart = parts.find((p) => p.name === 'sdp');
    if (!sdpPart) return refuse(400, "Missing required parameter: 'sdp'.");
    if (sdpPart.contentType !== 'application/sdp') return refuse(400, "Part 'sdp' must be application/sdp.");
    const sessionPart = parts.find((p) => p.name === 'session');
    if (sessionPart) {
      if (sessionPart.contentType !== 'application/json') {
        return refuse(400, "Part 'session' must be application/json.");
      }
      try {
        session = JSON.parse(sessionPart.text);
      } catch {
        return refuse(400, "Part 'session' is not valid JSON.");
      }
    }
    offer = sdpPart.text;
    via = 'multipart';
  } else if (/^application\/sdp/i.test(contentType)) {
    if (!ephemeral) return refuse(401, 'A raw SDP offer needs an ephemeral key (ek_…).');
    offer = body;
    via = 'sdp';
  } else {
    return refuse(415, 'Send multipart/form-data or application/sdp.');
  }
  if (!isSdpOffer(offer)) return refuse(400, 'The sdp is not an SDP offer.');
  // The effective session: an ephemeral key's minted one, or the defaults under the session part.
  const effective = key
    ? key.session
    : ({
        type: 'realtime',
        object: 'realtime.session',
        id: newId(),
        ...(merge(GA_SESSION_DEFAULTS, session ?? {}) as object),
      } as Record<string, unknown>);
  answerOffer(offer, effective).then(
    ({ sdp, peer }) => {
      const callId = newCallId();
      calls.set(callId, { state: 'active', via, peer, ...(session === undefined ? {} : { session }) });
      answerSdp(sdp, callId);
    },
    (error: Error) => refuse(400, `The offer cannot be answered: ${error.message}.`),
  );
}

/** Checks a call-control request and applies it to the call; a message when it is refused. */
function controlProblem(verb: string, body: string, call: StandInCall): string | undefined {
  let parsed: unknown;
  if (body) {
    try {
      parsed = JSON.parse(body);
    } catch {
      return 'Body is not valid JSON.';
    }
  }
  const object = parsed as Record<string, unknown> | undefined;
  if (verb === 'hangup') {
    call.state = 'ended';
    void call.peer?.close();
    return undefined;
  }
  if (call.state !== 'incoming' && verb !== 'refer') return `Call is ${call.state}, not incoming.`;
  if (verb === 'accept') {
    if (object?.type !== 'realtime') return "Missing required parameter: 'type'.";
    call.state = 'accepted';
    call.session = object;
  } else if (verb === 'refer') {
    if (typeof object?.target_uri !== 'string') return "Missing required parameter: 'target_uri'.";
    call.state = 'referred';
    call.control = object;
  } else {
    if (object?.status_code !== undefined && !Number.isInteger(object.status_code)) {
      return "Invalid 'status_code': expected an integer.";
    }
    call.state = 'rejected';
    call.control = object ?? {};
  }
  return undefined;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_${randomBytes(8).toString('hex')}`,
  });
  res.end(text);
}

/**
 * Starts the stand-in on 127.0.0.1. `startStandIn()` imitates the live API (beta minting retired);
 * `startStandIn({ beta: true })` the old beta contract. A number is taken as the port, as before.
 */
export async function startStandIn(options: StandInOptions | number = {}): Promise<StandIn> {
  const { port = 0, beta = false, log } = typeof options === 'number' ? { port: options } : options;
  const routes = beta ? BETA_ROUTES : LIVE_ROUTES;
  const requests: StandInRequest[] = [];
  const calls = new Map<string, StandInCall>();
  /** Ephemeral keys it minted, with their expiry (seconds) and session: a raw SDP offer must bring one. */
  const minted = new Map<string, Minted>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const method = req.method ?? '';
      const url = req.url ?? '';
      const seen: StandInRequest = { method, url, headers: req.headers, body };
      requests.push(seen);
      const answer = (status: number, payload: unknown, note?: string): void => {
        seen.status = status;
        log?.(`stand-in: ${method} ${url} → ${status}${note ? ` (${note})` : ''}`);
        reply(res, status, payload);
      };
      const refuse = (status: number, message: string) =>
        answer(status, { error: { message, type: 'invalid_request_error' } }, message.replace(/\.$/, ''));
      const authorization = req.headers.authorization ?? '';

      const path = url.split('?')[0] ?? '';
      if (CALLS.test(path)) {
        // A page calls this path from its own origin: every answer is readable cross-origin.
        for (const [name, value] of Object.entries(CALLS_CORS)) res.setHeader(name, value);
        if (method === 'OPTIONS') {
          seen.status = 204;
          log?.(`stand-in: ${method} ${url} → 204 (preflight)`);
          return res.writeHead(204, CALLS_PREFLIGHT).end();
        }
      }
      if (method !== 'POST') return refuse(404, `Unknown route ${method} ${path}`);
      if (!beta && RETIRED.some((pattern) => pattern.test(path))) {
        return answer(404, invalidUrl(method, path), 'beta endpoint retired');
      }
      if (CALLS.test(path)) {
        return createCall(req.headers['content-type'] ?? '', body, authorization, minted, calls, {
          refuse,
          answerSdp: (sdp, callId) => {
            seen.status = 201;
            log?.(`stand-in: ${method} ${url} → 201 (call ${callId})`);
            res.writeHead(201, {
              'content-type': 'application/sdp',
              'content-length': Buffer.byteLength(sdp),
              location: `/v1/realtime/calls/${callId}`,
            });
            res.end(sdp);
          },
        });
      }
      const control = CALL_CONTROL.exec(path);
      if (control) {
        if (!/^Bearer \S+/.test(authorization)) return refuse(401, 'Missing bearer token.');
        const [, , rawId, verb] = control as unknown as [string, string, string, string];
        const callId = decodeURIComponent(rawId);
        const call = calls.get(callId);
        if (!call) return refuse(404, `Call ${callId} not found.`);
        const problem = controlProblem(verb, body, call);
        if (problem) return refuse(400, problem);
        seen.status = 200;
        log?.(`stand-in: ${method} ${url} → 200 (${verb})`);
        res.writeHead(200, { 'content-length': 0, 'x-request-id': `req_${randomBytes(8).toString('hex')}` });
        return res.end();
      }
      const sdp = !beta && BETA_SDP.test(path);
      const route = routes.find(([pattern]) => pattern.test(path))?.[1];
      if (!route && !sdp) return refuse(404, `Unknown route ${method} ${path}`);
      if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) return refuse(401, 'Missing bearer token.');
      if (!route) return answer(400, BETA_SHAPE_DISABLED, 'beta API shape disabled');
      let parsed: unknown;
      try {
        parsed = body ? JSON.parse(body) : {};
      } catch {
        return refuse(400, 'Body is not valid JSON.');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return refuse(400, 'Body must be a JSON object.');
      }
      const [status, payload, note] = route(parsed as Record<string, unknown>);
      const secret = payload as { value?: unknown; expires_at?: unknown };
      if (status === 200 && typeof secret.value === 'string' && typeof secret.expires_at === 'number') {
        minted.set(secret.value, {
          expiresAt: secret.expires_at,
          session: (payload as { session?: Record<string, unknown> }).session ?? {},
        });
      }
      answer(status, payload, note);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: `${origin}/v1`,
    beta,
    requests,
    calls,
    incomingCall: () => {
      const callId = newCallId();
      calls.set(callId, { state: 'incoming', via: 'sip' });
      return callId;
    },
    close: async () => {
      await Promise.all([...calls.values()].map((call) => call.peer?.close()));
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
