/**
 * The `Fn::KmsSecret` token grammar: one properties object in, one validated {@link KmsSecretToken} out.
 * The CLI reuses it for entries of pipeline secrets files, so the two front doors can never disagree on what a
 * property means. Pure: no I/O. Errors name the place and the property and give the type of a bad value, never the
 * value (a ciphertext or a name can be sensitive in a log).
 */
import {
  DESCRIPTION_MAX, RESERVED_TAG_PREFIXES, SECRET_NAME_CONTEXT_KEY, TAG_KEY_MAX, TAG_VALUE_MAX, TOKEN_NAME,
} from '../core/constants.ts';
import { ciphertextProblem, recoveryWindowDays, secretNameProblem } from '../core/spec.ts';
import { describeType, isIntrinsic, isPlainObject, type Intrinsic } from './json.ts';
import { TokenError } from './errors.ts';

export { TokenError };

/** Every property a token may hold, in the order the docs list them. */
export const TOKEN_PROPERTIES = [
  'Ciphertext', 'Name', 'Key', 'EncryptionContext', 'Description', 'Tags', 'KmsKeyId', 'Return',
  'RecoveryWindowInDays', 'DeletionPolicy',
] as const;
/** A property name of the token grammar. */
export type TokenProperty = (typeof TOKEN_PROPERTIES)[number];
/** What the macro puts where the token was: a secret reference string, an ECS `ValueFrom`, or the secret ARN. */
export type ReturnMode = 'Reference' | 'ValueFrom' | 'Arn';
/** DeletionPolicy values CloudFormation accepts on a custom resource (Snapshot is for snapshot-capable types only). */
export type DeletionPolicy = 'Delete' | 'Retain' | 'RetainExceptOnCreate';
/** A template string, or an intrinsic function CloudFormation resolves after the macro ran. */
export type TemplateString = string | Intrinsic;

/** One validated token. Strings may be intrinsics only where {@link TokenOptions.allowIntrinsics} allowed it. */
export interface KmsSecretToken {
  readonly ciphertext: TemplateString;
  readonly name?: TemplateString;
  readonly key?: string;
  readonly encryptionContext?: Readonly<Record<string, TemplateString>>;
  readonly description?: TemplateString;
  readonly tags?: readonly { readonly Key: string; readonly Value: TemplateString }[];
  readonly kmsKeyId?: TemplateString;
  readonly return: ReturnMode;
  readonly recoveryWindowInDays?: number;
  readonly deletionPolicy?: DeletionPolicy;
}

/** How strict {@link parseTokenProperties} is; the defaults describe a template token. */
export interface TokenOptions {
  /** Refuse an entry without `Name` (secrets files: the file is the only place a name can come from). */
  readonly requireName?: boolean;
  /** Accept `{"Ref": ...}`/`{"Fn::...": ...}` where a string is expected (templates: yes; secrets files: no). */
  readonly allowIntrinsics?: boolean;
  /** Properties accepted; any other is an error (default: all of {@link TOKEN_PROPERTIES}). */
  readonly allowedProperties?: readonly TokenProperty[];
  /** What the errors call the entry (default `Fn::KmsSecret`; secrets files say `entry`). */
  readonly subject?: string;
}


const RETURN_MODES: readonly string[] = ['Reference', 'ValueFrom', 'Arn'];
const DELETION_POLICIES: readonly string[] = ['Delete', 'Retain', 'RetainExceptOnCreate'];
// Dynamic references and ECS ValueFrom both split on ':' (aws-facts.md §3.1), so a key may not hold one.
const KEY = /^[^:]{1,256}$/;

/**
 * Validates a whole token value: the short form (a ciphertext string or intrinsic) or the long form (a properties
 * object). Throws {@link TokenError} naming `path`.
 */
export function parseToken(value: unknown, path: string, options: TokenOptions = {}): KmsSecretToken {
  if (typeof value === 'string' || isIntrinsic(value)) return parseTokenProperties({ Ciphertext: value }, path, options);
  return parseTokenProperties(value, path, options);
}

/**
 * Validates one properties object (`{Ciphertext, Name, Key, ...}`) and returns the normalized token.
 * A `SecretName` encryption context supplies a missing Name and must equal a given one, so a ciphertext bound to one
 * secret is never written into another.
 */
export function parseTokenProperties(value: unknown, path: string, options: TokenOptions = {}): KmsSecretToken {
  const subject = options.subject ?? TOKEN_NAME;
  const allowed = options.allowedProperties ?? TOKEN_PROPERTIES;
  const fail = (message: string): never => { throw new TokenError(path, `${subject} ${message}`); };
  if (!isPlainObject(value)) return fail(`must be a ciphertext string or an object of properties; got ${describeType(value)}`);
  for (const property of Object.keys(value)) {
    if (!(allowed as readonly string[]).includes(property)) {
      fail(`has unknown property "${shorten(property)}"; expected one of ${allowed.join(', ')}`);
    }
  }
  const text = (property: TokenProperty, check?: (s: string) => string | undefined): TemplateString | undefined => {
    const raw = value[property];
    if (raw === undefined) return undefined;
    if (options.allowIntrinsics !== false && isIntrinsic(raw)) return raw;
    if (typeof raw !== 'string') {
      const expected = options.allowIntrinsics === false ? 'a string' : 'a string or an intrinsic function';
      return fail(`property "${property}" must be ${expected}; got ${describeType(raw)}`);
    }
    const problem = check?.(raw);
    if (problem !== undefined) fail(`property "${property}" ${problem}`);
    return raw;
  };

  const ciphertext = text('Ciphertext', tokenCiphertextProblem);
  if (ciphertext === undefined) return fail('property "Ciphertext" is required');
  let name = text('Name', secretNameProblem);
  const rawKey = value.Key;
  if (rawKey !== undefined && (typeof rawKey !== 'string' || !KEY.test(rawKey))) {
    fail(`property "Key" must be a string of 1-256 characters without ":"; got ${describeType(rawKey)}`);
  }
  const encryptionContext = parseEncryptionContext(value.EncryptionContext, options, fail);
  const bound = encryptionContext?.[SECRET_NAME_CONTEXT_KEY];
  if (typeof bound === 'string') {
    if (name === undefined) {
      const problem = secretNameProblem(bound);
      if (problem !== undefined) fail(`property "EncryptionContext" entry "${SECRET_NAME_CONTEXT_KEY}" is used as the Name and ${problem}`);
      name = bound;
    }
    else if (typeof name === 'string' && name !== bound) {
      fail(`property "Name" must equal EncryptionContext "${SECRET_NAME_CONTEXT_KEY}" (the ciphertext is bound to another secret)`);
    }
  }
  if (name === undefined && options.requireName === true) fail('property "Name" is required');
  const tokenReturn = value.Return ?? 'Reference';
  if (typeof tokenReturn !== 'string' || !RETURN_MODES.includes(tokenReturn)) {
    fail(`property "Return" must be one of ${RETURN_MODES.join(', ')}; got ${describeType(tokenReturn)}`);
  }
  const deletionPolicy = value.DeletionPolicy;
  if (deletionPolicy !== undefined && (typeof deletionPolicy !== 'string' || !DELETION_POLICIES.includes(deletionPolicy))) {
    fail(`property "DeletionPolicy" must be one of ${DELETION_POLICIES.join(', ')}; got ${describeType(deletionPolicy)}`);
  }
  const recoveryWindowInDays = parseRecoveryWindow(value.RecoveryWindowInDays, fail);
  const description = text('Description', (s) => (s.length > DESCRIPTION_MAX ? `must be at most ${DESCRIPTION_MAX} characters` : undefined));
  const kmsKeyId = text('KmsKeyId', (s) => (s === '' ? 'must not be empty' : undefined));
  const tags = parseTags(value.Tags, options, fail);
  return {
    ciphertext,
    return: tokenReturn as ReturnMode,
    ...(name !== undefined ? { name } : {}),
    ...(rawKey !== undefined ? { key: rawKey as string } : {}),
    ...(encryptionContext !== undefined ? { encryptionContext } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(tags !== undefined ? { tags } : {}),
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    ...(recoveryWindowInDays !== undefined ? { recoveryWindowInDays } : {}),
    ...(deletionPolicy !== undefined ? { deletionPolicy: deletionPolicy as DeletionPolicy } : {}),
  };
}

/** The core ciphertext rule in the macro's words (golden fixtures pin them). */
function tokenCiphertextProblem(text: string): string | undefined {
  const got = ciphertextProblem(text);
  return got === undefined ? undefined : `must be the base64 ciphertext blob that \`aws kms encrypt\` prints; got ${got}`;
}

type Fail = (message: string) => never;

function parseEncryptionContext(raw: unknown, options: TokenOptions, fail: Fail): Record<string, TemplateString> | undefined {
  if (raw === undefined) return undefined;
  if (!isPlainObject(raw)) return fail(`property "EncryptionContext" must be a map of strings; got ${describeType(raw)}`);
  const context: Record<string, TemplateString> = {};
  for (const [key, entry] of Object.entries(raw)) {
    if (typeof entry === 'string' || (options.allowIntrinsics !== false && isIntrinsic(entry))) context[key] = entry;
    else fail(`property "EncryptionContext" entry "${shorten(key)}" must be a string; got ${describeType(entry)}`);
  }
  return context;
}

function parseRecoveryWindow(raw: unknown, fail: Fail): number | undefined {
  if (raw === undefined) return undefined;
  const days = recoveryWindowDays(raw);
  if (days === undefined) {
    return fail(`property "RecoveryWindowInDays" must be 0 (delete at once) or an integer from 7 to 30; got ${describeType(raw)}`);
  }
  return days;
}

function parseTags(raw: unknown, options: TokenOptions, fail: Fail): { Key: string; Value: TemplateString }[] | undefined {
  if (raw === undefined) return undefined;
  const pairs: [unknown, unknown][] = Array.isArray(raw)
    ? raw.map((tag, i) => {
      if (!isPlainObject(tag) || Object.keys(tag).some((k) => k !== 'Key' && k !== 'Value')) {
        return fail(`property "Tags" item ${i} must be {Key, Value}; got ${describeType(tag)}`);
      }
      return [tag.Key, tag.Value];
    })
    : isPlainObject(raw) ? Object.entries(raw) : fail(`property "Tags" must be a list of {Key, Value} or a map; got ${describeType(raw)}`);
  return pairs.map(([key, tagValue], i) => {
    if (typeof key !== 'string' || key.length === 0 || key.length > TAG_KEY_MAX) {
      return fail(`property "Tags" item ${i} Key must be a string of 1-${TAG_KEY_MAX} characters; got ${describeType(key)}`);
    }
    if (RESERVED_TAG_PREFIXES.some((prefix) => key.startsWith(prefix))) {
      return fail(`property "Tags" key "${shorten(key)}" uses a reserved prefix (kms-secrets: and aws: are kept for kms-secrets and AWS)`);
    }
    if (typeof tagValue === 'string' ? tagValue.length > TAG_VALUE_MAX : !(options.allowIntrinsics !== false && isIntrinsic(tagValue))) {
      return fail(`property "Tags" value of "${shorten(key)}" must be a string of 0-${TAG_VALUE_MAX} characters; got ${describeType(tagValue)}`);
    }
    return { Key: key, Value: tagValue as TemplateString };
  });
}

/** The user's own key names are safe to quote, but a pasted blob should not fill a log line. */
function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

