/**
 * The normalized description of one secret that both front doors hand to the core: the macro/provider through
 * `Custom::KmsSecret` properties, the CLI through secrets files. Pure: no I/O, no AWS SDK.
 */
import { createHash } from 'node:crypto';
import { KMS_MAX_CIPHERTEXT_BYTES } from './constants.ts';

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

const BLANKS = /\s+/g;
// Padding required: every tool that prints a KMS ciphertext (aws kms encrypt --output text, the SDKs, kms-secrets
// encrypt) pads, and a length that is not a multiple of 4 is almost always a blob that lost its tail in a copy-paste,
// which Buffer.from would quietly decode into other bytes and KMS would refuse only mid-deployment.
const PADDED_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DIGITS = /^\d+$/;

/**
 * What is wrong with `text` as the base64 of a KMS ciphertext blob (1-6144 bytes; padded; blanks and line breaks
 * ignored), phrased as what arrived ("a string that is not base64"), or undefined when it is one.
 * Each front door says what it expected in its own words; the message never holds the text itself.
 */
export function ciphertextProblem(text: string): string | undefined {
  const compact = text.replace(BLANKS, '');
  if (compact.length % 4 !== 0 || !PADDED_BASE64.test(compact)) return 'a string that is not base64';
  const bytes = (compact.length / 4) * 3 - (compact.length - compact.replace(/=+$/, '').length);
  if (bytes > KMS_MAX_CIPHERTEXT_BYTES) return `more than ${KMS_MAX_CIPHERTEXT_BYTES} bytes`;
  return undefined;
}

/**
 * The days of a RecoveryWindowInDays value, or undefined when it is not 0 (delete at once) or 7 to 30, the range
 * Secrets Manager DeleteSecret accepts. A numeric string counts: CloudFormation hands a provider every scalar as a
 * string (aws-facts.md §2.6), so "7" and 7 mean the same; blanks around the digits are forgiven.
 */
export function recoveryWindowDays(raw: unknown): number | undefined {
  const days = typeof raw === 'number' ? raw : typeof raw === 'string' && DIGITS.test(raw.trim()) ? Number(raw) : undefined;
  if (days === undefined || !Number.isInteger(days) || (days !== 0 && (days < 7 || days > 30))) return undefined;
  return days;
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
