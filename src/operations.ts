import { RealtimeApi } from './client.js';
import type { ClientOptions, RequestOptions } from './options.js';
import type { ApiResponse, RealtimeSessionCreateRequest, RealtimeSessionCreateResponse } from './types.js';

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
  // timeoutMs, maxRetries and headers already reached the client; only the signal is per call.
  return new RealtimeApi(options).createRealtimeSessionWithHttpInfo(request, { signal: options?.signal });
}
