/**
 * The command registry: `kms-secrets <name>` runs the command listed here under that name, and the program help
 * lists them in this order. Adding a command is one file `cli/commands/<name>.ts` exporting a `Command`
 * (cli/command.ts) plus one line below.
 */
import type { Command } from '../command.ts';
import { transformCommand } from './transform.ts';
import { encryptCommand } from './encrypt.ts';
import { planCommand } from './plan.ts';
import { syncCommand } from './sync.ts';
import { checkCommand } from './check.ts';

/** Every command, in help order. */
export const COMMANDS: readonly Command[] = [
  transformCommand,
  encryptCommand,
  planCommand,
  syncCommand,
  checkCommand,
];
