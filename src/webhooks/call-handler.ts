// The incoming-call webhook route: OpenAI POSTs `realtime.call.incoming` when a SIP call arrives;
// the route verifies it, asks the app's onIncomingCall for a decision and carries it out upstream.
// One request as named steps: method, body headers, body, verify, decide, carry out, answer.
// Fetch-API and WebCrypto only, so it runs in Node, Workers, Deno and Bun; serve it from node:http
// with toNodeHandler (realtime-sessions/node).
import { RealtimeApi, type WebhookRealtimeCallIncoming } from '../../generated/client.js';
import {
  ApiError,
  ConnectionError,
  InvalidResponseError,
  TimeoutError,
  WebhookVerificationError,
} from '../core/errors.js';
import { errorAnswer, INTERNAL_ERROR, jsonAnswer } from '../handler/answers.js';
import { readLimited } from '../handler/body.js';
import type { SessionHandlerCoreAnswer, SessionHandlerCoreInput } from '../handler/core.js';
import { checkLength, checkMethod, readBytes, reporter } from '../handler/pipeline.js';
import { resolveLimit, resolveMs } from '../handler/options.js';
import { isObject } from '../internal/json.js';
import { invalid } from '../internal/messages.js';
import { CLIENT_OPTION_KEYS, refuseUnknownKeys } from '../internal/option-keys.js';
import { closest } from '../internal/suggest.js';
import {
  CALL_HANDLER_DEFAULTS,
  CALL_HANDLER_OPTION_KEYS,
  type CallWebhookHandler,
  type CallWebhookHandlerOptions,
  type CallWebhookSuccessBody,
} from './call-options.js';
import { carryOut, checkDecision, decisionPath, type Decision } from './decision.js';
import { createVerifier, isRealtimeCallIncoming, type Verifier } from './verify.js';

/** A route's resolved configuration. */
interface WebhookRoute {
  api: RealtimeApi;
  verify: Verifier;
  onIncomingCall: CallWebhookHandlerOptions['onIncomingCall'];
  limit: number;
  bodyTimeoutMs: number;
  upstreamTimeoutMs: number;
  /** `onError`, made safe to call. */
  report(error: unknown): void;
}

type Answer = SessionHandlerCoreAnswer;

/** A webhook comes from OpenAI's servers, never from a page: no CORS. */
const NO_CORS = { cors: undefined };

/**
 * Creates a Fetch-API route for OpenAI's `realtime.call.incoming` webhook (a SIP call to your
 * project's number is waiting): it verifies the webhook with your endpoint's secret (Standard
 * Webhooks, as {@link unwrapWebhook} does), asks `onIncomingCall(event)` for a
 * {@link CallDecision} and carries it out with {@link acceptRealtimeCall},
 * {@link rejectRealtimeCall} or {@link referRealtimeCall}, through one {@link RealtimeApi} client
 * created here. A missing API key or secret, or an invalid option, throws now
 * (`ConfigurationError`), not on the first call.
 *
 * Its answers, all JSON with `Cache-Control: no-store`, never hold the API key, the secret or an
 * upstream error body:
 * - 200 `{ received: true, action }` ({@link CallWebhookSuccessBody}) once the decision's upstream
 *   call succeeded, when `onIncomingCall` returned nothing (`'none'`), and for a verified event of
 *   another type (`'ignored'`, `onIncomingCall` not called);
 * - 401 `webhook_unverified` for a missing or stale header or a signature that does not match, and
 *   400 `invalid_webhook_payload` for a signed body that is not an event: `onIncomingCall` is not
 *   called and nothing is sent upstream;
 * - 405 for a method other than POST, 413 for a body over `maxBodyBytes`, 408 past `bodyTimeoutMs`;
 * - 500 `internal_error` when `onIncomingCall` throws, 500 `invalid_decision` when its decision
 *   has the wrong shape (nothing is sent upstream);
 * - 502 `upstream_error` when the decision's upstream call fails (504 `upstream_timeout` past
 *   `upstreamTimeoutMs`).
 *
 * **Retries.** OpenAI redelivers a webhook that was not answered 2xx. So after a 5xx (the decision
 * failed upstream, `onIncomingCall` threw) the same webhook comes back with the same `webhook-id`
 * and `onIncomingCall` is asked again: make it idempotent (see {@link IncomingCallContext}). An
 * upstream call that succeeded but whose answer was lost (a reset, a timeout) looks failed too, and
 * the retried decision may then fail upstream because the call was already answered. Every failure
 * goes to `onError`.
 *
 * @example
 * // app/api/openai-webhook/route.ts (Next.js); the webhook's URL in the OpenAI dashboard
 * import { createCallWebhookHandler } from 'realtime-sessions';
 * export const POST = createCallWebhookHandler({
 *   secret: process.env.OPENAI_WEBHOOK_SECRET,
 *   onIncomingCall: (event) =>
 *     event.data.sip_headers.some((h) => h.name === 'From' && h.value.includes('+1415'))
 *       ? { accept: { type: 'realtime', model: 'gpt-realtime', instructions: 'You are Alex.' } }
 *       : { reject: { status_code: 486 } },
 *   onError: (error) => console.warn('incoming call webhook:', error),
 * });
 */
export function createCallWebhookHandler(options: CallWebhookHandlerOptions): CallWebhookHandler {
  const route = resolveWebhookRoute(options);
  return async function callWebhookHandler(request: Request): Promise<Response> {
    const answer = await handleWebhook(route, request);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
}

/** Every option checked and resolved, before any request. */
function resolveWebhookRoute(options: CallWebhookHandlerOptions): WebhookRoute {
  if (!isObject(options)) invalid('options', 'an object', options);
  refuseUnknownKeys(
    options,
    [...CALL_HANDLER_OPTION_KEYS, ...CLIENT_OPTION_KEYS],
    'createCallWebhookHandler()',
    closest,
  );
  const {
    onIncomingCall,
    secret,
    toleranceSeconds,
    maxBodyBytes,
    bodyTimeoutMs,
    upstreamTimeoutMs,
    onError,
    ...clientOptions
  } = options;
  if (typeof onIncomingCall !== 'function') invalid('onIncomingCall', 'a function', onIncomingCall);
  if (onError !== undefined && typeof onError !== 'function') invalid('onError', 'a function', onError);
  return {
    api: new RealtimeApi(clientOptions),
    verify: createVerifier(secret, toleranceSeconds),
    onIncomingCall,
    limit: resolveLimit('maxBodyBytes', maxBodyBytes, CALL_HANDLER_DEFAULTS.maxBodyBytes),
    bodyTimeoutMs: resolveMs('bodyTimeoutMs', bodyTimeoutMs, CALL_HANDLER_DEFAULTS.bodyTimeoutMs),
    upstreamTimeoutMs: resolveMs(
      'upstreamTimeoutMs',
      upstreamTimeoutMs,
      CALL_HANDLER_DEFAULTS.upstreamTimeoutMs,
    ),
    report: reporter(onError),
  };
}

/** One webhook through the route; it always answers, never rejects. */
async function handleWebhook(route: WebhookRoute, request: Request): Promise<Answer> {
  try {
    const refused =
      checkMethod(NO_CORS, request.method.toUpperCase(), null, undefined) ??
      checkLength(route.limit, request.headers.get('content-length'), undefined);
    if (refused) return refused;
    // The raw body, under the size cap and the body deadline: the signature covers these bytes.
    const body: SessionHandlerCoreInput['body'] = (maxBytes, deadline) =>
      readLimited(request.body, maxBytes, deadline);
    const read = await readBytes(route, { body }, undefined);
    if ('answer' in read) return read.answer;
    const verified = await verifyWebhook(route, request, read.bytes);
    if ('answer' in verified) return verified.answer;
    if (!isRealtimeCallIncoming(verified.event)) return acknowledge('ignored');
    return await decide(route, request, verified.event);
  } catch (error) {
    // A bug: answer 500 rather than let the runtime answer whatever it answers.
    route.report(error);
    return errorAnswer(500, INTERNAL_ERROR, undefined);
  }
}

/** The verified event, or the 4xx that refuses the webhook; a refusal goes to `onError` too. */
async function verifyWebhook(
  route: WebhookRoute,
  request: Request,
  bytes: Uint8Array,
): Promise<{ event: Awaited<ReturnType<Verifier>> } | { answer: Answer }> {
  try {
    return { event: await route.verify(bytes, request.headers) };
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    // A real webhook failing here means a rotated or mistyped secret, or a skewed clock: the
    // operator must hear of it, so it is reported, though the answer says no more than "no".
    route.report(error);
    if (error.reason === 'invalid_payload') {
      const info = { message: 'webhook body is not a webhook event', code: 'invalid_webhook_payload' };
      return { answer: errorAnswer(400, info, undefined) };
    }
    const info = { message: 'webhook signature could not be verified', code: 'webhook_unverified' };
    return { answer: errorAnswer(401, info, undefined) };
  }
}

/** Asks onIncomingCall, checks its decision, and carries it out. */
async function decide(
  route: WebhookRoute,
  request: Request,
  event: WebhookRealtimeCallIncoming,
): Promise<Answer> {
  let returned: unknown;
  try {
    returned = await route.onIncomingCall(event, {
      webhookId: request.headers.get('webhook-id')!,
      request,
    });
  } catch (error) {
    route.report(error);
    return errorAnswer(500, INTERNAL_ERROR, undefined);
  }
  let decision: Decision;
  try {
    decision = checkDecision(returned);
  } catch (error) {
    route.report(error);
    const info = { message: 'onIncomingCall returned an invalid decision', code: 'invalid_decision' };
    return errorAnswer(500, info, undefined);
  }
  if (decision.kind === 'none') return acknowledge('none');
  try {
    return acknowledge(
      await underDeadline(route, decision.kind, (signal) =>
        carryOut(route.api, event.data.call_id, decision, signal),
      ),
    );
  } catch (error) {
    route.report(error);
    return upstreamFailure(error);
  }
}

/**
 * Runs the decision's upstream exchange, every attempt and backoff, under `upstreamTimeoutMs`.
 * Not under the webhook request's signal: a sender giving up on its delivery should not cut off an
 * accept that is already on its way; the call is still ringing, and the redelivery asks again.
 */
async function underDeadline<T>(
  route: WebhookRoute,
  kind: Exclude<Decision['kind'], 'none'>,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const ms = route.upstreamTimeoutMs;
  const timer = setTimeout(
    () => controller.abort(new TimeoutError(ms, { method: 'POST', path: decisionPath(kind) })),
    ms,
  );
  try {
    return await task(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** A failed decision as OpenAI's webhook sender sees it: a 5xx, so it redelivers. */
function upstreamFailure(error: unknown): Answer {
  if (error instanceof TimeoutError) {
    return errorAnswer(504, { message: 'upstream timed out', code: 'upstream_timeout' }, undefined);
  }
  if (
    error instanceof ApiError ||
    error instanceof ConnectionError ||
    error instanceof InvalidResponseError
  ) {
    const info = { message: 'upstream call for the decision failed', code: 'upstream_error' };
    return errorAnswer(502, info, undefined);
  }
  return errorAnswer(500, INTERNAL_ERROR, undefined);
}

/** The 200 that tells the sender the webhook was handled, so it does not redeliver it. */
function acknowledge(action: CallWebhookSuccessBody['action']): Answer {
  const body: CallWebhookSuccessBody = { received: true, action };
  return jsonAnswer(200, body, undefined);
}
