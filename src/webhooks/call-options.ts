// The incoming-call webhook route's options: the public types (options, decisions, the answer),
// every default in one place, and the option list its unknown-key check uses.
import type { ClientOptions } from '../client/options.js';
import type {
  RealtimeCallReferRequest,
  RealtimeCallRejectRequest,
  RealtimeSessionCreateRequestGA,
  WebhookRealtimeCallIncoming,
} from '../../generated/client.js';

/**
 * Answer the call with a Realtime session: `POST /realtime/calls/{call_id}/accept` with `accept`
 * as the body.
 *
 * @example
 * ```ts
 * const decision: AcceptCallDecision = {
 *   accept: { type: 'realtime', model: 'gpt-realtime', instructions: 'You are Alex, a concierge.' },
 * };
 * ```
 */
export interface AcceptCallDecision {
  /** The session that takes the call (the GA session configuration, `type: 'realtime'`). */
  accept: RealtimeSessionCreateRequestGA;
  /** Only one decision at a time. */
  reject?: never;
  /** Only one decision at a time. */
  refer?: never;
}

/**
 * Decline the call: `POST /realtime/calls/{call_id}/reject` with `reject` as the body. Without a
 * `status_code` (`{ reject: {} }`) the caller hears 603 Decline.
 *
 * @example
 * ```ts
 * const busy: RejectCallDecision = { reject: { status_code: 486 } }; // 486 Busy Here
 * ```
 */
export interface RejectCallDecision {
  /** The SIP status to send back, e.g. `{ status_code: 486 }`; `{}` for 603 Decline. */
  reject: RealtimeCallRejectRequest;
  /** Only one decision at a time. */
  accept?: never;
  /** Only one decision at a time. */
  refer?: never;
}

/**
 * Transfer the call with a SIP REFER: `POST /realtime/calls/{call_id}/refer` with `refer` as the
 * body.
 *
 * @example
 * ```ts
 * const transfer: ReferCallDecision = { refer: { target_uri: 'tel:+14155550123' } };
 * ```
 */
export interface ReferCallDecision {
  /** Where to send the call: `target_uri`, such as `tel:+14155550123` or `sip:agent@example.com`. */
  refer: RealtimeCallReferRequest;
  /** Only one decision at a time. */
  accept?: never;
  /** Only one decision at a time. */
  reject?: never;
}

/**
 * What `onIncomingCall` decides for a call: accept it with a session, reject it, or refer it
 * elsewhere. Returning nothing (`undefined` or `null`) does nothing: the call keeps ringing until
 * something else answers it (another service, {@link acceptRealtimeCall} later) or it times out.
 *
 * @example
 * ```ts
 * const decide = (event: WebhookRealtimeCallIncoming): CallDecision =>
 *   event.data.sip_headers.some((h) => h.name === 'From' && h.value.includes('+1415'))
 *     ? { accept: { type: 'realtime', model: 'gpt-realtime' } }
 *     : { reject: { status_code: 486 } };
 * ```
 */
export type CallDecision = AcceptCallDecision | RejectCallDecision | ReferCallDecision;

/**
 * What `onIncomingCall` gets besides the event.
 *
 * @example
 * ```ts
 * onIncomingCall: async (event, { webhookId }) => {
 *   if (await seen.has(webhookId)) return undefined; // a redelivery of a call already handled
 *   await seen.add(webhookId);
 *   return { accept: { type: 'realtime', model: 'gpt-realtime' } };
 * }
 * ```
 */
export interface IncomingCallContext {
  /**
   * The verified `webhook-id` header: the same for every delivery of one webhook, so a retry can be
   * recognised (see {@link createCallWebhookHandler} on retries).
   */
  webhookId: string;
  /** The webhook's request; its body has been read. */
  request: Request;
}

/** A Fetch-API handler: what Next.js route handlers, Hono, Workers, Deno and Bun all accept. */
export type CallWebhookHandler = (request: Request) => Promise<Response>;

/**
 * Options for {@link createCallWebhookHandler}: every {@link ClientOptions} field (API key, base
 * URL, organization, project, timeout, retries, headers, fetch), with the same environment
 * defaults, for the decision's upstream call; the webhook's secret and tolerance; the decision.
 *
 * @example
 * ```ts
 * createCallWebhookHandler({
 *   secret: process.env.OPENAI_WEBHOOK_SECRET,
 *   onIncomingCall: () => ({ accept: { type: 'realtime', model: 'gpt-realtime' } }),
 *   maxRetries: 1,
 * });
 * ```
 */
export interface CallWebhookHandlerOptions extends ClientOptions {
  /**
   * Decides what to do with a verified `realtime.call.incoming` webhook: return a
   * {@link CallDecision}, or nothing to leave the call alone. Called only for verified webhooks of
   * that type. OpenAI redelivers a webhook that was not answered 2xx, so this may be asked again for
   * the same call (the same `context.webhookId`): make it idempotent.
   * @example (event) => ({ accept: { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' } })
   */
  onIncomingCall: (
    event: WebhookRealtimeCallIncoming,
    context: IncomingCallContext,
  ) => CallDecision | null | undefined | void | Promise<CallDecision | null | undefined | void>;
  /**
   * The webhook endpoint's signing secret, `whsec_` followed by base64, from the OpenAI dashboard.
   * Checked when the handler is created (ConfigurationError); never quoted in an error or an answer.
   * @default process.env.OPENAI_WEBHOOK_SECRET
   * @example process.env.OPENAI_WEBHOOK_SECRET
   */
  secret?: string;
  /**
   * How far `webhook-timestamp` may be from now, in seconds, either way.
   * @default 300
   * @example 120
   */
  toleranceSeconds?: number;
  /**
   * Largest webhook body accepted, in bytes, counted as it streams in. Larger bodies get 413.
   * @default 65536
   * @example 131072
   */
  maxBodyBytes?: number;
  /**
   * Milliseconds the sender has to deliver the whole body; past it the route answers 408.
   * @default 10000
   * @example 5000
   */
  bodyTimeoutMs?: number;
  /**
   * Milliseconds the decision's upstream call may take, every attempt and backoff included; past it
   * the route answers 504. Each attempt still has the client's `timeoutMs` too.
   * @default 15000
   * @example 8000
   */
  upstreamTimeoutMs?: number;
  /**
   * Called with every failure: each {@link WebhookVerificationError} (so a rotated or mistyped
   * secret shows up in your logs, not only as 401s in the dashboard), a throwing `onIncomingCall`,
   * an invalid decision (an {@link InvalidArgumentError} saying what is wrong), each failed
   * upstream call (an {@link ApiError}, {@link ConnectionError} or {@link TimeoutError}), bugs. No
   * error holds the API key or the secret. Nothing is logged otherwise. Errors thrown here are
   * ignored.
   * @default undefined
   * @example (error) => logger.warn({ err: error }, 'incoming call webhook failed')
   */
  onError?: (error: unknown) => void;
}

/**
 * The body of every 200 answer. `action` says what was done: `'accepted'`, `'rejected'` or
 * `'referred'` (the decision's upstream call succeeded), `'none'` (`onIncomingCall` returned
 * nothing), `'ignored'` (a verified event of another type).
 *
 * @example
 * ```ts
 * const body: CallWebhookSuccessBody = { received: true, action: 'accepted' };
 * ```
 */
export interface CallWebhookSuccessBody {
  /** Always `true`. */
  received: true;
  /** What the route did with the webhook. */
  action: 'accepted' | 'rejected' | 'referred' | 'none' | 'ignored';
}

/** Every option the route itself takes; the rest are {@link ClientOptions}. */
export const CALL_HANDLER_OPTION_KEYS = [
  'onIncomingCall',
  'secret',
  'toleranceSeconds',
  'maxBodyBytes',
  'bodyTimeoutMs',
  'upstreamTimeoutMs',
  'onError',
] as const;

/** The route's defaults, in one place (the tolerance is the verifier's, WEBHOOK_DEFAULTS). */
export const CALL_HANDLER_DEFAULTS = {
  /** @default 65536 (64 KiB: an event with its SIP headers is a few KiB) */
  maxBodyBytes: 65_536,
  /** @default 10000 */
  bodyTimeoutMs: 10_000,
  /** @default 15000 */
  upstreamTimeoutMs: 15_000,
} as const;
