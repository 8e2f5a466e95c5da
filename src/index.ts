export { RealtimeApi } from './client.js';
export {
  createRealtimeSession,
  createRealtimeSessionWithHttpInfo,
  createRealtimeClientSecret,
  createRealtimeClientSecretWithHttpInfo,
  createRealtimeTranscriptionSession,
  createRealtimeTranscriptionSessionWithHttpInfo,
} from './operations.js';
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
} from './errors.js';
export { shouldRetry, retryDelay, parseRetryAfter } from './retry.js';
export { VERSION } from './version.js';
export type { ClientOptions, RequestOptions, HeadersOption, Fetch, BetaEndpoints } from './options.js';
export type {
  ApiResponse,
  RealtimeSessionCreateRequest,
  RealtimeSessionCreateResponse,
  RealtimeCreateClientSecretRequest,
  RealtimeCreateClientSecretResponse,
  RealtimeTranscriptionSessionCreateRequest,
  RealtimeTranscriptionSessionCreateResponse,
} from './types.js';
export type { HeaderReader } from './retry.js';
export { createSessionHandler } from './handler.js';
export type {
  SessionHandler,
  SessionHandlerOptions,
  ClientSecretHandlerOptions,
  SessionHandlerCorsOptions,
  SessionHandlerSuccessBody,
  SessionHandlerErrorBody,
  ClientSettableField,
  ClientSecretSettableField,
} from './handler.js';
export { maskSecret } from './mask.js';
