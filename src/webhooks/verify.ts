// Verifying a webhook from OpenAI (Standard Webhooks, see signature.ts) and handing back its event.
// Fetch-API and WebCrypto only: this runs in Node, Workers, Deno and Bun alike.
import { ConfigurationError, InvalidArgumentError, WebhookVerificationError } from '../core/errors.js';
import { isObject } from '../internal/json.js';
import { invalid } from '../internal/messages.js';
import { refuseUnknownKeys } from '../internal/option-keys.js';
import { closest } from '../internal/suggest.js';
import {
  encodeUtf8,
  importHmacKey,
  parseSignatures,
  parseTimestamp,
  secretBytes,
  sign,
  signedContent,
  timingSafeEqual,
} from './signature.js';
import type { WebhookRealtimeCallIncoming } from '../../generated/client.js';

/** The webhook defaults, in one place. */
export const WEBHOOK_DEFAULTS = {
  /**
   * How far `webhook-timestamp` may be from now, either way, in seconds: the Standard Webhooks
   * default, which bounds how long a captured webhook can be replayed.
   * @default 300
   */
  toleranceSeconds: 300,
  /**
   * The environment variable read when no `secret` is passed, through `globalThis.process?.env`.
   * @default 'OPENAI_WEBHOOK_SECRET'
   */
  secretEnv: 'OPENAI_WEBHOOK_SECRET',
} as const;

/** Every option {@link unwrapWebhook} takes. */
export const UNWRAP_OPTION_KEYS = ['secret', 'toleranceSeconds'] as const;

/** The three Standard Webhooks headers, in the order a missing one is reported. */
const HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/**
 * Options for {@link unwrapWebhook}.
 *
 * @example
 * ```ts
 * const event = await unwrapWebhook(body, request.headers, {
 *   secret: process.env.MY_WEBHOOK_SECRET,
 *   toleranceSeconds: 120,
 * });
 * ```
 */
export interface UnwrapWebhookOptions {
  /**
   * The endpoint's signing secret from the OpenAI dashboard, `whsec_` followed by base64. It is
   * never quoted in an error, and never kept: only a non-extractable WebCrypto key made from it.
   * @default process.env.OPENAI_WEBHOOK_SECRET
   * @example process.env.OPENAI_WEBHOOK_SECRET
   */
  secret?: string;
  /**
   * How far `webhook-timestamp` may be from now, in seconds, either way (older: a replay; newer: a
   * skewed clock). A whole number above 0.
   * @default 300
   * @example 120
   */
  toleranceSeconds?: number;
}

/**
 * The request headers of a webhook: a Fetch `Headers`, or a record such as Node's
 * `IncomingMessage.headers` (names in any case; a header sent twice is refused).
 *
 * @example
 * ```ts
 * const fromFetch: WebhookHeaders = request.headers;
 * const fromNode: WebhookHeaders = req.headers; // node:http IncomingMessage
 * ```
 */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * A verified event whose type this SDK has no generated type for: the envelope every OpenAI
 * webhook event shares, with its `data` unchecked.
 *
 * @example
 * ```ts
 * if (!isRealtimeCallIncoming(event)) console.info('ignored webhook', event.type, event.id);
 * ```
 */
export interface UnknownWebhookEvent {
  /** The event's id, e.g. `evt_…`. */
  id: string;
  /** The event type, e.g. `'batch.completed'`. */
  type: string;
  /** When the event was created, in Unix seconds. */
  created_at: number;
  /** Always `'event'` for OpenAI's events. */
  object?: string;
  /** The event's payload, unchecked. */
  data?: unknown;
}

/**
 * What {@link unwrapWebhook} returns: the typed `realtime.call.incoming` event, or another event
 * type as an {@link UnknownWebhookEvent}. Since an unknown event's `type` is any string, comparing
 * `event.type` does not narrow the union in TypeScript: use {@link isRealtimeCallIncoming}.
 *
 * @example
 * ```ts
 * const event: WebhookEvent = await unwrapWebhook(body, request.headers);
 * if (isRealtimeCallIncoming(event)) console.info(event.data.call_id);
 * ```
 */
export type WebhookEvent = WebhookRealtimeCallIncoming | UnknownWebhookEvent;

/**
 * Whether a verified event is `realtime.call.incoming`, narrowing it to
 * {@link WebhookRealtimeCallIncoming}. {@link unwrapWebhook} has checked that such an event carries
 * a `data.call_id` string.
 *
 * @example
 * ```ts
 * const event = await unwrapWebhook(body, request.headers);
 * if (isRealtimeCallIncoming(event)) {
 *   await api.acceptRealtimeCall(event.data.call_id, { type: 'realtime', model: 'gpt-realtime' });
 * }
 * ```
 */
export function isRealtimeCallIncoming(event: WebhookEvent): event is WebhookRealtimeCallIncoming {
  return event.type === 'realtime.call.incoming';
}

/**
 * Verifies that a webhook was sent by OpenAI with your endpoint's secret, then returns its event.
 * OpenAI signs webhooks the [Standard Webhooks](https://www.standardwebhooks.com/) way: an
 * HMAC-SHA256 of `webhook-id`, `webhook-timestamp` and the raw body, in `webhook-signature`. Every
 * `v1` signature listed is tried (OpenAI lists two while a secret is rotated), each compared in
 * constant time; the timestamp must be within `toleranceSeconds` of now. Uses WebCrypto, so it runs
 * in Node 20+, Bun, Deno and Workers.
 *
 * Pass the body exactly as received: re-serialised JSON (`JSON.stringify(req.body)` after a body
 * parser) has other bytes and fails. For the incoming-call webhook, {@link createCallWebhookHandler}
 * does all of this and carries out your decision.
 *
 * @param payload - the raw request body: text, or its bytes.
 * @param headers - the request headers, with `webhook-id`, `webhook-timestamp`, `webhook-signature`.
 * @param options - the secret (default `OPENAI_WEBHOOK_SECRET`) and the tolerance (default 300 s).
 * @returns the event: {@link WebhookRealtimeCallIncoming} for `realtime.call.incoming` (with a
 * `data.call_id` string), else an {@link UnknownWebhookEvent}.
 * @throws {@link WebhookVerificationError} for a missing, malformed or stale header, a signature
 * that does not match (a tampered body, another secret), or a signed body that is not an event.
 * @throws {@link ConfigurationError} for a missing or malformed secret, or an invalid option.
 * @throws {@link InvalidArgumentError} for a payload that is not a string, Uint8Array or ArrayBuffer.
 *
 * @example
 * ```ts
 * import { isRealtimeCallIncoming, unwrapWebhook, WebhookVerificationError } from 'realtime-sessions';
 *
 * export async function POST(request: Request): Promise<Response> {
 *   let event;
 *   try {
 *     event = await unwrapWebhook(await request.text(), request.headers);
 *   } catch (err) {
 *     if (err instanceof WebhookVerificationError) return new Response(null, { status: 401 });
 *     throw err;
 *   }
 *   if (isRealtimeCallIncoming(event)) console.info('call', event.data.call_id);
 *   return new Response(null, { status: 200 });
 * }
 * ```
 */
export async function unwrapWebhook(
  payload: string | Uint8Array | ArrayBuffer,
  headers: WebhookHeaders,
  options: UnwrapWebhookOptions = {},
): Promise<WebhookEvent> {
  if (!isObject(options)) invalid('options', 'an object', options);
  refuseUnknownKeys(options, UNWRAP_OPTION_KEYS, 'unwrapWebhook()', closest);
  return createVerifier(options.secret, options.toleranceSeconds)(payload, headers);
}

/** A verifier with its secret and tolerance resolved: what {@link unwrapWebhook} runs once. */
export type Verifier = (
  payload: string | Uint8Array | ArrayBuffer,
  headers: WebhookHeaders,
) => Promise<WebhookEvent>;

/**
 * Resolves and checks the secret and tolerance now (a `ConfigurationError` for a missing or
 * malformed secret), and returns the verifier. The WebCrypto key is made on first use and reused;
 * the secret's text is not kept.
 */
export function createVerifier(secret: unknown, toleranceSeconds: unknown): Verifier {
  const tolerance = resolveTolerance(toleranceSeconds);
  let bytes: Uint8Array | undefined = resolveSecret(secret);
  if (typeof globalThis.crypto?.subtle?.sign !== 'function') {
    throw new ConfigurationError(
      'Webhook verification needs WebCrypto (`crypto.subtle`), which this runtime does not provide.',
    );
  }
  let key: Promise<CryptoKey> | undefined;
  const keyOnce = (): Promise<CryptoKey> => {
    if (key === undefined) {
      key = importHmacKey(bytes!);
      // importKey copies the bytes; nothing needs the raw secret any longer.
      const used = bytes!;
      void key.then(() => used.fill(0)).catch(() => undefined);
      bytes = undefined;
    }
    return key;
  };
  return async (payload, headers) => {
    const body = bodyBytes(payload);
    const { id, timestamp, signature } = readHeaders(headers);
    checkTimestamp(timestamp, tolerance);
    const { found, signatures } = parseSignatures(signature);
    if (found === 0) {
      throw new WebhookVerificationError('`webhook-signature` lists no `v1,` signature', 'invalid_header');
    }
    const expected = await sign(await keyOnce(), signedContent(id, timestamp, body));
    // Every candidate is compared in full; which one matched, if any, says nothing about the key.
    let matched = false;
    for (const candidate of signatures) matched = timingSafeEqual(candidate, expected) || matched;
    if (!matched) {
      throw new WebhookVerificationError(
        'no `v1` signature in `webhook-signature` matches the body: a changed body, another secret, or not from OpenAI',
        'invalid_signature',
      );
    }
    return parseEvent(body);
  };
}

/** `secret`, else the environment's, as key bytes; a missing or malformed one throws. */
function resolveSecret(secret: unknown): Uint8Array {
  const value = secret ?? readSecretEnv();
  if (value === undefined || value === '') {
    throw new ConfigurationError(
      `Missing webhook secret: pass \`secret\` or set ${WEBHOOK_DEFAULTS.secretEnv} (the endpoint's signing secret, \`whsec_…\`, from the OpenAI dashboard).`,
    );
  }
  if (typeof value !== 'string') invalid('secret', 'a string', value);
  const bytes = secretBytes(value);
  // describeValue never quotes a string, so the message cannot carry the secret.
  if (bytes === undefined) invalid('secret', 'a webhook signing secret, `whsec_` followed by base64', value);
  return bytes;
}

function resolveTolerance(value: unknown): number {
  if (value === undefined) return WEBHOOK_DEFAULTS.toleranceSeconds;
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    invalid('toleranceSeconds', 'a whole number of seconds above 0', value);
  }
  return value as number;
}

function readSecretEnv(): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    return env?.[WEBHOOK_DEFAULTS.secretEnv]?.trim() || undefined;
  } catch {
    // Deno without --allow-env throws on access; treat it as unset.
    return undefined;
  }
}

/** The payload's bytes, exactly as signed: a string is encoded as UTF-8, bytes are used as they are. */
function bodyBytes(payload: unknown): Uint8Array {
  if (typeof payload === 'string') return encodeUtf8(payload);
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  if (payload instanceof Uint8Array) return payload;
  return invalid(
    'payload',
    'the raw request body as a string, Uint8Array or ArrayBuffer (not parsed JSON)',
    payload,
    InvalidArgumentError,
  );
}

function readHeaders(headers: unknown): { id: string; timestamp: string; signature: string } {
  if (!(headers instanceof Headers) && !isObject(headers)) {
    invalid('headers', 'a Headers or a record of header names to values', headers, InvalidArgumentError);
  }
  const [id, timestamp, signature] = HEADERS.map((name) => {
    const value = headerValue(headers, name);
    if (value === undefined || value.trim() === '') {
      throw new WebhookVerificationError(`missing \`${name}\` header`, 'missing_header');
    }
    return value;
  }) as [string, string, string];
  return { id, timestamp, signature };
}

/** A header by name in any case; a record's array of two or more values is refused. */
function headerValue(headers: Headers | Record<string, unknown>, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  if (Array.isArray(value)) {
    if (value.length > 1) {
      throw new WebhookVerificationError(`\`${name}\` header sent more than once`, 'invalid_header');
    }
    return typeof value[0] === 'string' ? value[0] : undefined;
  }
  return typeof value === 'string' ? value : undefined;
}

function checkTimestamp(header: string, tolerance: number): void {
  const seconds = parseTimestamp(header);
  if (seconds === undefined) {
    throw new WebhookVerificationError('`webhook-timestamp` is not whole Unix seconds', 'invalid_header');
  }
  const age = Math.floor(Date.now() / 1000) - seconds;
  if (age > tolerance) {
    throw new WebhookVerificationError(
      `\`webhook-timestamp\` is ${age} s old, past the ${tolerance} s tolerance`,
      'stale_timestamp',
    );
  }
  if (-age > tolerance) {
    throw new WebhookVerificationError(
      `\`webhook-timestamp\` is ${-age} s in the future, past the ${tolerance} s tolerance`,
      'stale_timestamp',
    );
  }
}

// Fatal: a body that is not UTF-8 is not JSON (RFC 8259), and a lossy decode would hide it.
const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

/** The signed body as an event: a JSON object with a string `id` and `type`, and `created_at`. */
function parseEvent(body: Uint8Array): WebhookEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(body));
  } catch {
    // No cause kept: V8's SyntaxError quotes the body.
    throw new WebhookVerificationError('the signed body is not UTF-8 JSON', 'invalid_payload');
  }
  if (
    !isObject(parsed) ||
    typeof parsed.id !== 'string' ||
    typeof parsed.type !== 'string' ||
    typeof parsed.created_at !== 'number'
  ) {
    throw new WebhookVerificationError(
      'the signed body is not a webhook event (an object with `id`, `type` and `created_at`)',
      'invalid_payload',
    );
  }
  const event = parsed as unknown as WebhookEvent;
  if (isRealtimeCallIncoming(event) && !hasCallId(event.data)) {
    throw new WebhookVerificationError(
      'the signed `realtime.call.incoming` event has no `data.call_id`',
      'invalid_payload',
    );
  }
  return event;
}

function hasCallId(data: unknown): boolean {
  return isObject(data) && typeof data.call_id === 'string' && data.call_id !== '';
}
