// `realtime-sessions <command> [flags]`: the CLI. Commands live in one table (create, client-secret,
// transcription); adding one is an entry with its flags, usage text and a run function.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { components } from '../../generated/openapi.js';
import { RealtimeApi } from '../client/api.js';
import { DEFAULTS, EXPIRES_AFTER_SECONDS } from '../internal/defaults.js';
import type { BetaEndpoints } from '../client/options.js';
import { ApiError, ConfigurationError, InvalidArgumentError, RealtimeSessionsError } from '../core/errors.js';
import { maskSecret } from '../internal/mask.js';
import { redact } from '../internal/redact.js';
import { VERSION } from '../internal/version.js';

type SessionRequest = components['schemas']['RealtimeSessionCreateRequest'];
type GaSessionRequest = components['schemas']['RealtimeSessionCreateRequestGA'];
type ClientSecretRequest = components['schemas']['RealtimeCreateClientSecretRequest'];
type TranscriptionRequest = components['schemas']['RealtimeTranscriptionSessionCreateRequest'];

const NAME = 'realtime-sessions';

/** Where the CLI writes and what it reads; `main` takes it so tests need no real process. */
export interface CliIo {
  /** Results (the session, help text). @default process.stdout */
  stdout: { write(text: string): unknown };
  /** The one-line error, `realtime-sessions: <message>`. @default process.stderr */
  stderr: { write(text: string): unknown };
  /** Where OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID are read. @default process.env */
  env: Record<string, string | undefined>;
  /** Clock for "seconds left", in milliseconds. @default Date.now */
  now?: () => number;
}

/** Exit codes: 0 success, 1 the API or the network failed, 2 bad usage or configuration. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Bad usage or configuration: printed as one line, exit 2. */
class UsageError extends Error {
  override name = 'UsageError';
}

type Flags = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  summary: string;
  usage: string;
  flags: Flags;
  /** One line per flag, in the order shown by --help. */
  help: Record<string, string>;
  run(values: Values, io: Required<CliIo>): Promise<number>;
}

/** Flags every API command shares. */
const CONNECTION_FLAGS = {
  'base-url': { type: 'string' },
  json: { type: 'boolean' },
  'show-secret': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Flags;

// The realtime session fields both `create` and `client-secret` take.
const SESSION_FLAGS = {
  model: { type: 'string' },
  voice: { type: 'string' },
  instructions: { type: 'string' },
} as const satisfies Flags;

// The two beta commands: how they reach an upstream that retired their endpoints.
const BETA_FLAGS = { 'beta-endpoints': { type: 'string' } } as const satisfies Flags;
const BETA_HELP: Record<string, string> = {
  '--beta-endpoints MODE':
    'fallback (default): the beta endpoint, then POST /realtime/client_secrets when upstream answers it retired (404); ga: client_secrets only, one round trip; beta: the beta endpoint only',
};

const CONNECTION_HELP: Record<string, string> = {
  '--base-url URL': 'API root URL (default: $OPENAI_BASE_URL, else https://api.openai.com/v1)',
  '--json': 'print the response as JSON (secret masked unless --show-secret)',
  '--show-secret': 'print the client secret in full (it is a live credential until it expires)',
  '-h, --help': 'show this help',
};

const COMMANDS: Record<string, Command> = {
  create: {
    summary:
      'mint a Realtime session and its ephemeral client secret (beta POST /realtime/sessions; retired upstream, so it falls back to POST /realtime/client_secrets)',
    usage: `${NAME} create [--model M] [--voice V] [--instructions TEXT] [--beta-endpoints MODE] [--base-url URL] [--json] [--show-secret]`,
    flags: { ...SESSION_FLAGS, ...BETA_FLAGS, ...CONNECTION_FLAGS },
    help: {
      '--model M': 'Realtime model, e.g. gpt-realtime (default: the API default)',
      '--voice V': 'voice, e.g. marin, cedar, verse (default: the API default)',
      '--instructions TEXT': 'system instructions for the session',
      ...BETA_HELP,
      ...CONNECTION_HELP,
    },
    async run(values, io) {
      const request: SessionRequest = {};
      if (values.model !== undefined) request.model = nonEmpty('--model', values.model);
      if (values.voice !== undefined) request.voice = nonEmpty('--voice', values.voice);
      if (values.instructions !== undefined)
        request.instructions = nonEmpty('--instructions', values.instructions);
      const session = await client(values, io).createRealtimeSession(request);
      printMinted(
        values,
        io,
        session,
        session.client_secret,
        [
          ['session', session.id ?? '(no id)'],
          ['model', session.model ?? '(not reported)'],
          ['voice', session.voice ?? '(not reported)'],
        ],
        (value) => ({ ...session, client_secret: { ...session.client_secret, value } }),
      );
      return EXIT.ok;
    },
  },
  'client-secret': {
    summary: 'mint a GA client secret (POST /realtime/client_secrets) for a Realtime session',
    usage: `${NAME} client-secret [--model M] [--voice V] [--instructions TEXT] [--expires-after SECONDS] [--base-url URL] [--json] [--show-secret]`,
    flags: { ...SESSION_FLAGS, 'expires-after': { type: 'string' }, ...CONNECTION_FLAGS },
    help: {
      '--model M': 'Realtime model, e.g. gpt-realtime (default: the API default)',
      '--voice V': 'voice, e.g. marin, cedar, verse; sent as session.audio.output.voice',
      '--instructions TEXT': 'system instructions for the session',
      '--expires-after SECONDS': `lifetime of the secret, ${EXPIRES_AFTER_SECONDS.min} to ${EXPIRES_AFTER_SECONDS.max} (default: the API default, 600)`,
      ...CONNECTION_HELP,
    },
    async run(values, io) {
      const session: GaSessionRequest = { type: 'realtime' };
      if (values.model !== undefined) session.model = nonEmpty('--model', values.model);
      if (values.instructions !== undefined)
        session.instructions = nonEmpty('--instructions', values.instructions);
      if (values.voice !== undefined)
        session.audio = { output: { voice: nonEmpty('--voice', values.voice) } };
      const request: ClientSecretRequest = { session };
      if (values['expires-after'] !== undefined) {
        request.expires_after = { anchor: 'created_at', seconds: expiresAfter(values['expires-after']) };
      }
      const minted = await client(values, io).createRealtimeClientSecret(request);
      // `session` is a realtime or a transcription session; only the first has a model and a voice.
      const realtime = minted.session?.type === 'realtime' ? minted.session : undefined;
      printMinted(
        values,
        io,
        minted,
        minted,
        [
          ['session', minted.session?.id ?? '(no id)'],
          ['model', realtime?.model ?? '(not reported)'],
          ['voice', realtime?.audio?.output?.voice ?? '(not reported)'],
        ],
        (value) => ({ ...minted, value }),
      );
      return EXIT.ok;
    },
  },
  transcription: {
    summary:
      'mint a transcription session and its client secret (beta POST /realtime/transcription_sessions; retired upstream, so it falls back to POST /realtime/client_secrets)',
    usage: `${NAME} transcription [--model M] [--language L] [--beta-endpoints MODE] [--base-url URL] [--json] [--show-secret]`,
    flags: {
      model: { type: 'string' },
      language: { type: 'string' },
      ...BETA_FLAGS,
      ...CONNECTION_FLAGS,
    },
    help: {
      '--model M': 'transcription model, e.g. gpt-4o-transcribe; sent as input_audio_transcription.model',
      '--language L': 'ISO-639-1 language of the audio, e.g. en; sent as input_audio_transcription.language',
      ...BETA_HELP,
      ...CONNECTION_HELP,
    },
    async run(values, io) {
      // The transcription request has no top-level model or language: both configure its transcriber.
      const transcription: NonNullable<TranscriptionRequest['input_audio_transcription']> = {};
      if (values.model !== undefined) transcription.model = nonEmpty('--model', values.model);
      if (values.language !== undefined) transcription.language = nonEmpty('--language', values.language);
      const request: TranscriptionRequest =
        Object.keys(transcription).length > 0 ? { input_audio_transcription: transcription } : {};
      const session = await client(values, io).createRealtimeTranscriptionSession(request);
      printMinted(
        values,
        io,
        session,
        session.client_secret,
        [
          // The schema lists no `id`, but the endpoint returns one (see its example in the fragment).
          ['session', (session as { id?: string }).id ?? '(no id)'],
          ['model', session.input_audio_transcription?.model ?? '(not reported)'],
          ['language', session.input_audio_transcription?.language ?? '(not reported)'],
        ],
        (value) => ({ ...session, client_secret: { ...session.client_secret, value } }),
      );
      return EXIT.ok;
    },
  },
};

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code: 0 success,
 * 1 API or network failure, 2 bad usage or configuration. Errors are one line on stderr.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const ctx: Required<CliIo> = { now: Date.now, ...io };
  const [first, ...rest] = argv;
  try {
    if (first === undefined) throw new UsageError(`missing command (try \`${NAME} --help\`)`);
    if (first === '-h' || first === '--help' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      if (topic !== undefined && !Object.hasOwn(COMMANDS, topic))
        throw new UsageError(`unknown command "${topic}"`);
      ctx.stdout.write(topic === undefined ? overview() : commandHelp(topic));
      return EXIT.ok;
    }
    if (first === '-v' || first === '--version') {
      ctx.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option "${first}" (try \`${NAME} --help\`)`);
    if (!Object.hasOwn(COMMANDS, first))
      throw new UsageError(`unknown command "${first}" (try \`${NAME} --help\`)`);
    const command = COMMANDS[first];

    let values: Values;
    try {
      values = parseArgs({ args: [...rest], options: command.flags, strict: true, allowPositionals: false })
        .values as Values;
    } catch (error) {
      throw new UsageError(`${parseArgsMessage(error)} (try \`${NAME} ${first} --help\`)`);
    }
    if (values.help === true) {
      ctx.stdout.write(commandHelp(first));
      return EXIT.ok;
    }
    return await command.run(values, ctx);
  } catch (error) {
    const { message, code } = describe(error, ctx.env);
    ctx.stderr.write(`${NAME}: ${message}\n`);
    return code;
  }
}

function client(values: Values, io: Required<CliIo>): RealtimeApi {
  const apiKey = io.env.OPENAI_API_KEY;
  if (apiKey === undefined || apiKey.trim() === '') {
    throw new UsageError('OPENAI_API_KEY is not set; export your API key first');
  }
  let baseUrl = typeof values['base-url'] === 'string' ? values['base-url'] : io.env.OPENAI_BASE_URL;
  if (baseUrl !== undefined && baseUrl !== '') {
    let url: URL | undefined;
    try {
      url = new URL(baseUrl);
    } catch {
      url = undefined;
    }
    const source = typeof values['base-url'] === 'string' ? '--base-url' : 'OPENAI_BASE_URL';
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new UsageError(`${source} must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
    }
  } else {
    baseUrl = undefined;
  }
  // Everything comes from `io.env`; `null` and the explicit default keep process.env out of it.
  return new RealtimeApi({
    apiKey,
    baseUrl: baseUrl ?? DEFAULTS.baseUrl,
    organization: io.env.OPENAI_ORG_ID || null,
    project: io.env.OPENAI_PROJECT_ID || null,
    // Checked by the client: a wrong mode is a ConfigurationError (exit 2) naming the choices.
    betaEndpoints: values['beta-endpoints'] as BetaEndpoints | undefined,
  });
}

/** A minted secret as every endpoint returns it, nested (`client_secret`) or top-level. */
interface MintedSecret {
  value?: unknown;
  expires_at?: unknown;
}

/**
 * Prints what a command minted: `rows` describing it, then the secret's expiry and the secret,
 * masked unless --show-secret. With --json, prints `withSecret(shown)`: the whole `response` with
 * the secret replaced by what may be shown.
 */
function printMinted(
  values: Values,
  io: Required<CliIo>,
  response: unknown,
  minted: MintedSecret | null | undefined,
  rows: [string, string][],
  withSecret: (shown: string) => unknown,
): void {
  // The transcription endpoint's own example answers `client_secret: null`: say so, do not crash.
  const value = typeof minted?.value === 'string' ? minted.value : undefined;
  const shown = value === undefined || values['show-secret'] === true ? value : maskSecret(value);
  if (values.json === true) {
    // Without a string secret there is nothing to mask in place, but an odd answer may still carry
    // one elsewhere: print it scrubbed unless --show-secret.
    const printed =
      shown !== undefined
        ? withSecret(shown)
        : values['show-secret'] === true
          ? response
          : (JSON.parse(redact(JSON.stringify(response))) as unknown);
    io.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
    return;
  }
  const expiresAt = minted?.expires_at;
  const expiry =
    typeof expiresAt === 'number'
      ? `${isoTime(expiresAt)} (${Math.max(0, Math.round(expiresAt - io.now() / 1000))} s left)`
      : '(not reported)';
  const all: [string, string][] = [...rows, ['expires at', expiry], ['secret', shown ?? '(none returned)']];
  io.stdout.write(all.map(([label, text]) => `${label.padEnd(12)} ${text}\n`).join(''));
}

/** `--expires-after`: whole seconds within the GA endpoint's bounds, else a usage error. */
function expiresAfter(flag: string | boolean): number {
  const text = typeof flag === 'string' ? flag.trim() : '';
  const seconds = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= EXPIRES_AFTER_SECONDS.min && seconds <= EXPIRES_AFTER_SECONDS.max)) {
    throw new UsageError(
      `--expires-after must be a whole number of seconds from ${EXPIRES_AFTER_SECONDS.min} to ${EXPIRES_AFTER_SECONDS.max}, got ${JSON.stringify(flag)}`,
    );
  }
  return seconds;
}

function isoTime(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  return Number.isNaN(date.getTime()) ? String(unixSeconds) : date.toISOString();
}

function nonEmpty(flag: string, value: string | boolean): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(`${flag} needs a non-empty value`);
  return value;
}

/** One line and an exit code for any failure; the API key is scrubbed whatever the message says. */
function describe(
  error: unknown,
  env: Record<string, string | undefined>,
): { message: string; code: number } {
  let message: string;
  let code: number = EXIT.failure;
  if (
    error instanceof UsageError ||
    error instanceof ConfigurationError ||
    error instanceof InvalidArgumentError
  ) {
    message = error.message;
    code = EXIT.usage;
  } else if (error instanceof ApiError) {
    message = error.requestId ? `${error.message} (request id ${error.requestId})` : error.message;
  } else if (error instanceof RealtimeSessionsError) {
    message = error.message;
  } else {
    message = `unexpected error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  let line = message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const key = env.OPENAI_API_KEY;
  if (key !== undefined && key.length >= 4) line = line.split(key).join('[REDACTED]');
  return { message: line, code };
}

function parseArgsMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // node:util's messages suggest `--` for values that look like flags; keep just the first sentence.
  return text.split('\n')[0].replace(/\. To specify .*$/, '');
}

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const commands = Object.entries(COMMANDS)
    .map(([name, command]) => `  ${name.padEnd(width)}${command.summary}\n`)
    .join('');
  return (
    `Usage: ${NAME} <command> [flags]\n\n` +
    `Commands:\n${commands}\n` +
    `Global flags:\n  -h, --help     show help (also: ${NAME} <command> --help)\n  -v, --version  print the version\n\n` +
    `Environment:\n  OPENAI_API_KEY      API key (required)\n  OPENAI_BASE_URL     API root URL\n` +
    `  OPENAI_ORG_ID       organization id\n  OPENAI_PROJECT_ID   project id\n\n` +
    `Exit codes: 0 ok, 1 API or network error, 2 bad usage or configuration.\n`
  );
}

function commandHelp(name: string): string {
  const command = COMMANDS[name];
  const width = Math.max(...Object.keys(command.help).map((flag) => flag.length)) + 2;
  const flags = Object.entries(command.help)
    .map(([flag, text]) => `  ${flag.padEnd(width)}${text}\n`)
    .join('');
  return `Usage: ${command.usage}\n\n${command.summary[0].toUpperCase()}${command.summary.slice(1)}.\n\nFlags:\n${flags}`;
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
