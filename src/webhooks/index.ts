// The webhook modules' public surface, re-exported by src/index.ts in one block.
export { createCallWebhookHandler } from './call-handler.js';
export type {
  AcceptCallDecision,
  CallDecision,
  CallWebhookHandler,
  CallWebhookHandlerOptions,
  CallWebhookSuccessBody,
  IncomingCallContext,
  ReferCallDecision,
  RejectCallDecision,
} from './call-options.js';
export {
  isRealtimeCallIncoming,
  unwrapWebhook,
  type UnknownWebhookEvent,
  type UnwrapWebhookOptions,
  type WebhookEvent,
  type WebhookHeaders,
} from './verify.js';
