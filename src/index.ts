/**
 * Mint OpenAI Realtime ephemeral client secrets on a server and hand them to a browser: the
 * {@link RealtimeApi} client and the same operations as standalone functions, the token route
 * {@link createSessionHandler} (a Fetch-API handler), and the errors they throw. Runs wherever
 * `fetch` does: Node 20+, Bun, Deno, Cloudflare Workers. The `node:http` adapter is in
 * `realtime-sessions/node`.
 *
 * @module realtime-sessions
 */
// The client layer is generated from the pinned fragment (npm run generate).
export {
  RealtimeApi,
  createRealtimeSession,
  createRealtimeSessionWithHttpInfo,
  createRealtimeClientSecret,
  createRealtimeClientSecretWithHttpInfo,
  createRealtimeTranscriptionSession,
  createRealtimeTranscriptionSessionWithHttpInfo,
  createRealtimeCall,
  createRealtimeCallWithHttpInfo,
  acceptRealtimeCall,
  acceptRealtimeCallWithHttpInfo,
  hangupRealtimeCall,
  hangupRealtimeCallWithHttpInfo,
  referRealtimeCall,
  referRealtimeCallWithHttpInfo,
  rejectRealtimeCall,
  rejectRealtimeCallWithHttpInfo,
  createRealtimeTranslationClientSecret,
  createRealtimeTranslationClientSecretWithHttpInfo,
} from '../generated/client.js';
export type {
  RealtimeSessionCreateRequest,
  RealtimeSessionCreateResponse,
  RealtimeCreateClientSecretRequest,
  RealtimeCreateClientSecretResponse,
  RealtimeTranscriptionSessionCreateRequest,
  RealtimeTranscriptionSessionCreateResponse,
  RealtimeCallCreateRequest,
  RealtimeSessionCreateRequestGA,
  RealtimeCallReferRequest,
  RealtimeCallRejectRequest,
  RealtimeTranslationClientSecretCreateRequest,
  RealtimeTranslationClientSecretCreateResponse,
  WebhookRealtimeCallIncoming,
} from '../generated/client.js';
export type { RealtimeCallAnswer } from './client/wire.js';
export {
  RealtimeSessionsError,
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ConnectionError,
  TimeoutError,
  InvalidResponseError,
  ConfigurationError,
  InvalidArgumentError,
  BetaEndpointRetiredError,
  WebhookVerificationError,
} from './core/errors.js';
export { VERSION } from './internal/version.js';
export type { ClientOptions, RequestOptions, HeadersOption, Fetch, BetaEndpoints } from './client/options.js';
export type { ApiResponse, RealtimeSessionConfig } from './client/types.js';
export { createSessionHandler } from './handler/index.js';
export type {
  SessionHandler,
  SessionHandlerOptions,
  ClientSecretHandlerOptions,
  CallHandlerOptions,
  CallContext,
  SessionHandlerCorsOptions,
  SessionHandlerSuccessBody,
  SessionHandlerErrorBody,
  ClientSettableField,
  ClientSecretSettableField,
} from './handler/index.js';
export { maskSecret } from './internal/mask.js';
// Webhooks: verifying OpenAI's signed webhooks, and the incoming SIP call route.
export {
  unwrapWebhook,
  isRealtimeCallIncoming,
  createCallWebhookHandler,
  type UnwrapWebhookOptions,
  type WebhookHeaders,
  type WebhookEvent,
  type UnknownWebhookEvent,
  type CallWebhookHandler,
  type CallWebhookHandlerOptions,
  type CallWebhookSuccessBody,
  type CallDecision,
  type AcceptCallDecision,
  type RejectCallDecision,
  type ReferCallDecision,
  type IncomingCallContext,
} from './webhooks/index.js';
