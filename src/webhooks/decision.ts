// What onIncomingCall decided, checked before anything is sent upstream, and carried out with the
// generated call operations. Checked at runtime because the decision comes from user code: a typo
// (`{ acept: … }`) or two decisions at once must answer 500 and send nothing, not guess.
import type { RealtimeApi } from '../../generated/client.js';
import { InvalidArgumentError } from '../core/errors.js';
import { clip } from '../handler/answers.js';
import { isObject } from '../internal/json.js';
import { describeValue } from '../internal/messages.js';
import type { CallWebhookSuccessBody } from './call-options.js';
import type {
  RealtimeCallReferRequest,
  RealtimeCallRejectRequest,
  RealtimeSessionCreateRequestGA,
} from '../../generated/client.js';

/** A checked decision, by kind. */
export type Decision =
  | { kind: 'none' }
  | { kind: 'accept'; session: RealtimeSessionCreateRequestGA }
  | { kind: 'reject'; body: RealtimeCallRejectRequest }
  | { kind: 'refer'; body: RealtimeCallReferRequest };

const KINDS = ['accept', 'reject', 'refer'] as const;

const EXPECTED =
  'return `{ accept: session }`, `{ reject: { status_code? } }`, `{ refer: { target_uri } }` or nothing';

/**
 * The decision `onIncomingCall` returned, checked for shape only (the upstream checks the
 * session): exactly one of `accept`, `reject`, `refer`, each an object; a `status_code` a whole
 * number from 100 to 699; a `target_uri` a non-empty string. `undefined` and `null` are no decision.
 *
 * @throws {@link InvalidArgumentError} naming what is wrong; never quoting a string value.
 */
export function checkDecision(value: unknown): Decision {
  if (value === undefined || value === null) return { kind: 'none' };
  if (!isObject(value)) fail(`returned ${describeValue(value)}`);
  const keys = Object.keys(value);
  const unknown = keys.find((key) => !(KINDS as readonly string[]).includes(key));
  if (unknown !== undefined) fail(`returned an object with the key \`${clip(unknown)}\``);
  if (keys.length !== 1) fail(`returned ${keys.length === 0 ? 'an empty object' : 'more than one decision'}`);
  const kind = keys[0] as (typeof KINDS)[number];
  const body = value[kind];
  if (!isObject(body)) fail(`returned \`${kind}\` as ${describeValue(body)}, not an object`);
  if (kind === 'accept') return { kind, session: body as RealtimeSessionCreateRequestGA };
  if (kind === 'reject') {
    const code = body.status_code;
    if (
      code !== undefined &&
      !(Number.isSafeInteger(code) && (code as number) >= 100 && (code as number) <= 699)
    ) {
      fail(`returned \`reject.status_code\` as ${describeValue(code)}, not a SIP status from 100 to 699`);
    }
    return { kind, body: body as RealtimeCallRejectRequest };
  }
  if (typeof body.target_uri !== 'string' || body.target_uri.trim() === '') {
    fail(`returned \`refer.target_uri\` as ${describeValue(body.target_uri)}, not a non-empty URI`);
  }
  return { kind, body: body as unknown as RealtimeCallReferRequest };
}

/** The API path of a decision's operation, for a timeout's message. */
export function decisionPath(kind: Exclude<Decision['kind'], 'none'>): string {
  return `/realtime/calls/{call_id}/${kind}`;
}

/**
 * Carries the decision out for `callId` through the route's one client, under `signal`, and says
 * what was done.
 */
export async function carryOut(
  api: RealtimeApi,
  callId: string,
  decision: Decision,
  signal: AbortSignal,
): Promise<CallWebhookSuccessBody['action']> {
  switch (decision.kind) {
    case 'none':
      return 'none';
    case 'accept':
      await api.acceptRealtimeCall(callId, decision.session, { signal });
      return 'accepted';
    case 'reject':
      await api.rejectRealtimeCall(callId, decision.body, { signal });
      return 'rejected';
    case 'refer':
      await api.referRealtimeCall(callId, decision.body, { signal });
      return 'referred';
  }
}

function fail(problem: string): never {
  throw new InvalidArgumentError(`onIncomingCall() ${problem}; ${EXPECTED}. Nothing was sent upstream.`);
}
