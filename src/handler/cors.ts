// Cross-origin access for the token route: which origins may call it, the headers every answer to
// them carries, and preflights. Off unless `cors.origins` names origins; `*` is refused.
import { invalid } from '../internal/messages.js';
import type { SessionHandlerCoreAnswer } from './core.js';
import { HANDLER_DEFAULTS, type SessionHandlerCorsOptions } from './options.js';

export interface ResolvedCors {
  origins: ReadonlySet<string>;
  maxAgeSeconds: number;
  allowHeaders: string;
  credentials: boolean;
}

/** Checks `cors` at startup and normalises each origin as browsers serialise `Origin`. */
export function resolveCors(cors: SessionHandlerCorsOptions | undefined): ResolvedCors | undefined {
  if (cors === undefined) return undefined;
  const list: unknown = cors.origins;
  if (!Array.isArray(list) || list.length === 0)
    invalid('cors.origins', 'an array with at least one origin', list);
  const origins = new Set<string>();
  (list as unknown[]).forEach((origin, i) => origins.add(resolveOrigin(origin, `cors.origins[${i}]`)));
  const maxAgeSeconds = cors.maxAgeSeconds ?? HANDLER_DEFAULTS.corsMaxAgeSeconds;
  if (!Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
    invalid('cors.maxAgeSeconds', 'a non-negative integer', maxAgeSeconds);
  }
  const allowHeaders = cors.allowHeaders ?? HANDLER_DEFAULTS.corsAllowHeaders;
  return {
    origins,
    maxAgeSeconds,
    allowHeaders: allowHeaders.map((h) => h.trim().toLowerCase()).join(', '),
    credentials: cors.credentials === true,
  };
}

function resolveOrigin(origin: unknown, name: string): string {
  if (origin === '*') invalid(name, 'an origin, not "*" (a token route must name its callers)', origin);
  let url: URL | undefined;
  try {
    url = typeof origin === 'string' ? new URL(origin) : undefined;
  } catch {
    url = undefined;
  }
  // An opaque origin (`null`, from file: or data: URLs) could be any page.
  if (url === undefined || url.origin === 'null') {
    invalid(name, 'an origin such as https://app.example.com (scheme, host and port)', origin);
  }
  // new URL normalises case and default ports the same way browsers serialise Origin.
  return url.origin;
}

/** The CORS headers of every answer to `origin`; `Vary` even when it is not allowed. */
export function corsHeadersFor(cors: ResolvedCors, origin: string | null): Record<string, string> {
  // Vary on every answer: a cache must not hand one origin's answer to another.
  const headers: Record<string, string> = { vary: 'Origin' };
  if (origin !== null && cors.origins.has(origin)) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-expose-headers'] = 'retry-after';
    if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
  }
  return headers;
}

/** The answer to OPTIONS: a CORS preflight, or, without `Origin`, what the route accepts. */
export function preflight(
  cors: ResolvedCors,
  origin: string | null,
  corsHeaders: Record<string, string> | undefined,
): SessionHandlerCoreAnswer {
  const headers: Record<string, string> = { ...corsHeaders, 'cache-control': 'no-store' };
  if (origin === null) {
    // Not a CORS preflight (browsers always send Origin): just say what the route accepts.
    headers.allow = 'POST, OPTIONS';
    return { status: 204, headers, body: null };
  }
  headers['access-control-allow-methods'] = 'POST';
  headers['access-control-allow-headers'] = cors.allowHeaders;
  headers['access-control-max-age'] = String(cors.maxAgeSeconds);
  return { status: 204, headers, body: null };
}

/**
 * An `authorize` answer with what every answer of the route carries, unless it set them itself:
 * `Cache-Control: no-store`, and the CORS headers, without which a cross-origin page could not read
 * the refusal and would see only a network error.
 */
export function withRouteHeaders(
  response: Response,
  corsHeaders: Record<string, string> | undefined,
): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries({ ...corsHeaders, 'cache-control': 'no-store' })) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
