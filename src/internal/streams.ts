/**
 * The body size the runtime will deliver, when the headers make it certain: a numeric
 * Content-Length with no Content-Encoding (a compressed body can inflate far past its length).
 */
export function declaredLength(headers: Headers): number | undefined {
  const length = headers.get('content-length');
  const encoding = headers.get('content-encoding');
  return /^\d+$/.test(length as string) && (!encoding || encoding == 'identity') ? Number(length) : undefined;
}

/**
 * Reads a response body as UTF-8 text, or returns `undefined` once it exceeds `maxBytes` (the
 * rest is cancelled, not buffered). Read failures, such as a connection reset mid-body or an
 * abort, reject with the runtime's error.
 */
export async function readText(response: Response, maxBytes: number): Promise<string | undefined> {
  // `undefined <= maxBytes` is false.
  const declared = declaredLength(response.headers);
  if (declared! <= maxBytes) return response.text();
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  // A declared length over the cap is refused unread.
  while (declared === undefined) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    if ((received += value.byteLength) > maxBytes) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return undefined;
}
