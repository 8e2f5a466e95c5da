// unwrapWebhook against signatures made independently with node:crypto (test/webhooks/support.ts):
// a good signature gives the typed event; every way a webhook can be wrong throws
// WebhookVerificationError with its reason; the secret never reaches an error.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  InvalidArgumentError,
  isRealtimeCallIncoming,
  RealtimeSessionsError,
  unwrapWebhook,
  WebhookVerificationError,
  type WebhookEvent,
} from '../../src/index.js';
import { incomingCall, makeSecret, nowSeconds, signature, signedHeaders } from './support.js';

const SECRET = makeSecret();
const BODY = JSON.stringify(incomingCall());

afterEach(() => vi.unstubAllEnvs());

/** The rejection of `promise`, which must be a WebhookVerificationError that holds no secret. */
async function verificationError(promise: Promise<unknown>, secrets: string[] = [SECRET]) {
  const error = await promise.then(
    () => {
      throw new Error('expected unwrapWebhook to reject');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  expect(error).toBeInstanceOf(RealtimeSessionsError);
  expectNoSecret(error, secrets);
  return error as WebhookVerificationError;
}

/** Neither the message, the stack, String() nor JSON.stringify() of `error` holds any of `secrets`. */
function expectNoSecret(error: unknown, secrets: string[]): void {
  const e = error as Error;
  for (const secret of secrets) {
    const base64 = secret.replace(/^whsec_/, '');
    for (const text of [e.message, e.stack ?? '', String(e), JSON.stringify(e)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(base64);
    }
  }
}

describe('unwrapWebhook: a good signature', () => {
  it('returns the typed realtime.call.incoming event', async () => {
    const event: WebhookEvent = await unwrapWebhook(BODY, signedHeaders(SECRET, BODY), { secret: SECRET });
    expect(event).toEqual(JSON.parse(BODY));
    expect(isRealtimeCallIncoming(event)).toBe(true);
    if (!isRealtimeCallIncoming(event)) throw new Error('unreachable');
    // Typed: data.call_id is a string here without a cast.
    const callId: string = event.data.call_id;
    expect(callId).toBe('rtc_test_123');
    expect(event.data.sip_headers[0]).toEqual({ name: 'From', value: 'sip:+14155550100@sip.example.com' });
  });

  it('verifies the exact bytes, whether given as a string, a Uint8Array, a Buffer or an ArrayBuffer', async () => {
    // Non-ASCII text and insignificant whitespace: only the raw bytes verify.
    const body = `{ "id": "evt_é", "type": "realtime.call.incoming", "created_at": ${nowSeconds()},\n  "data": { "call_id": "rtc_ü", "sip_headers": [] } }`;
    const bytes = Buffer.from(body, 'utf8');
    const headers = signedHeaders(SECRET, bytes);
    const copy = new Uint8Array(bytes);
    for (const payload of [body, copy, bytes, copy.buffer]) {
      const event = await unwrapWebhook(payload, headers, { secret: SECRET });
      expect(event.id).toBe('evt_é');
    }
  });

  it('takes a Fetch Headers, or a record with names in any case (node:http style)', async () => {
    const headers = signedHeaders(SECRET, BODY);
    await expect(unwrapWebhook(BODY, new Headers(headers), { secret: SECRET })).resolves.toMatchObject({
      type: 'realtime.call.incoming',
    });
    const shouted = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(unwrapWebhook(BODY, shouted, { secret: SECRET })).resolves.toMatchObject({
      id: 'evt_test_1',
    });
    const arrays = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    await expect(unwrapWebhook(BODY, arrays, { secret: SECRET })).resolves.toMatchObject({
      id: 'evt_test_1',
    });
  });

  it('accepts a list of signatures when one of them is valid (secret rotation), skipping other versions', async () => {
    const headers = signedHeaders(SECRET, BODY);
    const other = signature(makeSecret(), headers['webhook-id']!, headers['webhook-timestamp']!, BODY);
    for (const list of [
      `${other} ${headers['webhook-signature']}`,
      `${headers['webhook-signature']} ${other}`,
      `v1a,${randomBytes(64).toString('base64')} v1,not-base64!! ${headers['webhook-signature']}`,
    ]) {
      const event = await unwrapWebhook(BODY, { ...headers, 'webhook-signature': list }, { secret: SECRET });
      expect(event.type).toBe('realtime.call.incoming');
    }
  });

  it('reads the secret from OPENAI_WEBHOOK_SECRET when none is passed', async () => {
    vi.stubEnv('OPENAI_WEBHOOK_SECRET', SECRET);
    await expect(unwrapWebhook(BODY, signedHeaders(SECRET, BODY))).resolves.toMatchObject({
      id: 'evt_test_1',
    });
  });

  it('takes a secret without the whsec_ prefix, as the Standard Webhooks libraries do', async () => {
    const bare = SECRET.slice('whsec_'.length);
    await expect(unwrapWebhook(BODY, signedHeaders(SECRET, BODY), { secret: bare })).resolves.toMatchObject({
      id: 'evt_test_1',
    });
  });

  it('returns an event of another type as a generic event, not narrowed to the call event', async () => {
    const body = JSON.stringify({
      object: 'event',
      id: 'evt_b',
      type: 'batch.completed',
      created_at: nowSeconds(),
      data: { id: 'batch_1' },
    });
    const event = await unwrapWebhook(body, signedHeaders(SECRET, body), { secret: SECRET });
    expect(event).toEqual(JSON.parse(body));
    expect(isRealtimeCallIncoming(event)).toBe(false);
  });
});

describe('unwrapWebhook: refusals', () => {
  it('refuses a tampered body', async () => {
    const headers = signedHeaders(SECRET, BODY);
    const tampered = BODY.replace('rtc_test_123', 'rtc_test_124');
    const error = await verificationError(unwrapWebhook(tampered, headers, { secret: SECRET }));
    expect(error.reason).toBe('invalid_signature');
    expect(error.name).toBe('WebhookVerificationError');
    expect(error.message).toMatch(/webhook-signature/);
  });

  it('refuses a body signed with another secret, and names neither secret', async () => {
    const other = makeSecret();
    const error = await verificationError(
      unwrapWebhook(BODY, signedHeaders(other, BODY), { secret: SECRET }),
      [SECRET, other],
    );
    expect(error.reason).toBe('invalid_signature');
  });

  it('refuses a signature for another webhook-id or timestamp', async () => {
    const headers = signedHeaders(SECRET, BODY);
    const otherId = { ...headers, 'webhook-id': 'wh_test_0002' };
    expect((await verificationError(unwrapWebhook(BODY, otherId, { secret: SECRET }))).reason).toBe(
      'invalid_signature',
    );
    const otherTime = { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) };
    expect((await verificationError(unwrapWebhook(BODY, otherTime, { secret: SECRET }))).reason).toBe(
      'invalid_signature',
    );
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'refuses a webhook without %s',
    async (name) => {
      const headers = signedHeaders(SECRET, BODY);
      const { [name]: _omitted, ...rest } = headers;
      const missing = await verificationError(unwrapWebhook(BODY, rest, { secret: SECRET }));
      expect(missing.reason).toBe('missing_header');
      expect(missing.message).toContain(name);
      const empty = await verificationError(
        unwrapWebhook(BODY, { ...headers, [name]: '' }, { secret: SECRET }),
      );
      expect(empty.reason).toBe('missing_header');
    },
  );

  it('refuses a timestamp older than the tolerance, and one further in the future', async () => {
    const old = await verificationError(
      unwrapWebhook(BODY, signedHeaders(SECRET, BODY, { timestamp: nowSeconds(-301) }), { secret: SECRET }),
    );
    expect(old.reason).toBe('stale_timestamp');
    expect(old.message).toMatch(/old, past the 300 s tolerance/);
    const future = await verificationError(
      unwrapWebhook(BODY, signedHeaders(SECRET, BODY, { timestamp: nowSeconds(301) }), { secret: SECRET }),
    );
    expect(future.reason).toBe('stale_timestamp');
    expect(future.message).toMatch(/in the future/);
    // Inside the window, either way, passes.
    for (const offset of [-290, 290]) {
      const headers = signedHeaders(SECRET, BODY, { timestamp: nowSeconds(offset) });
      await expect(unwrapWebhook(BODY, headers, { secret: SECRET })).resolves.toMatchObject({
        id: 'evt_test_1',
      });
    }
  });

  it('honours toleranceSeconds both ways: tighter and looser than 300 s', async () => {
    const minuteOld = signedHeaders(SECRET, BODY, { timestamp: nowSeconds(-60) });
    const tight = await verificationError(
      unwrapWebhook(BODY, minuteOld, { secret: SECRET, toleranceSeconds: 30 }),
    );
    expect(tight.reason).toBe('stale_timestamp');
    const tenMinutesOld = signedHeaders(SECRET, BODY, { timestamp: nowSeconds(-400) });
    await expect(
      unwrapWebhook(BODY, tenMinutesOld, { secret: SECRET, toleranceSeconds: 600 }),
    ).resolves.toMatchObject({ id: 'evt_test_1' });
  });

  it('refuses a timestamp that is not plain whole seconds, even when signed', async () => {
    const id = 'wh_test_0001';
    for (const timestamp of [`${nowSeconds()}abc`, `${nowSeconds()}.5`, '-1', 'soon']) {
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': signature(SECRET, id, timestamp, BODY),
      };
      const error = await verificationError(unwrapWebhook(BODY, headers, { secret: SECRET }));
      expect(error.reason).toBe('invalid_header');
    }
  });

  it('refuses a signature header without any v1 entry, and a header sent twice', async () => {
    const headers = signedHeaders(SECRET, BODY);
    const v1a = { ...headers, 'webhook-signature': `v1a,${randomBytes(64).toString('base64')}` };
    expect((await verificationError(unwrapWebhook(BODY, v1a, { secret: SECRET }))).reason).toBe(
      'invalid_header',
    );
    const twice = { ...headers, 'webhook-id': [headers['webhook-id']!, 'wh_other'] };
    expect((await verificationError(unwrapWebhook(BODY, twice, { secret: SECRET }))).reason).toBe(
      'invalid_header',
    );
  });

  it('refuses a signed body that is not a webhook event', async () => {
    const call = incomingCall();
    for (const body of [
      'not json',
      '[1,2]',
      JSON.stringify({ id: 'evt_1', type: 'x' }),
      JSON.stringify({ ...call, data: { sip_headers: [] } }),
    ]) {
      const error = await verificationError(
        unwrapWebhook(body, signedHeaders(SECRET, body), { secret: SECRET }),
      );
      expect(error.reason).toBe('invalid_payload');
    }
    const notUtf8 = Buffer.from([0x7b, 0xff, 0x7d]);
    const error = await verificationError(
      unwrapWebhook(notUtf8, signedHeaders(SECRET, notUtf8), { secret: SECRET }),
    );
    expect(error.reason).toBe('invalid_payload');
  });
});

describe('unwrapWebhook: configuration and arguments', () => {
  it('throws ConfigurationError naming OPENAI_WEBHOOK_SECRET when no secret is given or set', async () => {
    vi.stubEnv('OPENAI_WEBHOOK_SECRET', '');
    const error = await unwrapWebhook(BODY, signedHeaders(SECRET, BODY)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(
      /Missing webhook secret: pass `secret` or set OPENAI_WEBHOOK_SECRET/,
    );
  });

  it('refuses a secret that is not base64 without quoting it', async () => {
    const bad = 'whsec_this is not base64 at all!';
    const error = await unwrapWebhook(BODY, signedHeaders(SECRET, BODY), { secret: bad }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      '`secret` must be a webhook signing secret, `whsec_` followed by base64, but received a string.',
    );
    expectNoSecret(error, [bad]);
  });

  it('refuses an invalid tolerance and an unknown option, with a hint', async () => {
    const headers = signedHeaders(SECRET, BODY);
    await expect(unwrapWebhook(BODY, headers, { secret: SECRET, toleranceSeconds: 0 })).rejects.toThrow(
      '`toleranceSeconds` must be a whole number of seconds above 0, but received number 0.',
    );
    await expect(
      unwrapWebhook(BODY, headers, { secret: SECRET, toleranceSecond: 10 } as never),
    ).rejects.toThrow(
      'Unknown option `toleranceSecond` for unwrapWebhook(): did you mean `toleranceSeconds`?',
    );
  });

  it('refuses parsed JSON as the payload: the signature covers the raw body', async () => {
    const error = await unwrapWebhook(JSON.parse(BODY) as never, signedHeaders(SECRET, BODY), {
      secret: SECRET,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(
      /raw request body .* \(not parsed JSON\), but received an object/,
    );
  });
});
