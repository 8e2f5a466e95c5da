import { ConfigurationError } from '../core/errors.js';

/**
 * The `openai` package's spellings of our options, which users carry over: each is silently
 * ignored by a plain object spread, so the call would go to the default base URL, or with no
 * timeout, without a word.
 */
const OPENAI_SPELLINGS: Readonly<Record<string, string>> = {
  baseURL: 'did you mean `baseUrl`?',
  timeout: 'did you mean `timeoutMs` (milliseconds per attempt)?',
  defaultHeaders: 'did you mean `headers`?',
  defaultQuery: 'this SDK sends no query parameters',
};

/** Every option a {@link ClientOptions} object may have. */
export const CLIENT_OPTION_KEYS = [
  'apiKey',
  'baseUrl',
  'organization',
  'project',
  'timeoutMs',
  'maxRetries',
  'headers',
  'fetch',
  'betaEndpoints',
  'dangerouslyAllowBrowser',
] as const;

/**
 * Refuses an option key that `known` does not list, with a `ConfigurationError` naming the right
 * one: a typo (`allowFromClients`) or another SDK's spelling (`baseURL`) would otherwise be ignored
 * and the call would run without it. The hint is the `openai` spelling's, else the known key that
 * differs only in case, else what `suggest` finds (the token route passes the edit-distance
 * `closest`; the request path, whose every byte reaches the browser bundle of a minting app, does
 * not). `where` names what takes the options, for the message.
 */
export function refuseUnknownKeys(
  options: object,
  known: readonly string[],
  where: string,
  suggest?: (key: string, known: readonly string[]) => string | undefined,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => k.toLowerCase() === key.toLowerCase()) ?? suggest?.(key, known);
    const hint = Object.hasOwn(OPENAI_SPELLINGS, key)
      ? OPENAI_SPELLINGS[key]
      : near && `did you mean \`${near}\`?`;
    throw new ConfigurationError(`Unknown option \`${key}\` for ${where}${hint ? `: ${hint}` : ''}.`);
  }
}
