// Standard Webhooks signatures (https://www.standardwebhooks.com/), the scheme OpenAI signs its
// webhooks with: HMAC-SHA256, keyed with the base64 after `whsec_`, over
// `${webhook-id}.${webhook-timestamp}.${raw body}`, sent base64 in `webhook-signature` as
// space-separated `v1,<signature>` entries (several while a secret is being rotated).
//
// WebCrypto only (`crypto.subtle`), which Node 20+, Bun, Deno, workerd and browsers all have, rather
// than the `standardwebhooks` package: its 1.1.x fixes the tolerance at 300 s (no option), signs only
// a string or a Node Buffer (a Uint8Array throws), is CommonJS with two CommonJS dependencies (a bare
// import that a browser's `<script type="module">` cannot resolve, and a pure-JS SHA-256), and
// parses `webhook-timestamp` with parseInt, which accepts `1700000000abc`.

const SECRET_PREFIX = 'whsec_';

// One encoder for every call; `encode` keeps no state. Pure, so an app that never verifies a
// webhook drops it.
const utf8 = /* @__PURE__ */ new TextEncoder();

/** The whole-seconds form `webhook-timestamp` must have; 15 digits is far past any real clock. */
const TIMESTAMP = /^\d{1,15}$/;

/**
 * The HMAC key bytes of a signing secret: the base64 after `whsec_` (or the whole string, as the
 * Standard Webhooks libraries also accept), or `undefined` when that is not base64 or is empty.
 */
export function secretBytes(secret: string): Uint8Array | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = decodeBase64(encoded.trim());
  return bytes !== undefined && bytes.byteLength > 0 ? bytes : undefined;
}

/** An HMAC-SHA256 key that can only sign, never be exported. */
export function importHmacKey(bytes: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    bytes as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
}

/** `webhook-timestamp` as Unix seconds, or `undefined` when it is not plain whole seconds. */
export function parseTimestamp(header: string): number | undefined {
  const trimmed = header.trim();
  return TIMESTAMP.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * The `v1` signatures of a `webhook-signature` header, decoded. Entries of other versions (`v1a`,
 * asymmetric) are skipped, as the spec says; a `v1` entry that is not base64 can match nothing and
 * is skipped too. `found` counts every `v1` entry, so an empty result can tell "none sent" from
 * "none usable".
 */
export function parseSignatures(header: string): { found: number; signatures: Uint8Array[] } {
  const signatures: Uint8Array[] = [];
  let found = 0;
  for (const entry of header.trim().split(/\s+/)) {
    const comma = entry.indexOf(',');
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
    found++;
    const decoded = decodeBase64(entry.slice(comma + 1));
    if (decoded !== undefined) signatures.push(decoded);
  }
  return { found, signatures };
}

/** The bytes Standard Webhooks signs: `${id}.${timestamp}.` then the raw body, byte for byte. */
export function signedContent(id: string, timestamp: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = utf8.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.byteLength + body.byteLength);
  content.set(prefix);
  content.set(body, prefix.byteLength);
  return content;
}

/** HMAC-SHA256 of `content` under `key`. */
export async function sign(key: CryptoKey, content: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, content));
}

/**
 * Whether two byte strings are equal, in time that depends only on their length (public: a
 * SHA-256 MAC is always 32 bytes), never on where they first differ, so timing tells a forger
 * nothing about how much of a guessed signature was right.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let difference = 0;
  for (let i = 0; i < a.byteLength; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/** The UTF-8 bytes of a string. */
export function encodeUtf8(text: string): Uint8Array {
  return utf8.encode(text);
}

/** Standard base64 (padding optional) to bytes, or `undefined` when it is not base64. */
function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
