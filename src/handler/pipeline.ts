// One request through the token route, as named steps: origin, method, authorize, body headers,
// body, fields, mint, answer. Each step returns the answer that ends the request, or hands on what
// the next step needs. Fetch-API only; never import node: modules here.
import { contentLength } from '../internal/streams.js';
import {
  clip,
  errorAnswer,
  INTERNAL_ERROR,
  INVALID_SESSION,
  jsonAnswer,
  upstreamFailure,
} from './answers.js';
import { isJsonContentType, parseClientFields } from './body.js';
import type { SessionHandlerCoreAnswer, SessionHandlerCoreInput } from './core.js';
import { corsHeadersFor, preflight, withRouteHeaders, type ResolvedCors } from './cors.js';
import type { SessionHandlerOptions, SessionHandlerSuccessBody } from './options.js';
import type { Minted, Upstream } from './upstream.js';

/** A route's resolved configuration: what every request is checked against and minted with. */
export interface Route {
  upstream: Upstream;
  allowed: ReadonlySet<string>;
  limit: number;
  cors: ResolvedCors | undefined;
  authorize: SessionHandlerOptions['authorize'];
  /** `onError`, made safe to call. */
  report(error: unknown): void;
}

type Answer = SessionHandlerCoreAnswer | Response;
type CorsHeaders = Record<string, string> | undefined;

/** Runs one request through the route. */
export async function handle(route: Route, input: SessionHandlerCoreInput): Promise<Answer> {
  const origin = input.header('origin');
  const cors = route.cors && corsHeadersFor(route.cors, origin);
  const refused =
    checkOrigin(route, origin, cors) ??
    checkMethod(route, input.method.toUpperCase(), origin, cors) ??
    (await runAuthorize(route, input, cors)) ??
    checkBodyHeaders(route, input, cors);
  if (refused) return refused;
  const read = await readFields(route, input, cors);
  if ('answer' in read) return read.answer;
  return mint(route, read.fields, input.signal, cors);
}

function checkOrigin(route: Route, origin: string | null, cors: CorsHeaders): Answer | undefined {
  if (route.cors && origin !== null && !route.cors.origins.has(origin)) {
    return errorAnswer(403, { message: 'origin not allowed', code: 'origin_not_allowed' }, cors);
  }
  return undefined;
}

function checkMethod(
  route: Route,
  method: string,
  origin: string | null,
  cors: CorsHeaders,
): Answer | undefined {
  if (method === 'OPTIONS' && route.cors) return preflight(route.cors, origin, cors);
  if (method === 'POST') return undefined;
  return errorAnswer(405, { message: `method ${method} not allowed`, code: 'method_not_allowed' }, cors, {
    allow: route.cors ? 'POST, OPTIONS' : 'POST',
  });
}

/** `authorize`, before the body is read and before upstream is called. */
async function runAuthorize(
  route: Route,
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

/** What the headers say about the body: JSON, not compressed, and not declared over the limit. */
function checkBodyHeaders(
  route: Route,
  input: SessionHandlerCoreInput,
  cors: CorsHeaders,
): Answer | undefined {
  if (!isJsonContentType(input.header('content-type'))) {
    return errorAnswer(
      415,
      { message: 'content-type must be application/json', code: 'unsupported_media_type' },
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
  const declared = contentLength(input.header('content-length'));
  if (declared !== undefined && Number.isNaN(declared)) {
    return errorAnswer(400, { message: 'invalid content-length', code: 'invalid_request' }, cors);
  }
  if (declared !== undefined && declared > route.limit) return tooLarge(route.limit, cors);
  return undefined;
}

function tooLarge(limit: number, cors: CorsHeaders): Answer {
  return errorAnswer(413, { message: `request body exceeds ${limit} bytes`, code: 'body_too_large' }, cors);
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
  const read = await input.body(route.limit);
  if (read.kind === 'too_large') return { answer: tooLarge(route.limit, cors) };
  if (read.kind === 'unreadable') {
    return {
      answer: errorAnswer(400, { message: 'request body could not be read', code: 'invalid_request' }, cors),
    };
  }
  const parsed = parseClientFields(read.bytes, route.allowed);
  if (parsed.kind === 'ok') return { fields: parsed.fields };
  return { answer: errorAnswer(400, refusalOf(parsed), cors) };
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
    // The browser going away aborts the upstream call. Some runtimes' requests carry no signal.
    minted = await route.upstream.mint(fields, signal);
  } catch (error) {
    if (signal?.aborted !== true) route.report(error);
    const mapped = upstreamFailure(error, new Set(Object.keys(fields)), route.upstream.fieldOf);
    return errorAnswer(mapped.status, mapped.error, cors, mapped.headers);
  }
  const { client_secret, session } = minted;
  if (
    typeof client_secret?.value !== 'string' ||
    typeof client_secret.expires_at !== 'number' ||
    session === null ||
    typeof session !== 'object'
  ) {
    route.report(new Error('upstream answer has no client_secret or no session'));
    return errorAnswer(502, INVALID_SESSION, cors);
  }
  const success: SessionHandlerSuccessBody<unknown> = {
    client_secret: { value: client_secret.value, expires_at: client_secret.expires_at },
    session,
  };
  try {
    return jsonAnswer(200, success, cors);
  } catch (cause) {
    // A session nested too deep to serialise: answer, never reject the handler.
    route.report(cause);
    return errorAnswer(502, INVALID_SESSION, cors);
  }
}
