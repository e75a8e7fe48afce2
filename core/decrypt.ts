/**
 * KMS Decrypt of a secret's values into the string Secrets Manager stores. This module and the write that follows are
 * the only places plaintext exists: each decrypted buffer is zeroed as soon as it is decoded, and failures name the
 * value and give advice from the KMS error code, never the SDK's message.
 */
import type { KmsPort } from './aws.ts';
import { DecryptError, errorName, setupProblem } from './errors.ts';
import type { SecretSpec, SecretValueSpec } from './spec.ts';

/**
 * Decrypts every value and assembles the secret string: one value as is, keyed values as one JSON object with its
 * keys sorted. The version token comes from an order-independent fingerprint, and Secrets Manager refuses a token
 * already used with other data, so the same values must always give the same bytes.
 */
export async function decryptSecretString(kms: KmsPort, spec: SecretSpec): Promise<string> {
  const texts: string[] = [];
  for (const [index, value] of spec.values.entries()) texts.push(await decryptValue(kms, spec, value, index));
  if (spec.values.length === 1 && spec.values[0]?.key === undefined) return texts[0] ?? '';
  const entries = spec.values.map((v, i): [string, string] => [v.key ?? '', texts[i] ?? '']);
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function decryptValue(kms: KmsPort, spec: SecretSpec, value: SecretValueSpec, index: number): Promise<string> {
  const ciphertext = Buffer.from(value.ciphertext, 'base64');
  let plaintext: Uint8Array | undefined;
  try {
    plaintext = (await kms.decrypt({ ciphertext, ...(value.encryptionContext ? { encryptionContext: value.encryptionContext } : {}) })).plaintext;
  } catch (error) {
    throw new DecryptError(`${valueLocation(spec, value, index)}: kms:Decrypt failed: ${setupProblem(error) ?? kmsAdvice(errorName(error), value)}`, { cause: error });
  }
  try {
    return utf8.decode(plaintext);
  } catch {
    throw new DecryptError(`${valueLocation(spec, value, index)}: the decrypted value is not valid UTF-8 text; Secrets Manager SecretString needs text`);
  } finally {
    plaintext.fill(0);
  }
}

function kmsAdvice(code: string, value: SecretValueSpec): string {
  const context = value.encryptionContext ? `{${Object.keys(value.encryptionContext).map((k) => `"${k}"`).join(', ')}}` : 'none';
  switch (code) {
    case 'InvalidCiphertextException':
      return `the ciphertext is invalid or the EncryptionContext (given: ${context}) differs from the one it was encrypted with (InvalidCiphertextException); encrypt it again with the same context`;
    case 'IncorrectKeyException':
      return 'the ciphertext was encrypted under another KMS key (IncorrectKeyException)';
    case 'AccessDeniedException':
      return 'access denied (AccessDeniedException); allow kms:Decrypt on the key (key policy or IAM, including any kms:EncryptionContext condition) for the caller\'s role';
    case 'NotFoundException':
      return 'the KMS key that encrypted it does not exist in this account and region (NotFoundException)';
    case 'DisabledException':
    case 'KMSInvalidStateException':
      return `the KMS key is disabled or pending deletion (${code}); enable it`;
    default:
      return code ? `${code}` : 'unknown error';
  }
}

/** Where a value sits, for messages: `secret "prod/db" key "password"` or `secret "prod/db" value 1`. */
export function valueLocation(spec: SecretSpec, value: SecretValueSpec, index: number): string {
  return value.key === undefined ? `secret "${spec.name}" value ${index + 1}` : `secret "${spec.name}" key "${value.key}"`;
}
