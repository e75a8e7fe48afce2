/**
 * Every name and number that more than one part of kms-secrets agrees on.
 * Keeping them here means the macro, the provider and the CLI can never drift apart on a tag key or a limit.
 */

/** The template-level transform name users write: `Transform: KmsSecrets`. */
export const MACRO_NAME = 'KmsSecrets';
/** The intrinsic-like token the macro rewrites. */
export const TOKEN_NAME = 'Fn::KmsSecret';
/** The custom resource type the macro generates and the provider serves. */
export const RESOURCE_TYPE = 'Custom::KmsSecret';

/** Environment variable of the macro Lambda: the provider Lambda's ARN, used as every generated ServiceToken. */
export const PROVIDER_ARN_ENV = 'KMS_SECRETS_PROVIDER_ARN';
/** Environment variable of the provider Lambda: every secret name must start with it (empty: no prefix). */
export const NAME_PREFIX_ENV = 'KMS_SECRETS_NAME_PREFIX';
/** Environment variable of the provider Lambda: "true" refuses ciphertexts without a SecretName encryption context. */
export const REQUIRE_BINDING_ENV = 'KMS_SECRETS_REQUIRE_BINDING';

/** Tag naming who manages a secret; a secret without our owner value is never modified or deleted. */
export const OWNER_TAG = 'kms-secrets:owner';
/** Tag holding the SHA-256 over the ciphertext(s) and keys of the current value (ciphertext is public: leaks nothing). */
export const FINGERPRINT_TAG = 'kms-secrets:fingerprint';
/**
 * Tag naming the logical ID of the `Custom::KmsSecret` resource that last wrote a provider secret. When a template
 * renames a resource but keeps its Name, CloudFormation creates the new resource (same secret, same ARN) before it
 * deletes the old one; the old one's Delete must then leave the secret alone.
 */
export const RESOURCE_TAG = 'kms-secrets:resource';
/** Keys that could reach an object's prototype when user JSON is copied; refused or dropped wherever it is walked (middy's rule). */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Encryption context key that binds a ciphertext to the one secret it may be written into. */
export const SECRET_NAME_CONTEXT_KEY = 'SecretName';

/** PhysicalResourceId of a failed Create, so the rollback Delete that follows is a no-op (aws-cdk's pattern). */
export const CREATE_FAILED_MARKER = 'KmsSecrets::CREATE_FAILED';
/**
 * ServiceTimeout emitted on every generated resource, in seconds (a string, as CloudFormation sends it).
 * CloudFormation's default is 3600 s: a provider that never answers would hold a stack for an hour. The provider
 * Lambda runs at most 60 s, and Lambda retries a failed async invocation twice, about 1 and 2 minutes apart
 * (aws-facts.md §2.4), so 300 s covers the first attempt and both retries.
 */
export const SERVICE_TIMEOUT_SECONDS = '300';

/** Secrets Manager's longest tag key; the macro and the provider check the same limits. */
export const TAG_KEY_MAX = 128;
/** Secrets Manager's longest tag value. */
export const TAG_VALUE_MAX = 256;
/** Secrets Manager's longest secret description. */
export const DESCRIPTION_MAX = 2048;
/** Tag key prefixes users may not set: kms-secrets keeps its owner, fingerprint and resource tags; AWS keeps its own. */
export const RESERVED_TAG_PREFIXES: readonly string[] = ['kms-secrets:', 'aws:'];
/** RecoveryWindowInDays when none is given: the shortest window AWS allows short of deleting at once. */
export const DEFAULT_RECOVERY_WINDOW_DAYS = 7;
/** CloudFormation resolves at most 60 dynamic references per template (aws-facts.md §3.2). */
export const MAX_DYNAMIC_REFERENCES = 60;
/** KMS Encrypt accepts at most 4096 bytes of plaintext (aws-facts.md §4.1). */
export const KMS_MAX_PLAINTEXT_BYTES = 4096;
/** A KMS ciphertext blob is at most 6144 bytes (aws-facts.md §4.1). */
export const KMS_MAX_CIPHERTEXT_BYTES = 6144;
/** A custom resource response body may not exceed 4096 bytes (aws-facts.md §2.2). */
export const MAX_RESPONSE_BYTES = 4096;
/** ListSecrets returns at most 100 secrets a page (aws-facts.md §5.1). */
export const LIST_PAGE_SIZE = 100;
/** What a secret costs a month, in USD (aws-facts.md §5.4), for the CLI's cost line. */
export const SECRET_MONTHLY_USD = 0.4;
