// Reading a body under a size cap: the one reader behind the client's response bodies and the token
// route's request bodies. Web-standard streams only, so it runs in every runtime.

/**
 * A Content-Length value as a number: `undefined` when the header is absent, `NaN` when it is not a
 * plain decimal (which the token route refuses, and the client reads as "unknown").
 */
export function contentLength(value: string | null): number | undefined {
  if (value === null) return undefined;
  return /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
}

/**
 * Reads a stream whole, as a Blob, or returns `undefined` as soon as more than `maxBytes` arrived:
 * the rest is cancelled, never buffered. Counting the bytes received matters: a chunked body has no
 * Content-Length, and a Content-Length can understate. A Blob per chunk counts bytes whatever the
 * runtime hands out (bytes by spec; some give strings). A read failure (a reset, an abort) rejects
 * with the runtime's error. It takes the reader so that its caller can cancel it (the token route's
 * body deadline); a cancelled read ends the stream, and the caller knows why.
 */
export async function readCapped(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
): Promise<Blob | undefined> {
  const parts: Blob[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return new Blob(parts);
      // A stream chunk is never a view of shared memory, which Blob refuses.
      const part = new Blob([value as Uint8Array<ArrayBuffer>]);
      total += part.size;
      if (total > maxBytes) {
        // Not awaited: on a tee branch (a middleware called request.clone()) cancel settles only
        // with its twin.
        reader.cancel().catch(() => undefined);
        return undefined;
      }
      parts.push(part);
    }
  } catch (cause) {
    reader.cancel().catch(() => undefined);
    throw cause;
  }
}

/**
 * A response body as UTF-8 text, or `undefined` when it is over `maxBytes`. A body whose length the
 * headers make certain (a Content-Length with no Content-Encoding, which could inflate it) is read
 * with the runtime's own `text()` when it fits, and refused unread when it does not.
 */
export async function readText(response: Response, maxBytes: number): Promise<string | undefined> {
  const encoding = response.headers.get('content-encoding');
  const length = contentLength(response.headers.get('content-length'));
  if (!response.body) return '';
  // A malformed length (NaN) is unknown too: `NaN >= 0` is false.
  if (length === undefined || !(length >= 0) || (encoding && encoding !== 'identity')) {
    return (await readCapped(response.body.getReader(), maxBytes))?.text();
  }
  if (length <= maxBytes) return response.text();
  await response.body.cancel().catch(() => undefined);
  return undefined;
}
