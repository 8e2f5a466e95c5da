// The command line: `realtime-sessions [flags] <command> [arguments] [flags]`. Flags may come
// before the command's name or after it; a command's arguments (`hangup CALL_ID`) are the words
// after its name. A flag has one type (string or boolean) in every command that takes it, so
// which words are values is known before the command is; once the command is known, each flag is
// checked against that command's own flags and the global ones.
import { parseArgs } from 'node:util';
import { COMMANDS } from './commands.js';
import { GLOBAL_FLAGS, parseArgsOptions, type FlagSpecs } from './flags.js';
import type { Values } from './io.js';
import { unknown, UsageError } from './usage.js';

/** One word of the command line, as node:util's parseArgs splits it. */
type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** A command line that can run. */
export interface CommandLine {
  /** The command to run or, with `help`, to describe; `undefined` when none was named. */
  command: string | undefined;
  /** `--help`, `-h` or `help [command]`: print help instead of running. */
  help: boolean;
  /** The words after the command's name, one per argument it takes. */
  args: string[];
  /** Every flag given, by long name. */
  values: Values;
}

/** Every flag any command takes: enough to tell which words are values. */
export const ALL_FLAGS: FlagSpecs = Object.assign(
  {},
  GLOBAL_FLAGS,
  ...Object.values(COMMANDS).map((c) => c.flags),
);

/** `argv` split into words; never throws, so the report can still see `--json` on a bad line. */
export function tokenize(argv: readonly string[]): Token[] {
  const options = parseArgsOptions(ALL_FLAGS);
  return parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true }).tokens;
}

/** Whether the line asks for JSON (a `--json` without a value), even if it is bad usage otherwise. */
export function wantsJson(tokens: readonly Token[]): boolean {
  return tokens.some(
    (token) => token.kind === 'option' && token.name === 'json' && token.value === undefined,
  );
}

/** The command the line names, when it is a known one: the first word that is not a flag or a value. */
export function knownCommand(tokens: readonly Token[]): string | undefined {
  const first = tokens.find((token) => token.kind === 'positional');
  return first !== undefined && Object.hasOwn(COMMANDS, first.value) ? first.value : undefined;
}

/**
 * The command line `tokens` say, or a UsageError about what is wrong: an unknown command first,
 * then the first unknown flag or missing value, then a word too many, then a missing argument
 * (unless the line asks for help or the version, which need none).
 */
export function interpret(tokens: readonly Token[]): CommandLine {
  const words = tokens.flatMap((token) => (token.kind === 'positional' ? [token.value] : []));
  const helpCommand = words[0] === 'help';
  const [command, ...given] = helpCommand ? words.slice(1) : words;
  if (command !== undefined && !Object.hasOwn(COMMANDS, command)) {
    throw unknown('command', command, Object.keys(COMMANDS));
  }
  // Without a command (none, or `help` alone) any flag passes: the line prints help or fails anyway.
  const allowed: FlagSpecs =
    command === undefined ? ALL_FLAGS : { ...COMMANDS[command].flags, ...GLOBAL_FLAGS };
  const values: Values = {};
  for (const token of tokens) {
    if (token.kind === 'option') values[token.name] = optionValue(token, allowed);
  }
  const wanted = command === undefined ? [] : (COMMANDS[command].args ?? []);
  if (given.length > wanted.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(given[wanted.length])}`);
  }
  const help = helpCommand || values.help === true;
  if (!help && values.version !== true && given.length < wanted.length) {
    throw new UsageError(`missing ${wanted[given.length].name}`);
  }
  return { command, help, args: given, values };
}

/** A flag's value (`true` for a boolean), or a UsageError when the flag is unknown or its value is missing. */
function optionValue(token: Extract<Token, { kind: 'option' }>, allowed: FlagSpecs): string | boolean {
  const spec = Object.hasOwn(allowed, token.name) ? allowed[token.name] : undefined;
  if (spec === undefined) {
    const long = Object.keys(allowed).map((name) => `--${name}`);
    throw unknown('option', token.rawName, long);
  }
  if (spec.type === 'boolean') {
    if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
    return true;
  }
  // A next word starting with "-" is a flag the person meant, not a value; `--flag=-x` passes one.
  if (token.value === undefined || (token.inlineValue === false && token.value.startsWith('-'))) {
    throw new UsageError(`${token.rawName} needs a value`);
  }
  return token.value;
}
