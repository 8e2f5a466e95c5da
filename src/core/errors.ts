import { isObject, parseJson } from '../internal/json.js';
import { excerpt, redact } from '../internal/redact.js';

/** The request an error is about. Request errors copy both fields and end their message with them. */
export interface Route {
  /** HTTP method, e.g. `POST`. */
  method: string;
  /** API path, e.g. `/realtime/sessions`. */
  path: string;
}

/**
 * Base class of every error this SDK throws, so `catch (e) { if (e instanceof RealtimeSessionsError) … }`
 * separates SDK failures from bugs. A caller's abort is not wrapped: it rejects with `signal.reason`.
 *
 * @example
 * ```ts
 * try {
 *   await api.createRealtimeSession({ model: 'gpt-realtime' });
 * } catch (err) {
 *   if (err instanceof RateLimitError) console.warn('slow down', err.requestId);
 *   else if (err instanceof ApiError) console.error(err.status, err.code);
 *   else throw err;
 * }
 * ```
 */
export class RealtimeSessionsError extends Error {
  /**
   * The class's own name (`'RateLimitError'`, `'TimeoutError'`…), so logs, `String(err)` and
   * serialised errors say which failure it was; set per class, since bundlers may rename classes.
   */
  override name = 'RealtimeSessionsError';

  /**
   * @param route - for errors about a request: appended to the message as `(POST /path)` and
   * copied as `method` and `path`.
   */
  constructor(message: string, cause?: unknown, route?: Route) {
    // Passing `{ cause: undefined }` would still create an own `cause` property; skip it instead.
    super(
      route ? `${message} (${route.method} ${route.path})` : message,
      cause === undefined ? undefined : { cause },
    );
    // Route objects hold exactly `method` and `path`.
    Object.assign(this, route);
  }
}

/**
 * Options are missing or invalid: no API key, a browser without opt-in, a negative timeout…
 * Thrown where the options are given (`new RealtimeApi(…)`, `createSessionHandler(…)`), before
 * any request, so a misconfigured server fails at start-up rather than on its first visitor.
 *
 * @example
 * ```ts
 * new RealtimeApi({ apiKey: '' });
 * // throws ConfigurationError: Missing API key: pass `apiKey` or set OPENAI_API_KEY.
 * ```
 */
export class ConfigurationError extends RealtimeSessionsError {
  override name = 'ConfigurationError';
}

/** An argument has the wrong shape, e.g. the request is not a plain object. Nothing was sent. */
export class InvalidArgumentError extends RealtimeSessionsError {
  override name = 'InvalidArgumentError';
}

/**
 * A webhook could not be verified as sent by OpenAI with your secret (Standard Webhooks): a header
 * is missing or malformed, the timestamp is outside the tolerance, no signature matches the body,
 * or the signed body is not a webhook event. `reason` says which. Neither the message nor any field
 * holds the secret or a signature.
 *
 * @example
 * ```ts
 * try {
 *   const event = await unwrapWebhook(await request.text(), request.headers);
 * } catch (err) {
 *   if (err instanceof WebhookVerificationError) return new Response(null, { status: 401 });
 *   throw err;
 * }
 * ```
 */
export class WebhookVerificationError extends RealtimeSessionsError {
  override name = 'WebhookVerificationError';
  /**
   * What failed:
   * - `'missing_header'`: `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent or empty;
   * - `'invalid_header'`: one is malformed (a timestamp that is not whole seconds, a header sent
   *   twice, a signature list without a `v1,` entry);
   * - `'stale_timestamp'`: the timestamp is further from now than the tolerance, either way;
   * - `'invalid_signature'`: no `v1` signature matches: a tampered body, another secret, a forgery;
   * - `'invalid_payload'`: the signature matches, but the body is not a JSON webhook event.
   */
  declare readonly reason:
    'missing_header' | 'invalid_header' | 'stale_timestamp' | 'invalid_signature' | 'invalid_payload';

  /**
   * @param message - what failed, naming headers but never quoting a secret or a signature.
   * @param reason - the failure, copied as `reason`.
   */
  constructor(message: string, reason: WebhookVerificationError['reason']) {
    super(message);
    this.reason = reason;
  }
}

/** The error envelope OpenAI returns with a non-2xx status. */
interface ErrorEnvelope {
  error?: { message?: unknown; type?: unknown; param?: unknown; code?: unknown } | string;
  // RFC 9457 problem details, as sent by gateways and by Prism.
  title?: unknown;
  detail?: unknown;
}

/** The part of a `Response` an HTTP error keeps. */
type ResponseFacts = Pick<Response, 'status' | 'headers'>;

/**
 * The server answered with a non-2xx status. Subclasses name the common statuses, so callers can
 * branch with `instanceof`; `from()` picks the class. `body` is the parsed JSON (else the raw text),
 * with secrets redacted; `headers` is non-enumerable to keep logs short.
 *
 * @example
 * ```ts
 * try {
 *   await createRealtimeSession({ model: 'gpt-realtime' });
 * } catch (err) {
 *   if (err instanceof ApiError) {
 *     // What OpenAI support asks for; none of it holds the key.
 *     console.error(err.status, err.code, err.param, err.requestId);
 *   }
 *   throw err;
 * }
 * ```
 */
export class ApiError extends RealtimeSessionsError {
  override name = 'ApiError';
  /** HTTP status code. */
  declare readonly status: number;
  /** Response headers (non-enumerable). */
  declare readonly headers: Headers;
  /** The `x-request-id` response header: quote it to OpenAI support. */
  declare readonly requestId: string | null;
  /** Parsed JSON body, else the raw text; secrets redacted; `undefined` when empty. */
  declare readonly body: unknown;
  /** `error.code` from the OpenAI envelope, e.g. `'invalid_value'`. */
  declare readonly code: string | null;
  /** `error.type` from the OpenAI envelope, e.g. `'invalid_request_error'`. */
  declare readonly type: string | null;
  /** `error.param` from the OpenAI envelope: the offending request field. */
  declare readonly param: string | null;
  /** HTTP method of the failed request. */
  declare readonly method: string;
  /** API path of the failed request, e.g. `/realtime/sessions`. */
  declare readonly path: string;

  /**
   * The SDK builds these through {@link ApiError.from}, which picks the subclass.
   *
   * @param response - the answer's `status` and `headers`; a `Response` will do.
   * @param text - the response body, already redacted.
   * @param route - the request's `{ method, path }`, appended to the message.
   * @param secrets - the credentials the request sent, scrubbed from the request id too.
   */
  constructor(response: ResponseFacts, text: string, route: Route, secrets?: readonly string[]) {
    // A body nested thousands deep would make JSON.stringify(err) throw in a logger: keep it as text.
    const parsed = parseJson(text);
    const body = parsed !== undefined && redactable(parsed) ? parsed : text || undefined;
    const envelope: ErrorEnvelope = isObject(body) ? body : {};
    const error = isObject(envelope.error) ? envelope.error : {};
    // The first readable message: OpenAI's envelope, `{ "error": "text" }`, then RFC 9457.
    const message = [error.message, envelope.error, envelope.detail, envelope.title].find(
      (m): m is string => typeof m === 'string' && m.trim() !== '',
    );
    super(
      `${response.status} ${message?.trim() ?? (text ? `status code: ${excerpt(text)}` : 'status code (no body)')}`,
      undefined,
      route,
    );
    setResponse(this, response, secrets);
    Object.assign(this, {
      body,
      code: asText(error.code),
      type: asText(error.type),
      param: asText(error.param),
    });
  }

  /**
   * Builds the subclass that matches the status: 400, 401, 403, 404, 409, 422 and 429 have their
   * own class, any 5xx is an {@link InternalServerError}, another status a plain `ApiError`.
   * Parameters as for the constructor; `text` is the response body, already redacted.
   */
  static from(response: ResponseFacts, text: string, route: Route, secrets?: readonly string[]): ApiError {
    const status = response.status;
    const ErrorClass = STATUS_CLASSES[status] ?? (status >= 500 ? InternalServerError : ApiError);
    return new ErrorClass(response, text, route, secrets);
  }
}

/** 400: the request is malformed or a field has an invalid value. */
export class BadRequestError extends ApiError {
  override name = 'BadRequestError';
}
/** 401: the API key is missing, invalid or revoked. */
export class AuthenticationError extends ApiError {
  override name = 'AuthenticationError';
}
/** 403: the key may not use this model, organization or project. */
export class PermissionDeniedError extends ApiError {
  override name = 'PermissionDeniedError';
}
/** 404: unknown path or model; check `baseUrl`. */
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
}
/**
 * A beta minting endpoint (`POST /realtime/sessions`, `POST /realtime/transcription_sessions`)
 * answered that it is retired: a 404, or an error with code `beta_api_shape_disabled`. Thrown only
 * with `betaEndpoints: 'beta'`; the default `'fallback'` mints through the GA endpoint instead.
 * `status`, `code`, `body` and `requestId` are the upstream's.
 *
 * @example
 * ```ts
 * try {
 *   await new RealtimeApi({ betaEndpoints: 'beta' }).createRealtimeSession({ model: 'gpt-realtime' });
 * } catch (err) {
 *   if (err instanceof BetaEndpointRetiredError) console.error(err.message); // names createRealtimeClientSecret
 * }
 * ```
 */
export class BetaEndpointRetiredError extends ApiError {
  override name = 'BetaEndpointRetiredError';

  /** @param retired - the upstream's answer to the beta path, as the request path reported it. */
  constructor(retired: ApiError) {
    const { body, method, path } = retired;
    super(retired, typeof body === 'string' ? body : (JSON.stringify(body) ?? ''), { method, path });
    this.message =
      `${retired.message}: this beta endpoint is retired upstream; use createRealtimeClientSecret ` +
      `(README: "Migrating from the beta endpoints").`;
  }
}

/** 409: a conflicting concurrent request; retried automatically. */
export class ConflictError extends ApiError {
  override name = 'ConflictError';
}
/** 422: the body is well-formed JSON but fails validation. */
export class UnprocessableEntityError extends ApiError {
  override name = 'UnprocessableEntityError';
}
/** 429: rate limit or quota exceeded; retried automatically, honouring `Retry-After`. */
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
}
/** 5xx: the server or a gateway failed; retried automatically. */
export class InternalServerError extends ApiError {
  override name = 'InternalServerError';
}

const STATUS_CLASSES: Partial<Record<number, typeof ApiError>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/**
 * No response arrived: DNS failure, refused or reset connection, TLS error, or the body broke off
 * mid-read. `cause` holds the runtime's error. Retried automatically. {@link TimeoutError} is a
 * subclass, so one `instanceof ConnectionError` covers both.
 *
 * @example
 * ```ts
 * try {
 *   await api.createRealtimeSession({ model: 'gpt-realtime' });
 * } catch (err) {
 *   if (err instanceof TimeoutError) console.warn(`no answer within ${err.timeoutMs} ms`);
 *   else if (err instanceof ConnectionError) console.warn('network failure', err.cause);
 *   else throw err;
 * }
 * ```
 */
export class ConnectionError extends RealtimeSessionsError {
  override name = 'ConnectionError';
  /** HTTP method of the failed request. */
  declare readonly method: string;
  /** API path of the failed request. */
  declare readonly path: string;
}

/** An attempt exceeded `timeoutMs`, counting headers and body. Retried automatically. */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
  /** The per-attempt timeout that expired, in milliseconds. */
  declare readonly timeoutMs: number;

  /**
   * @param timeoutMs - the per-attempt timeout that expired, quoted in the message.
   * @param route - the request's `{ method, path }`, appended to the message.
   * @param cause - the error the attempt ended with, if any (the runtime's abort or connection error).
   */
  constructor(timeoutMs: number, route: Route, cause?: unknown) {
    super(`Request timed out after ${timeoutMs} ms`, cause, route);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A 2xx response whose body is unusable: empty, too large, not JSON, or JSON that is not an
 * object. Not retried: the server did act on the request. `excerpt` is redacted and short.
 */
export class InvalidResponseError extends RealtimeSessionsError {
  override name = 'InvalidResponseError';
  /** HTTP status code (2xx). */
  declare readonly status: number;
  /** Response headers (non-enumerable). */
  declare readonly headers: Headers;
  /** The `x-request-id` response header. */
  declare readonly requestId: string | null;
  /** The start of the body, redacted, at most 200 characters. */
  declare readonly excerpt: string;
  /** HTTP method of the request. */
  declare readonly method: string;
  /** API path of the request. */
  declare readonly path: string;

  /**
   * @param problem - what is wrong with the body, e.g. `body is not valid JSON`; quoted in the message.
   * @param response - the answer's `status` and `headers`; a `Response` will do.
   * @param text - the response body, already redacted.
   * @param route - the request's `{ method, path }`, appended to the message.
   * @param secrets - the credentials the request sent, scrubbed from the request id too.
   */
  constructor(
    problem: string,
    response: ResponseFacts,
    text: string,
    route: Route,
    secrets?: readonly string[],
  ) {
    const quoted = excerpt(text);
    super(
      `${response.status} invalid response: ${problem}${quoted && `: ${JSON.stringify(quoted)}`}`,
      undefined,
      route,
    );
    setResponse(this, response, secrets);
    this.excerpt = quoted;
  }
}

/**
 * A {@link ConnectionError} quoting the runtime's reason, with `secrets` scrubbed from it. Node's
 * fetch rejects with `TypeError('fetch failed')` and keeps the useful part (`ECONNREFUSED`,
 * `other side closed`) one level down, in `cause.cause`.
 */
export function connectionError(cause: unknown, route: Route, secrets?: readonly string[]): ConnectionError {
  const scrubbed = scrubCause(cause, secrets);
  const inner = (scrubbed as { cause?: unknown } | undefined)?.cause ?? scrubbed;
  const detail = inner instanceof Error ? excerpt(inner.message) : '';
  return new ConnectionError(`Connection error${detail && `: ${detail}`}`, scrubbed, route);
}

/**
 * The runtime's error, kept as `cause` as it is, unless its chain quotes a key: a custom `fetch`
 * (a proxy wrapper, a test double) may put the request's headers in its message, and loggers and
 * `util.inspect` print the whole chain. Then a copy with the message and stack scrubbed, keeping
 * `name` and a string `code` (ECONNRESET…) for callers that branch on them, and no other field.
 */
export function scrubCause(cause: unknown, secrets?: readonly string[], depth = 0): unknown {
  if (!(cause instanceof Error) || depth > 8) return cause;
  const inner = scrubCause(cause.cause, secrets, depth + 1);
  const message = redact(cause.message, secrets);
  const stack = cause.stack && redact(cause.stack, secrets);
  if (message === cause.message && stack === cause.stack && inner === cause.cause) return cause;
  const copy = new Error(message, inner === undefined ? undefined : { cause: inner });
  const code = (cause as { code?: unknown }).code;
  Object.assign(
    copy,
    { name: cause.name, stack },
    typeof code === 'string' && { code: redact(code, secrets) },
  );
  return copy;
}

// `headers` is non-enumerable (and read-only), so logging an error does not dump every header.
// A header echoing a key (a proxy's x-request-id, a debug header) is scrubbed in a copy: loggers that
// show hidden fields, and `util.inspect(err, { showHidden: true })`, print `headers` too.
function setResponse(error: Error, { status, headers }: ResponseFacts, secrets?: readonly string[]): void {
  let clean = headers;
  headers.forEach((value, name) => {
    const scrubbed = redact(value, secrets);
    if (scrubbed !== value) (clean = clean === headers ? new Headers(headers) : clean).set(name, scrubbed);
  });
  Object.defineProperty(error, 'headers', { value: clean });
  Object.assign(error, { status, requestId: clean.get('x-request-id') });
}

function redactable(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

function asText(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}
