import { DEFAULTS } from '../internal/defaults.js';
import { ConfigurationError } from '../core/errors.js';
import { invalid } from '../internal/messages.js';
import { VERSION } from '../internal/version.js';

/**
 * A `fetch` with the standard signature; `globalThis.fetch` and undici's `fetch` both fit. Pass one
 * as {@link ClientOptions.fetch} to wrap, instrument or replace the network call.
 *
 * @example
 * ```ts
 * const timedFetch: Fetch = async (input, init) => {
 *   const started = performance.now();
 *   const response = await fetch(input, init);
 *   // Log the status and time, never `init.headers`: it carries the API key.
 *   console.info(response.status, Math.round(performance.now() - started), 'ms');
 *   return response;
 * };
 * const api = new RealtimeApi({ fetch: timedFetch });
 * ```
 */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Extra headers: a `Headers`, `[name, value]` pairs, or a record whose `null`/`undefined` values
 * remove a header the SDK would otherwise send. Names are case-insensitive: `Authorization`
 * replaces the SDK's `authorization` rather than adding a second one.
 *
 * @example
 * ```ts
 * // Tag every request for your proxy, and send no User-Agent.
 * const api = new RealtimeApi({ headers: { 'X-Trace-Id': traceId, 'User-Agent': null } });
 * ```
 */
export type HeadersOption =
  Headers | ReadonlyArray<readonly [string, string]> | Record<string, string | null | undefined>;

/**
 * How the beta operations reach upstream: `'fallback'` (the default), `'ga'` or `'beta'`. See
 * {@link ClientOptions.betaEndpoints} for what each one does.
 *
 * @example
 * ```ts
 * // A serverless function: skip the beta round trip every cold instance would pay.
 * const api = new RealtimeApi({ betaEndpoints: 'ga' });
 * ```
 */
export type BetaEndpoints = 'fallback' | 'ga' | 'beta';

/**
 * Options for a {@link RealtimeApi} client, fixed at construction.
 *
 * @example
 * ```ts
 * const api = new RealtimeApi({ apiKey: process.env.OPENAI_API_KEY, timeoutMs: 10_000, maxRetries: 1 });
 * ```
 */
export interface ClientOptions {
  /**
   * OpenAI API key, sent as `Authorization: Bearer <apiKey>`. Keep it on the server.
   * @default process.env.OPENAI_API_KEY
   */
  apiKey?: string;
  /**
   * Root URL of the API; a trailing slash is tolerated.
   * @default process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'
   */
  baseUrl?: string;
  /**
   * Sent as `OpenAI-Organization` when set; `null` sends none even if the variable is set.
   * @default process.env.OPENAI_ORG_ID
   */
  organization?: string | null;
  /**
   * Sent as `OpenAI-Project` when set; `null` sends none even if the variable is set.
   * @default process.env.OPENAI_PROJECT_ID
   */
  project?: string | null;
  /**
   * Milliseconds each attempt may take, headers and body included. `Infinity` disables it.
   * @default 60000
   */
  timeoutMs?: number;
  /**
   * Extra attempts for retryable failures (408, 409, 429, 5xx, connection errors, timeouts).
   * @default 2
   */
  maxRetries?: number;
  /**
   * Headers added to every request, after the SDK's own (so they can override them).
   * @default {}
   */
  headers?: HeadersOption;
  /**
   * A `fetch` to use instead of `globalThis.fetch`, e.g. for a proxy agent or tests.
   * @default globalThis.fetch
   */
  fetch?: Fetch;
  /**
   * How `createRealtimeSession` and `createRealtimeTranscriptionSession` reach upstream, which
   * retired their beta endpoints in 2026 (they answer 404 "Invalid URL"):
   * - `'fallback'`: call the beta endpoint; when it answers retired, mint through the GA
   *   `POST /realtime/client_secrets` instead, translating the request and the answer, and go
   *   straight to GA for the rest of the client's life (the standalone functions remember it per
   *   base URL for the life of the process).
   * - `'ga'`: always translate and never call a beta path: no extra round trip, which suits
   *   serverless functions, where every cold instance would otherwise pay one.
   * - `'beta'`: never translate; a retirement throws `BetaEndpointRetiredError`. For servers that
   *   still serve the beta contract.
   * @default 'fallback'
   */
  betaEndpoints?: BetaEndpoints;
  /**
   * Allows construction in a browser. Don't: the API key would ship to every visitor. Mint
   * sessions on your server and send the browser only `client_secret.value`.
   * @default false
   */
  dangerouslyAllowBrowser?: boolean;
}

/**
 * Options for one call; they override the client's.
 *
 * @example
 * ```ts
 * await api.createRealtimeSession({ model: 'gpt-realtime' }, { signal: AbortSignal.timeout(5_000), maxRetries: 0 });
 * ```
 */
export interface RequestOptions {
  /** Aborts the call, including retries and backoff; the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Per-attempt timeout in milliseconds for this call.
   * @default the client's `timeoutMs`
   */
  timeoutMs?: number;
  /**
   * Extra attempts for this call.
   * @default the client's `maxRetries`
   */
  maxRetries?: number;
  /**
   * Headers for this call, merged over the client's.
   * @default {}
   */
  headers?: HeadersOption;
}

/**
 * What a call runs with: the client's settings, or a call's options validated and merged over them.
 * One function does both, so a per-call option is checked exactly like a client option.
 */
export interface CallSettings {
  /** Per-attempt timeout; `Infinity` for none. */
  timeoutMs: number;
  maxRetries: number;
  /** Lower-cased names. The client's are frozen and sent as is when a call adds none. */
  headers: Readonly<Record<string, string>>;
}

/** Client options after defaults, environment and validation. */
export interface ResolvedClientOptions extends CallSettings {
  apiKey: string;
  /** Without a trailing slash. */
  baseUrl: string;
  fetch: Fetch;
  /** The credentials the client's own headers send, scrubbed from every error. */
  secrets: readonly string[];
}

// setTimeout overflows above this and fires at once; longer timeouts mean "none".
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Applies defaults and environment variables, and rejects unusable options before any request. */
export function resolveClientOptions(options: ClientOptions = {}): ResolvedClientOptions {
  if (typeof options !== 'object' || !options) invalid('options', 'an object', options);
  const scope = globalThis as { window?: unknown; document?: unknown };
  const browser = typeof scope.window !== 'undefined' && typeof scope.document !== 'undefined';
  if (browser && options.dangerouslyAllowBrowser !== true) {
    throw new ConfigurationError(
      'Browsers would expose the API key: have your server give the page only a client_secret, or pass `dangerouslyAllowBrowser: true`.',
    );
  }

  const apiKey = options.apiKey ?? readEnv('apiKey');
  if (typeof apiKey !== 'string' || !apiKey.trim()) {
    throw new ConfigurationError(`Missing API key: pass \`apiKey\` or set ${DEFAULTS.env.apiKey}.`);
  }

  // Looked up per call, so a fetch patched in later (test mocks, instrumentation) is used, and
  // called on globalThis, because some browsers throw "Illegal invocation" on a detached fetch.
  const fetch: Fetch =
    options.fetch ?? (globalThis.fetch && ((input, init) => globalThis.fetch(input, init)));
  if (typeof fetch !== 'function') invalid('fetch', 'a function', fetch);

  const headers: Record<string, string> = {
    authorization: `Bearer ${apiKey}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  // Browsers forbid setting User-Agent, and some reject the whole request if you try.
  if (!browser) headers['user-agent'] = `realtime-sessions/${VERSION}`;
  for (const key of ['organization', 'project'] as const) {
    const value = options[key];
    if (value != null && typeof value !== 'string') invalid(key, 'a string', value);
    // `null` opts out; blank falls back to the environment.
    const resolved = value === null ? '' : value?.trim() || readEnv(key);
    if (resolved) headers[`openai-${key}`] = resolved;
  }

  const rawBaseUrl = options.baseUrl ?? readEnv('baseUrl') ?? DEFAULTS.baseUrl;
  const baseUrl = String(rawBaseUrl).trim().replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    // Not a URL at all: reported below with the other invalid cases.
  }
  if (!url || !/^https?:$/.test(url.protocol)) invalid('baseUrl', 'an http(s) URL', rawBaseUrl);
  // Every failure quotes its URL: a password in it would reach every error message and log.
  if (url.username || url.password) invalid('baseUrl', 'a URL without user:password@', rawBaseUrl);

  const settings = resolveCallSettings(options, {
    timeoutMs: DEFAULTS.timeoutMs,
    maxRetries: DEFAULTS.maxRetries,
    headers,
  });
  // Frozen: the same object goes to `fetch` on every call, so a fetch wrapper that edits it must
  // not change later requests.
  Object.freeze(settings.headers);
  return { apiKey, baseUrl, fetch, secrets: sentCredentials(settings.headers), ...settings };
}

/**
 * The credentials a request with these (lower-cased) headers sends: the bearer token, ours or one a
 * gateway setup put in `headers`, and an `api-key` header. An echoing upstream or proxy could quote
 * any of them back, so every error is scrubbed of them.
 */
export function sentCredentials(headers: Readonly<Record<string, string>>): string[] {
  return [headers.authorization?.replace(/^Bearer\s+/i, '') ?? '', headers['api-key'] ?? ''];
}

/**
 * Validates `timeoutMs`, `maxRetries` and `headers` from `options`, falling back to `base` for
 * each one absent. Headers merge over `base.headers`; with none given, `base.headers` is reused.
 */
export function resolveCallSettings(options: RequestOptions, base: CallSettings): CallSettings {
  const { timeoutMs = base.timeoutMs, maxRetries = base.maxRetries, headers } = options;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) invalid('timeoutMs', 'a positive number', timeoutMs);
  if (!Number.isInteger(maxRetries) || maxRetries < 0)
    invalid('maxRetries', 'a non-negative integer', maxRetries);
  return {
    timeoutMs: timeoutMs > MAX_TIMER_MS ? Infinity : timeoutMs,
    maxRetries,
    headers: headers === undefined ? base.headers : mergeHeaders(base.headers, headers),
  };
}

/**
 * Copies `base` and applies `extra` over it. Names are lower-cased so that a caller's
 * `authorization` replaces ours instead of being sent alongside it.
 */
export function mergeHeaders(base: Readonly<Record<string, string>>, extra: HeadersOption) {
  if (typeof extra !== 'object' || !extra) invalid('headers', 'an object', extra);
  const merged: Record<string, string> = { ...base };
  // Headers and pairs are iterable; a record is not.
  for (const [name, value] of (Symbol.iterator in extra ? extra : Object.entries(extra)) as Iterable<
    [string, string | null | undefined]
  >) {
    const key = name.toLowerCase();
    if (value == null) delete merged[key];
    else merged[key] = String(value);
  }
  return merged;
}

/** A variable named in `DEFAULTS.env`, trimmed; `undefined` when unset, blank or unreadable. */
function readEnv(option: keyof typeof DEFAULTS.env): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    return env?.[DEFAULTS.env[option]]?.trim() || undefined;
  } catch {
    // Deno without --allow-env throws on access; treat it as unset.
    return undefined;
  }
}
