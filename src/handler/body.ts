// Reading and checking the browser's request body for createSessionHandler. Web-standard APIs only:
// this runs in Node, Workers, Deno and Bun alike.
import { isObject } from '../internal/json.js';
import { readCapped } from '../internal/streams.js';

/**
 * Keys that would reach an object's prototype if a later `Object.assign`, merge or spread in someone
 * else's code treated them as ordinary properties. JSON.parse keeps them as own data properties, so
 * they are harmless here; they are rejected anyway so the body we forward never carries them.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

export type BodyReadResult =
  | { kind: 'ok'; bytes: Uint8Array }
  | { kind: 'too_large' }
  | { kind: 'timeout' }
  | { kind: 'unreadable'; cause: unknown };

/**
 * The browser's body, read under the route's cap with the one capped reader (src/internal/streams.ts),
 * as the result the route branches on: a read failure is the browser's (a 400), not an exception.
 * When `deadline` aborts first, the read is cancelled and the result is `timeout`.
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  deadline: AbortSignal,
): Promise<BodyReadResult> {
  if (body === null) return { kind: 'ok', bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const stop = (): void => void reader.cancel().catch(() => undefined);
  deadline.addEventListener('abort', stop, { once: true });
  try {
    const blob = await readCapped(reader, maxBytes);
    if (deadline.aborted) return { kind: 'timeout' };
    return blob === undefined
      ? { kind: 'too_large' }
      : { kind: 'ok', bytes: new Uint8Array(await blob.arrayBuffer()) };
  } catch (cause) {
    return deadline.aborted ? { kind: 'timeout' } : { kind: 'unreadable', cause };
  } finally {
    deadline.removeEventListener('abort', stop);
  }
}

/**
 * Whether a Content-Type names JSON in UTF-8: `application/json`, optionally with `charset=utf-8`
 * (any case, quoted or not). JSON is UTF-8 by RFC 8259, so another charset is refused rather than
 * misread.
 */
export function isJsonContentType(header: string | null): boolean {
  return isUtf8MediaType(header, 'application/json');
}

/** Whether a Content-Type is `essence` (case-insensitive) with no charset other than UTF-8. */
export function isUtf8MediaType(header: string | null, essence: string): boolean {
  if (header === null) return false;
  const [type, ...params] = header.split(';');
  if (type.trim().toLowerCase() !== essence) return false;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1) {
      if (param.trim() === '') continue;
      return false;
    }
    const name = param.slice(0, eq).trim().toLowerCase();
    const value = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8') return false;
  }
  return true;
}

// One decoder for every request: a non-streaming decode keeps no state between calls.
export const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

export type ParseResult =
  | { kind: 'ok'; fields: Record<string, unknown> }
  | { kind: 'invalid_json'; message: string }
  | { kind: 'not_object' }
  | { kind: 'forbidden_key'; key: string }
  | { kind: 'too_deep' }
  | { kind: 'field_not_allowed'; field: string };

/**
 * How deep the browser's JSON may nest. A real session config nests four or five levels; a body
 * nested thousands deep fits in 16 KiB, passes every other check, and would overflow the stack
 * where the session is serialised later (a 500, and a false bug report).
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Turns the raw bytes into the fields the browser may set. Zero bytes mean `{}`. Every check is on own
 * keys of what JSON.parse produced; the result has a null prototype.
 */
export function parseClientFields(bytes: Uint8Array, allowed: ReadonlySet<string>): ParseResult {
  if (bytes.byteLength === 0) return { kind: 'ok', fields: Object.create(null) as Record<string, unknown> };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { kind: 'invalid_json', message: 'request body is not valid UTF-8' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'invalid_json', message: 'request body is not valid JSON' };
  }
  if (!isObject(parsed)) return { kind: 'not_object' };

  const problem = inspect(parsed);
  if (problem !== undefined) return problem;

  const fields = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(parsed)) {
    if (!allowed.has(key)) return { kind: 'field_not_allowed', field: key };
    fields[key] = (parsed as Record<string, unknown>)[key];
  }
  return { kind: 'ok', fields };
}

/**
 * The first forbidden key at any depth, or a nesting past {@link MAX_BODY_DEPTH}. Depth-first, with
 * an explicit stack, so the walk itself never recurses.
 */
function inspect(root: object): ParseResult | undefined {
  const stack: [value: unknown, depth: number][] = [[root, 1]];
  // A forbidden key is reported wherever it is, even past the depth limit.
  let tooDeep = false;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_BODY_DEPTH) tooDeep = true;
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return { kind: 'forbidden_key', key };
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return tooDeep ? { kind: 'too_deep' } : undefined;
}
