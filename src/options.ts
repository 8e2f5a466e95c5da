import { DEFAULTS } from './defaults.js';
import { ConfigurationError } from './errors.js';
import { VERSION } from './version.js';

/** A `fetch` with the standard signature; `globalThis.fetch` and undici's `fetch` both fit. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Extra headers: a `Headers`, `[name, value]` pairs, or a record whose `null`/`undefined` values
 * remove a header the SDK would otherwise send.
 */
export type HeadersOption =
  Headers | ReadonlyArray<readonly [string, string]> | Record<string, string | null | undefined>;

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

/** Client options after defaults, environment and validation. */
export interface ResolvedClientOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  fetch: Fetch;
  /** Lower-cased names, computed once; sent as is unless a call adds headers. */
  headers: Readonly<Record<string, string>>;
}

// setTimeout overflows above this and fires at once; longer timeouts mean "none".
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Applies defaults and environment variables, and rejects unusable options before any request. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError(`Expected client options to be an object, but received ${typeof options}.`);
  }
  const browser = isBrowser();
  if (browser && options.dangerouslyAllowBrowser !== true) {
    throw new ConfigurationError(
      'RealtimeApi is running in a browser, where the OpenAI API key would be visible to every visitor. ' +
        'Keep the real API key on your server: create the session there and send the browser only the ' +
        'minted `client_secret.value` (an ephemeral key). If you accept the risk, pass `dangerouslyAllowBrowser: true`.',
    );
  }

  const apiKey = options.apiKey ?? readEnv(DEFAULTS.env.apiKey);
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new ConfigurationError(
      `Missing OpenAI API key: pass \`apiKey\` to RealtimeApi or set the ${DEFAULTS.env.apiKey} environment variable.`,
    );
  }

  const fetch = options.fetch ?? defaultFetch();
  if (typeof fetch !== 'function') {
    throw new ConfigurationError('`fetch` must be a function with the standard fetch signature.');
  }

  const headers: Record<string, string> = {
    authorization: `Bearer ${apiKey}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  // Browsers forbid setting User-Agent, and some reject the whole request if you try.
  if (!browser) headers['user-agent'] = `realtime-sessions/${VERSION}`;
  const organization = optionalString(options.organization, DEFAULTS.env.organization, 'organization');
  if (organization) headers['openai-organization'] = organization;
  const project = optionalString(options.project, DEFAULTS.env.project, 'project');
  if (project) headers['openai-project'] = project;

  return {
    apiKey,
    baseUrl: checkBaseUrl(options.baseUrl ?? readEnv(DEFAULTS.env.baseUrl) ?? DEFAULTS.baseUrl),
    timeoutMs: options.timeoutMs === undefined ? DEFAULTS.timeoutMs : checkTimeoutMs(options.timeoutMs),
    maxRetries: options.maxRetries === undefined ? DEFAULTS.maxRetries : checkMaxRetries(options.maxRetries),
    fetch,
    headers: Object.freeze(mergeHeaders(headers, options.headers)),
  };
}

/** A per-attempt timeout, or `Infinity` for none. */
export function checkTimeoutMs(value: unknown): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new ConfigurationError(
      `\`timeoutMs\` must be a positive number of milliseconds (or Infinity), but received ${describe(value)}.`,
    );
  }
  return value > MAX_TIMER_MS ? Infinity : value;
}

export function checkMaxRetries(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigurationError(
      `\`maxRetries\` must be a non-negative integer, but received ${describe(value)}.`,
    );
  }
  return value;
}

/**
 * Copies `base` and applies `extra` over it. Names are lower-cased so that a caller's
 * `authorization` replaces ours instead of being sent alongside it.
 */
export function mergeHeaders(base: Readonly<Record<string, string>>, extra: HeadersOption | undefined) {
  const merged: Record<string, string> = { ...base };
  if (extra === undefined) return merged;
  if (typeof extra !== 'object' || extra === null) {
    throw new ConfigurationError(`\`headers\` must be an object, but received ${describe(extra)}.`);
  }
  const entries = extra instanceof Headers || Array.isArray(extra) ? extra : Object.entries(extra);
  for (const [name, value] of entries as Iterable<[string, string | null | undefined]>) {
    const key = name.toLowerCase();
    if (value === null || value === undefined) delete merged[key];
    else merged[key] = String(value);
  }
  return merged;
}

/** Describes a value for an error message: its kind, and the value itself when short and safe. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (typeof value === 'string') return 'a string';
  if (typeof value !== 'object') return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor
    ?.name;
  return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
}

function isBrowser(): boolean {
  const scope = globalThis as { window?: unknown; document?: unknown };
  return typeof scope.window !== 'undefined' && typeof scope.document !== 'undefined';
}

function readEnv(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
      name
    ]?.trim();
    return value || undefined;
  } catch {
    // Deno without --allow-env throws on access; treat it as unset.
    return undefined;
  }
}

function defaultFetch(): Fetch {
  if (typeof globalThis.fetch !== 'function') {
    throw new ConfigurationError('No global `fetch` in this runtime: pass `fetch` in the client options.');
  }
  // Looked up per call, so a fetch patched in later (test mocks, instrumentation) is used, and
  // called on globalThis, because some browsers throw "Illegal invocation" on a detached fetch.
  return (input, init) => globalThis.fetch(input, init);
}

function optionalString(
  value: string | null | undefined,
  envName: string,
  option: string,
): string | undefined {
  if (value === null) return undefined;
  if (value !== undefined && typeof value !== 'string') {
    throw new ConfigurationError(`\`${option}\` must be a string, but received ${describe(value)}.`);
  }
  return value?.trim() || readEnv(envName);
}

function checkBaseUrl(value: unknown): string {
  const url = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // Reported below, with the other invalid cases.
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ConfigurationError(`\`baseUrl\` must be an http(s) URL, but received ${describe(value)}.`);
  }
  return url;
}
