/**
 * Command-line parsing: find the command word, then parse its options strictly with node:util parseArgs
 * (no dependency, and its errors already say which option was wrong).
 */
import { parseArgs } from 'node:util';
import { UsageError, type Command, type CommandInput } from './command.ts';

/** The program-level view of argv: the command word (if any), its arguments, and the global flags. */
export interface ProgramArgs {
  readonly command: string | undefined;
  readonly rest: readonly string[];
  readonly help: boolean;
  readonly version: boolean;
  readonly debug: boolean;
}

const GLOBAL_FLAGS = new Set(['--help', '-h', '--version', '--debug']);

/** Splits argv at the first word that is not an option; only global flags may come before it. */
export function splitProgramArgs(argv: readonly string[]): ProgramArgs {
  const at = argv.findIndex((arg) => !arg.startsWith('-'));
  const before = at < 0 ? argv : argv.slice(0, at);
  const unknown = before.find((arg) => !GLOBAL_FLAGS.has(arg));
  const debug = argv.includes('--debug');
  if (unknown !== undefined) throw new UsageError(`unknown option "${unknown}" before the command`);
  return {
    command: at < 0 ? undefined : argv[at],
    rest: at < 0 ? [] : argv.slice(at + 1),
    help: before.includes('--help') || before.includes('-h'),
    version: before.includes('--version'),
    debug,
  };
}

/** Parses a command's arguments strictly; `--help`/`-h` and `--debug` are accepted by every command. */
export function parseCommandArgs(command: Command, args: readonly string[]): CommandInput & { readonly help: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...command.options, help: { type: 'boolean', short: 'h' }, debug: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const { help, debug: _debug, ...own } = values;
    return { values: own, positionals, help: help === true };
  } catch (error) {
    // parseArgs throws TypeErrors with codes ERR_PARSE_ARGS_*: a usage problem, not a failure.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${command.name}: ${message}`);
  }
}
