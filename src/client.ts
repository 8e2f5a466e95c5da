import createClient, { createQuerySerializer, type Client } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { declaredLength, readText } from './body.js';
import { DEFAULTS } from './defaults.js';
import {
  ApiError,
  ConnectionError,
  InvalidResponseError,
  RealtimeSessionsError,
  TimeoutError,
} from './errors.js';
import {
  checkMaxRetries,
  checkTimeoutMs,
  mergeHeaders,
  resolveClientOptions,
  type ClientOptions,
  type Fetch,
  type RequestOptions,
} from './options.js';
import { redact } from './redact.js';
import { retryDelay, shouldRetry, sleep } from './retry.js';
import type { ApiResponse, RealtimeSessionCreateRequest, RealtimeSessionCreateResponse } from './types.js';
import { assertRequestObject, serializeJson } from './validate.js';

/**
 * Per-attempt state shared with the fetch adapter: the headers to send (set only when a call adds
 * some) and, once it arrives, the response.
 */
interface Attempt {
  headers: Readonly<Record<string, string>> | undefined;
  response: Response | undefined;
}

/**
 * What each attempt hands to openapi-fetch. `attempt` rides along as an extra init key, which
 * openapi-fetch passes through to `Request` untouched. `parseAs: 'text'` rather than `'stream'`:
 * merely touching `response.body` makes Node's fetch build a web stream, about 4 % of a local
 * call; openapi-fetch's `text()` skips that, and we still parse the JSON ourselves.
 */
type AttemptInit<B> = { body: B; signal: AbortSignal | undefined; parseAs: 'text'; attempt: Attempt };

/**
 * Stands in for `Request` inside openapi-fetch. A real `Request` per call costs more than the
 * rest of the call (it re-parses the URL and copies headers and body); we only need to carry the
 * URL and init to our `fetch` adapter. Every init key openapi-fetch may copy onto the request
 * is declared here, so the object keeps one shape.
 */
class PreparedRequest {
  readonly url: string;
  readonly method: string;
  readonly body: BodyInit | null | undefined;
  readonly signal: AbortSignal | null | undefined;
  readonly attempt: Attempt;

  constructor(url: string, init: RequestInit & { attempt: Attempt }) {
    this.url = url;
    this.method = init.method ?? 'GET';
    this.body = init.body;
    this.signal = init.signal;
    this.attempt = init.attempt;
  }
}

/**
 * Client for the OpenAI Realtime sessions API. Create one per process and reuse it: it resolves
 * options, environment and headers once.
 *
 * @example
 * ```ts
 * import { RealtimeApi } from 'realtime-sessions';
 *
 * const api = new RealtimeApi(); // reads OPENAI_API_KEY
 * const session = await api.createRealtimeSession({ model: 'gpt-realtime', voice: 'verse' });
 * sendToBrowser(session.client_secret.value); // the ephemeral key, never the API key
 * ```
 */
export class RealtimeApi {
  readonly #client: Client<paths>;
  readonly #fetch: Fetch;
  readonly #baseUrl: string;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #secrets: readonly string[];

  /**
   * @param options - see {@link ClientOptions}; every field is optional.
   * @throws {ConfigurationError} when no API key is found, when running in a browser without
   * `dangerouslyAllowBrowser`, or when an option is invalid.
   */
  constructor(options: ClientOptions = {}) {
    const resolved = resolveClientOptions(options);
    this.#fetch = resolved.fetch;
    this.#baseUrl = resolved.baseUrl;
    this.#headers = resolved.headers;
    this.#timeoutMs = resolved.timeoutMs;
    this.#maxRetries = resolved.maxRetries;
    this.#secrets = [resolved.apiKey];
    this.#client = createClient<paths>({
      baseUrl: resolved.baseUrl,
      // openapi-fetch types both as DOM `Request`; ours are deliberately smaller (see PreparedRequest).
      Request: PreparedRequest as unknown as typeof Request,
      fetch: this.#send as unknown as (input: Request) => Promise<Response>,
      // Passing these once spares openapi-fetch building a serializer on every call.
      querySerializer: createQuerySerializer(),
      bodySerializer: serializeJson,
    });
  }

  /**
   * Creates a Realtime session and returns it, with the ephemeral `client_secret` for the browser.
   *
   * @param request - the session configuration; every field is optional.
   * @param options - per-call `signal`, `timeoutMs`, `maxRetries`, `headers`.
   * @returns the session; `client_secret.value` is the ephemeral key.
   * @throws {ApiError} (or a subclass such as {@link RateLimitError}) for a non-2xx status, after retries.
   * @throws {ConnectionError} / {@link TimeoutError} when no response arrived, after retries.
   * @throws {InvalidResponseError} for a 2xx whose body is not a JSON object.
   * @throws {InvalidArgumentError} when `request` is not a plain object; nothing is sent.
   *
   * @example
   * ```ts
   * const session = await api.createRealtimeSession(
   *   { model: 'gpt-realtime', voice: 'verse', instructions: 'Be brief.' },
   *   { signal: AbortSignal.timeout(10_000) },
   * );
   * res.json({ key: session.client_secret.value, expiresAt: session.client_secret.expires_at });
   * ```
   */
  async createRealtimeSession(
    request: RealtimeSessionCreateRequest,
    options?: RequestOptions,
  ): Promise<RealtimeSessionCreateResponse> {
    return (await this.createRealtimeSessionWithHttpInfo(request, options)).data;
  }

  /**
   * Like {@link RealtimeApi.createRealtimeSession}, but also returns the status, headers and request id.
   *
   * @example
   * ```ts
   * const { data, requestId } = await api.createRealtimeSessionWithHttpInfo({ model: 'gpt-realtime' });
   * log.info({ requestId }, 'minted realtime session'); // log the id, never data.client_secret
   * ```
   */
  createRealtimeSessionWithHttpInfo(
    request: RealtimeSessionCreateRequest,
    options?: RequestOptions,
  ): Promise<ApiResponse<RealtimeSessionCreateResponse>> {
    return this.#request('POST', '/realtime/sessions', request, options, this.#postSession);
  }

  // The typed layer: openapi-fetch checks path and body against `paths`. Kept as a field so a
  // call allocates no closure.
  #postSession = (init: AttemptInit<RealtimeSessionCreateRequest>) =>
    this.#client.POST('/realtime/sessions', init);

  /** The one request path: options, retries and backoff. Operations only name their call. */
  async #request<T, B>(
    method: string,
    path: string,
    body: B,
    options: RequestOptions | undefined,
    call: (init: AttemptInit<B>) => Promise<{ data?: string; response: Response }>,
  ): Promise<ApiResponse<T>> {
    assertRequestObject(body, 'the request');
    const signal = options?.signal;
    const timeoutMs = options?.timeoutMs === undefined ? this.#timeoutMs : checkTimeoutMs(options.timeoutMs);
    const maxRetries =
      options?.maxRetries === undefined ? this.#maxRetries : checkMaxRetries(options.maxRetries);
    const headers = options?.headers === undefined ? undefined : mergeHeaders(this.#headers, options.headers);

    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      try {
        return await this.#attempt<T, B>(method, path, body, headers, call, signal, timeoutMs);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (attempt >= maxRetries || !isRetryable(error)) throw error;
        await sleep(retryDelay(attempt, error instanceof ApiError ? error.headers : undefined), signal);
      }
    }
  }

  /** One attempt under its own timeout, which covers the headers and the whole body. */
  async #attempt<T, B>(
    method: string,
    path: string,
    body: B,
    headers: Readonly<Record<string, string>> | undefined,
    call: (init: AttemptInit<B>) => Promise<{ data?: string; response: Response }>,
    callerSignal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<ApiResponse<T>> {
    // Handing fetch a signal costs Node's fetch about 5 % of a local call, so pass one only when
    // something can abort: the caller's signal as is when there is no timeout, else one controller
    // fed by the timer and the caller's signal (cheaper than AbortSignal.any, available everywhere,
    // and fully released in `finally`).
    let signal = callerSignal;
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let forwardAbort: (() => void) | undefined;
    if (timeoutMs !== Infinity) {
      const controller = new AbortController();
      signal = controller.signal;
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      if (callerSignal) {
        forwardAbort = () => controller.abort(callerSignal.reason);
        callerSignal.addEventListener('abort', forwardAbort, { once: true });
      }
    }
    const attempt: Attempt = { headers, response: undefined };
    try {
      const { data, response } = await call({ body, signal, parseAs: 'text', attempt });
      return {
        status: response.status,
        headers: response.headers,
        data: this.#parse<T>(response, data ?? '', method, path),
        requestId: response.headers.get('x-request-id'),
      };
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timedOut) {
        const cause = error instanceof ConnectionError ? error.cause : error;
        throw new TimeoutError(method, path, timeoutMs, cause);
      }
      // openapi-fetch reads the body itself (parseAs 'text'): a runtime error once the response
      // has arrived is the connection breaking mid-body.
      if (attempt.response && !(error instanceof RealtimeSessionsError)) {
        throw new ConnectionError(method, path, { cause: error, secrets: this.#secrets });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      if (forwardAbort) callerSignal!.removeEventListener('abort', forwardAbort);
    }
  }

  /**
   * openapi-fetch's `fetch`. A 2xx of known, acceptable size goes back untouched for openapi-fetch
   * to read as text: the hot path. Anything else is read here, under the size cap: non-2xx
   * bodies become an `ApiError` (openapi-fetch would read them with no cap; with no middleware
   * registered it rethrows a rejected fetch unchanged), and a chunked or compressed 2xx is handed
   * back as the text already read.
   */
  #send = async (request: PreparedRequest): Promise<Response> => {
    const { method, url, attempt } = request;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers: attempt.headers ?? this.#headers,
        body: request.body,
        signal: request.signal,
      });
    } catch (cause) {
      throw new ConnectionError(method, this.#pathOf(url), { cause, secrets: this.#secrets });
    }
    attempt.response = response;
    if (response.ok) {
      const length = declaredLength(response.headers);
      if (length !== undefined && length <= DEFAULTS.maxBodyBytes) return response;
    }
    let text: string | undefined;
    try {
      text = await readText(response, DEFAULTS.maxBodyBytes);
    } catch (cause) {
      throw new ConnectionError(method, this.#pathOf(url), { cause, secrets: this.#secrets });
    }
    if (!response.ok) {
      const redacted =
        text === undefined ? `(body over ${DEFAULTS.maxBodyBytes} bytes)` : redact(text, this.#secrets);
      throw ApiError.from(response.status, response.headers, redacted, method, this.#pathOf(url));
    }
    if (text === undefined) {
      throw this.#invalid(
        `body exceeds ${DEFAULTS.maxBodyBytes} bytes`,
        response,
        '',
        method,
        this.#pathOf(url),
      );
    }
    // `|| null`: a 204 may not carry even an empty body.
    return new Response(text || null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  // The API path for error messages, e.g. `/realtime/sessions`; only failures pay for it.
  #pathOf(url: string): string {
    return url.slice(this.#baseUrl.length);
  }

  /** A 2xx body must be a JSON object; anything else is reported, never returned. */
  #parse<T>(response: Response, text: string, method: string, path: string): T {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // No `cause`: V8's SyntaxError quotes the body, secrets included.
      throw this.#invalid(
        /^\s*$/.test(text) ? 'body is empty' : 'body is not valid JSON',
        response,
        text,
        method,
        path,
      );
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      const kind = data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data;
      throw this.#invalid(`body is JSON ${kind}, not an object`, response, text, method, path);
    }
    return data as T;
  }

  #invalid(
    problem: string,
    response: Response,
    text: string,
    method: string,
    path: string,
  ): InvalidResponseError {
    return new InvalidResponseError(
      problem,
      response.status,
      response.headers,
      redact(text, this.#secrets),
      method,
      path,
    );
  }
}

// A flat run of early exits: only failures the server or network may fix by themselves.
function isRetryable(error: unknown): boolean {
  if (error instanceof ConnectionError) return true; // includes TimeoutError
  if (error instanceof ApiError) return shouldRetry(error.status, error.headers);
  return false; // bugs, invalid arguments and invalid 2xx bodies
}
