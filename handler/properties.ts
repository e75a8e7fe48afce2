/**
 * Parses and validates `Custom::KmsSecret` properties into a SecretSpec. CloudFormation sends every scalar as a
 * string ("7", "true"; aws-facts.md §2.6), so numbers are parsed here. Errors name the logical ID and property
 * and give the type of a bad value, never the value.
 */
import {
  DEFAULT_RECOVERY_WINDOW_DAYS, DESCRIPTION_MAX, KMS_MAX_CIPHERTEXT_BYTES, PROTOTYPE_KEYS, RESERVED_TAG_PREFIXES,
  RESOURCE_TYPE, SECRET_NAME_CONTEXT_KEY, TAG_KEY_MAX, TAG_VALUE_MAX,
} from '../core/constants.ts';
import { PropertiesError } from '../core/errors.ts';
import { ciphertextProblem, recoveryWindowDays, secretNameProblem, type SecretSpec, type SecretTag, type SecretValueSpec } from '../core/spec.ts';

/** What properties are read against: the names errors use and the provider's name rules. */
export interface PropertiesContext {
  readonly logicalId: string;
  readonly stackName: string;
  /** Every name must start with it; '' allows any name. */
  readonly namePrefix: string;
}

/** Parsed properties: the core's SecretSpec, plus the recovery window only a Delete uses. */
export interface KmsSecretProperties {
  readonly spec: SecretSpec;
  readonly recoveryWindowInDays: number;
}

const KNOWN = new Set(['ServiceToken', 'ServiceTimeout', 'Name', 'Values', 'Ciphertext', 'Key', 'EncryptionContext', 'Description', 'KmsKeyId', 'Tags', 'RecoveryWindowInDays']);
const VALUE_KNOWN = new Set(['Ciphertext', 'Key', 'EncryptionContext']);

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the properties of one resource; throws PropertiesError naming `"<LogicalId>" property "<path>"`. */
export function parseProperties(raw: unknown, ctx: PropertiesContext): KmsSecretProperties {
  const fail = (path: string, problem: string): never => {
    throw new PropertiesError(`${RESOURCE_TYPE} "${ctx.logicalId}": property "${path}" ${problem}`);
  };
  if (!isRecord(raw)) return fail('Properties', `must be an object; got ${typeOf(raw)}`);
  const unknown = Object.keys(raw).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) fail(unknown[0] ?? '', `is not a ${RESOURCE_TYPE} property (expected one of ${[...KNOWN].slice(2).join(', ')})`);
  const optionalString = (path: string, value: unknown): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return fail(path, `must be a string; got ${typeOf(value)}`);
    return value;
  };
  const parseValue = (path: string, value: Record<string, unknown>): SecretValueSpec => {
    const ciphertext = value.Ciphertext;
    if (typeof ciphertext !== 'string') return fail(`${path}Ciphertext`, `must be a base64 string; got ${typeOf(ciphertext)}`);
    const got = ciphertextProblem(ciphertext);
    if (got !== undefined) {
      fail(`${path}Ciphertext`, `must be a base64 KMS ciphertext of 1-${KMS_MAX_CIPHERTEXT_BYTES} bytes (aws kms encrypt --output text --query CiphertextBlob); got ${got}`);
    }
    const compact = ciphertext.replace(/\s+/g, '');
    const key = optionalString(`${path}Key`, value.Key);
    if (key === '') fail(`${path}Key`, 'must not be empty');
    const context = value.EncryptionContext;
    let encryptionContext: Record<string, string> | undefined;
    if (context !== undefined) {
      if (!isRecord(context)) return fail(`${path}EncryptionContext`, `must be a map of strings; got ${typeOf(context)}`);
      encryptionContext = {};
      for (const [k, v] of Object.entries(context)) {
        if (PROTOTYPE_KEYS.has(k)) fail(`${path}EncryptionContext.${k}`, 'is not an allowed key');
        if (typeof v !== 'string') fail(`${path}EncryptionContext.${k}`, `must be a string; got ${typeOf(v)}`);
        encryptionContext[k] = v as string;
      }
    }
    return { ciphertext: compact, ...(key !== undefined ? { key } : {}), ...(encryptionContext ? { encryptionContext } : {}) };
  };

  let values: SecretValueSpec[];
  if (raw.Values !== undefined) {
    if (raw.Ciphertext !== undefined || raw.Key !== undefined || raw.EncryptionContext !== undefined) {
      fail('Values', 'cannot be combined with the single-value shortcut (Ciphertext, Key, EncryptionContext)');
    }
    if (!Array.isArray(raw.Values) || raw.Values.length === 0) return fail('Values', `must be a non-empty list; got ${typeOf(raw.Values)}`);
    values = raw.Values.map((item: unknown, i: number) => {
      if (!isRecord(item)) return fail(`Values[${i}]`, `must be an object with Ciphertext; got ${typeOf(item)}`);
      const extra = Object.keys(item).find((k) => !VALUE_KNOWN.has(k));
      if (extra !== undefined) fail(`Values[${i}].${extra}`, 'is not a value property (expected Ciphertext, Key, EncryptionContext)');
      return parseValue(`Values[${i}].`, item);
    });
  } else if (raw.Ciphertext !== undefined) {
    values = [parseValue('', raw)];
  } else {
    return fail('Values', 'is required (or the single-value shortcut Ciphertext)');
  }
  if (values.length > 1) {
    values.forEach((v, i) => { if (v.key === undefined) fail(`Values[${i}].Key`, `is required when there are ${values.length} values (they form one JSON secret)`); });
    const seen = new Set<string>();
    values.forEach((v, i) => { if (seen.has(v.key ?? '')) fail(`Values[${i}].Key`, `repeats the key "${v.key}"`); seen.add(v.key ?? ''); });
  }

  const bound = [...new Set(values.map((v) => v.encryptionContext?.[SECRET_NAME_CONTEXT_KEY]).filter((n) => n !== undefined))];
  const explicit = optionalString('Name', raw.Name);
  if (explicit === undefined && bound.length > 1) fail('Values', `are bound to different secrets (${bound.map((b) => `"${b}"`).join(', ')}) by EncryptionContext ${SECRET_NAME_CONTEXT_KEY}`);
  const name = explicit ?? bound[0] ?? `${ctx.namePrefix}${ctx.stackName}/${ctx.logicalId}`;
  const problem = secretNameProblem(name);
  if (problem) fail('Name', `${explicit === undefined ? `(derived "${name}") ` : `"${name}" `}${problem}`);
  if (!name.startsWith(ctx.namePrefix)) fail('Name', `"${name}" must start with "${ctx.namePrefix}" (this provider's allowed prefix)`);

  const description = optionalString('Description', raw.Description);
  if (description !== undefined && description.length > DESCRIPTION_MAX) fail('Description', `must be at most ${DESCRIPTION_MAX} characters`);
  const kmsKeyId = optionalString('KmsKeyId', raw.KmsKeyId);
  return {
    spec: {
      name, values, tags: parseTags(raw.Tags, fail),
      ...(description !== undefined ? { description } : {}),
      ...(kmsKeyId !== undefined && kmsKeyId !== '' ? { kmsKeyId } : {}),
    },
    recoveryWindowInDays: parseRecoveryWindow(raw.RecoveryWindowInDays, fail),
  };
}

function parseTags(raw: unknown, fail: (path: string, problem: string) => never): SecretTag[] {
  if (raw === undefined) return [];
  const entries: [string, unknown, string][] = Array.isArray(raw)
    ? raw.map((t: unknown, i: number) => isRecord(t) ? [String(t.Key ?? ''), t.Value, `Tags[${i}]`] as [string, unknown, string] : fail(`Tags[${i}]`, `must be {Key, Value}; got ${typeOf(t)}`))
    : isRecord(raw) ? Object.entries(raw).map(([k, v]) => [k, v, `Tags.${k}`] as [string, unknown, string]) : fail('Tags', `must be a list of {Key, Value} or a map; got ${typeOf(raw)}`);
  return entries.map(([key, value, path]) => {
    if (key === '' || key.length > TAG_KEY_MAX) fail(path, `needs a Key of 1-${TAG_KEY_MAX} characters`);
    if (RESERVED_TAG_PREFIXES.some((prefix) => key.startsWith(prefix))) fail(path, `uses the reserved key prefix of "${key}"`);
    if (typeof value !== 'string' || value.length > TAG_VALUE_MAX) fail(path, `needs a string Value of at most ${TAG_VALUE_MAX} characters; got ${typeOf(value)}`);
    return { Key: key, Value: value as string };
  });
}

function parseRecoveryWindow(raw: unknown, fail: (path: string, problem: string) => never): number {
  if (raw === undefined || raw === '') return DEFAULT_RECOVERY_WINDOW_DAYS;
  const days = recoveryWindowDays(raw);
  if (days === undefined) {
    return fail('RecoveryWindowInDays', `must be 0 (delete at once) or a whole number of days from 7 to 30; got ${typeof raw === 'string' ? `"${raw}"` : typeOf(raw)}`);
  }
  return days;
}
