import { DEFAULTS } from './defaults.js';
import { excerpt, redact } from './redact.js';

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
  override name = 'RealtimeSessionsError';

  constructor(message: string, cause?: unknown) {
    // Passing `{ cause: undefined }` would still create an own `cause` property; skip it instead.
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** Options are missing or invalid: no API key, a browser without opt-in, a negative timeout… */
export class ConfigurationError extends RealtimeSessionsError {
  override name = 'ConfigurationError';
}

/** An argument has the wrong shape, e.g. the request is not a plain object. Nothing was sent. */
export class InvalidArgumentError extends RealtimeSessionsError {
  override name = 'InvalidArgumentError';
}

/** The error envelope OpenAI returns with a non-2xx status. */
interface ErrorEnvelope {
  error?: { message?: unknown; type?: unknown; param?: unknown; code?: unknown } | string;
  // RFC 9457 problem details, as sent by gateways and by Prism.
  title?: unknown;
  detail?: unknown;
}

/**
 * The server answered with a non-2xx status. Subclasses name the common statuses, so callers can
 * branch with `instanceof`; `from()` picks the class. `body` is the parsed JSON (else the raw text),
 * with secrets redacted; `headers` is non-enumerable to keep logs short.
 */
export class ApiError extends RealtimeSessionsError {
  override name = 'ApiError';
  /** HTTP status code. */
  readonly status: number;
  /** Response headers (non-enumerable). */
  declare readonly headers: Headers;
  /** Parsed JSON body, else the raw text; secrets redacted; `undefined` when empty. */
  readonly body: unknown;
  /** The `x-request-id` response header: quote it to OpenAI support. */
  readonly requestId: string | null;
  /** `error.code` from the OpenAI envelope, e.g. `'invalid_value'`. */
  readonly code: string | null;
  /** `error.type` from the OpenAI envelope, e.g. `'invalid_request_error'`. */
  readonly type: string | null;
  /** `error.param` from the OpenAI envelope: the offending request field. */
  readonly param: string | null;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** API path of the failed request, e.g. `/realtime/sessions`. */
  readonly path: string;

  constructor(status: number, headers: Headers, body: unknown, method: string, path: string) {
    const envelope = isObject(body) ? (body as ErrorEnvelope) : undefined;
    const error = isObject(envelope?.error) ? envelope.error : undefined;
    super(`${status} ${describeBody(body, envelope)} (${method} ${path})`);
    this.status = status;
    Object.defineProperty(this, 'headers', { value: headers, enumerable: false });
    this.body = body;
    this.requestId = headers.get('x-request-id');
    this.code = asText(error?.code);
    this.type = asText(error?.type);
    this.param = asText(error?.param);
    this.method = method;
    this.path = path;
  }

  /**
   * Builds the subclass that matches `status` from the response text, which the caller has
   * already redacted.
   */
  static from(status: number, headers: Headers, text: string, method: string, path: string): ApiError {
    const body = parseBody(text);
    const ErrorClass = STATUS_CLASSES[status] ?? (status >= 500 ? InternalServerError : ApiError);
    return new ErrorClass(status, headers, body, method, path);
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
 * mid-read. `cause` holds the runtime's error. Retried automatically.
 */
export class ConnectionError extends RealtimeSessionsError {
  override name = 'ConnectionError';
  /** HTTP method of the failed request. */
  readonly method: string;
  /** API path of the failed request. */
  readonly path: string;

  /** `secrets` are scrubbed from the cause's message before it is quoted. */
  constructor(
    method: string,
    path: string,
    options: { cause?: unknown; secrets?: readonly string[]; message?: string } = {},
  ) {
    super(
      options.message ??
        `Connection error${describeCause(options.cause, options.secrets)} (${method} ${path})`,
      options.cause,
    );
    this.method = method;
    this.path = path;
  }
}

/** An attempt exceeded `timeoutMs`, counting headers and body. Retried automatically. */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
  /** The per-attempt timeout that expired, in milliseconds. */
  readonly timeoutMs: number;

  constructor(method: string, path: string, timeoutMs: number, cause?: unknown) {
    super(method, path, { cause, message: `Request timed out after ${timeoutMs} ms (${method} ${path})` });
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
  readonly status: number;
  /** Response headers (non-enumerable). */
  declare readonly headers: Headers;
  /** The `x-request-id` response header. */
  readonly requestId: string | null;
  /** The start of the body, redacted, at most 200 characters. */
  readonly excerpt: string;
  /** HTTP method of the request. */
  readonly method: string;
  /** API path of the request. */
  readonly path: string;

  constructor(
    problem: string,
    status: number,
    headers: Headers,
    redactedText: string,
    method: string,
    path: string,
  ) {
    const quoted = excerpt(redactedText, DEFAULTS.excerptChars);
    super(
      `${status} invalid response: ${problem} (${method} ${path})${quoted ? `: ${JSON.stringify(quoted)}` : ''}`,
    );
    this.status = status;
    Object.defineProperty(this, 'headers', { value: headers, enumerable: false });
    this.requestId = headers.get('x-request-id');
    this.excerpt = quoted;
    this.method = method;
    this.path = path;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asText(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeBody(body: unknown, envelope: ErrorEnvelope | undefined): string {
  const error = envelope?.error;
  const message =
    (isObject(error) ? error.message : error) ??
    (typeof envelope?.detail === 'string' ? envelope.detail : envelope?.title);
  if (typeof message === 'string' && message.trim()) return message.trim();
  if (body === undefined) return 'status code (no body)';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `status code: ${excerpt(text, DEFAULTS.excerptChars)}`;
}

// Node's fetch rejects with `TypeError('fetch failed')` and keeps the useful part
// (`ECONNREFUSED`, `other side closed`) one level down.
function describeCause(cause: unknown, secrets: readonly string[] = []): string {
  const inner = (cause as { cause?: unknown } | undefined)?.cause;
  const detail = inner instanceof Error ? inner.message : cause instanceof Error ? cause.message : '';
  return detail ? `: ${excerpt(redact(detail, secrets), DEFAULTS.excerptChars)}` : '';
}
