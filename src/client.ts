import createClient, { createQuerySerializer, type Client } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { declaredLength, readText } from './body.js';
import { DEFAULTS } from './defaults.js';
import {
  ApiError,
  connectionError,
  ConnectionError,
  InvalidResponseError,
  isObject,
  parseJson,
  RealtimeSessionsError,
  TimeoutError,
  type Route,
} from './errors.js';
import {
  resolveCallSettings,
  resolveClientOptions,
  type ClientOptions,
  type RequestOptions,
  type ResolvedClientOptions,
} from './options.js';
import { redact } from './redact.js';
import { retryDelay, shouldRetry } from './retry.js';
import type {
  ApiResponse,
  RealtimeCreateClientSecretRequest,
  RealtimeCreateClientSecretResponse,
  RealtimeSessionCreateRequest,
  RealtimeSessionCreateResponse,
  RealtimeTranscriptionSessionCreateRequest,
  RealtimeTranscriptionSessionCreateResponse,
} from './types.js';
import { assertRequestObject, serializeJson } from './validate.js';

/**
 * Per-attempt state shared with `#send`: the headers to send, the route for error messages and,
 * once set, the fact that a response arrived (so a later runtime error is the body breaking off).
 */
interface Attempt {
  headers: Readonly<Record<string, string>>;
  route: Route;
  responded?: boolean;
}

/**
 * What each attempt hands to openapi-fetch. `attempt` rides along as an extra init key, which
 * openapi-fetch passes through untouched. `parseAs: 'text'` rather than `'stream'`: merely
 * touching `response.body` makes Node's fetch build a web stream, about 4 % of a local call;
 * openapi-fetch's `text()` skips that, and we still parse the JSON ourselves.
 */
type AttemptInit<B> = { body: B; signal: AbortSignal | undefined; parseAs: 'text'; attempt: Attempt };

/** The request openapi-fetch hands to `#send`: its own init object, tagged with the URL. */
interface PreparedRequest {
  url: string;
  method: string;
  body: BodyInit | undefined;
  signal: AbortSignal | undefined;
  attempt: Attempt;
}

/**
 * Stands in for `Request` inside openapi-fetch. A real `Request` per call costs more than the
 * rest of the call (it re-parses the URL and copies headers and body); `#send` only needs the URL
 * and init. A constructor that returns an object makes `new` yield that object, so openapi-fetch's
 * own init, tagged with the URL, is the request: nothing is copied.
 */
function PreparedRequest(this: unknown, url: string, init: PreparedRequest): PreparedRequest {
  init.url = url;
  return init;
}

const MAX_BODY_BYTES = DEFAULTS.maxBodyBytes;

/**
 * Client for the OpenAI Realtime API's credential-minting endpoints: sessions, GA client secrets
 * and transcription sessions. Create one per process and reuse it: it resolves options,
 * environment and headers once.
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
  readonly #options: ResolvedClientOptions;
  readonly #redirect: RequestRedirect;
  readonly #client: Client<paths>;

  /**
   * @param options - see {@link ClientOptions}; every field is optional.
   * @throws {ConfigurationError} when no API key is found, when running in a browser without
   * `dangerouslyAllowBrowser`, or when an option is invalid.
   */
  constructor(options: ClientOptions = {}) {
    this.#options = resolveClientOptions(options);
    this.#redirect = refusedRedirect();
    this.#client = createClient<paths>({
      baseUrl: this.#options.baseUrl,
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
    return this.#request('/realtime/sessions', request, options, this.#postSession);
  }

  // The typed layer: openapi-fetch checks path and body against `paths`. Kept as a field so a
  // call allocates no closure.
  #postSession = (init: AttemptInit<RealtimeSessionCreateRequest>) =>
    this.#client.POST('/realtime/sessions', init);

  /**
   * Mints a GA client secret (`POST /realtime/client_secrets`): the ephemeral key for the browser
   * and the effective session. The GA endpoint is what new apps should use; the session config
   * names its `type` and nests audio settings (`session.audio.output.voice`).
   *
   * @param request - `session` (with its required `type`) and an optional `expires_after`.
   * @param options - per-call `signal`, `timeoutMs`, `maxRetries`, `headers`.
   * @returns `{ value, expires_at, session }`; `value` is the ephemeral key.
   * @throws the same errors as {@link RealtimeApi.createRealtimeSession}.
   *
   * @example
   * ```ts
   * const { value, expires_at } = await api.createRealtimeClientSecret({
   *   expires_after: { anchor: 'created_at', seconds: 600 },
   *   session: { type: 'realtime', model: 'gpt-realtime', audio: { output: { voice: 'marin' } } },
   * });
   * res.json({ key: value, expiresAt: expires_at });
   * ```
   */
  async createRealtimeClientSecret(
    request: RealtimeCreateClientSecretRequest,
    options?: RequestOptions,
  ): Promise<RealtimeCreateClientSecretResponse> {
    return (await this.createRealtimeClientSecretWithHttpInfo(request, options)).data;
  }

  /**
   * Like {@link RealtimeApi.createRealtimeClientSecret}, but also returns the status, headers and request id.
   *
   * @example
   * ```ts
   * const { data, requestId } = await api.createRealtimeClientSecretWithHttpInfo({
   *   session: { type: 'realtime', model: 'gpt-realtime' },
   * });
   * log.info({ requestId, expiresAt: data.expires_at }, 'minted client secret'); // never data.value
   * ```
   */
  createRealtimeClientSecretWithHttpInfo(
    request: RealtimeCreateClientSecretRequest,
    options?: RequestOptions,
  ): Promise<ApiResponse<RealtimeCreateClientSecretResponse>> {
    return this.#request('/realtime/client_secrets', request, options, this.#postClientSecret);
  }

  #postClientSecret = (init: AttemptInit<RealtimeCreateClientSecretRequest>) =>
    this.#client.POST('/realtime/client_secrets', init);

  /**
   * Creates a transcription session (`POST /realtime/transcription_sessions`) and returns it, with
   * the ephemeral `client_secret` for the browser.
   *
   * @param request - the transcription configuration; every field is optional.
   * @param options - per-call `signal`, `timeoutMs`, `maxRetries`, `headers`.
   * @returns the session; `client_secret.value` is the ephemeral key.
   * @throws the same errors as {@link RealtimeApi.createRealtimeSession}.
   *
   * @example
   * ```ts
   * const session = await api.createRealtimeTranscriptionSession({
   *   input_audio_format: 'pcm16',
   *   input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en' },
   * });
   * res.json({ key: session.client_secret.value, expiresAt: session.client_secret.expires_at });
   * ```
   */
  async createRealtimeTranscriptionSession(
    request: RealtimeTranscriptionSessionCreateRequest,
    options?: RequestOptions,
  ): Promise<RealtimeTranscriptionSessionCreateResponse> {
    return (await this.createRealtimeTranscriptionSessionWithHttpInfo(request, options)).data;
  }

  /**
   * Like {@link RealtimeApi.createRealtimeTranscriptionSession}, but also returns the status,
   * headers and request id.
   *
   * @example
   * ```ts
   * const { data, requestId } = await api.createRealtimeTranscriptionSessionWithHttpInfo({});
   * log.info({ requestId }, 'minted transcription session'); // never data.client_secret
   * ```
   */
  createRealtimeTranscriptionSessionWithHttpInfo(
    request: RealtimeTranscriptionSessionCreateRequest,
    options?: RequestOptions,
  ): Promise<ApiResponse<RealtimeTranscriptionSessionCreateResponse>> {
    return this.#request(
      '/realtime/transcription_sessions',
      request,
      options,
      this.#postTranscriptionSession,
    );
  }

  #postTranscriptionSession = (init: AttemptInit<RealtimeTranscriptionSessionCreateRequest>) =>
    this.#client.POST('/realtime/transcription_sessions', init);

  /**
   * The one request path: options, per-attempt timeout, retries and backoff. Operations only name
   * their path (for error messages; every operation is a POST) and their openapi-fetch call.
   */
  async #request<T, B>(
    path: string,
    body: B,
    options: RequestOptions = {},
    call: (init: AttemptInit<B>) => Promise<{ data?: string; response: Response }>,
  ): Promise<ApiResponse<T>> {
    assertRequestObject(body);
    const route: Route = { method: 'POST', path };
    const { signal } = options;
    const { timeoutMs, maxRetries, headers } = resolveCallSettings(options, this.#options);
    const secret = this.#options.apiKey;

    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const state: Attempt = { headers, route };
      let attemptSignal: AbortSignal | undefined;
      let error: unknown;
      try {
        const { data = '', response } = await underDeadline(signal, timeoutMs, (deadline) =>
          call({ body, signal: (attemptSignal = deadline), parseAs: 'text', attempt: state }),
        );
        return {
          status: response.status,
          headers: response.headers,
          data: parse(response, data, route, secret) as T,
          requestId: response.headers.get('x-request-id'),
        };
      } catch (thrown) {
        error = thrown;
      }

      if (signal?.aborted) throw signal.reason;
      // Past the caller's abort, only the timer aborts the attempt's signal.
      if (attemptSignal?.aborted) {
        error = new TimeoutError(timeoutMs, route, error instanceof ConnectionError ? error.cause : error);
      } else if (state.responded && !(error instanceof RealtimeSessionsError)) {
        // openapi-fetch reads a 2xx body itself: a runtime error once the response has arrived
        // is the connection breaking mid-body.
        error = connectionError(error, route, secret);
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
   * openapi-fetch's `fetch`. A 2xx of known, acceptable size goes back untouched for openapi-fetch
   * to read as text: the hot path. Anything else is read here, under the size cap: non-2xx
   * bodies become an `ApiError` (openapi-fetch would read them with no cap; with no middleware
   * registered it rethrows a rejected fetch unchanged), and a chunked or compressed 2xx is handed
   * back as the text already read.
   */
  #send = async ({ url, method, body, signal, attempt }: PreparedRequest): Promise<Response> => {
    const { route } = attempt;
    const secret = this.#options.apiKey;
    let response: Response;
    let text: string | undefined;
    try {
      response = await this.#options.fetch(url, {
        method,
        headers: attempt.headers,
        body,
        signal,
        redirect: this.#redirect,
      });
      attempt.responded = true;
      if (response.ok && declaredLength(response.headers)! <= MAX_BODY_BYTES) return response;
      text = await readText(response, MAX_BODY_BYTES);
    } catch (cause) {
      throw connectionError(cause, route, secret);
    }
    const tooLarge = `body over ${MAX_BODY_BYTES} bytes`;
    if (!response.ok)
      throw ApiError.from(response, text === undefined ? `(${tooLarge})` : redact(text, secret), route);
    if (text === undefined) throw new InvalidResponseError(tooLarge, response, '', route);
    // A Response is a valid ResponseInit (status, statusText, headers). `|| null`: a 204 may not
    // carry even an empty body.
    return new Response(text || null, response);
  };
}

/** A 2xx body must be a JSON object; anything else is reported, never returned. */
function parse(response: Response, text: string, route: Route, secret: string): unknown {
  const data = parseJson(text);
  if (isObject(data)) return data;
  const problem =
    data === undefined
      ? text.trim()
        ? 'body is not valid JSON'
        : 'body is empty'
      : `body is JSON ${data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data}, not an object`;
  throw new InvalidResponseError(problem, response, redact(text, secret), route);
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

// A flat run of early exits: only failures the server or network may fix by themselves.
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

function isRetryable(error: unknown): boolean {
  // Includes TimeoutError; a refused redirect would only be refused again.
  if (error instanceof ConnectionError) return !/redirect/.test(error.message);
  if (error instanceof ApiError) return shouldRetry(error.status, error.headers);
  return false; // bugs, invalid arguments and invalid 2xx bodies
}
