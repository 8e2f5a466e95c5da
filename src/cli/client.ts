// The client a command runs with, from its flags and the environment. Flags win over variables;
// the client checks every value (an http(s) base URL, a positive timeout, a whole number of
// retries, a known beta mode) and the CLI renames its options in its messages to what was typed.
import { RealtimeApi } from '../../generated/client.js';
import type { BetaEndpoints, ClientOptions } from '../client/options.js';
import { DEFAULTS } from '../internal/defaults.js';
import type { CliIo, Values } from './io.js';
import { progressFetch } from './progress.js';
import { scrub } from './report.js';
import { renamed, UsageError } from './usage.js';
import { numeric } from './values.js';

/** A setting from a flag or, failing that, a variable: its text and the name it was given under. */
interface Setting {
  text: string;
  source: string;
}

/**
 * A client for `values` and `io.env`. `doing` (e.g. `minting a client secret`) names the action
 * in the progress lines, which go to stderr only when it is a terminal.
 */
export function connect(values: Values, io: Required<CliIo>, doing: string): RealtimeApi {
  const apiKey = io.env.OPENAI_API_KEY;
  // Checked here, not left to the client: it would look in process.env, and `io.env` is the CLI's.
  if (apiKey === undefined || apiKey.trim() === '') {
    throw new UsageError('OPENAI_API_KEY is not set; export your API key first');
  }
  const baseUrl = setting(values, 'base-url', io.env, 'OPENAI_BASE_URL');
  const timeout = setting(values, 'timeout', io.env, 'OPENAI_TIMEOUT_MS');
  const retries = setting(values, 'max-retries', io.env, 'OPENAI_MAX_RETRIES');
  const timeoutMs =
    timeout === undefined ? undefined : numeric(timeout.source, timeout.text, 'a number of milliseconds');
  const maxRetries =
    retries === undefined ? undefined : numeric(retries.source, retries.text, 'a whole number');
  const options: ClientOptions = {
    apiKey,
    // Everything comes from `io.env`: `null` and the explicit default keep process.env out of it.
    baseUrl: baseUrl?.text ?? DEFAULTS.baseUrl,
    organization: io.env.OPENAI_ORG_ID || null,
    project: io.env.OPENAI_PROJECT_ID || null,
    timeoutMs,
    maxRetries,
    // Checked by the client: a wrong mode is a ConfigurationError (exit 2) naming the choices.
    betaEndpoints: values['beta-endpoints'] as BetaEndpoints | undefined,
  };
  if (io.stderr.isTTY === true) {
    const say = (line: string) => io.stderr.write(`${scrub(line, apiKey)}\n`);
    options.fetch = progressFetch(say, {
      doing,
      timeoutMs: timeoutMs ?? DEFAULTS.timeoutMs,
      maxRetries: maxRetries ?? DEFAULTS.maxRetries,
    });
  }
  try {
    return new RealtimeApi(options);
  } catch (error) {
    let named = error;
    if (baseUrl !== undefined) named = renamed(named, 'baseUrl', baseUrl.source);
    if (timeout !== undefined) named = renamed(named, 'timeoutMs', timeout.source);
    if (retries !== undefined) named = renamed(named, 'maxRetries', retries.source);
    named = renamed(named, 'betaEndpoints', '--beta-endpoints');
    throw named;
  }
}

/** `--flag` when given (even empty, which is then rejected as a value), else a non-blank `variable`. */
function setting(
  values: Values,
  flag: string,
  env: Record<string, string | undefined>,
  variable: string,
): Setting | undefined {
  const given = values[flag];
  if (typeof given === 'string') return { text: given, source: `--${flag}` };
  const set = env[variable];
  return set === undefined || set.trim() === '' ? undefined : { text: set, source: variable };
}
