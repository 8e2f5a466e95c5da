// The token route's options: the public option types, every default in one place, and the checks
// that turn options into a resolved route, so a misconfigured handler fails at startup (a
// ConfigurationError in the one message format of src/internal/messages.ts), not on a request.
import type { ClientOptions } from '../client/options.js';
import type {
  RealtimeCreateClientSecretRequest,
  RealtimeSessionCreateRequest,
  RealtimeSessionCreateResponse,
} from '../../generated/client.js';
import type { RealtimeSessionConfig } from '../client/types.js';
import { invalid } from '../internal/messages.js';
import { isForbiddenKey } from './body.js';

/** A top-level field of the session request that the browser may be allowed to set. */
export type ClientSettableField = keyof RealtimeSessionCreateRequest;

/**
 * A field the browser may be allowed to set in `client_secrets` mode: a top-level field of the GA
 * realtime session (never its `type`), or `voice`, the one field whose place differs between the
 * two endpoints: the browser sends it top-level in both modes, and this mode puts it at
 * `session.audio.output.voice`.
 */
export type ClientSecretSettableField = 'voice' | Exclude<keyof RealtimeSessionConfig, 'type'>;

/** A Fetch-API handler: what Next.js route handlers, Hono, Workers, Deno and Bun all accept. */
export type SessionHandler = (request: Request) => Promise<Response>;

/** Cross-origin settings for a handler that browsers on other origins call. */
export interface SessionHandlerCorsOptions {
  /**
   * The origins allowed to call the handler, each exactly as a browser sends it in `Origin`
   * (scheme, host, port). `*` is refused: a token route must name its callers. A page served from
   * the handler's own origin also sends `Origin` on POST, so list that origin too.
   * @example ['https://app.example.com', 'http://localhost:5173']
   */
  origins: readonly string[];
  /**
   * How long a browser may cache a preflight answer, in seconds.
   * @default 600
   * @example 3600
   */
  maxAgeSeconds?: number;
  /**
   * Request headers a browser may send cross-origin (answered in `Access-Control-Allow-Headers`).
   * @default ['content-type', 'authorization']
   * @example ['content-type', 'authorization', 'x-csrf-token']
   */
  allowHeaders?: readonly string[];
  /**
   * Send `Access-Control-Allow-Credentials: true`, so a browser includes cookies with
   * `fetch(url, { credentials: 'include' })`.
   * @default false
   * @example true
   */
  credentials?: boolean;
}

/**
 * Options for {@link createSessionHandler} in `'sessions'` mode, for existing apps with a beta
 * session config: every {@link ClientOptions} field (API key, base URL, organization, project,
 * timeout, retries, headers, fetch, `betaEndpoints`), with the same environment defaults, plus what
 * the route allows. New apps use {@link ClientSecretHandlerOptions}, the default mode.
 *
 * @example
 * createSessionHandler({
 *   endpoint: 'sessions',
 *   session: { model: 'gpt-realtime', voice: 'verse' }, // translated to GA once the beta path answers retired
 *   allowFromClient: ['voice'],
 * });
 */
export interface SessionHandlerOptions extends ClientOptions {
  /**
   * The upstream endpoint that mints the secret. `'sessions'` is the beta `POST /realtime/sessions`,
   * kept for existing apps with a beta `session` config. Upstream retired it in 2026, so with the
   * default `betaEndpoints: 'fallback'` the handler mints through GA `POST /realtime/client_secrets`
   * once it answers retired, translating the config. Without `endpoint`, the handler is in
   * `'client_secrets'` mode (see {@link ClientSecretHandlerOptions}). The browser gets the same
   * answer from both.
   * @example 'sessions'
   */
  endpoint: 'sessions';
  /**
   * Session configuration pinned by the server and sent with every request. Fields the browser is
   * allowed to set (see `allowFromClient`) are defaults: the browser's value wins for those.
   * @default {}
   * @example { model: 'gpt-realtime', instructions: 'You are a helpful assistant.', voice: 'marin' }
   */
  session?: RealtimeSessionCreateRequest;
  /**
   * Top-level request fields the browser may set in its JSON body. Any other field is refused with
   * 400 naming it, before OpenAI is called.
   * @default []
   * @example ['voice']
   */
  allowFromClient?: readonly ClientSettableField[];
  /**
   * Only with `endpoint: 'client_secrets'` (a ConfigurationError here). With the sessions endpoint,
   * pin `session.client_secret.expires_after` instead.
   */
  expiresAfterSeconds?: never;
  /** Only with `endpoint: 'calls'` (a ConfigurationError here): this mode's cap is `maxBodyBytes`. */
  maxOfferBytes?: never;
  /** Only with `endpoint: 'calls'` (a ConfigurationError here): no call is created in this mode. */
  onCall?: never;
  /**
   * Largest request body accepted, in bytes, counted as the body streams in (a chunked body without
   * Content-Length is cut off at the limit too). Larger bodies get 413.
   * @default 16384
   * @example 4096
   */
  maxBodyBytes?: number;
  /**
   * Milliseconds the browser has to send its whole body, from when the route starts reading it. A
   * trickled or stalled upload would otherwise hold a connection until the server's own timeout (five
   * minutes in Node); past this the route answers 408 without calling upstream.
   * @default 10000
   * @example 5000
   */
  bodyTimeoutMs?: number;
  /**
   * Milliseconds the whole upstream exchange may take, every attempt and backoff included: a browser
   * should not wait minutes for its answer. Past it the route answers 504. Each attempt still has the
   * client's `timeoutMs` too.
   * @default 15000
   * @example 8000
   */
  upstreamTimeoutMs?: number;
  /**
   * The session fields the browser's answer carries, besides `client_secret`. By default only what
   * a page needs to connect: `id`, `object`, `type`, `model`, `expires_at` and the audio settings
   * (`audio` in GA; `voice`, `speed`, `modalities`, the formats, turn detection, transcription and
   * noise reduction in the beta shape). The pinned `instructions`, `tools`, `prompt` and `tracing`
   * stay on the server unless listed here. A page holding the secret can still read its session's
   * instructions over the Realtime connection (`session.created`), so secrets never belong in them.
   * @default the fields above
   * @example ['id', 'model', 'audio', 'instructions']
   */
  sessionFields?: readonly string[];
  /**
   * Decides whether a request may mint a session, before the body is read and before OpenAI is
   * called. Return `true` to allow; `false` (or anything else that is not a Response) answers 401;
   * a Response is sent as it is, plus `Cache-Control: no-store` and the CORS headers where it set none
   * of its own. A thrown error answers 500 with a generic message and goes to `onError`.
   * Read headers and cookies only: consuming the body leaves nothing for the handler (500).
   * @default undefined (every request is allowed: put the route behind your own auth)
   * @example (request) => request.headers.get('authorization') === `Bearer ${process.env.APP_TOKEN}`
   */
  authorize?: (request: Request) => boolean | Response | Promise<boolean | Response>;
  /**
   * Cross-origin access. Without it, no CORS headers are sent and OPTIONS answers 405. With it, a
   * preflight from a listed origin answers 204, and any request from an unlisted origin answers 403
   * without calling OpenAI. Requests without an `Origin` header (server to server) are not affected.
   * @default undefined
   * @example { origins: ['https://app.example.com'], maxAgeSeconds: 600 }
   */
  cors?: SessionHandlerCorsOptions;
  /**
   * Called with every failure that is not the browser's own mistake: each upstream error (whatever
   * status it maps to), a throwing `authorize`, bugs. The errors are the SDK's, with secrets already
   * redacted. Nothing is logged otherwise. Errors thrown here are ignored.
   * @default undefined
   * @example (error) => logger.warn({ err: error }, 'realtime session failed')
   */
  onError?: (error: unknown) => void;
}

/**
 * Options for {@link createSessionHandler} in `client_secrets` mode, the default: it mints through
 * the GA `POST /realtime/client_secrets`. Everything else (client options,
 * allow-list, size limit, `authorize`, CORS, `onError`) works as in {@link SessionHandlerOptions},
 * and the browser gets the same answer, `{ client_secret: { value, expires_at }, session }`.
 *
 * @example
 * createSessionHandler({
 *   session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' },
 *   allowFromClient: ['voice'], // the browser still sends { "voice": "verse" }
 *   expiresAfterSeconds: 120,
 * });
 */
export interface ClientSecretHandlerOptions extends Omit<
  SessionHandlerOptions,
  'endpoint' | 'session' | 'allowFromClient' | 'expiresAfterSeconds'
> {
  /**
   * Mint through the GA `POST /realtime/client_secrets`.
   * @default 'client_secrets'
   */
  endpoint?: 'client_secrets';
  /**
   * The GA session configuration pinned by the server, sent as the request's `session`. Its `type`
   * is required (`'realtime'`, or `'transcription'` for a transcription session); audio settings
   * nest under `audio` (`audio.output.voice`). Fields the browser is allowed to set are defaults.
   * @default { type: 'realtime' }
   * @example { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.', audio: { output: { voice: 'marin' } } }
   */
  session?: NonNullable<RealtimeCreateClientSecretRequest['session']>;
  /**
   * Request fields the browser may set in its JSON body: top-level fields of the GA session, which
   * replace the pinned ones, and `voice`, which the browser sends top-level (as in sessions mode,
   * so one page works with both) and which goes to `session.audio.output.voice`, keeping the rest
   * of the pinned `audio`. Any other field is refused with 400 naming it.
   * @default []
   * @example ['voice', 'instructions']
   */
  allowFromClient?: readonly ClientSecretSettableField[];
  /**
   * Lifetime of each minted secret in seconds, from 10 to 7200, sent as
   * `expires_after: { anchor: 'created_at', seconds }`. The server sets it; the browser never can.
   * Checked when the handler is created (ConfigurationError).
   * @default undefined (the upstream default, 600 seconds)
   * @example 120
   */
  expiresAfterSeconds?: number;
}

/** What {@link CallHandlerOptions.onCall} is told about each call the route created. */
export interface CallContext {
  /** The call id (`rtc_…`), for the call-control operations and a monitoring WebSocket. */
  callId: string;
  /** The browser's request; its body has been read. */
  request: Request;
}

/**
 * Options for {@link createSessionHandler} with `endpoint: 'calls'`: the browser POSTs its SDP
 * offer to the route, the route creates the call upstream with `POST /realtime/calls`, the server's
 * key and the pinned session, and answers the SDP answer. The page never holds any credential, and
 * connects in one round trip. Client options, `authorize`, CORS, `bodyTimeoutMs`,
 * `upstreamTimeoutMs` and `onError` work as in {@link SessionHandlerOptions}.
 *
 * The page sends the offer as `application/sdp` (exactly what it would send to OpenAI), or as
 * `multipart/form-data` with a part `sdp` and an optional part `session`, a JSON object of the
 * fields listed in `allowFromClient`. The answer is `201` with `Content-Type: application/sdp`;
 * errors are JSON, as in the other modes. The call id is not sent to the page: the server gets it
 * through `onCall`.
 *
 * @example
 * createSessionHandler({
 *   endpoint: 'calls',
 *   session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' },
 *   allowFromClient: ['voice'], // the page may send a session part { "voice": "verse" }
 *   onCall: ({ callId }) => monitor(callId),
 * });
 */
export interface CallHandlerOptions extends Omit<
  SessionHandlerOptions,
  | 'endpoint'
  | 'session'
  | 'allowFromClient'
  | 'expiresAfterSeconds'
  | 'maxBodyBytes'
  | 'sessionFields'
  | 'maxOfferBytes'
  | 'onCall'
> {
  /** Create the call through `POST /realtime/calls` and answer the page's offer. */
  endpoint: 'calls';
  /**
   * The GA realtime session the call runs with, pinned by the server. Its `type` is `'realtime'`
   * (a call cannot be a transcription session). Fields the browser may set are defaults.
   * @default { type: 'realtime' }
   * @example { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.', audio: { output: { voice: 'marin' } } }
   */
  session?: RealtimeSessionConfig;
  /**
   * Fields the page may set in the multipart `session` part: top-level fields of the GA session,
   * and `voice`, which goes to `session.audio.output.voice` as in `client_secrets` mode. Any other
   * field is refused with 400 naming it. A raw `application/sdp` offer sets none.
   * @default []
   * @example ['voice']
   */
  allowFromClient?: readonly ClientSecretSettableField[];
  /**
   * Largest request body accepted, in bytes: the offer, and the `session` part when there is one.
   * A browser's offer is a few kB; larger bodies get 413 without calling upstream.
   * @default 65536
   * @example 32768
   */
  maxOfferBytes?: number;
  /**
   * Called with each call the route created, before the page gets its answer, so the server can
   * watch or control the call (a sideband WebSocket, `hangupRealtimeCall`). It is awaited: start
   * long work without awaiting it. If it throws, the route hangs the call up, answers 500 and
   * passes the error to `onError`: a call the server could not take note of does not run. Like
   * `authorize`, it takes a Fetch `Request`, so a handler with it skips the node adapter's fast path.
   * @default undefined
   * @example ({ callId }) => calls.set(callId, Date.now())
   */
  onCall?: (call: CallContext) => void | Promise<void>;
  /** Not in this mode (a ConfigurationError): the offer's cap is `maxOfferBytes`. */
  maxBodyBytes?: never;
  /** Not in this mode (a ConfigurationError): the page gets an SDP answer, no session. */
  sessionFields?: never;
  /** Not in this mode (a ConfigurationError): no secret is minted. */
  expiresAfterSeconds?: never;
}

/**
 * The body of a successful answer, the same in both modes. `S` is the session as the upstream
 * returned it, without its secret: the beta session by default; in `client_secrets` mode it is
 * `RealtimeCreateClientSecretResponse['session']`.
 */
export interface SessionHandlerSuccessBody<S = Omit<RealtimeSessionCreateResponse, 'client_secret'>> {
  /** The ephemeral key for the browser (`value`, `ek_…`) and when it expires (Unix seconds). */
  client_secret: RealtimeSessionCreateResponse['client_secret'];
  /** The minted session, with only the fields listed in `sessionFields`. */
  session: S;
}

/** The body of every error answer. `code` is one of the handler's own codes, listed in the README. */
export interface SessionHandlerErrorBody {
  /** What went wrong, in words a page may show. */
  error: {
    /** A fixed message (never the upstream's, except about a field the browser sent). */
    message: string;
    /** The handler's own code, e.g. `field_not_allowed` or `upstream_timeout` (see the README). */
    code?: string;
    /** The request field the error is about, when known. */
    param?: string;
    /** OpenAI's request id, when the error came from OpenAI. */
    request_id?: string;
  };
}

/** Every option the route itself takes; the rest are {@link ClientOptions}. */
export const HANDLER_OPTION_KEYS = [
  'endpoint',
  'session',
  'allowFromClient',
  'expiresAfterSeconds',
  'maxBodyBytes',
  'bodyTimeoutMs',
  'upstreamTimeoutMs',
  'sessionFields',
  'maxOfferBytes',
  'onCall',
  'authorize',
  'cors',
  'onError',
] as const;

/** All handler defaults in one place. */
export const HANDLER_DEFAULTS = {
  /** @default 'client_secrets' (the GA endpoint; the beta 'sessions' is retired upstream) */
  endpoint: 'client_secrets',
  /** @default { type: 'realtime' } (the pinned session in client_secrets mode) */
  clientSecretSession: { type: 'realtime' } as const,
  /** @default 16384 (16 KiB) */
  maxBodyBytes: 16_384,
  /** @default 65536 (64 KiB; a browser's SDP offer is a few kB) */
  maxOfferBytes: 65_536,
  /** @default 10000 */
  bodyTimeoutMs: 10_000,
  /** @default 15000 */
  upstreamTimeoutMs: 15_000,
  /** @default what a page needs to connect; see `sessionFields` */
  sessionFields: [
    'id',
    'object',
    'type',
    'model',
    'expires_at',
    'audio',
    'output_modalities',
    'modalities',
    'voice',
    'speed',
    'input_audio_format',
    'output_audio_format',
    'input_audio_transcription',
    'input_audio_noise_reduction',
    'turn_detection',
  ] as readonly string[],
  /** @default 600 */
  corsMaxAgeSeconds: 600,
  /** @default ['content-type', 'authorization'] */
  corsAllowHeaders: ['content-type', 'authorization'] as readonly string[],
} as const;

/** A JSON copy taken once, so later changes to the caller's object cannot change what is pinned. */
export function snapshotSession(session: unknown): Record<string, unknown> {
  const pinned = Object.create(null) as Record<string, unknown>;
  if (session === undefined) return pinned;
  if (session === null || typeof session !== 'object' || Array.isArray(session)) {
    invalid('session', 'an object', session);
  }
  return Object.assign(pinned, JSON.parse(JSON.stringify(session)) as Record<string, unknown>);
}

/** The browser fields the route accepts, as a set; a name that could reach a prototype is refused. */
export function resolveAllowed(fields: unknown): ReadonlySet<string> {
  if (fields === undefined) return new Set();
  if (!Array.isArray(fields)) invalid('allowFromClient', 'an array of field names', fields);
  for (const field of fields as unknown[]) {
    if (typeof field !== 'string' || field === '' || isForbiddenKey(field)) {
      invalid('allowFromClient', 'a list of field names (not __proto__, constructor or prototype)', field);
    }
  }
  return new Set(fields as string[]);
}

/** A duration option in milliseconds: a positive whole number, or its default. */
export function resolveMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) <= 0)
    invalid(name, 'a positive whole number of milliseconds', value);
  return value as number;
}

/** `sessionFields` with its default, as a set. */
export function resolveSessionFields(fields: unknown): ReadonlySet<string> {
  if (fields === undefined) return new Set(HANDLER_DEFAULTS.sessionFields);
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string' && f !== '')) {
    invalid('sessionFields', 'an array of session field names', fields);
  }
  return new Set(fields as string[]);
}

/** A body cap (`maxBodyBytes`, `maxOfferBytes`) with its default. */
export function resolveLimit(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 2) {
    invalid(name, 'an integer of at least 2', value);
  }
  return value as number;
}
