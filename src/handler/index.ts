// A server-side token route: the browser asks this handler for a session, the handler asks OpenAI with
// the server's API key and returns only the ephemeral client secret and the session. Fetch-API only
// (Request, Response, Headers, streams), so it runs unchanged in Node 18+, Next.js, Hono, Cloudflare
// Workers, Deno and Bun. The node:http adapter lives in src/adapters/node.ts.
//
// This file composes the route from its parts: options.ts (types, defaults, checks), upstream.ts
// (the endpoints), cors.ts, body.ts, pipeline.ts (one request, step by step), calls.ts (an offer in
// calls mode), answers.ts and core.ts (the adapter's fast path).
import { RealtimeApi } from '../../generated/client.js';
import { readLimited } from './body.js';
import { registerCore, type SessionHandlerCore, type SessionHandlerCoreInput } from './core.js';
import { resolveCors } from './cors.js';
import { resolveClientOptions } from '../client/options.js';
import { CLIENT_OPTION_KEYS, refuseUnknownKeys } from '../internal/option-keys.js';
import { closest } from '../internal/suggest.js';
import {
  HANDLER_DEFAULTS,
  HANDLER_OPTION_KEYS,
  resolveAllowed,
  resolveLimit,
  resolveMs,
  resolveSessionFields,
  type CallHandlerOptions,
  type ClientSecretHandlerOptions,
  type SessionHandler,
  type SessionHandlerOptions,
} from './options.js';
import { handleCall, type CallRoute } from './calls.js';
import { handle, reporter, type Route, type RouteBase } from './pipeline.js';
import { callsUpstream, resolveUpstream } from './upstream.js';
import { invalid } from '../internal/messages.js';

export type {
  CallContext,
  CallHandlerOptions,
  ClientSecretHandlerOptions,
  ClientSecretSettableField,
  ClientSettableField,
  SessionHandler,
  SessionHandlerCorsOptions,
  SessionHandlerErrorBody,
  SessionHandlerOptions,
  SessionHandlerSuccessBody,
} from './options.js';

/**
 * Creates a Fetch-API route handler that mints a Realtime session for a browser. One
 * {@link RealtimeApi} client is created here and reused for every request, so a missing API key or
 * an invalid option throws now (`ConfigurationError`), not on the first request.
 *
 * It mints through the GA `POST /realtime/client_secrets` by default (see
 * {@link ClientSecretHandlerOptions}), or, for existing apps with a beta `session` config, with
 * `endpoint: 'sessions'` through the beta `POST /realtime/sessions`, which upstream retired: there
 * the client's `betaEndpoints` fallback mints through GA (see {@link SessionHandlerOptions}). The
 * browser POSTs JSON with the fields it may set (`{}` or an empty body for none). The answer, in
 * both modes, is `{ client_secret: { value, expires_at }, session }`, or
 * `{ error: { message, code } }`; both with `Cache-Control: no-store`. OpenAI's error bodies are
 * never forwarded, and the API key never appears in an answer.
 *
 * With `endpoint: 'calls'` (see {@link CallHandlerOptions}) the browser POSTs its SDP offer instead,
 * and gets the SDP answer of a call the route created with `POST /realtime/calls`: the page never
 * holds any credential, and connects in one round trip.
 *
 * @example
 * // app/api/realtime-session/route.ts (Next.js)
 * import { createSessionHandler } from 'realtime-sessions';
 * export const POST = createSessionHandler({
 *   session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' },
 *   allowFromClient: ['voice'], // the page sends { "voice": "verse" }, as with the sessions endpoint
 *   expiresAfterSeconds: 300,
 * });
 *
 * @example
 * // The page POSTs its offer (application/sdp) and gets the answer: no key, one round trip.
 * export const POST = createSessionHandler({
 *   endpoint: 'calls',
 *   session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' },
 * });
 */
export function createSessionHandler(
  options: ClientSecretHandlerOptions | SessionHandlerOptions | CallHandlerOptions = {},
): SessionHandler {
  const resolved = resolveRoute(options);
  const run =
    'call' in resolved
      ? (input: SessionHandlerCoreInput) => handleCall(resolved, input)
      : (input: SessionHandlerCoreInput) => handle(resolved, input);
  const core: SessionHandlerCore = (input) => run(input) as ReturnType<SessionHandlerCore>;
  const handler: SessionHandler = async function sessionHandler(request: Request): Promise<Response> {
    const answer = await run({
      method: request.method,
      header: (name) => request.headers.get(name),
      body: (maxBytes, deadline) => readLimited(request.body, maxBytes, deadline),
      // Some runtimes' requests carry no signal.
      signal: request.signal ?? undefined,
      request,
    });
    if (answer instanceof Response) return answer;
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
  // authorize and onCall take a Fetch Request, so only handlers without them can skip building one;
  // without authorize, the route never answers with a Response.
  if (!resolved.authorize && !('call' in resolved && resolved.onCall)) registerCore(handler, core);
  return handler;
}

/** Options of one mode that another mode refuses, with what to use instead. */
const NOT_IN_CALLS = {
  maxBodyBytes: "unset with endpoint 'calls' (its cap is maxOfferBytes)",
  sessionFields: "unset with endpoint 'calls' (the page gets an SDP answer, no session)",
  expiresAfterSeconds: "unset with endpoint 'calls' (no secret is minted)",
} as const;
const ONLY_IN_CALLS = {
  maxOfferBytes: "unset without endpoint 'calls' (this mode's cap is maxBodyBytes)",
  onCall: "unset without endpoint 'calls' (no call is created in this mode)",
} as const;

/** Every option checked and resolved, in the order a misconfiguration is most useful to report. */
function resolveRoute(
  options: ClientSecretHandlerOptions | SessionHandlerOptions | CallHandlerOptions,
): Route | CallRoute {
  if (typeof options === 'object' && options !== null) {
    refuseUnknownKeys(
      options,
      [...HANDLER_OPTION_KEYS, ...CLIENT_OPTION_KEYS],
      'createSessionHandler()',
      closest,
    );
  }
  const {
    endpoint,
    session,
    allowFromClient,
    expiresAfterSeconds,
    maxBodyBytes,
    maxOfferBytes,
    bodyTimeoutMs,
    upstreamTimeoutMs,
    sessionFields,
    onCall,
    authorize,
    cors,
    onError,
    ...clientOptions
  } = options as CallHandlerOptions & Omit<SessionHandlerOptions, 'endpoint'> & { endpoint?: unknown };
  const calls = endpoint === 'calls';
  const misplaced = Object.entries(calls ? NOT_IN_CALLS : ONLY_IN_CALLS).find(
    ([name]) => (options as Record<string, unknown>)[name] !== undefined,
  );
  if (misplaced) invalid(misplaced[0], misplaced[1], (options as Record<string, unknown>)[misplaced[0]]);
  if (onCall !== undefined && typeof onCall !== 'function') invalid('onCall', 'a function', onCall);
  const api = new RealtimeApi(clientOptions);
  const allowed = resolveAllowed(allowFromClient);
  const base = shared(clientOptions, { allowed, bodyTimeoutMs, upstreamTimeoutMs, authorize, cors, onError });
  if (calls) {
    return {
      ...base,
      call: callsUpstream(api, { session, allowed, expiresAfterSeconds }),
      limit: resolveLimit('maxOfferBytes', maxOfferBytes, HANDLER_DEFAULTS.maxOfferBytes),
      onCall,
    };
  }
  return {
    ...base,
    upstream: resolveUpstream(api, { endpoint, session, allowed, expiresAfterSeconds }),
    limit: resolveLimit('maxBodyBytes', maxBodyBytes, HANDLER_DEFAULTS.maxBodyBytes),
    sessionFields: resolveSessionFields(sessionFields),
  };
}

/** What every mode resolves the same way. */
function shared(
  clientOptions: object,
  options: Pick<
    SessionHandlerOptions,
    'bodyTimeoutMs' | 'upstreamTimeoutMs' | 'authorize' | 'cors' | 'onError'
  > & { allowed: ReadonlySet<string> },
): Omit<RouteBase, 'limit'> {
  const { allowed, bodyTimeoutMs, upstreamTimeoutMs, authorize, cors, onError } = options;
  return {
    allowed,
    bodyTimeoutMs: resolveMs('bodyTimeoutMs', bodyTimeoutMs, HANDLER_DEFAULTS.bodyTimeoutMs),
    upstreamTimeoutMs: resolveMs('upstreamTimeoutMs', upstreamTimeoutMs, HANDLER_DEFAULTS.upstreamTimeoutMs),
    // The credentials its client sends (the key, a gateway's token): none may reach a browser.
    secrets: resolveClientOptions(clientOptions).secrets.filter((secret) => secret.length >= 8),
    cors: resolveCors(cors),
    authorize,
    report: reporter(onError),
  };
}
