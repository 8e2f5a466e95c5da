// A server-side token route: the browser asks this handler for a session, the handler asks OpenAI with
// the server's API key and returns only the ephemeral client secret and the session. Fetch-API only
// (Request, Response, Headers, streams), so it runs unchanged in Node 18+, Next.js, Hono, Cloudflare
// Workers, Deno and Bun. Never import node: modules here; the node:http adapter lives in ./node.ts.
import type { components } from '../../generated/openapi.js';
import { RealtimeApi } from '../client/api.js';
import { isObject } from '../internal/json.js';
import { EXPIRES_AFTER_SECONDS } from '../internal/defaults.js';
import {
  ApiError,
  AuthenticationError,
  ConfigurationError,
  ConnectionError,
  InvalidArgumentError,
  InvalidResponseError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
} from '../core/errors.js';
import type { ClientOptions } from '../client/options.js';
import type { HeaderReader } from '../client/retry.js';
import {
  isForbiddenKey,
  isJsonContentType,
  parseClientFields,
  readLimited,
  type BodyReadResult,
} from './body.js';

type SessionRequest = components['schemas']['RealtimeSessionCreateRequest'];
type SessionResponse = components['schemas']['RealtimeSessionCreateResponse'];
type ClientSecretRequest = components['schemas']['RealtimeCreateClientSecretRequest'];
type ClientSecretResponse = components['schemas']['RealtimeCreateClientSecretResponse'];

/** A top-level field of the session request that the browser may be allowed to set. */
export type ClientSettableField = keyof SessionRequest;

/**
 * A field the browser may be allowed to set in `client_secrets` mode: a top-level field of the GA
 * realtime session (never its `type`), or `voice`, the one field whose place differs between the
 * two endpoints: the browser sends it top-level in both modes, and this mode puts it at
 * `session.audio.output.voice`.
 */
export type ClientSecretSettableField =
  'voice' | Exclude<keyof components['schemas']['RealtimeSessionCreateRequestGA'], 'type'>;

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
  session?: SessionRequest;
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
  /**
   * Largest request body accepted, in bytes, counted as the body streams in (a chunked body without
   * Content-Length is cut off at the limit too). Larger bodies get 413.
   * @default 16384
   * @example 4096
   */
  maxBodyBytes?: number;
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
  session?: NonNullable<ClientSecretRequest['session']>;
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

/**
 * The body of a successful answer, the same in both modes. `S` is the session as the upstream
 * returned it, without its secret: the beta session by default; in `client_secrets` mode it is
 * `RealtimeCreateClientSecretResponse['session']`.
 */
export interface SessionHandlerSuccessBody<S = Omit<SessionResponse, 'client_secret'>> {
  client_secret: SessionResponse['client_secret'];
  session: S;
}

/** The body of every error answer. `code` is one of the handler's own codes, listed in the README. */
export interface SessionHandlerErrorBody {
  error: {
    message: string;
    code?: string;
    /** The request field the error is about, when known. */
    param?: string;
    /** OpenAI's request id, when the error came from OpenAI. */
    request_id?: string;
  };
}

/** All handler defaults in one place. */
const HANDLER_DEFAULTS = {
  /** @default 'client_secrets' (the GA endpoint; the beta 'sessions' is retired upstream) */
  endpoint: 'client_secrets',
  /** @default { type: 'realtime' } (the pinned session in client_secrets mode) */
  clientSecretSession: { type: 'realtime' } as const,
  /** @default 16384 (16 KiB) */
  maxBodyBytes: 16_384,
  /** @default 600 */
  corsMaxAgeSeconds: 600,
  /** @default ['content-type', 'authorization'] */
  corsAllowHeaders: ['content-type', 'authorization'] as readonly string[],
} as const;

/**
 * What differs between the two upstream endpoints. Everything else in the handler (method, CORS,
 * authorize, body limits and checks, error mapping, the answer) is shared.
 */
interface Upstream {
  /** Mints with the browser's allowed fields; resolves to the secret and the session, unchecked. */
  mint(fields: Record<string, unknown>, signal: AbortSignal | undefined): Promise<Minted>;
  /** The browser field an upstream error's `param` is about, e.g. `voice` for `session.audio.output.voice`. */
  fieldOf(param: unknown): string | undefined;
}

/** What an endpoint answered, before the handler checks it. */
interface Minted {
  client_secret?: { value?: unknown; expires_at?: unknown } | null;
  session?: unknown;
}

/**
 * The handler without Fetch `Request`/`Response`, for adapters that can skip building them (the
 * node:http adapter in ./node.ts). Attached to handlers without `authorize` under
 * `Symbol.for('realtime-sessions.core')`; not public API.
 * @internal
 */
export interface SessionHandlerCoreInput {
  method: string;
  /** A request header by lower-case name, repeated values joined with ", " as `Headers.get` does. */
  header(name: string): string | null;
  /** Reads the body, stopping past `maxBytes` as {@link readLimited} does. Called at most once. */
  body(maxBytes: number): Promise<BodyReadResult>;
  signal: AbortSignal | undefined;
}

/** @internal */
export interface SessionHandlerCoreAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** @internal */
export type SessionHandlerCore = (input: SessionHandlerCoreInput) => Promise<SessionHandlerCoreAnswer>;

interface CoreInput extends SessionHandlerCoreInput {
  /** The Fetch request, when there is one (always when `authorize` is set). */
  request?: Request;
}

interface ResolvedCors {
  origins: ReadonlySet<string>;
  maxAgeSeconds: number;
  allowHeaders: string;
  credentials: boolean;
}

/**
 * Creates a Fetch-API route handler that mints a Realtime session for a browser. One
 * {@link RealtimeApi} client is created here and reused for every request, so a missing API key or
 * an invalid option throws now (ConfigurationError), not on the first request.
 *
 * It mints through the GA `POST /realtime/client_secrets` by default (see
 * {@link ClientSecretHandlerOptions}), or, for existing apps with a beta `session` config, with
 * `endpoint: 'sessions'` through the beta `POST /realtime/sessions`, which upstream retired: there
 * the client's `betaEndpoints` fallback mints through GA (see {@link SessionHandlerOptions}). The browser POSTs JSON with the fields it may set (`{}` or an
 * empty body for none). The answer, in both modes, is `{ client_secret: { value, expires_at },
 * session }`, or `{ error: { message, code } }`; both with `Cache-Control: no-store`. OpenAI's
 * error bodies are never forwarded, and the API key never appears in an answer.
 *
 * @example
 * // app/api/realtime-session/route.ts (Next.js)
 * import { createSessionHandler } from 'realtime-sessions';
 * export const POST = createSessionHandler({
 *   session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' },
 *   allowFromClient: ['voice'], // the page sends { "voice": "verse" }, as with the sessions endpoint
 *   expiresAfterSeconds: 300,
 * });
 */
export function createSessionHandler(
  options: ClientSecretHandlerOptions | SessionHandlerOptions = {},
): SessionHandler {
  const {
    endpoint,
    session,
    allowFromClient,
    expiresAfterSeconds,
    maxBodyBytes,
    authorize,
    cors: corsOptions,
    onError,
    ...clientOptions
  } = options;
  const api = new RealtimeApi(clientOptions);
  const allowed = resolveAllowed(allowFromClient);
  const upstream = resolveUpstream(api, endpoint, session, allowed, expiresAfterSeconds);
  const limit = resolveLimit(maxBodyBytes);
  const cors = resolveCors(corsOptions);
  const report = (error: unknown): void => {
    if (!onError) return;
    try {
      onError(error);
    } catch {
      // A failing hook must not turn an answer into a crash.
    }
  };

  const core = async function sessionCore(input: CoreInput): Promise<SessionHandlerCoreAnswer | Response> {
    const origin = input.header('origin');
    const corsHeaders = cors ? corsHeadersFor(cors, origin) : undefined;
    const fail = (
      status: number,
      error: SessionHandlerErrorBody['error'],
      extra?: Record<string, string>,
    ): SessionHandlerCoreAnswer => json(status, { error }, corsHeaders, extra);

    const method = input.method.toUpperCase();
    if (cors && origin !== null && !cors.origins.has(origin)) {
      return fail(403, { message: 'origin not allowed', code: 'origin_not_allowed' });
    }
    if (method === 'OPTIONS' && cors) return preflight(cors, origin, corsHeaders);
    if (method !== 'POST') {
      return fail(
        405,
        { message: `method ${method} not allowed`, code: 'method_not_allowed' },
        {
          allow: cors ? 'POST, OPTIONS' : 'POST',
        },
      );
    }

    if (authorize) {
      const request = input.request as Request;
      let verdict: boolean | Response;
      try {
        verdict = await authorize(request);
      } catch (error) {
        report(error);
        return fail(500, INTERNAL_ERROR);
      }
      if (verdict instanceof Response) return withRouteHeaders(verdict, corsHeaders);
      if (verdict !== true) return fail(401, { message: 'unauthorized', code: 'unauthorized' });
      if (request.bodyUsed) {
        report(new Error('authorize consumed the request body; read headers and cookies only'));
        return fail(500, INTERNAL_ERROR);
      }
    }

    if (!isJsonContentType(input.header('content-type'))) {
      return fail(415, {
        message: 'content-type must be application/json',
        code: 'unsupported_media_type',
      });
    }
    const encoding = input.header('content-encoding');
    if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') {
      return fail(415, { message: 'content-encoding is not supported', code: 'unsupported_media_type' });
    }
    const declared = input.header('content-length');
    if (declared !== null) {
      if (!/^\d+$/.test(declared.trim())) {
        return fail(400, { message: 'invalid content-length', code: 'invalid_request' });
      }
      if (Number(declared) > limit) return tooLarge(fail, limit);
    }

    const read = await input.body(limit);
    if (read.kind === 'too_large') return tooLarge(fail, limit);
    if (read.kind === 'unreadable') {
      return fail(400, { message: 'request body could not be read', code: 'invalid_request' });
    }

    const parsed = parseClientFields(read.bytes, allowed);
    switch (parsed.kind) {
      case 'invalid_json':
        return fail(400, { message: parsed.message, code: 'invalid_json' });
      case 'not_object':
        return fail(400, { message: 'request body must be a JSON object', code: 'invalid_json' });
      case 'forbidden_key':
        return fail(400, {
          message: `key "${parsed.key}" is not allowed anywhere in the body`,
          code: 'forbidden_key',
          param: parsed.key,
        });
      case 'field_not_allowed': {
        const field = clip(parsed.field);
        return fail(400, {
          message: `field "${field}" may not be set by the client`,
          code: 'field_not_allowed',
          param: field,
        });
      }
    }

    let minted: Minted;
    try {
      // The browser going away aborts the upstream call. Some runtimes' requests carry no signal.
      minted = await upstream.mint(parsed.fields, input.signal);
    } catch (error) {
      if (input.signal?.aborted !== true) report(error);
      const mapped = upstreamFailure(error, new Set(Object.keys(parsed.fields)), upstream.fieldOf);
      return fail(mapped.status, mapped.error, mapped.headers);
    }

    const { client_secret, session: mintedSession } = minted;
    if (
      typeof client_secret?.value !== 'string' ||
      typeof client_secret.expires_at !== 'number' ||
      mintedSession === null ||
      typeof mintedSession !== 'object'
    ) {
      report(new Error('upstream answer has no client_secret or no session'));
      return fail(502, INVALID_SESSION);
    }
    const success: SessionHandlerSuccessBody<unknown> = {
      client_secret: { value: client_secret.value, expires_at: client_secret.expires_at },
      session: mintedSession,
    };
    try {
      return json(200, success, corsHeaders);
    } catch (cause) {
      // A session nested too deep to serialise: answer, never reject the handler.
      report(cause);
      return fail(502, INVALID_SESSION);
    }
  };

  const handler: SessionHandler = async function sessionHandler(request: Request): Promise<Response> {
    const answer = await core({
      method: request.method,
      header: (name) => request.headers.get(name),
      body: (maxBytes) => readLimited(request.body, maxBytes),
      // Some runtimes' requests carry no signal.
      signal: request.signal ?? undefined,
      request,
    });
    if (answer instanceof Response) return answer;
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
  if (!authorize) {
    // authorize takes a Fetch Request, so only handlers without it can skip building one.
    Object.defineProperty(handler, Symbol.for('realtime-sessions.core'), {
      value: core as SessionHandlerCore,
      enumerable: false,
    });
  }
  return handler;
}

// Answers given from more than one place. Shared objects: answers only serialise them.
const INTERNAL_ERROR = { message: 'internal error', code: 'internal_error' } as const;
const INVALID_SESSION = {
  message: 'upstream returned an invalid session',
  code: 'upstream_invalid_response',
} as const;

function tooLarge(
  fail: (status: number, error: SessionHandlerErrorBody['error']) => SessionHandlerCoreAnswer,
  limit: number,
): SessionHandlerCoreAnswer {
  return fail(413, { message: `request body exceeds ${limit} bytes`, code: 'body_too_large' });
}

interface MappedFailure {
  status: number;
  error: SessionHandlerErrorBody['error'];
  headers?: Record<string, string>;
}

/**
 * Maps a facade error to an answer the browser may see. Only fixed messages, the upstream request id,
 * and a `param` naming a field the browser itself sent are passed on: OpenAI's own message could echo
 * server-pinned configuration.
 */
function upstreamFailure(
  error: unknown,
  clientFields: ReadonlySet<string>,
  fieldOf: Upstream['fieldOf'],
): MappedFailure {
  if (error instanceof TimeoutError) {
    return { status: 504, error: { message: 'upstream timed out', code: 'upstream_timeout' } };
  }
  if (error instanceof ConnectionError) {
    return { status: 502, error: { message: 'could not reach upstream', code: 'upstream_unreachable' } };
  }
  if (error instanceof InvalidResponseError) {
    return {
      status: 502,
      error: INVALID_SESSION,
    };
  }
  if (!(error instanceof ApiError)) {
    return { status: 500, error: INTERNAL_ERROR };
  }
  const withId = (e: SessionHandlerErrorBody['error']): SessionHandlerErrorBody['error'] =>
    // Only ids shaped like OpenAI's reach the browser: a proxy could have echoed anything there.
    typeof error.requestId === 'string' && /^[\w.:-]{1,64}$/.test(error.requestId)
      ? { ...e, request_id: error.requestId }
      : e;

  if (error instanceof RateLimitError) {
    const retryAfter = retryAfterSeconds(error.headers);
    return {
      status: 429,
      error: withId({ message: 'rate limited by upstream, try again later', code: 'rate_limited' }),
      headers: retryAfter === undefined ? undefined : { 'retry-after': retryAfter },
    };
  }
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    // 401/403 from OpenAI is about the server's key, not the browser: the browser cannot fix it.
    return {
      status: 502,
      error: withId({ message: "upstream rejected the server's credentials", code: 'upstream_auth' }),
    };
  }
  if (error.status === 400 || error.status === 422) {
    const field = fieldOf(error.param);
    if (field !== undefined && clientFields.has(field)) {
      return {
        status: 400,
        error: withId({ message: `upstream rejected field "${field}"`, code: 'invalid_field', param: field }),
      };
    }
    return {
      status: 502,
      error: withId({ message: 'upstream rejected the session configuration', code: 'upstream_rejected' }),
    };
  }
  return { status: 502, error: withId({ message: 'upstream error', code: 'upstream_error' }) };
}

/** `voice`, `session.voice`, `tools[0].name` and `session.tools[0]` all name the top-level field. */
function topLevelField(param: unknown): string | undefined {
  if (typeof param !== 'string') return undefined;
  const match = /^(?:session\.)?([A-Za-z_][A-Za-z0-9_]*)/.exec(param);
  return match?.[1];
}

/**
 * `Retry-After` for the browser: upstream's own value when it is delta-seconds or an HTTP date,
 * otherwise `retry-after-ms` rounded up to whole seconds.
 */
function retryAfterSeconds(headers: HeaderReader): string | undefined {
  const seconds = headers?.get('retry-after')?.trim();
  if (seconds !== undefined) {
    if (/^\d{1,10}$/.test(seconds)) return seconds;
    if (
      /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(seconds) &&
      !Number.isNaN(Date.parse(seconds))
    ) {
      return seconds;
    }
  }
  const ms = headers?.get('retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) {
    const value = Number(ms);
    if (Number.isFinite(value)) return String(Math.max(0, Math.ceil(value / 1000)));
  }
  return undefined;
}

function preflight(
  cors: ResolvedCors,
  origin: string | null,
  corsHeaders: Record<string, string> | undefined,
): SessionHandlerCoreAnswer {
  const headers: Record<string, string> = { ...corsHeaders, 'cache-control': 'no-store' };
  if (origin === null) {
    // Not a CORS preflight (browsers always send Origin): just say what the route accepts.
    headers.allow = 'POST, OPTIONS';
    return { status: 204, headers, body: null };
  }
  headers['access-control-allow-methods'] = 'POST';
  headers['access-control-allow-headers'] = cors.allowHeaders;
  headers['access-control-max-age'] = String(cors.maxAgeSeconds);
  return { status: 204, headers, body: null };
}

function corsHeadersFor(cors: ResolvedCors, origin: string | null): Record<string, string> {
  // Vary on every answer: a cache must not hand one origin's answer to another.
  const headers: Record<string, string> = { vary: 'Origin' };
  if (origin !== null && cors.origins.has(origin)) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-expose-headers'] = 'retry-after';
    if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
  }
  return headers;
}

/**
 * An `authorize` answer with what every answer of the route carries, unless it set them itself:
 * `Cache-Control: no-store`, and the CORS headers, without which a cross-origin page could not read
 * the refusal and would see only a network error.
 */
function withRouteHeaders(response: Response, corsHeaders: Record<string, string> | undefined): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries({ ...corsHeaders, 'cache-control': 'no-store' })) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Header names are lower-case throughout, so a plain record replaces `Headers` here. */
function json(
  status: number,
  body: unknown,
  corsHeaders?: Record<string, string>,
  extra?: Record<string, string>,
): SessionHandlerCoreAnswer {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = {
    ...corsHeaders,
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  };
  return { status, headers, body: text };
}

/** Names from the browser go back into messages; keep them short. */
function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

/**
 * The endpoint strategy, checked now so a misconfigured handler fails at startup, not on a request.
 * `sessions`: the body is `{ ...pinned, ...fields }`. `client_secrets`: the same merge becomes the
 * GA `session`, except `voice`, which goes to `session.audio.output.voice`; the answer's top-level
 * `value` and `expires_at` become `client_secret`, so the browser sees one shape.
 */
function resolveUpstream(
  api: RealtimeApi,
  endpoint: string | undefined,
  session: SessionRequest | ClientSecretRequest['session'] | undefined,
  allowed: ReadonlySet<string>,
  expiresAfterSeconds: number | undefined,
): Upstream {
  const mode = endpoint ?? HANDLER_DEFAULTS.endpoint;
  if (mode === 'sessions') {
    if (expiresAfterSeconds !== undefined) {
      throw new ConfigurationError(
        "createSessionHandler: `expiresAfterSeconds` needs `endpoint: 'client_secrets'`; with the sessions endpoint, pin `session.client_secret.expires_after`",
      );
    }
    const pinned = snapshotSession(session);
    return {
      async mint(fields, signal) {
        // Client values win only for allowed fields; everything else comes from the server (see README).
        const body = Object.assign(Object.create(null) as SessionRequest, pinned, fields);
        const { client_secret, ...rest } = await api.createRealtimeSession(body, { signal });
        return { client_secret, session: rest };
      },
      // Past a retirement the request went to GA, whose errors name GA places.
      fieldOf: gaFieldOf,
    };
  }
  if (mode !== 'client_secrets') {
    throw new ConfigurationError(
      `createSessionHandler: \`endpoint\` must be 'sessions' or 'client_secrets', got ${JSON.stringify(endpoint)}`,
    );
  }

  const pinned = snapshotSession(session === undefined ? HANDLER_DEFAULTS.clientSecretSession : session);
  if (pinned.type !== 'realtime' && pinned.type !== 'transcription') {
    throw new ConfigurationError(
      "createSessionHandler: in client_secrets mode (the default since 0.2.0) `session.type` must be 'realtime' or 'transcription' (the GA session config, e.g. { type: 'realtime', model: 'gpt-realtime', audio: { output: { voice: 'marin' } } }); for a beta session config pass `endpoint: 'sessions'`",
    );
  }
  if (allowed.has('type')) {
    throw new ConfigurationError(
      'createSessionHandler: `allowFromClient` may not have "type": the session type is the server\'s',
    );
  }
  if (pinned.type === 'transcription' && allowed.has('voice')) {
    throw new ConfigurationError(
      'createSessionHandler: `allowFromClient` has "voice", but a transcription session has no voice',
    );
  }
  const expiresAfter = resolveExpiresAfter(expiresAfterSeconds);
  return {
    async mint(fields, signal) {
      const { voice, ...rest } = fields;
      const merged: Record<string, unknown> = Object.assign(Object.create(null), pinned, rest);
      if (Object.hasOwn(fields, 'voice')) {
        // New objects all the way down: the pinned snapshot is shared by every request.
        const audio = isObject(merged.audio) ? merged.audio : {};
        const output = isObject(audio.output) ? audio.output : {};
        merged.audio = { ...audio, output: { ...output, voice } };
      }
      const request = { session: merged as NonNullable<ClientSecretRequest['session']> };
      const {
        value,
        expires_at,
        session: minted,
      }: Partial<ClientSecretResponse> = await api.createRealtimeClientSecret(
        expiresAfter ? { expires_after: expiresAfter, ...request } : request,
        { signal },
      );
      return { client_secret: { value, expires_at }, session: minted };
    },
    fieldOf: gaFieldOf,
  };
}

/** The browser field a GA error's `param` is about: `voice` for `session.audio.output.voice`. */
function gaFieldOf(param: unknown): string | undefined {
  return typeof param === 'string' && /^session\.audio\.output\.voice\b/.test(param)
    ? 'voice'
    : topLevelField(param);
}

function resolveExpiresAfter(seconds: number | undefined): ClientSecretRequest['expires_after'] | undefined {
  if (seconds === undefined) return undefined;
  const { min, max } = EXPIRES_AFTER_SECONDS;
  if (!Number.isSafeInteger(seconds) || seconds < min || seconds > max) {
    throw new ConfigurationError(
      `createSessionHandler: \`expiresAfterSeconds\` must be a whole number of seconds from ${min} to ${max}, got ${typeof seconds === 'number' ? seconds : JSON.stringify(seconds)}`,
    );
  }
  return { anchor: 'created_at', seconds };
}

/** A JSON copy taken once, so later changes to the caller's object cannot change what is pinned. */
function snapshotSession(session: object | undefined): Record<string, unknown> {
  if (session === undefined) return Object.create(null) as Record<string, unknown>;
  if (session === null || typeof session !== 'object' || Array.isArray(session)) {
    throw new InvalidArgumentError('createSessionHandler: `session` must be an object');
  }
  const copy = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
  return Object.assign(Object.create(null) as Record<string, unknown>, copy);
}

function resolveAllowed(fields: readonly string[] | undefined): ReadonlySet<string> {
  if (fields === undefined) return new Set();
  if (!Array.isArray(fields)) {
    throw new InvalidArgumentError('createSessionHandler: `allowFromClient` must be an array of field names');
  }
  for (const field of fields) {
    if (typeof field !== 'string' || field === '' || isForbiddenKey(field)) {
      throw new InvalidArgumentError(
        `createSessionHandler: \`allowFromClient\` has an invalid field ${JSON.stringify(field)}`,
      );
    }
  }
  return new Set(fields);
}

function resolveLimit(maxBodyBytes: number | undefined): number {
  if (maxBodyBytes === undefined) return HANDLER_DEFAULTS.maxBodyBytes;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 2) {
    throw new InvalidArgumentError('createSessionHandler: `maxBodyBytes` must be an integer of at least 2');
  }
  return maxBodyBytes;
}

function resolveCors(cors: SessionHandlerCorsOptions | undefined): ResolvedCors | undefined {
  if (cors === undefined) return undefined;
  if (!Array.isArray(cors.origins) || cors.origins.length === 0) {
    throw new InvalidArgumentError('createSessionHandler: `cors.origins` must list at least one origin');
  }
  const origins = new Set<string>();
  for (const origin of cors.origins) {
    if (origin === '*') {
      throw new InvalidArgumentError('createSessionHandler: `cors.origins` may not be "*"; list each origin');
    }
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new InvalidArgumentError(
        `createSessionHandler: \`cors.origins\` has an invalid origin ${JSON.stringify(origin)}`,
      );
    }
    if (url.origin === 'null') {
      throw new InvalidArgumentError(
        `createSessionHandler: \`cors.origins\` has an opaque origin ${JSON.stringify(origin)}`,
      );
    }
    // new URL normalises case and default ports the same way browsers serialise Origin.
    origins.add(url.origin);
  }
  const maxAgeSeconds = cors.maxAgeSeconds ?? HANDLER_DEFAULTS.corsMaxAgeSeconds;
  if (!Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
    throw new InvalidArgumentError(
      'createSessionHandler: `cors.maxAgeSeconds` must be a non-negative integer',
    );
  }
  const allowHeaders = cors.allowHeaders ?? HANDLER_DEFAULTS.corsAllowHeaders;
  return {
    origins,
    maxAgeSeconds,
    allowHeaders: allowHeaders.map((h) => h.trim().toLowerCase()).join(', '),
    credentials: cors.credentials === true,
  };
}
