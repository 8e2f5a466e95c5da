import {
  resolveClientOptions,
  type ClientOptions,
  type RequestOptions,
  type ResolvedClientOptions,
} from './options.js';
import { CLIENT_OPTION_KEYS, refuseUnknownKeys } from '../internal/option-keys.js';
import { closest } from '../internal/suggest.js';
import { postBeta, resolveBetaEndpoints, type Retirements } from './beta-fallback.js';
import type { BetaEndpoints } from './options.js';
import { post } from './request.js';
import type {
  ApiResponse,
  RealtimeCreateClientSecretRequest,
  RealtimeCreateClientSecretResponse,
  RealtimeSessionCreateRequest,
  RealtimeSessionCreateResponse,
  RealtimeTranscriptionSessionCreateRequest,
  RealtimeTranscriptionSessionCreateResponse,
} from './types.js';

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
  readonly #betaEndpoints: BetaEndpoints;
  /** Beta paths this client has seen retired: later calls go straight to GA. */
  readonly #retired: Retirements = new Set();

  /**
   * @param options - see {@link ClientOptions}; every field is optional.
   * @throws {ConfigurationError} when no API key is found, when running in a browser without
   * `dangerouslyAllowBrowser`, or when an option is invalid.
   */
  constructor(options: ClientOptions = {}) {
    // Checked here, not in the request path the standalone functions share: its every byte reaches
    // the bundle of an app that only mints (see the README's size budgets).
    if (typeof options === 'object' && options !== null) {
      refuseUnknownKeys(options, CLIENT_OPTION_KEYS, 'new RealtimeApi()', closest);
    }
    this.#options = resolveClientOptions(options);
    this.#betaEndpoints = resolveBetaEndpoints(options);
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
    return postBeta(
      this.#options,
      this.#betaEndpoints,
      this.#retired,
      'realtime',
      '/realtime/sessions',
      request,
      options,
    );
  }

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
    return post(this.#options, '/realtime/client_secrets', request, options);
  }

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
    return postBeta(
      this.#options,
      this.#betaEndpoints,
      this.#retired,
      'transcription',
      '/realtime/transcription_sessions',
      request,
      options,
    );
  }
}
