import type { RealtimeApi } from './api.js';
import { resolveClientOptions, type ClientOptions, type RequestOptions } from './options.js';
import { postBeta, resolveBetaEndpoints, retirementsFor } from './beta-fallback.js';
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
 * Creates a Realtime session without keeping a client. Convenient for scripts; a server minting
 * many sessions should reuse one {@link RealtimeApi}, which resolves options and headers once.
 *
 * @param request - the session configuration; every field is optional.
 * @param options - client options and per-call options together.
 * @returns the session; `client_secret.value` is the ephemeral key.
 * @throws the same errors as {@link RealtimeApi.createRealtimeSession}; a missing API key rejects
 * with `ConfigurationError` before any request.
 *
 * @example
 * ```ts
 * import { createRealtimeSession } from 'realtime-sessions';
 *
 * const session = await createRealtimeSession({ model: 'gpt-realtime' }, { apiKey, timeoutMs: 10_000 });
 * ```
 */
export async function createRealtimeSession(
  request: RealtimeSessionCreateRequest,
  options?: ClientOptions & RequestOptions,
): Promise<RealtimeSessionCreateResponse> {
  return (await createRealtimeSessionWithHttpInfo(request, options)).data;
}

/**
 * Like {@link createRealtimeSession}, but also returns the status, headers and request id.
 *
 * @example
 * ```ts
 * const { data, requestId } = await createRealtimeSessionWithHttpInfo({ model: 'gpt-realtime' }, { apiKey });
 * ```
 */
export async function createRealtimeSessionWithHttpInfo(
  request: RealtimeSessionCreateRequest,
  options?: ClientOptions & RequestOptions,
): Promise<ApiResponse<RealtimeSessionCreateResponse>> {
  const client = resolveClientOptions(options);
  // timeoutMs, maxRetries and headers already reached the client; only the signal is per call.
  return postBeta(
    client,
    resolveBetaEndpoints(options),
    retirementsFor(client.baseUrl),
    'realtime',
    '/realtime/sessions',
    request,
    {
      signal: options?.signal,
    },
  );
}

/**
 * Mints a GA client secret without keeping a client: the ephemeral key for the browser and the
 * effective session. A server minting many should reuse one {@link RealtimeApi}.
 *
 * @param request - `session` (with its required `type`) and an optional `expires_after`.
 * @param options - client options and per-call options together.
 * @returns `{ value, expires_at, session }`; `value` is the ephemeral key.
 * @throws the same errors as {@link RealtimeApi.createRealtimeClientSecret}; a missing API key
 * rejects with `ConfigurationError` before any request.
 *
 * @example
 * ```ts
 * import { createRealtimeClientSecret } from 'realtime-sessions';
 *
 * const { value, expires_at, session } = await createRealtimeClientSecret(
 *   { session: { type: 'realtime', model: 'gpt-realtime' } },
 *   { apiKey, timeoutMs: 10_000 },
 * );
 * ```
 */
export async function createRealtimeClientSecret(
  request: RealtimeCreateClientSecretRequest,
  options?: ClientOptions & RequestOptions,
): Promise<RealtimeCreateClientSecretResponse> {
  return (await createRealtimeClientSecretWithHttpInfo(request, options)).data;
}

/**
 * Like {@link createRealtimeClientSecret}, but also returns the status, headers and request id.
 *
 * @example
 * ```ts
 * const { data, requestId } = await createRealtimeClientSecretWithHttpInfo(
 *   { expires_after: { anchor: 'created_at', seconds: 120 }, session: { type: 'realtime' } },
 *   { apiKey },
 * );
 * ```
 */
export async function createRealtimeClientSecretWithHttpInfo(
  request: RealtimeCreateClientSecretRequest,
  options?: ClientOptions & RequestOptions,
): Promise<ApiResponse<RealtimeCreateClientSecretResponse>> {
  return post(resolveClientOptions(options), '/realtime/client_secrets', request, {
    signal: options?.signal,
  });
}

/**
 * Creates a transcription session without keeping a client. A server minting many should reuse
 * one {@link RealtimeApi}.
 *
 * @param request - the transcription configuration; every field is optional.
 * @param options - client options and per-call options together.
 * @returns the session; `client_secret.value` is the ephemeral key.
 * @throws the same errors as {@link RealtimeApi.createRealtimeTranscriptionSession}; a missing API
 * key rejects with `ConfigurationError` before any request.
 *
 * @example
 * ```ts
 * import { createRealtimeTranscriptionSession } from 'realtime-sessions';
 *
 * const session = await createRealtimeTranscriptionSession(
 *   { input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en' } },
 *   { apiKey },
 * );
 * ```
 */
export async function createRealtimeTranscriptionSession(
  request: RealtimeTranscriptionSessionCreateRequest,
  options?: ClientOptions & RequestOptions,
): Promise<RealtimeTranscriptionSessionCreateResponse> {
  return (await createRealtimeTranscriptionSessionWithHttpInfo(request, options)).data;
}

/**
 * Like {@link createRealtimeTranscriptionSession}, but also returns the status, headers and request id.
 *
 * @example
 * ```ts
 * const { data, requestId } = await createRealtimeTranscriptionSessionWithHttpInfo({}, { apiKey });
 * ```
 */
export async function createRealtimeTranscriptionSessionWithHttpInfo(
  request: RealtimeTranscriptionSessionCreateRequest,
  options?: ClientOptions & RequestOptions,
): Promise<ApiResponse<RealtimeTranscriptionSessionCreateResponse>> {
  const client = resolveClientOptions(options);
  return postBeta(
    client,
    resolveBetaEndpoints(options),
    retirementsFor(client.baseUrl),
    'transcription',
    '/realtime/transcription_sessions',
    request,
    {
      signal: options?.signal,
    },
  );
}
