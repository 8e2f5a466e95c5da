/**
 * Every default the SDK applies, in one place. Options passed to {@link RealtimeApi} or to a
 * single call override these; environment variables sit between the two.
 */
export const DEFAULTS = {
  /**
   * Root URL of the OpenAI API, used when neither `baseUrl` nor `OPENAI_BASE_URL` is set.
   * @default 'https://api.openai.com/v1'
   */
  baseUrl: 'https://api.openai.com/v1',
  /**
   * What the beta minting calls do now that upstream has retired their endpoints: call the beta
   * path and mint through `POST /realtime/client_secrets` when it answers retired.
   * @default 'fallback'
   */
  betaEndpoints: 'fallback',
  /**
   * Milliseconds each attempt may take, from sending the request to reading the last body byte.
   * @default 60000
   */
  timeoutMs: 60_000,
  /**
   * Extra attempts after the first one, for retryable failures only.
   * @default 2
   */
  maxRetries: 2,
  /**
   * Largest response body read, in bytes. A longer 2xx body is an `InvalidResponseError`;
   * a longer error body is cut, so a misbehaving proxy cannot exhaust memory.
   * @default 10485760 (10 MiB)
   */
  maxBodyBytes: 10 * 1024 * 1024,
  /**
   * A server-requested wait (`retry-after-ms`, `Retry-After`) is honoured only up to this many
   * milliseconds; beyond it the SDK falls back to its own backoff.
   * @default 60000
   */
  maxRetryAfterMs: 60_000,
  /**
   * First backoff delay in milliseconds; it doubles on every retry.
   * @default 500
   */
  initialRetryDelayMs: 500,
  /**
   * Ceiling of the exponential backoff in milliseconds.
   * @default 8000
   */
  maxRetryDelayMs: 8_000,
  /**
   * Share of the backoff delay removed at random, so that many clients don't retry in lockstep.
   * @default 0.25
   */
  retryJitter: 0.25,
  /**
   * Longest body excerpt quoted in an error message, in characters.
   * @default 200
   */
  excerptChars: 200,
  /**
   * Environment variables read when the matching option is absent. Read through
   * `globalThis.process?.env`, so runtimes without `process` simply see none.
   * @default { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL', organization: 'OPENAI_ORG_ID', project: 'OPENAI_PROJECT_ID' }
   */
  env: {
    apiKey: 'OPENAI_API_KEY',
    baseUrl: 'OPENAI_BASE_URL',
    organization: 'OPENAI_ORG_ID',
    project: 'OPENAI_PROJECT_ID',
  },
} as const;

/**
 * The GA endpoint's accepted range for `expires_after.seconds` (the spec's minimum and maximum),
 * checked by the CLI and the token handler before any request.
 */
export const EXPIRES_AFTER_SECONDS = { min: 10, max: 7200 } as const;
