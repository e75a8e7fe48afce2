/**
 * Groups validated tokens into secrets, by the rules both front doors share: tokens with the same Name and different
 * Keys are one JSON secret (one $0.40 secret instead of many), identical tokens share one secret, and conflicting
 * definitions are errors naming both places. Pure; state lives only in the grouper a caller creates.
 */
import { TOKEN_NAME } from '../core/constants.ts';
import type { SecretSpec, SecretValueSpec } from '../core/spec.ts';
import { canonicalJson, describeType } from './json.ts';
import { TokenError, type KmsSecretToken, type TemplateString } from './token.ts';

/** A token and where it was found (`Resources.Db.Properties.MasterUserPassword`, `secrets.yaml: secrets[2]`). */
export interface TokenOccurrence {
  readonly token: KmsSecretToken;
  readonly path: string;
}

/** One value of a secret: the whole secret (no key) or one key of its JSON object. */
export interface SecretValue {
  readonly ciphertext: TemplateString;
  readonly key?: string;
  readonly encryptionContext?: Readonly<Record<string, TemplateString>>;
}

/** The secret-level settings a token may give; tokens of one secret must not disagree on them. */
const SETTINGS = ['description', 'kmsKeyId', 'tags', 'recoveryWindowInDays', 'deletionPolicy'] as const;
const SETTING_PROPERTY: Record<(typeof SETTINGS)[number], string> = {
  description: 'Description', kmsKeyId: 'KmsKeyId', tags: 'Tags', recoveryWindowInDays: 'RecoveryWindowInDays',
  deletionPolicy: 'DeletionPolicy',
};

/** One secret: its name (absent: the provider derives one), values sorted by key, settings and every occurrence. */
export interface SecretGroup<O extends TokenOccurrence = TokenOccurrence> {
  readonly name?: TemplateString;
  readonly values: readonly SecretValue[];
  readonly description?: TemplateString;
  readonly kmsKeyId?: TemplateString;
  readonly tags?: KmsSecretToken['tags'];
  readonly recoveryWindowInDays?: number;
  readonly deletionPolicy?: KmsSecretToken['deletionPolicy'];
  /** In the order they were added; the first one is where the secret was first seen. */
  readonly occurrences: readonly O[];
}

/** Adds occurrences one at a time (the macro's single walk) and tells whether each opened a new secret. */
export interface TokenGrouper<O extends TokenOccurrence> {
  /** `index` is the group's position in {@link TokenGrouper.groups}, stable while more occurrences are added. */
  add(occurrence: O): { readonly created: boolean; readonly index: number };
  groups(): SecretGroup<O>[];
}

interface MutableGroup<O extends TokenOccurrence> {
  name?: TemplateString;
  values: SecretValue[];
  settings: Partial<Record<(typeof SETTINGS)[number], unknown>>;
  /** Where each value key ('' for the unkeyed value) and each setting was first given, for conflict messages. */
  seen: Map<string, { path: string; canonical: string }>;
  occurrences: O[];
  index: number;
}

/**
 * Creates an empty grouper. Errors are {@link TokenError}s at the later place that name the earlier one.
 * `subject` is what messages call an entry (default `Fn::KmsSecret`).
 */
export function createTokenGrouper<O extends TokenOccurrence>(subject: string = TOKEN_NAME): TokenGrouper<O> {
  const byIdentity = new Map<string, MutableGroup<O>>();
  const add = (occurrence: O) => {
    const { token, path } = occurrence;
    // Unnamed tokens share a secret only when identical; Return is how a consumer reads it, not part of the secret.
    const identity = token.name !== undefined ? `name:${canonicalJson(token.name)}` : `token:${canonicalJson({ ...token, return: null })}`;
    let group = byIdentity.get(identity);
    const created = group === undefined;
    if (group === undefined) {
      group = { values: [], settings: {}, seen: new Map(), occurrences: [], index: byIdentity.size };
      if (token.name !== undefined) group.name = token.name;
      byIdentity.set(identity, group);
    }
    merge(group, token, path, subject);
    group.occurrences.push(occurrence);
    return { created, index: group.index };
  };
  return { add, groups: () => [...byIdentity.values()].map(viewOf) };
}

/** Groups a whole list at once (the CLI's secrets files). Throws {@link TokenError} on a conflict. */
export function groupTokens<O extends TokenOccurrence>(occurrences: readonly O[], subject?: string): SecretGroup<O>[] {
  const grouper = createTokenGrouper<O>(subject);
  for (const occurrence of occurrences) grouper.add(occurrence);
  return grouper.groups();
}

/**
 * Converts a group whose name and ciphertexts are literal strings into the core's {@link SecretSpec}.
 * Throws {@link TokenError} at the group's first place when something is an intrinsic (a template-only form).
 */
export function toSecretSpec(group: SecretGroup): SecretSpec {
  const path = group.occurrences[0]?.path ?? '';
  const literal = (value: TemplateString | undefined, what: string): string | undefined => {
    if (value === undefined || typeof value === 'string') return value;
    throw new TokenError(path, `${what} must be a literal string here; got ${describeType(value)}`);
  };
  const name = literal(group.name, '"Name"');
  if (name === undefined) throw new TokenError(path, '"Name" is required here');
  const values: SecretValueSpec[] = group.values.map((value) => {
    const context = value.encryptionContext === undefined ? undefined
      : Object.fromEntries(Object.entries(value.encryptionContext).map(([k, v]) => [k, literal(v, `EncryptionContext "${k}"`) as string]));
    return {
      ciphertext: literal(value.ciphertext, '"Ciphertext"') as string,
      ...(value.key !== undefined ? { key: value.key } : {}),
      ...(context !== undefined ? { encryptionContext: context } : {}),
    };
  });
  const description = literal(group.description, '"Description"');
  const kmsKeyId = literal(group.kmsKeyId, '"KmsKeyId"');
  const tags = (group.tags ?? []).map((tag) => ({ Key: tag.Key, Value: literal(tag.Value, `Tags "${tag.Key}"`) as string }));
  return {
    name, values, tags,
    ...(description !== undefined ? { description } : {}),
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
  };
}

function merge<O extends TokenOccurrence>(group: MutableGroup<O>, token: KmsSecretToken, path: string, subject: string): void {
  const secret = group.name === undefined ? 'an unnamed secret'
    : typeof group.name === 'string' ? `secret "${group.name}"` : `the secret named by ${describeType(group.name)}`;
  const conflict = (earlier: string, what: string): never => {
    throw new TokenError(path, `${subject} for ${secret} ${what} (conflicts with ${earlier})`);
  };
  const keyed = token.key !== undefined;
  const first = group.values[0];
  if (first !== undefined && (first.key !== undefined) !== keyed) {
    conflict(group.occurrences[0]?.path ?? '', keyed ? 'gives a Key where the secret is unkeyed' : 'gives no Key where the secret is keyed');
  }
  const slot = `value:${token.key ?? ''}`;
  const canonical = canonicalJson([token.ciphertext, token.encryptionContext ?? null]);
  const earlier = group.seen.get(slot);
  if (earlier === undefined) {
    group.seen.set(slot, { path, canonical });
    group.values.push({
      ciphertext: token.ciphertext,
      ...(token.key !== undefined ? { key: token.key } : {}),
      ...(token.encryptionContext !== undefined ? { encryptionContext: token.encryptionContext } : {}),
    });
    group.values.sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : 1));
  } else if (earlier.canonical !== canonical) {
    conflict(earlier.path, `gives a different Ciphertext or EncryptionContext${keyed ? ` for Key "${token.key}"` : ''}`);
  }
  // A setting given once applies to the whole secret; given twice, it must be the same.
  for (const setting of SETTINGS) {
    const value = token[setting];
    if (value === undefined) continue;
    const settingCanonical = canonicalJson(setting === 'tags' ? sortedTags(value as NonNullable<KmsSecretToken['tags']>) : value);
    const before = group.seen.get(setting);
    if (before === undefined) {
      group.seen.set(setting, { path, canonical: settingCanonical });
      group.settings[setting] = value;
    } else if (before.canonical !== settingCanonical) {
      conflict(before.path, `gives a different ${SETTING_PROPERTY[setting]}`);
    }
  }
}

/** Tags in Key order: the same set given as a map and as a list, or in another order, is the same setting. */
function sortedTags(tags: NonNullable<KmsSecretToken['tags']>): KmsSecretToken['tags'] {
  return [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
}

function viewOf<O extends TokenOccurrence>(group: MutableGroup<O>): SecretGroup<O> {
  return {
    ...(group.name !== undefined ? { name: group.name } : {}),
    ...(group.settings as Partial<SecretGroup<O>>),
    values: group.values,
    occurrences: group.occurrences,
  };
}
