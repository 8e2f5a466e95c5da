// Every flag the CLI knows, each once: how it is parsed and how --help shows it. The global flags
// go with every command, before or after its name; the others belong to the commands that list them.
import type { ParseArgsConfig } from 'node:util';
import { DEFAULTS, EXPIRES_AFTER_SECONDS } from '../internal/defaults.js';

/** One flag: its type for node:util's parseArgs, and its line in --help. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** As --help and the usage line show it, e.g. `--model M`. */
  label: string;
  help: string;
}

/** Flags by long name, in the order --help lists them. */
export type FlagSpecs = Record<string, FlagSpec>;

/** Flags every command takes, before or after the command's name. */
export const GLOBAL_FLAGS = {
  'base-url': {
    type: 'string',
    label: '--base-url URL',
    help: `API root URL (default: $OPENAI_BASE_URL, else ${DEFAULTS.baseUrl})`,
  },
  timeout: {
    type: 'string',
    label: '--timeout MS',
    help: `milliseconds each attempt may take, headers and body included (default: $OPENAI_TIMEOUT_MS, else ${DEFAULTS.timeoutMs})`,
  },
  'max-retries': {
    type: 'string',
    label: '--max-retries N',
    help: `extra attempts after a retryable failure: 408, 409, 429, 5xx, connection errors, timeouts (default: $OPENAI_MAX_RETRIES, else ${DEFAULTS.maxRetries})`,
  },
  json: {
    type: 'boolean',
    label: '--json',
    help: 'print the response as JSON (secret masked unless --show-secret), and errors as one JSON line on stderr',
  },
  'show-secret': {
    type: 'boolean',
    label: '--show-secret',
    help: 'print the client secret in full (it is a live credential until it expires)',
  },
  help: { type: 'boolean', short: 'h', label: '-h, --help', help: 'show help' },
  version: { type: 'boolean', short: 'v', label: '-v, --version', help: 'print the version' },
} as const satisfies FlagSpecs;

/** `--model` of the two realtime commands. */
export const MODEL: FlagSpec = {
  type: 'string',
  label: '--model M',
  help: 'Realtime model, e.g. gpt-realtime (default: the API default)',
};

export const INSTRUCTIONS: FlagSpec = {
  type: 'string',
  label: '--instructions TEXT',
  help: 'system instructions for the session',
};

/** How the two beta commands reach an upstream that retired their endpoints. */
export const BETA_ENDPOINTS: FlagSpec = {
  type: 'string',
  label: '--beta-endpoints MODE',
  help: 'fallback (default): the beta endpoint, then POST /realtime/client_secrets when upstream answers it retired (404); ga: client_secrets only, one round trip; beta: the beta endpoint only',
};

export const EXPIRES_AFTER: FlagSpec = {
  type: 'string',
  label: '--expires-after SECONDS',
  help: `lifetime of the secret, ${EXPIRES_AFTER_SECONDS.min} to ${EXPIRES_AFTER_SECONDS.max} (default: the API default, 600)`,
};

/** `specs` as parseArgs takes them. */
export function parseArgsOptions(specs: FlagSpecs): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, { type, short }] of Object.entries(specs)) {
    options[name] = short === undefined ? { type } : { type, short };
  }
  return options;
}
