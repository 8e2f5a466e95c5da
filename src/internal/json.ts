/** A non-null object that is not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parsed JSON, or `undefined` when `text` is not JSON (which `JSON.parse` never returns). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // No `cause` kept anywhere: V8's SyntaxError quotes the text, secrets included.
    return undefined;
  }
}
