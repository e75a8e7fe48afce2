/**
 * `kms-secrets check PATH|TEMPLATE...`: validates secrets files and templates offline (the same grammar, grouping
 * and transform the real run uses), and with --kms asks KMS whether each ciphertext could be decrypted, using
 * Decrypt's DryRun: KMS checks permissions and answers DryRunOperationException without decrypting.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { RESOURCE_TYPE } from '../../core/constants.ts';
import { describeError, errorName, setupProblem } from '../../core/errors.ts';
import { checkSpec } from '../../core/secrets.ts';
import type { SecretValueSpec } from '../../core/spec.ts';
import { isPlainObject } from '../../macro/json.ts';
import { transformTemplate } from '../../macro/transform.ts';
import { AWS_OPTIONS, AWS_OPTIONS_HELP, awsPortsFor } from '../aws-options.ts';
import { UsageError, type CliContext, type Command, type CommandInput } from '../command.ts';
import { displayPath } from '../git.ts';
import { errorLine } from '../io.ts';
import { DEFAULT_CONCURRENCY, runPool } from '../pool.ts';
import { groupEntries, listSecretsFiles, parseSecretsFile } from '../secrets-file.ts';
import { parseTemplateText } from '../yaml.ts';
import { PLACEHOLDER_PROVIDER_ARN } from './transform.ts';

/** A ciphertext to ask KMS about, and where it came from. */
interface CiphertextRef {
  readonly where: string;
  readonly value: SecretValueSpec;
}

function isTemplate(file: string, document: unknown): boolean {
  if (extname(file).toLowerCase() === '.json') return true;
  return isPlainObject(document) && ['Resources', 'AWSTemplateFormatVersion', 'Transform'].some((key) => key in document);
}

/** Literal ciphertexts of the resources the transform generated (intrinsic ones are only known at deploy time). */
function templateCiphertexts(file: string, result: Record<string, unknown>): CiphertextRef[] {
  const refs: CiphertextRef[] = [];
  for (const [id, resource] of Object.entries(isPlainObject(result.Resources) ? result.Resources : {})) {
    if (!isPlainObject(resource) || resource.Type !== RESOURCE_TYPE || !isPlainObject(resource.Properties)) continue;
    const values = Array.isArray(resource.Properties.Values) ? resource.Properties.Values : [];
    values.forEach((value: unknown, i) => {
      if (!isPlainObject(value) || typeof value.Ciphertext !== 'string') return;
      const context = isPlainObject(value.EncryptionContext) ? value.EncryptionContext : {};
      if (Object.values(context).some((v) => typeof v !== 'string')) return;
      refs.push({ where: `${file}: Resources.${id}.Properties.Values[${i}]`, value: { ciphertext: value.Ciphertext, encryptionContext: context as Record<string, string> } });
    });
  }
  return refs;
}

/** What reading the files found: one-line errors, literal ciphertexts, and the secrets-file entries to group. */
interface FileFindings {
  readonly errors: string[];
  readonly ciphertexts: CiphertextRef[];
  readonly occurrences: ReturnType<typeof parseSecretsFile>['occurrences'];
  readonly problems: ReturnType<typeof parseSecretsFile>['problems'];
  templates: number;
}

/** Parses every file; a template goes through the transform, anything else is read as a secrets file. */
async function readFiles(files: readonly string[]): Promise<FileFindings> {
  const found: FileFindings = { errors: [], ciphertexts: [], occurrences: [], problems: [], templates: 0 };
  for (const file of files) {
    const shown = displayPath(file);
    const text = await readFile(file, 'utf8');
    let document: unknown;
    try {
      document = parseTemplateText(text, shown);
    } catch (error) {
      found.errors.push((error as Error).message);
      continue;
    }
    if (!isTemplate(file, document)) {
      const parsed = parseSecretsFile(file, text);
      found.occurrences.push(...parsed.occurrences);
      found.problems.push(...parsed.problems);
      continue;
    }
    found.templates += 1;
    try {
      const { Transform: _transform, ...fragment } = document as Record<string, unknown>;
      found.ciphertexts.push(...templateCiphertexts(shown, transformTemplate(fragment, { providerArn: PLACEHOLDER_PROVIDER_ARN })));
    } catch (error) {
      found.errors.push(`${shown}: ${(error as Error).message}`);
    }
  }
  return found;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

async function run(input: CommandInput, context: CliContext): Promise<number> {
  if (input.positionals.length === 0) throw new UsageError('check: missing PATH or TEMPLATE');
  const files = await listSecretsFiles(input.positionals, context.cwd);
  const { errors, ciphertexts, occurrences, problems, templates } = await readFiles(files);
  const secrets = groupEntries(occurrences, problems);
  errors.push(...problems.map((p) => p.message));
  for (const secret of secrets) {
    try {
      checkSpec(secret.spec);
      secret.spec.values.forEach((value) => ciphertexts.push({ where: `${secret.sources[0] ?? secret.spec.name}${value.key ? ` key "${value.key}"` : ''}`, value }));
    } catch (error) {
      errors.push(`${secret.sources[0] ?? secret.spec.name}: ${describeError(error)}`);
    }
  }
  if (input.values.kms === true) errors.push(...await dryRunDecrypts(input, ciphertexts));
  for (const error of errors) context.stderr(errorLine(error, context.color));
  const kms = input.values.kms === true ? `, ${plural(ciphertexts.length, 'ciphertext')} checked with KMS` : '';
  const verdict = errors.length === 0 ? 'ok' : plural(errors.length, 'error');
  context.stdout(`Check: ${plural(files.length - templates, 'secrets file')} (${plural(secrets.length, 'secret')}), ${plural(templates, 'template')}${kms}: ${verdict}.\n`);
  return errors.length === 0 ? 0 : 1;
}

/** Decrypt with DryRun for each ciphertext; the messages of those KMS would refuse. */
async function dryRunDecrypts(input: CommandInput, refs: readonly CiphertextRef[]): Promise<string[]> {
  const { kms } = awsPortsFor(input, 'check');
  const results = await runPool(refs, DEFAULT_CONCURRENCY, async ({ value }) => {
    try {
      const out = await kms.decrypt({ ciphertext: Buffer.from(value.ciphertext, 'base64'), ...(value.encryptionContext ? { encryptionContext: value.encryptionContext } : {}), dryRun: true });
      // An endpoint that ignores DryRun decrypts for real: the plaintext is dropped unread.
      out.plaintext.fill(0);
    } catch (error) {
      if (errorName(error) !== 'DryRunOperationException') throw error;
    }
  });
  // No credentials, no Region, no endpoint: one line with the fix, not the same bare "Error" per ciphertext.
  const setup = results.map((result) => (result.status === 'rejected' ? setupProblem(result.reason) : undefined)).find((p) => p !== undefined);
  if (setup !== undefined) return [`kms:Decrypt (DryRun) could not be asked: ${setup}`];
  return results.flatMap((result, i) => (result.status === 'fulfilled' ? []
    : [`${refs[i]?.where}: kms:Decrypt would fail: ${kmsRefusal(result.reason)}`]));
}

/** KMS's exception name (AccessDeniedException, InvalidCiphertextException, ...), or the whole error when it has none. */
function kmsRefusal(error: unknown): string {
  const name = errorName(error);
  return name !== '' && name !== 'Error' ? name : describeError(error);
}

/** The `check` command. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'Validate secrets files and templates offline; --kms also asks KMS (DryRun) whether each would decrypt.',
  usage: 'PATH|TEMPLATE... [--kms]',
  help: [
    'Each argument is a secrets file, a template, or a folder (every .yaml/.yml file below it). A file with',
    'Resources, AWSTemplateFormatVersion or Transform (or any .json file) is a template: it is run through the',
    'KmsSecrets transform exactly as the deployed macro would. Anything else is a secrets file: every entry is',
    'checked with the token grammar, entries of one Name are grouped, and bindings are verified. No AWS call.',
    '',
    'Options:',
    '  --kms                also call KMS Decrypt with DryRun for every literal ciphertext: KMS checks the key,',
    '                       the encryption context and the caller\'s permission without decrypting anything',
    ...AWS_OPTIONS_HELP,
    '',
    'Exit codes: 0 everything valid, 1 at least one error (one line each on stderr), 2 usage error.',
  ].join('\n'),
  options: {
    kms: { type: 'boolean' },
    ...AWS_OPTIONS,
  },
  run,
};
