// A server-side token route: the browser asks this handler for a session, the handler asks OpenAI with
// the server's API key and returns only the ephemeral client secret and the session. Fetch-API only
// (Request, Response, Headers, streams), so it runs unchanged in Node 18+, Next.js, Hono, Cloudflare
// Workers, Deno and Bun. The node:http adapter lives in src/adapters/node.ts.
//
// This file composes the route from its parts: options.ts (types, defaults, checks), upstream.ts
// (the two endpoints), cors.ts, body.ts, pipeline.ts (one request, step by step), answers.ts and
// core.ts (the adapter's fast path).
import { RealtimeApi } from '../../generated/client.js';
import { readLimited } from './body.js';
import { registerCore, type SessionHandlerCore } from './core.js';
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
  type ClientSecretHandlerOptions,
  type SessionHandler,
  type SessionHandlerOptions,
} from './options.js';
import { handle, type Route } from './pipeline.js';
import { resolveUpstream } from './upstream.js';

export type {
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
 * @example
 * // app/api/realtime-session/route.ts (Next.js)
 * import { createSessionHandler } from 'realtime-sessions';
 * export const POST = createSessionHandler({
 *   session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' },
 *   allowFromClient: ['voice'], // the page sends { "voice": "verse" }, as with the sessions endpoint
 *   expiresAfterSeconds: 300,
 * });
 */
export function createSessionHandler(
  options: ClientSecretHandlerOptions | SessionHandlerOptions = {},
): SessionHandler {
  const route = resolveRoute(options);
  const core: SessionHandlerCore = (input) => handle(route, input) as ReturnType<SessionHandlerCore>;
  const handler: SessionHandler = async function sessionHandler(request: Request): Promise<Response> {
    const answer = await handle(route, {
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
  // authorize takes a Fetch Request, so only handlers without it can skip building one; without
  // authorize, `handle` never answers with a Response.
  if (!route.authorize) registerCore(handler, core);
  return handler;
}

/** Every option checked and resolved, in the order a misconfiguration is most useful to report. */
function resolveRoute(options: ClientSecretHandlerOptions | SessionHandlerOptions): Route {
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
    bodyTimeoutMs,
    upstreamTimeoutMs,
    sessionFields,
    authorize,
    cors,
    onError,
    ...clientOptions
  } = options;
  const api = new RealtimeApi(clientOptions);
  const allowed = resolveAllowed(allowFromClient);
  return {
    upstream: resolveUpstream(api, { endpoint, session, allowed, expiresAfterSeconds }),
    allowed,
    limit: resolveLimit(maxBodyBytes),
    bodyTimeoutMs: resolveMs('bodyTimeoutMs', bodyTimeoutMs, HANDLER_DEFAULTS.bodyTimeoutMs),
    upstreamTimeoutMs: resolveMs('upstreamTimeoutMs', upstreamTimeoutMs, HANDLER_DEFAULTS.upstreamTimeoutMs),
    sessionFields: resolveSessionFields(sessionFields),
    // The credentials its client sends (the key, a gateway's token): none may reach a browser.
    secrets: resolveClientOptions(clientOptions).secrets.filter((secret) => secret.length >= 8),
    cors: resolveCors(cors),
    authorize,
    report(error) {
      try {
        onError?.(error);
      } catch {
        // A failing hook must not turn an answer into a crash.
      }
    },
  };
}
