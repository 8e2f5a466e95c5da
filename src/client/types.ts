import type { components } from '../../generated/openapi.js';

/**
 * Body of `POST /realtime/sessions`: the session configuration. Every field is optional.
 * Generated from the pinned OpenAPI fragment; never edit by hand.
 *
 * @example
 * ```ts
 * const request: RealtimeSessionCreateRequest = {
 *   model: 'gpt-realtime',
 *   voice: 'verse',
 *   instructions: 'Be brief.',
 * };
 * ```
 */
export type RealtimeSessionCreateRequest = components['schemas']['RealtimeSessionCreateRequest'];

/**
 * The created session, with the ephemeral `client_secret` a browser uses to connect.
 * Hand `client_secret.value` to the browser; never log it.
 */
export type RealtimeSessionCreateResponse = components['schemas']['RealtimeSessionCreateResponse'];

/**
 * Body of `POST /realtime/client_secrets` (GA): an optional `expires_after` and the GA `session`
 * configuration, whose `type` (`'realtime'` or `'transcription'`) is required.
 * Generated from the pinned OpenAPI fragment; never edit by hand.
 *
 * @example
 * ```ts
 * const request: RealtimeCreateClientSecretRequest = {
 *   expires_after: { anchor: 'created_at', seconds: 600 }, // 10 to 7200 seconds
 *   session: { type: 'realtime', model: 'gpt-realtime' },
 * };
 * ```
 */
export type RealtimeCreateClientSecretRequest = components['schemas']['RealtimeCreateClientSecretRequest'];

/**
 * The minted client secret: `{ value, expires_at, session }`. `value` is the ephemeral key
 * (`ek_…`) for the browser; never log it.
 */
export type RealtimeCreateClientSecretResponse = components['schemas']['RealtimeCreateClientSecretResponse'];

/**
 * Body of `POST /realtime/transcription_sessions`: the transcription session configuration. Every
 * field is optional. Generated from the pinned OpenAPI fragment; never edit by hand.
 *
 * @example
 * ```ts
 * const request: RealtimeTranscriptionSessionCreateRequest = {
 *   input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en' },
 * };
 * ```
 */
export type RealtimeTranscriptionSessionCreateRequest =
  components['schemas']['RealtimeTranscriptionSessionCreateRequest'];

/**
 * The created transcription session, with the ephemeral `client_secret` a browser uses to connect.
 * Hand `client_secret.value` to the browser; never log it.
 */
export type RealtimeTranscriptionSessionCreateResponse =
  components['schemas']['RealtimeTranscriptionSessionCreateResponse'];

/**
 * The GA realtime session configuration (`session` with `type: 'realtime'` in a client secret
 * request). Generated from the pinned OpenAPI fragment; never edit by hand.
 */
export type RealtimeSessionConfig = components['schemas']['RealtimeSessionCreateRequestGA'];

/**
 * A successful response with its HTTP details, from the `…WithHttpInfo` methods.
 *
 * @example
 * ```ts
 * const { data, requestId } = await api.createRealtimeSessionWithHttpInfo({ model: 'gpt-realtime' });
 * ```
 */
export interface ApiResponse<T> {
  /** HTTP status code (2xx). */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The parsed JSON body. */
  data: T;
  /** The `x-request-id` response header: quote it to OpenAI support. */
  requestId: string | null;
}
