// --help: the overview (commands, global flags, environment, progress, errors, exit codes) and
// each command's page (usage line, its arguments and its flags when it has any, then the global ones).
import { COMMANDS } from './commands.js';
import { GLOBAL_FLAGS, type FlagSpecs } from './flags.js';
import { NAME } from './usage.js';

const ENVIRONMENT: Record<string, string> = {
  OPENAI_API_KEY: 'API key (required; never printed)',
  OPENAI_BASE_URL: 'API root URL (--base-url wins)',
  OPENAI_ORG_ID: 'organization id, sent as OpenAI-Organization',
  OPENAI_PROJECT_ID: 'project id, sent as OpenAI-Project',
  OPENAI_TIMEOUT_MS: 'per-attempt timeout in milliseconds (--timeout wins)',
  OPENAI_MAX_RETRIES: 'extra attempts after a retryable failure (--max-retries wins)',
};

const NOTES =
  `Progress: when stderr is a terminal, what a request in flight is doing and each retry, with its reason.\n` +
  `Errors: one line on stderr, "${NAME}: <message>"; with --json, {"error":{"name","message","status","requestId"}}.\n` +
  `Exit codes: 0 ok, 1 API or network error, 2 bad usage or configuration.\n`;

export function overview(): string {
  return (
    `Usage: ${NAME} [flags] <command> [flags]\n\n` +
    `Commands:\n${table(Object.entries(COMMANDS).map(([name, command]) => [invocation(name), command.summary]))}\n` +
    `Global flags, before or after the command (${NAME} <command> --help lists its own):\n` +
    `${table(rows(GLOBAL_FLAGS))}\n` +
    `Environment:\n${table(Object.entries(ENVIRONMENT))}\n` +
    NOTES
  );
}

export function commandHelp(name: string): string {
  const command = COMMANDS[name];
  const args = command.args ?? [];
  const flags = Object.values(command.flags).map((flag) => ` [${flag.label}]`);
  const summary = `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`;
  // A section only for what the command has: hangup takes an argument and no flags of its own.
  const argSection =
    args.length === 0 ? '' : `Arguments:\n${table(args.map((arg) => [arg.name, arg.help]))}\n`;
  const flagSection =
    Object.keys(command.flags).length === 0 ? '' : `Flags:\n${table(rows(command.flags))}\n`;
  return (
    `Usage: ${NAME} ${invocation(name)}${flags.join('')} [global flags]\n\n${summary}\n\n` +
    argSection +
    flagSection +
    `Global flags:\n${table(rows(GLOBAL_FLAGS))}\n` +
    `Environment: ${Object.keys(ENVIRONMENT).join(', ')} (see ${NAME} --help).\n`
  );
}

/** A command's name with the arguments it takes, e.g. `hangup CALL_ID`. */
function invocation(name: string): string {
  return [name, ...(COMMANDS[name].args ?? []).map((arg) => arg.name)].join(' ');
}

function rows(flags: FlagSpecs): [string, string][] {
  return Object.values(flags).map((flag) => [flag.label, flag.help]);
}

/** Two aligned columns, indented by two. */
function table(entries: [string, string][]): string {
  const width = Math.max(...entries.map(([left]) => left.length)) + 2;
  return entries.map(([left, right]) => `  ${left.padEnd(width)}${right}\n`).join('');
}
