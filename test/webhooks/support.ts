// What the webhook suites share: secrets and signatures made with node:crypto, independently of
// the code under test (src/webhooks/signature.ts uses WebCrypto), and a realtime.call.incoming
// event. Not a test file: vitest only collects `*.test.ts`.
import { createHmac, randomBytes } from 'node:crypto';

/** A signing secret as the OpenAI dashboard shows it: `whsec_` and base64 of random key bytes. */
export function makeSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Unix seconds now, shifted by `offset`. */
export function nowSeconds(offset = 0): number {
  return Math.floor(Date.now() / 1000) + offset;
}

/**
 * The Standard Webhooks signature of `body`: base64 HMAC-SHA256, keyed with the base64-decoded
 * part after `whsec_`, over `${id}.${timestamp}.${body}`, prefixed `v1,`.
 */
export function signature(
  secret: string,
  id: string,
  timestamp: number | string,
  body: string | Buffer,
): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The three webhook headers for `body`, signed with `secret` now (or at `timestamp`). */
export function signedHeaders(
  secret: string,
  body: string | Buffer,
  { id = 'wh_test_0001', timestamp = nowSeconds() }: { id?: string; timestamp?: number } = {},
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature(secret, id, timestamp, body),
  };
}

/** A `realtime.call.incoming` event as OpenAI sends it. */
export function incomingCall(callId = 'rtc_test_123', id = 'evt_test_1') {
  return {
    object: 'event',
    id,
    type: 'realtime.call.incoming',
    created_at: nowSeconds(),
    data: {
      call_id: callId,
      sip_headers: [
        { name: 'From', value: 'sip:+14155550100@sip.example.com' },
        { name: 'To', value: 'sip:+18005550199@sip.api.openai.com' },
        { name: 'Call-ID', value: 'a1b2c3' },
      ],
    },
  } as const;
}
