/**
 * The contract between the CLI entry and its commands. A command is one file `cli/commands/<name>.ts` exporting a
 * {@link Command}, plus one line in `cli/commands/index.ts`. Commands get every outside dependency through
 * {@link CliContext}, so a unit test runs them in-process with captured output, a fake env and a temp cwd.
 */
import type { ParseArgsConfig } from 'node:util';

/** Everything a command may touch besides the file system: injected by cli/index.ts, faked by tests. */
export interface CliContext {
  /** Writes program output (the result a user pipes on). Text is written as given: add your own "\n". */
  readonly stdout: (text: string) => void;
  /** Writes diagnostics: progress, notes, errors. */
  readonly stderr: (text: string) => void;
  /** The process environment (AWS_REGION, KMS_SECRETS_PROVIDER_ARN, ...). Read it here, never from process.env. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** Whether stderr may use ANSI colours (a TTY and NO_COLOR unset or empty). */
  readonly color: boolean;
  /** Whether stderr is a terminal (progress lines are drawn only then; absent counts as false). */
  readonly stderrIsTty?: boolean;
  /** Whether stdin is a terminal: encrypt then refuses to read it, since a typed value would echo on screen. */
  readonly stdinIsTty?: boolean;
  /** Whether --debug was given (the runner then prints stack traces). */
  readonly debug: boolean;
  /**
   * Reads all of stdin as bytes (plaintext enters the CLI only from stdin or a file, never a flag). Bytes, not a
   * string: the caller checks the UTF-8 itself (decoding would turn invalid bytes into U+FFFD unnoticed) and can
   * zero the buffer after use, which an immutable string never allows.
   */
  readonly readStdin: () => Promise<Uint8Array>;
}

/** The parsed command line of one command: option values by long name, then positionals. */
export interface CommandInput {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/** One subcommand of `kms-secrets`. */
export interface Command {
  /** The word after `kms-secrets`. */
  readonly name: string;
  /** One line for the program help's command list. */
  readonly summary: string;
  /** The arguments after the name, e.g. `TEMPLATE [--format yaml|json] [--provider-arn ARN]`. */
  readonly usage: string;
  /** The body of `kms-secrets <name> --help`: what it does, each option, exit codes if special. */
  readonly help: string;
  /** node:util parseArgs options (`--help`/`-h` and `--debug` are added by the runner). Parsing is strict. */
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /**
   * Runs the command and resolves to its exit code (0 ok, 1 error). Throw {@link UsageError} for a bad command line
   * (exit 2) and any other Error for a failure (exit 1, message printed as one line); never call process.exit().
   */
  run(input: CommandInput, context: CliContext): Promise<number>;
}

/** A command line that does not fit the usage: exit code 2, the message plus a hint to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes of `kms-secrets`. */
export const EXIT = { ok: 0, error: 1, usage: 2 } as const;
