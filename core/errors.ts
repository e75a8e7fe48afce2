/**
 * The named errors of kms-secrets. Every message says what went wrong, where, and what to do; none ever carries
 * plaintext, a stack trace or a presigned URL's query, because messages become CloudFormation `Reason`s and CLI output.
 */

/** Base class: lets callers tell our own, already user-readable errors from unexpected ones. */
export class KmsSecretsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KmsSecretsError';
  }
}

/** A `Custom::KmsSecret` property (or provider setting) is missing or malformed. */
export class PropertiesError extends KmsSecretsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PropertiesError';
  }
}

/** A secret name Secrets Manager would refuse, or one outside the provider's allowed prefix. */
export class SecretNameError extends KmsSecretsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretNameError';
  }
}

/** A ciphertext bound (EncryptionContext SecretName) to another secret, or unbound where binding is required. */
export class BindingError extends KmsSecretsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BindingError';
  }
}

/** KMS refused to decrypt (wrong key, wrong encryption context, no permission) or the plaintext is unusable. */
export class DecryptError extends KmsSecretsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DecryptError';
  }
}

/** KMS refused to encrypt (CLI `encrypt`). */
export class EncryptError extends KmsSecretsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EncryptError';
  }
}

/** The secret exists but is not managed by this owner: kms-secrets never modifies or deletes it. */
export class OwnershipError extends KmsSecretsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OwnershipError';
  }
}

/** Secrets Manager refused a read or write (access denied, invalid request, limits). */
export class SecretWriteError extends KmsSecretsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretWriteError';
  }
}

/** The custom-resource response could not be delivered to CloudFormation after every retry. */
export class ResponseDeliveryError extends KmsSecretsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ResponseDeliveryError';
  }
}

/** The name of an SDK (or any) error, e.g. `ResourceNotFoundException`; '' when there is none. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/** The message to show a user: ours verbatim; anything else as `Name: message` on one line, without a stack. */
export function describeError(error: unknown): string {
  if (error instanceof KmsSecretsError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`.replace(/\s*\n\s*/g, ' ');
  return `unexpected ${typeof error} thrown`;
}
