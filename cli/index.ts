/**
 * The `kms-secrets` executable (bundled to dist/cli.mjs): wires the real process into the runner and sets the exit
 * code. Everything testable lives in cli/run.ts and the commands.
 */
import { buffer } from 'node:stream/consumers';
import packageJson from '../package.json' with { type: 'json' };
import { COMMANDS } from './commands/index.ts';
import { colorEnabled } from './io.ts';
import { runCli } from './run.ts';

// AWS SDK v3 on Node 20 prints a multi-line NodeVersionSupportWarning per client; our output stays clean without it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (chunk) => { process.stdout.write(chunk); },
  stderr: (chunk) => { process.stderr.write(chunk); },
  env: process.env,
  cwd: process.cwd(),
  color: colorEnabled(process.env, process.stderr.isTTY === true),
  stderrIsTty: process.stderr.isTTY === true,
  stdinIsTty: process.stdin.isTTY === true,
  debug: false,
  readStdin: () => buffer(process.stdin),
}, COMMANDS, packageJson.version);
