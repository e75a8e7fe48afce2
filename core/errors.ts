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

const UNREACHABLE = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH'];
const EXPIRED = ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'];
const REJECTED = ['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch'];

/**
 * What is wrong with the caller's AWS setup (no credentials, no Region, an unreachable endpoint, expired or rejected
 * credentials), or undefined when `error` is about the secret itself. These are the first errors a new user meets,
 * and the SDK's own texts ("Region is missing", "connect ECONNREFUSED ...") do not say what to do.
 */
export function setupProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (error.name === 'CredentialsProviderError') return 'no AWS credentials found: set AWS_PROFILE (or --profile) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with a role';
  if (error.message === 'Region is missing') return 'no AWS Region: pass --region or set AWS_REGION';
  if (typeof code === 'string' && UNREACHABLE.includes(code)) return `cannot reach the AWS endpoint (${code}); check the network, and AWS_ENDPOINT_URL if it is set`;
  if (EXPIRED.includes(error.name)) return `the AWS credentials have expired (${error.name}); refresh them and run again`;
  if (REJECTED.includes(error.name)) return `AWS does not accept these credentials (${error.name}); check the access key, profile and Region`;
  return undefined;
}

/** The message to show a user: ours verbatim; anything else as `Name: message` on one line, without a stack. */
export function describeError(error: unknown): string {
  if (error instanceof KmsSecretsError) return error.message;
  const problem = setupProblem(error);
  if (problem !== undefined) return problem;
  if (error instanceof Error) return `${error.name}: ${error.message}`.replace(/\s*\n\s*/g, ' ');
  return `unexpected ${typeof error} thrown`;
}
