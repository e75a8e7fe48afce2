/**
 * argv → command → exit code, with every dependency injected (cli/index.ts passes the real process ones).
 * Errors are one line on stderr (stack only with --debug); exit codes: 0 ok, 1 error, 2 usage.
 */
import { parseCommandArgs, splitProgramArgs } from './args.ts';
import { EXIT, UsageError, type CliContext, type Command } from './command.ts';
import { setupProblem } from '../core/errors.ts';
import { errorLine } from './io.ts';

/** The text of `kms-secrets --help`. */
export function programHelp(commands: readonly Command[], version: string): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    `kms-secrets ${version}: KMS ciphertext in git, delivered to AWS Secrets Manager without ever writing plaintext.`,
    '',
    'Usage: kms-secrets <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options: -h, --help (this text, or a command\'s with `kms-secrets <command> --help`), --version, --debug (stack traces).',
    'Environment: NO_COLOR disables colour.',
    '',
  ].join('\n');
}

/** The text of `kms-secrets <command> --help`. */
export function commandHelp(command: Command): string {
  return `Usage: kms-secrets ${command.name} ${command.usage}\n\n${command.summary}\n\n${command.help.trimEnd()}\n`;
}

/** Runs one command line and resolves to the exit code; never throws, never exits the process. */
export async function runCli(argv: readonly string[], context: CliContext, commands: readonly Command[], version: string): Promise<number> {
  let debug = argv.includes('--debug');
  try {
    const program = splitProgramArgs(argv);
    debug = program.debug;
    if (program.version) {
      context.stdout(`${version}\n`);
      return EXIT.ok;
    }
    if (program.command === undefined || program.command === 'help') {
      const topic = program.rest[0];
      const command = commands.find((candidate) => candidate.name === topic);
      if (command !== undefined) context.stdout(commandHelp(command));
      else if (program.help || program.command === 'help') context.stdout(programHelp(commands, version));
      else throw new UsageError('no command given');
      return EXIT.ok;
    }
    const command = commands.find((candidate) => candidate.name === program.command);
    if (command === undefined) throw new UsageError(`unknown command "${program.command}"`);
    const input = parseCommandArgs(command, program.rest);
    if (input.help || program.help) {
      context.stdout(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(input, { ...context, debug });
  } catch (error) {
    const usage = error instanceof UsageError;
    // KmsSecretsError and UsageError messages are already written for users; an SDK setup failure gets its fix.
    const message = setupProblem(error) ?? (error instanceof Error ? error.message : String(error));
    context.stderr(errorLine(usage ? `${message} (run "kms-secrets --help")` : message, context.color));
    if (debug && error instanceof Error && error.stack !== undefined) context.stderr(`${error.stack}\n`);
    return usage ? EXIT.usage : EXIT.error;
  }
}
