// The request and response types of every operation are generated with the client layer
// (generated/client.ts), and the handwritten modules import them from there.
import type { RealtimeSessionCreateRequestGA } from '../../generated/client.js';

/**
 * The GA realtime session configuration (`session` with `type: 'realtime'` in a client secret
 * request). Generated from the pinned OpenAPI fragment; never edit by hand.
 */
export type RealtimeSessionConfig = RealtimeSessionCreateRequestGA;

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
