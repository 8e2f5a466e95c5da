// What the two handler property tests share: JSON text built by hand, so keys such as `__proto__`
// and duplicated keys reach the handler as written (JSON.stringify of a generated object would drop
// or merge them), the request built from a generated case, and a record of what the handler sent to
// its upstream `fetch`.
import fc from 'fast-check';

/** One of `keys`, as JSON text. */
export function jsonKeys(...keys: string[]): fc.Arbitrary<string> {
  return fc.constantFrom(...keys).map((k) => JSON.stringify(k));
}

/** A JSON object of up to `maxLength` entries, written from `key` and `value` JSON text as is. */
export function jsonObjectText(
  key: fc.Arbitrary<string>,
  value: fc.Arbitrary<string>,
  maxLength: number,
): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(key, value), { maxLength })
    .map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`);
}

/** `leaf` values, or objects (keys from `key`) and arrays nesting them. */
export function nestedJsonText(leaf: fc.Arbitrary<string>, key: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      jsonObjectText(key, tie('value'), 4),
      fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
    ),
  })).value;
}

/** What the handler sent upstream. */
export interface Sent {
  url: string;
  authorization: string | null;
  body: unknown;
}

/** Appends to `calls` what `fetch(input, init)` would send. */
export async function recordSent(
  calls: Sent[],
  input: string | URL | Request,
  init?: RequestInit,
): Promise<void> {
  const request = new Request(input, init);
  calls.push({
    url: request.url,
    authorization: request.headers.get('authorization'),
    body: JSON.parse(await request.text()),
  });
}

/**
 * The browser's request to the handler's route. GET and HEAD go without a body, as they must; with
 * `chunkSize`, the body is a stream of that many bytes a chunk, as a chunked upload arrives.
 */
export function routeRequest(
  method: string,
  headers: Headers,
  body: Uint8Array,
  chunkSize?: number,
): Request {
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD')
    return new Request('http://handler.test/session', { method, headers });
  const payload =
    chunkSize === undefined
      ? body
      : new ReadableStream<Uint8Array>({
          start(controller) {
            for (let at = 0; at < body.byteLength; at += chunkSize)
              controller.enqueue(body.slice(at, at + chunkSize));
            controller.close();
          },
        });
  return new Request('http://handler.test/session', {
    method,
    headers,
    body: payload,
    duplex: 'half',
  } as RequestInit);
}
