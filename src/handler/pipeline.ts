// One request through the token route, as named steps: origin, method, authorize, body headers,
// body, fields, mint, answer. Each step returns the answer that ends the request, or hands on what
// the next step needs. The steps up to the body are shared with the calls mode (calls.ts), which
// reads an SDP offer instead of JSON fields. Fetch-API only; never import node: modules here.
import { TimeoutError } from '../core/errors.js';
import { contentLength } from '../internal/streams.js';
import {
  clip,
  errorAnswer,
  INTERNAL_ERROR,
  INVALID_SESSION,
  jsonAnswer,
  upstreamFailure,
} from './answers.js';
import { isJsonContentType, MAX_BODY_DEPTH, parseClientFields } from './body.js';
import type { SessionHandlerCoreAnswer, SessionHandlerCoreInput } from './core.js';
import { corsHeadersFor, preflight, withRouteHeaders, type ResolvedCors } from './cors.js';
import type { SessionHandlerOptions, SessionHandlerSuccessBody } from './options.js';
import type { Minted, Upstream } from './upstream.js';
import type { FieldShape } from './validate.js';
import { firstFieldProblem } from './validators-loader.js';

/** What every mode's route is configured with: the checks before the body, and its limits. */
export interface RouteBase {
  allowed: ReadonlySet<string>;
  /** The body's cap in bytes. */
  limit: number;
  bodyTimeoutMs: number;
  upstreamTimeoutMs: number;
  /** The credentials the route's requests send upstream: none may reach a browser. */
  secrets: readonly string[];
  cors: ResolvedCors | undefined;
  authorize: SessionHandlerOptions['authorize'];
  /** `onError`, made safe to call. */
  report(error: unknown): void;
}

/** A minting route (`client_secrets` and `sessions` modes). */
export interface Route extends RouteBase {
  upstream: Upstream;
  /** The session fields the browser's answer carries. */
  sessionFields: ReadonlySet<string>;
}

export type Answer = SessionHandlerCoreAnswer | Response;
export type CorsHeaders = Record<string, string> | undefined;

/** The request media types a mode reads, and how its 415 names them. */
export interface Media {
  accepts(contentType: string | null): boolean;
  expected: string;
}

const JSON_MEDIA: Media = { accepts: isJsonContentType, expected: 'application/json' };

/** Runs one request through the route. */
export async function handle(route: Route, input: SessionHandlerCoreInput): Promise<Answer> {
  const { cors, refused } = await admit(route, input, JSON_MEDIA);
  if (refused) return refused;
  const read = await readFields(route, input, cors);
  if ('answer' in read) return read.answer;
  return mint(route, read.fields, input.signal, cors);
}

/**
 * The checks before the body, in order: origin, method (and preflight), `authorize`, and what the
 * headers say about the body. `refused` is the answer that ends the request, if any.
 */
export async function admit(
  route: RouteBase,
  input: SessionHandlerCoreInput,
  media: Media,
): Promise<{ cors: CorsHeaders; refused: Answer | undefined }> {
  const origin = input.header('origin');
  const cors = route.cors && corsHeadersFor(route.cors, origin);
  const refused =
    checkOrigin(route, origin, cors) ??
    checkMethod(route, input.method.toUpperCase(), origin, cors) ??
    (await runAuthorize(route, input, cors)) ??
    checkBodyHeaders(route, input, cors, media);
  return { cors, refused };
}

function checkOrigin(route: RouteBase, origin: string | null, cors: CorsHeaders): Answer | undefined {
  if (route.cors && origin !== null && !route.cors.origins.has(origin)) {
    return errorAnswer(403, { message: 'origin not allowed', code: 'origin_not_allowed' }, cors);
  }
  return undefined;
}

/** POST, or with CORS a preflight; anything else is 405. Shared with the webhook route (no CORS). */
export function checkMethod(
  route: Pick<RouteBase, 'cors'>,
  method: string,
  origin: string | null,
  cors: CorsHeaders,
): SessionHandlerCoreAnswer | undefined {
  if (method === 'OPTIONS' && route.cors) return preflight(route.cors, origin, cors);
  if (method === 'POST') return undefined;
  return errorAnswer(405, { message: `method ${method} not allowed`, code: 'method_not_allowed' }, cors, {
    allow: route.cors ? 'POST, OPTIONS' : 'POST',
  });
}

/** `authorize`, before the body is read and before upstream is called. */
async function runAuthorize(
  route: RouteBase,
  input: SessionHandlerCoreInput,
  cors: CorsHeaders,
): Promise<Answer | undefined> {
  const { authorize } = route;
  // Handlers with `authorize` never take the fast path, so there is always a Fetch request here.
  const request = input.request;
  if (!authorize || !request) return undefined;
  let verdict: unknown;
  try {
    verdict = await authorize(request);
  } catch (error) {
    route.report(error);
    return errorAnswer(500, INTERNAL_ERROR, cors);
  }
  if (verdict instanceof Response) return withRouteHeaders(verdict, cors);
  if (verdict !== true) return errorAnswer(401, { message: 'unauthorized', code: 'unauthorized' }, cors);
  if (request.bodyUsed) {
    route.report(new Error('authorize consumed the request body; read headers and cookies only'));
    return errorAnswer(500, INTERNAL_ERROR, cors);
  }
  return undefined;
}

/** What the headers say about the body: a media type the mode reads, not compressed, not declared over the limit. */
function checkBodyHeaders(
  route: RouteBase,
  input: SessionHandlerCoreInput,
  cors: CorsHeaders,
  media: Media,
): Answer | undefined {
  if (!media.accepts(input.header('content-type'))) {
    return errorAnswer(
      415,
      { message: `content-type must be ${media.expected}`, code: 'unsupported_media_type' },
      cors,
    );
  }
  const encoding = input.header('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') {
    return errorAnswer(
      415,
      { message: 'content-encoding is not supported', code: 'unsupported_media_type' },
      cors,
    );
  }
  return checkLength(route.limit, input.header('content-length'), cors);
}

/** A `Content-Length` that is malformed (400) or over `limit` (413). */
export function checkLength(
  limit: number,
  header: string | null,
  cors: CorsHeaders,
): SessionHandlerCoreAnswer | undefined {
  const declared = contentLength(header);
  if (declared !== undefined && Number.isNaN(declared)) {
    return errorAnswer(400, { message: 'invalid content-length', code: 'invalid_request' }, cors);
  }
  return declared !== undefined && declared > limit ? tooLarge(limit, cors) : undefined;
}

function tooLarge(limit: number, cors: CorsHeaders): SessionHandlerCoreAnswer {
  return errorAnswer(413, { message: `request body exceeds ${limit} bytes`, code: 'body_too_large' }, cors);
}

/** The body's bytes, read under the limit and the body deadline, or the answer that refuses it. */
export async function readBytes(
  route: Pick<RouteBase, 'limit' | 'bodyTimeoutMs'>,
  input: Pick<SessionHandlerCoreInput, 'body'>,
  cors: CorsHeaders,
): Promise<{ bytes: Uint8Array } | { answer: SessionHandlerCoreAnswer }> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), route.bodyTimeoutMs);
  const read = await input.body(route.limit, deadline.signal).finally(() => clearTimeout(timer));
  if (read.kind === 'too_large') return { answer: tooLarge(route.limit, cors) };
  if (read.kind === 'timeout') {
    const message = `request body not received within ${route.bodyTimeoutMs} ms`;
    return { answer: errorAnswer(408, { message, code: 'body_timeout' }, cors, { connection: 'close' }) };
  }
  if (read.kind === 'unreadable') {
    return {
      answer: errorAnswer(400, { message: 'request body could not be read', code: 'invalid_request' }, cors),
    };
  }
  return { bytes: read.bytes };
}

/**
 * The body, read under the limit, as the fields the browser may set (an object without a
 * prototype), or the answer that refuses it.
 */
async function readFields(
  route: Route,
  input: SessionHandlerCoreInput,
  cors: CorsHeaders,
): Promise<{ fields: Record<string, unknown> } | { answer: Answer }> {
  const read = await readBytes(route, input, cors);
  if ('answer' in read) return read;
  return checkFields(read.bytes, route.allowed, route.upstream.shape, cors);
}

/**
 * JSON bytes as the fields the browser may set, each checked against its schema in the pinned
 * fragment (a wrong value costs a 400, not an upstream round trip), or the answer that refuses them.
 */
export async function checkFields(
  bytes: Uint8Array,
  allowed: ReadonlySet<string>,
  shape: FieldShape,
  cors: CorsHeaders,
): Promise<{ fields: Record<string, unknown> } | { answer: Answer }> {
  const parsed = parseClientFields(bytes, allowed);
  if (parsed.kind !== 'ok') return { answer: errorAnswer(400, refusalOf(parsed), cors) };
  const invalid = await firstFieldProblem(shape, parsed.fields);
  if (invalid) {
    const { field, problem } = invalid;
    return { answer: errorAnswer(400, { message: problem, code: 'invalid_field', param: field }, cors) };
  }
  return { fields: parsed.fields };
}

/** Why the body's fields are refused, as the browser's 400 says it. */
function refusalOf(parsed: Exclude<ReturnType<typeof parseClientFields>, { kind: 'ok' }>) {
  switch (parsed.kind) {
    case 'invalid_json':
      return { message: parsed.message, code: 'invalid_json' };
    case 'not_object':
      return { message: 'request body must be a JSON object', code: 'invalid_json' };
    case 'forbidden_key':
      return {
        message: `key "${parsed.key}" is not allowed anywhere in the body`,
        code: 'forbidden_key',
        param: parsed.key,
      };
    case 'too_deep':
      return { message: `request body nests deeper than ${MAX_BODY_DEPTH} levels`, code: 'invalid_json' };
    case 'field_not_allowed': {
      const field = clip(parsed.field);
      return {
        message: `field "${field}" may not be set by the client`,
        code: 'field_not_allowed',
        param: field,
      };
    }
  }
}

/** The upstream call and the browser's answer. */
async function mint(
  route: Route,
  fields: Record<string, unknown>,
  signal: AbortSignal | undefined,
  cors: CorsHeaders,
): Promise<Answer> {
  let minted: Minted;
  try {
    minted = await underDeadline(route, route.upstream.path, signal, (deadline) =>
      route.upstream.mint(fields, deadline),
    );
  } catch (error) {
    return failed(route, error, Object.keys(fields), route.upstream.fieldOf, signal, cors);
  }
  const problem = answerProblem(minted);
  if (problem) {
    route.report(new Error(`upstream answer unusable: ${problem}`));
    return errorAnswer(502, INVALID_SESSION, cors);
  }
  const success: SessionHandlerSuccessBody<unknown> = {
    client_secret: {
      value: minted.client_secret!.value as string,
      expires_at: minted.client_secret!.expires_at as number,
    },
    session: pick(minted.session as Record<string, unknown>, route.sessionFields),
  };
  let answer: SessionHandlerCoreAnswer;
  try {
    answer = jsonAnswer(200, success, cors);
  } catch (cause) {
    // A session nested too deep to serialise: answer, never reject the handler.
    route.report(cause);
    return errorAnswer(502, INVALID_SESSION, cors);
  }
  return echoesCredential(route, answer.body!) ? errorAnswer(502, INVALID_SESSION, cors) : answer;
}

/**
 * Whether an upstream answer holds a credential the route sent, reported if so. An upstream, proxy
 * or debug gateway that echoes the request's credentials would hand them to the browser: every
 * mode fails closed on it.
 */
export function echoesCredential(route: RouteBase, text: string): boolean {
  if (!route.secrets.some((secret) => text.includes(secret))) return false;
  route.report(new Error('upstream answer echoes the credentials the route sent; not forwarded'));
  return true;
}

/**
 * The answer to a failed upstream exchange, mapped as in every mode (see upstreamFailure); the
 * error goes to `onError` unless the browser went away.
 */
export function failed(
  route: RouteBase,
  error: unknown,
  clientFields: readonly string[],
  fieldOf: (param: unknown) => string | undefined,
  signal: AbortSignal | undefined,
  cors: CorsHeaders,
): Answer {
  if (signal?.aborted !== true) route.report(error);
  const mapped = upstreamFailure(error, new Set(clientFields), fieldOf);
  return errorAnswer(mapped.status, mapped.error, cors, mapped.headers);
}

/**
 * Runs the upstream exchange, every attempt and backoff, under one deadline of
 * `upstreamTimeoutMs`, and under the browser's signal: the browser going away aborts it too (some
 * runtimes' requests carry no signal). The deadline's reason is a TimeoutError, which the SDK
 * rethrows as it is, and which answers 504.
 */
export async function underDeadline<T>(
  route: RouteBase,
  path: string,
  browser: AbortSignal | undefined,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const ms = route.upstreamTimeoutMs;
  const timer = setTimeout(() => controller.abort(new TimeoutError(ms, { method: 'POST', path })), ms);
  const forward = (): void => controller.abort(browser!.reason);
  if (browser?.aborted) forward();
  browser?.addEventListener('abort', forward, { once: true });
  try {
    return await task(controller.signal);
  } finally {
    clearTimeout(timer);
    browser?.removeEventListener('abort', forward);
  }
}

/** Why a 2xx upstream answer cannot go to the browser, or `undefined` when it can. */
function answerProblem({ client_secret, session }: Minted): string | undefined {
  if (typeof client_secret?.value !== 'string' || client_secret.value === '') return 'no client secret';
  const expiresAt = client_secret.expires_at;
  if (typeof expiresAt !== 'number' || !(expiresAt * 1000 > Date.now())) return 'no future expires_at';
  if (session === null || typeof session !== 'object' || Array.isArray(session)) return 'no session object';
  return undefined;
}

/** The listed fields of `session`, in its own order. */
function pick(session: Record<string, unknown>, fields: ReadonlySet<string>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(session)) if (fields.has(key)) picked[key] = session[key];
  return picked;
}

/** `onError`, made safe to call: a failing hook must not turn an answer into a crash. */
export function reporter(onError: ((error: unknown) => void) | undefined): (error: unknown) => void {
  return (error) => {
    try {
      onError?.(error);
    } catch {
      // Errors thrown by the hook are ignored (see `onError`).
    }
  };
}
