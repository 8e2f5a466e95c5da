/**
 * The body size the runtime will deliver, when the headers make it certain: a numeric
 * Content-Length with no Content-Encoding (a compressed body can inflate far past its length).
 */
export function declaredLength(headers: Headers): number | undefined {
  const length = headers.get('content-length');
  if (length === null || !/^\d+$/.test(length)) return undefined;
  const encoding = headers.get('content-encoding');
  return encoding === null || encoding === 'identity' ? Number(length) : undefined;
}

/**
 * Reads a response body as UTF-8 text, or returns `undefined` once it exceeds `maxBytes` (the
 * rest is cancelled, not buffered). Read failures, such as a connection reset mid-body or an
 * abort, reject with the runtime's error.
 */
export async function readText(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = declaredLength(response.headers);
  if (declared !== undefined && declared <= maxBytes) return response.text();
  if (response.body === null) return '';
  const reader = response.body.getReader();
  if (declared !== undefined) {
    await reader.cancel().catch(() => {});
    return undefined;
  }
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}
