// A server-side token route: the browser asks this handler for a session, the handler asks OpenAI with
// the server's API key and returns only the ephemeral client secret and the session. Fetch-API only
// (Request, Response, Headers, streams), so it runs unchanged in Node 18+, Next.js, Hono, Cloudflare
// Workers, Deno and Bun. Never import node: modules here; the node:http adapter lives in ./node.ts.
import type { components } from '../generated/openapi.js';
import { RealtimeApi } from './client.js';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidArgumentError,
  InvalidResponseError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
} from './errors.js';
import type { ClientOptions } from './options.js';
import { isForbiddenKey, isJsonContentType, parseClientFields, readLimited } from './handler-body.js';

type SessionRequest = components['schemas']['RealtimeSessionCreateRequest'];
type SessionResponse = components['schemas']['RealtimeSessionCreateResponse'];

/** A top-level field of the session request that the browser may be allowed to set. */
export type ClientSettableField = keyof SessionRequest;

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
 * Options for {@link createSessionHandler}: every {@link ClientOptions} field (API key, base URL,
 * organization, project, timeout, retries, headers, fetch), with the same environment defaults, plus
 * what the route allows.
 */
export interface SessionHandlerOptions extends ClientOptions {
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
   * Largest request body accepted, in bytes, counted as the body streams in (a chunked body without
   * Content-Length is cut off at the limit too). Larger bodies get 413.
   * @default 16384
   * @example 4096
   */
  maxBodyBytes?: number;
  /**
   * Decides whether a request may mint a session, before the body is read and before OpenAI is
   * called. Return `true` to allow; `false` (or anything else that is not a Response) answers 401;
   * a Response is sent as is. A thrown error answers 500 with a generic message and goes to `onError`.
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

/** The body of a successful answer. */
export interface SessionHandlerSuccessBody {
  client_secret: SessionResponse['client_secret'];
  session: Omit<SessionResponse, 'client_secret'>;
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
  /** @default 16384 (16 KiB) */
  maxBodyBytes: 16_384,
  /** @default 600 */
  corsMaxAgeSeconds: 600,
  /** @default ['content-type', 'authorization'] */
  corsAllowHeaders: ['content-type', 'authorization'] as readonly string[],
} as const;

interface ResolvedCors {
  origins: ReadonlySet<string>;
  maxAgeSeconds: number;
  allowHeaders: string;
  credentials: boolean;
}

/**
 * Creates a Fetch-API route handler that mints a Realtime session for a browser. One
 * {@link RealtimeApi} client is created here and reused for every request, so a missing API key
 * throws now (ConfigurationError), not on the first request.
 *
 * The browser POSTs JSON with the fields it may set (`{}` or an empty body for none). The answer is
 * `{ client_secret: { value, expires_at }, session }`, or `{ error: { message, code } }`; both with
 * `Cache-Control: no-store`. OpenAI's error bodies are never forwarded, and the API key never
 * appears in an answer.
 *
 * @example
 * // app/api/realtime-session/route.ts (Next.js)
 * import { createSessionHandler } from 'realtime-sessions';
 * export const POST = createSessionHandler({
 *   session: { model: 'gpt-realtime', instructions: 'Be brief.' },
 *   allowFromClient: ['voice'],
 * });
 */
export function createSessionHandler(options: SessionHandlerOptions = {}): SessionHandler {
  const {
    session,
    allowFromClient,
    maxBodyBytes,
    authorize,
    cors: corsOptions,
    onError,
    ...clientOptions
  } = options;
  const api = new RealtimeApi(clientOptions);
  const pinned = snapshotSession(session);
  const allowed = resolveAllowed(allowFromClient);
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

  return async function sessionHandler(request: Request): Promise<Response> {
    const origin = request.headers.get('origin');
    const corsHeaders = cors ? corsHeadersFor(cors, origin) : undefined;
    const fail = (status: number, error: SessionHandlerErrorBody['error'], extra?: HeadersInit): Response =>
      json(status, { error }, corsHeaders, extra);

    const method = request.method.toUpperCase();
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
      let verdict: boolean | Response;
      try {
        verdict = await authorize(request);
      } catch (error) {
        report(error);
        return fail(500, { message: 'internal error', code: 'internal_error' });
      }
      if (verdict instanceof Response) return verdict;
      if (verdict !== true) return fail(401, { message: 'unauthorized', code: 'unauthorized' });
      if (request.bodyUsed) {
        report(new Error('authorize consumed the request body; read headers and cookies only'));
        return fail(500, { message: 'internal error', code: 'internal_error' });
      }
    }

    if (!isJsonContentType(request.headers.get('content-type'))) {
      return fail(415, {
        message: 'content-type must be application/json',
        code: 'unsupported_media_type',
      });
    }
    const encoding = request.headers.get('content-encoding');
    if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') {
      return fail(415, { message: 'content-encoding is not supported', code: 'unsupported_media_type' });
    }
    const declared = request.headers.get('content-length');
    if (declared !== null) {
      if (!/^\d+$/.test(declared.trim())) {
        return fail(400, { message: 'invalid content-length', code: 'invalid_request' });
      }
      if (Number(declared) > limit) return tooLarge(fail, limit);
    }

    const read = await readLimited(request.body, limit);
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

    // Client values win only for allowed fields; everything else comes from the server (see README).
    const body = Object.assign(Object.create(null) as SessionRequest, pinned, parsed.fields);
    let data: SessionResponse;
    try {
      // The browser going away aborts the upstream call. Some runtimes' requests carry no signal.
      data = await api.createRealtimeSession(body, { signal: request.signal ?? undefined });
    } catch (error) {
      if (request.signal?.aborted !== true) report(error);
      const mapped = upstreamFailure(error, new Set(Object.keys(parsed.fields)));
      return fail(mapped.status, mapped.error, mapped.headers);
    }

    const { client_secret, ...rest } = data;
    if (typeof client_secret?.value !== 'string' || typeof client_secret.expires_at !== 'number') {
      report(new Error('upstream session has no client_secret'));
      return fail(502, {
        message: 'upstream returned an invalid session',
        code: 'upstream_invalid_response',
      });
    }
    const success: SessionHandlerSuccessBody = {
      client_secret: { value: client_secret.value, expires_at: client_secret.expires_at },
      session: rest,
    };
    return json(200, success, corsHeaders);
  };
}

function tooLarge(
  fail: (status: number, error: SessionHandlerErrorBody['error']) => Response,
  limit: number,
): Response {
  return fail(413, { message: `request body exceeds ${limit} bytes`, code: 'body_too_large' });
}

interface MappedFailure {
  status: number;
  error: SessionHandlerErrorBody['error'];
  headers?: HeadersInit;
}

/**
 * Maps a facade error to an answer the browser may see. Only fixed messages, the upstream request id,
 * and a `param` naming a field the browser itself sent are passed on: OpenAI's own message could echo
 * server-pinned configuration.
 */
function upstreamFailure(error: unknown, clientFields: ReadonlySet<string>): MappedFailure {
  if (error instanceof TimeoutError) {
    return { status: 504, error: { message: 'upstream timed out', code: 'upstream_timeout' } };
  }
  if (error instanceof ConnectionError) {
    return { status: 502, error: { message: 'could not reach upstream', code: 'upstream_unreachable' } };
  }
  if (error instanceof InvalidResponseError) {
    return {
      status: 502,
      error: { message: 'upstream returned an invalid session', code: 'upstream_invalid_response' },
    };
  }
  if (!(error instanceof ApiError)) {
    return { status: 500, error: { message: 'internal error', code: 'internal_error' } };
  }
  const withId = (e: SessionHandlerErrorBody['error']): SessionHandlerErrorBody['error'] =>
    typeof error.requestId === 'string' && error.requestId !== ''
      ? { ...e, request_id: clip(error.requestId) }
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
    const field = topLevelField(error.param);
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
function retryAfterSeconds(headers: unknown): string | undefined {
  const seconds = headerValue(headers, 'retry-after')?.trim();
  if (seconds !== undefined) {
    if (/^\d{1,10}$/.test(seconds)) return seconds;
    if (
      /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(seconds) &&
      !Number.isNaN(Date.parse(seconds))
    ) {
      return seconds;
    }
  }
  const ms = headerValue(headers, 'retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) {
    const value = Number(ms);
    if (Number.isFinite(value)) return String(Math.max(0, Math.ceil(value / 1000)));
  }
  return undefined;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (headers !== null && typeof headers === 'object') {
    for (const [key, value] of Object.entries(headers)) {
      if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
    }
  }
  return undefined;
}

function preflight(cors: ResolvedCors, origin: string | null, corsHeaders: Headers | undefined): Response {
  const headers = new Headers(corsHeaders);
  headers.set('cache-control', 'no-store');
  if (origin === null) {
    // Not a CORS preflight (browsers always send Origin): just say what the route accepts.
    headers.set('allow', 'POST, OPTIONS');
    return new Response(null, { status: 204, headers });
  }
  headers.set('access-control-allow-methods', 'POST');
  headers.set('access-control-allow-headers', cors.allowHeaders);
  headers.set('access-control-max-age', String(cors.maxAgeSeconds));
  return new Response(null, { status: 204, headers });
}

function corsHeadersFor(cors: ResolvedCors, origin: string | null): Headers {
  // Vary on every answer: a cache must not hand one origin's answer to another.
  const headers = new Headers({ vary: 'Origin' });
  if (origin !== null && cors.origins.has(origin)) {
    headers.set('access-control-allow-origin', origin);
    headers.set('access-control-expose-headers', 'retry-after');
    if (cors.credentials) headers.set('access-control-allow-credentials', 'true');
  }
  return headers;
}

function json(status: number, body: unknown, corsHeaders?: Headers, extra?: HeadersInit): Response {
  const headers = new Headers(corsHeaders);
  headers.set('content-type', 'application/json');
  headers.set('cache-control', 'no-store');
  headers.set('x-content-type-options', 'nosniff');
  if (extra) new Headers(extra).forEach((value, key) => headers.set(key, value));
  return new Response(JSON.stringify(body), { status, headers });
}

/** Names from the browser go back into messages; keep them short. */
function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

/** A JSON copy taken once, so later changes to the caller's object cannot change what is pinned. */
function snapshotSession(session: SessionRequest | undefined): Record<string, unknown> {
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
