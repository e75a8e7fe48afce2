/**
 * The normalized description of one secret that both front doors hand to the core: the macro/provider through
 * `Custom::KmsSecret` properties, the CLI through secrets files. Pure: no I/O, no AWS SDK.
 */
import { createHash } from 'node:crypto';

/** One encrypted value: the whole secret (no key) or one key of a JSON secret. */
export interface SecretValueSpec {
  /** Base64 KMS ciphertext blob, as `aws kms encrypt --output text --query CiphertextBlob` prints it. */
  readonly ciphertext: string;
  /** JSON key this value is stored under; absent for a plain-string secret. */
  readonly key?: string;
  /** Encryption context passed to KMS Decrypt (must match what Encrypt used, exactly). */
  readonly encryptionContext?: Readonly<Record<string, string>>;
}

/** A tag as Secrets Manager and CloudFormation spell it. */
export interface SecretTag {
  readonly Key: string;
  readonly Value: string;
}

/** Everything kms-secrets needs to create or update one Secrets Manager secret. */
export interface SecretSpec {
  /** The Secrets Manager secret name. */
  readonly name: string;
  /** One unkeyed value, or one or more keyed values written together as a JSON object. */
  readonly values: readonly SecretValueSpec[];
  readonly description?: string;
  readonly kmsKeyId?: string;
  /** User tags; the owner and fingerprint tags are added by the core. */
  readonly tags: readonly SecretTag[];
}

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const LOOKS_LIKE_ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;

/**
 * Why `name` is not a usable Secrets Manager name, or undefined when it is.
 * A name ending in `-` plus 6 characters is refused because Secrets Manager would read it as a partial ARN.
 */
export function secretNameProblem(name: string): string | undefined {
  if (!SECRET_NAME.test(name)) return 'must be 1-512 characters of A-Z a-z 0-9 / _ + = . @ -';
  if (LOOKS_LIKE_ARN_SUFFIX.test(name)) return 'must not end with "-" and 6 characters (Secrets Manager reads that as an ARN suffix)';
  return undefined;
}

/**
 * SHA-256 (hex) over the keys and decoded ciphertext bytes of a secret's values, independent of their order.
 * Ciphertext is public, so the fingerprint leaks nothing; it is never derived from plaintext.
 */
export function fingerprintOf(values: readonly SecretValueSpec[]): string {
  const parts = values
    .map((value) => ({ key: value.key ?? null, ciphertext: Buffer.from(value.ciphertext, 'base64').toString('base64') }))
    // Code-unit order, not localeCompare: the fingerprint picks the VersionId, so it must not depend on the machine's locale.
    .sort((a, b) => compareCodeUnits(a.key ?? '', b.key ?? '') || compareCodeUnits(a.ciphertext, b.ciphertext));
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The ClientRequestToken (and so the VersionId) of the version holding `fingerprint` in secret `name`.
 * Deterministic, so a retried or re-delivered write never adds a version, and going A → B → A finds A's version again.
 * Shaped as a UUID (36 characters; Secrets Manager accepts 32-64).
 */
export function versionIdFor(name: string, fingerprint: string): string {
  const hex = createHash('sha256').update(`kms-secrets\0${name}\0${fingerprint}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The owner tag value of secrets written by the provider for one stack: region and stack name, so a stack re-created under the same name owns them again. */
export function stackOwner(region: string, stackName: string): string {
  return `cloudformation:${region}:${stackName}`;
}
