import { readText } from '../internal/streams.js';
import type { PostBody, PostData, PostPath } from './contract.js';
import { DEFAULTS } from '../internal/defaults.js';
import {
  ApiError,
  connectionError,
  ConnectionError,
  InvalidResponseError,
  TimeoutError,
  type Route,
} from '../core/errors.js';
import { isObject, parseJson } from '../internal/json.js';
import {
  resolveCallSettings,
  sentCredentials,
  type RequestOptions,
  type ResolvedClientOptions,
} from './options.js';
import { redact } from '../internal/redact.js';
import { retryDelay, shouldRetry } from './retry.js';
import type { ApiResponse } from './types.js';
import { assertRequestObject, serializeJson } from './validate.js';

const MAX_BODY_BYTES = DEFAULTS.maxBodyBytes;
const TOO_LARGE = `body over ${MAX_BODY_BYTES} bytes`;

/**
 * Reads a 2xx answer into what the operation returns, or throws an {@link InvalidResponseError}.
 * The generated client picks one per operation from its response media type: {@link parse} for
 * JSON, and those in src/client/wire.ts for empty and SDP answers.
 */
export type Reader<T> = (response: Response, text: string, route: Route, secrets: readonly string[]) => T;

/**
 * `POST path` with a JSON body and a JSON object answer: the minting operations. Typed by
 * openapi-fetch's contract (src/client/contract.ts), so `path` must be a POST in the pinned spec
 * and `body` its request body.
 */
export function post<P extends PostPath>(
  client: ResolvedClientOptions,
  path: P,
  body: PostBody<P>,
  options?: RequestOptions,
): Promise<ApiResponse<PostData<P>>> {
  assertRequestObject(body);
  // Serialised once: a retry sends the same bytes, and a cycle or BigInt fails before any request.
  return send(client, path, serializeJson(body), parse as Reader<PostData<P>>, options);
}

/**
 * The one request path for every operation: per-attempt timeout, retries with backoff, the size
 * cap, error mapping and secrets scrubbing. `path` is final (path parameters already encoded) and
 * `body` already serialised; `read` turns a 2xx into the operation's result.
 *
 * The RealtimeApi methods and the standalone functions (generated/client.ts) both come straight
 * here, so an app importing one function bundles neither the class nor the other operations.
 */
export async function send<T>(
  client: ResolvedClientOptions,
  path: string,
  body: string | undefined,
  read: Reader<T>,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const route: Route = { method: 'POST', path };
  const { signal } = options;
  const { timeoutMs, maxRetries, headers } = resolveCallSettings(options, client);
  // What openapi-fetch's createFinalURL gives for a path without query: the base URL (no trailing
  // slash, see resolveClientOptions) and the path, whose parameters wire.ts `pathOf` encoded.
  const url = client.baseUrl + path;
  const redirect = refusedRedirect();
  // What an echoing server or proxy could quote back: the credentials this call sends. Only
  // per-call headers can have changed the client's, so only they cost a look.
  const secrets = headers === client.headers ? client.secrets : sentCredentials(headers);

  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    let attemptSignal: AbortSignal | undefined;
    let error: unknown;
    try {
      return await underDeadline(signal, timeoutMs, (deadline) =>
        exchange(
          client,
          url,
          { method: 'POST', headers, body, signal: (attemptSignal = deadline), redirect },
          route,
          secrets,
          read,
        ),
      );
    } catch (thrown) {
      error = thrown;
    }

    if (signal?.aborted) throw signal.reason;
    // Past the caller's abort, only the timer aborts the attempt's signal.
    if (attemptSignal?.aborted) {
      error = new TimeoutError(timeoutMs, route, error instanceof ConnectionError ? error.cause : error);
    }
    if (attempt >= maxRetries || !isRetryable(error)) throw error;
    // The backoff: a deadline that nothing but time or the caller ends. A caller's abort is
    // thrown at the top of the loop, with its reason.
    await underDeadline(
      signal,
      retryDelay(attempt, (error as Partial<ApiError>).headers),
      (deadline) => new Promise((resolve) => deadline.addEventListener('abort', resolve)),
    );
  }
}

/**
 * One attempt: the request and its whole body, read under the size cap. Anything that fails
 * before the body is complete (refused connection, reset mid-body, abort) is a ConnectionError;
 * a non-2xx is an ApiError; a 2xx that `read` refuses is an InvalidResponseError.
 */
async function exchange<T>(
  client: ResolvedClientOptions,
  url: string,
  init: RequestInit,
  route: Route,
  secrets: readonly string[],
  read: Reader<T>,
): Promise<ApiResponse<T>> {
  let response: Response;
  let text: string | undefined;
  try {
    response = await client.fetch(url, init);
    text = await readText(response, MAX_BODY_BYTES);
  } catch (cause) {
    throw connectionError(cause, route, secrets);
  }
  if (!response.ok)
    throw ApiError.from(
      response,
      text === undefined ? `(${TOO_LARGE})` : redact(text, secrets),
      route,
      secrets,
    );
  if (text === undefined) throw new InvalidResponseError(TOO_LARGE, response, '', route, secrets);
  return {
    status: response.status,
    headers: response.headers,
    data: read(response, text, route, secrets),
    requestId: response.headers.get('x-request-id'),
  };
}

/** A JSON 2xx body must be a JSON object; anything else is reported, never returned. */
export function parse(response: Response, text: string, route: Route, secrets: readonly string[]): unknown {
  const data = parseJson(text);
  if (isObject(data)) return data;
  const problem =
    data === undefined
      ? text.trim()
        ? 'body is not valid JSON'
        : 'body is empty'
      : `body is JSON ${data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data}, not an object`;
  throw new InvalidResponseError(problem, response, redact(text, secrets), route, secrets);
}

/**
 * Runs `task` with a signal that aborts when the caller's `signal` does (with its reason) or after
 * `ms`, whichever comes first, and releases the timer and the listener when the task settles.
 * One controller per attempt or backoff: cheaper than AbortSignal.any, and available everywhere.
 */
async function underDeadline<T>(
  signal: AbortSignal | undefined,
  ms: number,
  task: (deadline: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = ms < Infinity ? setTimeout(() => controller.abort(), ms) : undefined;
  const forwardAbort = () => controller.abort(signal!.reason);
  signal?.addEventListener('abort', forwardAbort);
  try {
    return await task(controller.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }
}

/**
 * Redirects are never followed: the API does not redirect, so a 3xx means a wrong baseUrl or a
 * meddling proxy, and following it would hand the server-pinned body to another origin. Where
 * `redirect: 'error'` exists (Node, Deno, Bun, browsers) it is also the cheap path: undici clones
 * every request it might follow. workerd accepts only 'follow' and 'manual'; there 'manual' hands
 * back the 3xx, which becomes an ApiError.
 */
let redirectMode: RequestRedirect | undefined;
function refusedRedirect(): RequestRedirect {
  if (!redirectMode) {
    try {
      new Request('http://localhost/', { redirect: 'error' });
      redirectMode = 'error';
    } catch {
      redirectMode = 'manual';
    }
  }
  return redirectMode;
}

// Only failures the server or network may fix by themselves.
function isRetryable(error: unknown): boolean {
  // Includes TimeoutError; a refused redirect would only be refused again.
  if (error instanceof ConnectionError) return !/redirect/.test(error.message);
  if (error instanceof ApiError) return shouldRetry(error.status, error.headers);
  return false; // bugs, invalid arguments and invalid 2xx bodies
}
