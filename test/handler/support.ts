// What the handler suites share: building the browser's request, reading an answer, and the checks
// every error answer must pass. Not a test file: vitest only collects `*.test.ts`.
import { expect } from 'vitest';

/** Builds the browser's request. `body: undefined` sends none. */
export function browserRequest(
  body: string | Uint8Array<ArrayBuffer> | undefined,
  { method = 'POST', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Request {
  return new Request('http://app.test/session', {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** A handler's answer, read once: the body as text and, when it parses, as JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export async function answer(response: Response | Promise<Response>): Promise<Answer> {
  const r = await response;
  const text = await r.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: r.status, headers: r.headers, text, body };
}

/** An error answer: `status`, fresh JSON, no-store, the `code` if given, and none of `secrets` nor anything key-shaped. */
export function expectSafeError(
  a: Answer,
  status: number,
  code: string | undefined,
  secrets: string[],
): void {
  expect(a.status).toBe(status);
  expect(a.headers.get('content-type')).toBe('application/json');
  expect(a.headers.get('cache-control')).toBe('no-store');
  if (code !== undefined) expect(a.body.error.code).toBe(code);
  for (const secret of secrets) expect(a.text).not.toContain(secret);
  expect(a.text).not.toMatch(/sk-|ek_/);
}

/**
 * A beta session as `POST /realtime/sessions` answers it, with `secret` as its ephemeral key.
 * `fields` adds or overrides session fields (`voice`, `instructions`, …).
 */
export function betaSession(
  id: string,
  secret: string,
  { expiresAt = 2_000_000_000, ...fields }: { expiresAt?: number; [field: string]: unknown } = {},
) {
  return {
    id,
    object: 'realtime.session',
    model: 'gpt-realtime',
    ...fields,
    client_secret: { value: secret, expires_at: expiresAt },
  };
}
