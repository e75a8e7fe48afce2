/**
 * `kms-secrets encrypt`: turns a value read from stdin or a file into a secrets-file entry, bound to its secret.
 * The value never comes from a flag (flags land in shell history and `ps`) and is zeroed after KMS Encrypt.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KMS_MAX_PLAINTEXT_BYTES, SECRET_NAME_CONTEXT_KEY } from '../../core/constants.ts';
import { EncryptError, errorName, setupProblem } from '../../core/errors.ts';
import { secretNameProblem } from '../../core/spec.ts';
import { AWS_OPTIONS, AWS_OPTIONS_HELP, awsPortsFor, stringOption } from '../aws-options.ts';
import { UsageError, type CliContext, type Command, type CommandInput } from '../command.ts';
import { noteLine } from '../io.ts';
import { renderEntry, upsertEntryText, type EncryptedEntry } from '../secrets-file-edit.ts';
import { groupEntries, parseSecretsFile } from '../secrets-file.ts';

const JSON_KEY = /^[^:]{1,256}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The value to encrypt, as bytes: exactly one trailing newline dropped unless `keepNewline` (see help). */
export function plaintextBytes(raw: Uint8Array, keepNewline: boolean, source: string): Uint8Array {
  let end = raw.length;
  if (!keepNewline && end > 0 && raw[end - 1] === 0x0a) end -= raw[end - 2] === 0x0d && end >= 2 ? 2 : 1;
  const bytes = raw.subarray(0, end);
  if (bytes.length === 0) throw new EncryptError(`no value to encrypt: ${source} is empty`);
  if (bytes.length > KMS_MAX_PLAINTEXT_BYTES) {
    throw new EncryptError(`the value from ${source} is ${bytes.length} bytes; KMS Encrypt takes at most ${KMS_MAX_PLAINTEXT_BYTES} bytes (split it into several keys with --json-key)`);
  }
  try {
    utf8.decode(bytes);
  } catch {
    throw new EncryptError(`the value from ${source} is not UTF-8 text; Secrets Manager stores kms-secrets values as SecretString text`);
  }
  return bytes;
}

async function readPlaintext(input: CommandInput, context: CliContext): Promise<{ raw: Uint8Array; source: string }> {
  const file = stringOption(input, 'plaintext-file', 'encrypt');
  if (file === undefined && context.stdinIsTty === true) {
    // A value typed at the terminal is echoed on screen (and kept in its scrollback): take it from a pipe or a file.
    throw new UsageError('encrypt: stdin is a terminal; pipe the value in (printf \'%s\' "$VALUE" | kms-secrets encrypt ...) or use --plaintext-file');
  }
  if (file === undefined) return { raw: await context.readStdin(), source: 'stdin' };
  try {
    return { raw: await readFile(resolve(context.cwd, file)), source: `"${file}"` };
  } catch (error) {
    throw new EncryptError(`--plaintext-file "${file}": cannot read it (${(error as NodeJS.ErrnoException).code ?? 'read error'})`);
  }
}

/** The --to FILE: as the user wrote it, resolved, and its text before the edit. */
interface TargetFile {
  readonly shown: string;
  readonly path: string;
  readonly before: string;
}

/** Reads --to FILE ('' when it does not exist yet); refuses, before any KMS call, a FILE whose folder is missing. */
async function readTarget(to: string, cwd: string): Promise<TargetFile> {
  const target = resolve(cwd, to);
  try {
    return { shown: to, path: target, before: await readFile(target, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new EncryptError(`--to "${to}": cannot read it (${code ?? 'read error'})`);
  }
  // Not created, as a shell's `>` and cp create none: a typo would start a tree that `sync secrets/` never reads.
  const folder = await stat(dirname(target)).catch(() => undefined);
  if (folder === undefined) throw new EncryptError(`--to "${to}": the folder "${dirname(to)}" does not exist; create it first, or fix the path`);
  return { shown: to, path: target, before: '' };
}

function encryptAdvice(code: string, key: string): string {
  if (code === 'NotFoundException') return `no KMS key "${key}" in this account and Region (NotFoundException)`;
  if (code === 'AccessDeniedException') return `access denied (AccessDeniedException); allow kms:Encrypt on "${key}" for the caller`;
  if (code === 'DisabledException' || code === 'KMSInvalidStateException') return `the key "${key}" is disabled or pending deletion (${code})`;
  return code || 'unknown error';
}

async function run(input: CommandInput, context: CliContext): Promise<number> {
  if (input.positionals.length > 0) throw new UsageError('encrypt: the value is read from stdin or --plaintext-file, never from an argument');
  const key = stringOption(input, 'key', 'encrypt');
  const name = stringOption(input, 'name', 'encrypt');
  if (key === undefined) throw new UsageError('encrypt: --key KEY is required (key ID, ARN, alias/NAME or alias ARN)');
  if (name === undefined) throw new UsageError('encrypt: --name NAME is required (the Secrets Manager secret name)');
  const nameProblem = secretNameProblem(name);
  if (nameProblem !== undefined) throw new UsageError(`encrypt: --name ${nameProblem}`);
  const jsonKey = stringOption(input, 'json-key', 'encrypt');
  if (jsonKey !== undefined && !JSON_KEY.test(jsonKey)) throw new UsageError('encrypt: --json-key must be 1-256 characters without ":"');
  const to = stringOption(input, 'to', 'encrypt');
  const file = to === undefined ? undefined : await readTarget(to, context.cwd);

  const encryptionContext = input.values['no-bind'] === true ? undefined : { [SECRET_NAME_CONTEXT_KEY]: name };
  const shape = { name, ...(jsonKey !== undefined ? { key: jsonKey } : {}), ...(encryptionContext ? { encryptionContext } : {}) };
  // Dry-run the file edit with a placeholder ciphertext: a file that cannot take the entry costs no KMS call.
  if (file !== undefined) editFile(file, { ...shape, ciphertext: 'AAAA' });
  const { raw, source } = await readPlaintext(input, context);
  let ciphertext: string;
  try {
    const plaintext = plaintextBytes(raw, input.values['keep-newline'] === true, source);
    const out = await awsPortsFor(input, 'encrypt').kms.encrypt({ keyId: key, plaintext, ...(encryptionContext ? { encryptionContext } : {}) })
      .catch((error: unknown) => { throw new EncryptError(`kms:Encrypt failed: ${setupProblem(error) ?? encryptAdvice(errorName(error), key)}`, { cause: error }); });
    ciphertext = Buffer.from(out.ciphertext).toString('base64');
  } finally {
    raw.fill(0);
  }
  const entry: EncryptedEntry = { ...shape, ciphertext };
  if (file === undefined) {
    context.stdout(renderEntry(entry, 2));
    return 0;
  }
  await writeFile(file.path, editFile(file, entry));
  const what = jsonKey === undefined ? `secret "${name}"` : `secret "${name}" key "${jsonKey}"`;
  context.stderr(noteLine(`wrote ${what} to ${file.shown}`, context.color));
  return 0;
}

/** The edited file text; refuses an edit after which the file would not load, or would conflict for this secret. */
function editFile({ shown, path, before }: TargetFile, entry: EncryptedEntry): string {
  let after: string;
  try {
    after = upsertEntryText(before, entry);
  } catch (error) {
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    throw new EncryptError(`--to "${shown}": ${reason}; the file was not changed`, { cause: error });
  }
  const parsed = parseSecretsFile(path, after);
  const problems = [...parsed.problems];
  groupEntries(parsed.occurrences, problems);
  const mine = problems.find((problem) => problem.name === entry.name);
  if (mine !== undefined) throw new EncryptError(`--to "${shown}": the new entry would not be valid: ${mine.message}; the file was not changed`);
  return after;
}

/** The `encrypt` command. */
export const encryptCommand: Command = {
  name: 'encrypt',
  summary: 'Encrypt a value from stdin or a file with KMS and print (or write) its secrets-file entry.',
  usage: '--key KEY --name NAME [--json-key K] [--to FILE] [--plaintext-file F] [--no-bind] [--keep-newline]',
  help: [
    'Reads the value from stdin (or --plaintext-file), encrypts it with KMS Encrypt under KEY and prints the',
    'entry to add under "Secrets:" in a secrets file, or adds it to FILE (--to). The value is never accepted as',
    'an argument: arguments end up in shell history and in the process list. stdin must be a pipe or a file,',
    'not the terminal, where a typed value would be echoed on screen.',
    '',
    'Exactly one trailing newline is dropped, so `echo pw | kms-secrets encrypt ...` stores "pw" (use',
    '--keep-newline to keep it). The value must be 1-4096 bytes of UTF-8 text (the KMS Encrypt limit).',
    '',
    'Options:',
    '  --key KEY            KMS key ID, key ARN, alias/NAME or alias ARN (required)',
    '  --name NAME          the Secrets Manager secret name (required)',
    '  --json-key K         store the value under key K of a JSON secret; entries with the same NAME and',
    '                       different keys make one secret',
    '  --to FILE            add the entry to FILE (created if missing; its folder must exist), or replace the',
    '                       entry with the same NAME and key there; the rest of the file is kept byte for byte',
    '  --plaintext-file F   read the value from file F instead of stdin',
    `  --no-bind            do not bind the ciphertext to NAME (by default the encryption context is`,
    `                       ${SECRET_NAME_CONTEXT_KEY}=NAME, so the ciphertext cannot be written into another secret)`,
    '  --keep-newline       keep a trailing newline as part of the value',
    ...AWS_OPTIONS_HELP,
    '',
    'Exit codes: 0 encrypted, 1 error (empty or too large value, KMS refused, FILE not editable), 2 usage error.',
  ].join('\n'),
  options: {
    key: { type: 'string' },
    name: { type: 'string' },
    'json-key': { type: 'string' },
    to: { type: 'string' },
    'plaintext-file': { type: 'string' },
    'no-bind': { type: 'boolean' },
    'keep-newline': { type: 'boolean' },
    ...AWS_OPTIONS,
  },
  run,
};
