// What the token route answers: JSON bodies built fresh (never the upstream's), the error codes the
// README lists, and the mapping from an SDK error to what a browser may see.
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidResponseError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
} from '../core/errors.js';
import { parseRetryAfter } from '../client/retry.js';
import { isObject } from '../internal/json.js';
import { excerpt, redact } from '../internal/redact.js';
import type { SessionHandlerCoreAnswer } from './core.js';
import type { SessionHandlerErrorBody } from './options.js';

type ErrorInfo = SessionHandlerErrorBody['error'];
type HeaderRecord = Record<string, string>;

/** Answers given from more than one place. Shared objects: answers only serialise them. */
export const INTERNAL_ERROR = { message: 'internal error', code: 'internal_error' } as const;
export const INVALID_SESSION = {
  message: 'upstream returned an invalid session',
  code: 'upstream_invalid_response',
} as const;

/** A JSON answer with the route's headers: no-store, nosniff, the CORS headers, then `extra`. */
export function jsonAnswer(
  status: number,
  body: unknown,
  cors: HeaderRecord | undefined,
  extra?: HeaderRecord,
): SessionHandlerCoreAnswer {
  const headers: HeaderRecord = {
    ...cors,
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  };
  return { status, headers, body: JSON.stringify(body) };
}

/** `{ "error": { … } }` with `status`. */
export function errorAnswer(
  status: number,
  error: ErrorInfo,
  cors: HeaderRecord | undefined,
  extra?: HeaderRecord,
): SessionHandlerCoreAnswer {
  return jsonAnswer(status, { error }, cors, extra);
}

/** Names from the browser go back into messages; keep them short. */
export function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

/** A failure as the browser sees it. */
export interface MappedFailure {
  status: number;
  error: ErrorInfo;
  headers?: HeaderRecord;
}

/**
 * Maps an SDK error to an answer the browser may see. Only fixed messages, the upstream request id,
 * and a `param` naming a field the browser itself sent are passed on: OpenAI's own message could echo
 * server-pinned configuration.
 */
export function upstreamFailure(
  error: unknown,
  clientFields: ReadonlySet<string>,
  fieldOf: (param: unknown) => string | undefined,
): MappedFailure {
  if (error instanceof TimeoutError) {
    return { status: 504, error: { message: 'upstream timed out', code: 'upstream_timeout' } };
  }
  if (error instanceof ConnectionError) {
    return { status: 502, error: { message: 'could not reach upstream', code: 'upstream_unreachable' } };
  }
  if (error instanceof InvalidResponseError) return { status: 502, error: INVALID_SESSION };
  if (!(error instanceof ApiError)) return { status: 500, error: INTERNAL_ERROR };
  return apiFailure(error, clientFields, fieldOf);
}

function apiFailure(
  error: ApiError,
  clientFields: ReadonlySet<string>,
  fieldOf: (param: unknown) => string | undefined,
): MappedFailure {
  // Only ids shaped like OpenAI's reach the browser: a proxy could have echoed anything there.
  const requestId =
    typeof error.requestId === 'string' && /^[\w.:-]{1,64}$/.test(error.requestId)
      ? error.requestId
      : undefined;
  const withId = (e: ErrorInfo): ErrorInfo => (requestId === undefined ? e : { ...e, request_id: requestId });

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
      // About a field the browser sent: its message ("Supported values are: …") is what the page
      // can act on. Scrubbed again and cut short: it could still quote the request.
      const detail = upstreamMessage(error);
      const message = `upstream rejected field "${field}"${detail ? `: ${detail}` : ''}`;
      return { status: 400, error: withId({ message, code: 'invalid_field', param: field }) };
    }
    return {
      status: 502,
      error: withId({ message: 'upstream rejected the session configuration', code: 'upstream_rejected' }),
    };
  }
  return { status: 502, error: withId({ message: 'upstream error', code: 'upstream_error' }) };
}

/** The upstream's own `error.message`, scrubbed of anything key-shaped and cut to 200 characters. */
function upstreamMessage(error: ApiError): string | undefined {
  const envelope = isObject(error.body) ? error.body.error : undefined;
  const message = isObject(envelope) ? envelope.message : undefined;
  return typeof message === 'string' && message.trim() !== '' ? excerpt(redact(message)) : undefined;
}

/**
 * `Retry-After` for the browser, in whole seconds rounded up, from the wait the upstream asked for
 * (`retry-after-ms`, else `Retry-After` as seconds or an HTTP date): the same reading as the client's
 * retry rules. `undefined` when the upstream asked for none.
 */
function retryAfterSeconds(headers: Headers): string | undefined {
  const ms = parseRetryAfter(headers);
  return ms === undefined ? undefined : String(Math.max(0, Math.ceil(ms / 1000)));
}
