// `realtime-sessions [flags] <command> [flags]`: the CLI's entry point. The commands live in
// commands.ts, the parsing in parse.ts, the help in help.ts, the failure lines in report.ts.
import { VERSION } from '../internal/version.js';
import { COMMANDS } from './commands.js';
import { commandHelp, overview } from './help.js';
import { processIo, type CliIo } from './io.js';
import { interpret, knownCommand, tokenize, wantsJson } from './parse.js';
import { EXIT, report } from './report.js';
import { UsageError } from './usage.js';

export type { CliIo } from './io.js';
export { EXIT } from './report.js';

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code: 0 success,
 * 1 API or network failure, 2 bad usage or configuration. Errors are one line on stderr (JSON
 * with `--json`); when stderr is a terminal, requests in flight are described there too.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const ctx: Required<CliIo> = { now: Date.now, ...io };
  const tokens = tokenize(argv);
  try {
    const line = interpret(tokens);
    if (line.help) {
      ctx.stdout.write(line.command === undefined ? overview() : commandHelp(line.command));
      return EXIT.ok;
    }
    if (line.values.version === true) {
      ctx.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (line.command === undefined) throw new UsageError('missing command');
    await COMMANDS[line.command].run(line.values, ctx, line.args);
    return EXIT.ok;
  } catch (error) {
    return report(error, ctx, { json: wantsJson(tokens), command: knownCommand(tokens) });
  }
}
