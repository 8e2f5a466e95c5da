export { RealtimeApi } from './client/api.js';
export {
  createRealtimeSession,
  createRealtimeSessionWithHttpInfo,
  createRealtimeClientSecret,
  createRealtimeClientSecretWithHttpInfo,
  createRealtimeTranscriptionSession,
  createRealtimeTranscriptionSessionWithHttpInfo,
} from './client/operations.js';
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
} from './core/errors.js';
export { VERSION } from './internal/version.js';
export type { ClientOptions, RequestOptions, HeadersOption, Fetch, BetaEndpoints } from './client/options.js';
export type {
  ApiResponse,
  RealtimeSessionCreateRequest,
  RealtimeSessionCreateResponse,
  RealtimeCreateClientSecretRequest,
  RealtimeCreateClientSecretResponse,
  RealtimeTranscriptionSessionCreateRequest,
  RealtimeTranscriptionSessionCreateResponse,
} from './client/types.js';
export { createSessionHandler } from './handler/index.js';
export type {
  SessionHandler,
  SessionHandlerOptions,
  ClientSecretHandlerOptions,
  SessionHandlerCorsOptions,
  SessionHandlerSuccessBody,
  SessionHandlerErrorBody,
  ClientSettableField,
  ClientSecretSettableField,
} from './handler/index.js';
export { maskSecret } from './internal/mask.js';
