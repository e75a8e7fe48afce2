/**
 * Decrypt → upsert orchestration shared by the provider and the CLI: binding and ownership checks, deterministic
 * versions, metadata-only updates, restore of a pending-deletion secret, and delete.
 * Plaintext exists only inside core/decrypt.ts and the create/put call here, as a local between Decrypt and the write.
 */
import type { KmsPort, SecretState, SecretsPort } from './aws.ts';
import { decryptSecretString, valueLocation } from './decrypt.ts';
import { FINGERPRINT_TAG, OWNER_TAG, RESOURCE_TAG, SECRET_NAME_CONTEXT_KEY } from './constants.ts';
import {
  BindingError, errorName, KmsSecretsError, OwnershipError, SecretNameError, SecretWriteError, setupProblem,
} from './errors.ts';
import { fingerprintOf, secretNameProblem, versionIdFor, type SecretSpec, type SecretTag } from './spec.ts';

/** The ports the core needs; injected so the provider and the CLI share one implementation and tests use fakes. */
export interface SecretsDeps {
  readonly kms: KmsPort;
  readonly secrets: SecretsPort;
}

/** Who is writing and what is already known; the owner decides which secrets may be modified. */
export interface UpsertOptions {
  /** Value of the `kms-secrets:owner` tag this caller manages. */
  readonly owner: string;
  /** Already-known state (e.g. from a ListSecrets page), or null when known absent; skips DescribeSecret. */
  readonly observed?: SecretState | null;
  /** Refuse values whose EncryptionContext has no SecretName. */
  readonly requireBinding?: boolean;
  /** Logical ID of the custom resource writing the secret (provider only), kept in the `kms-secrets:resource` tag. */
  readonly resource?: string;
}

/** What happened to the value: a new secret, a new version, an old version made current again, or nothing. */
export type UpsertOutcome = 'created' | 'updated' | 'reverted' | 'unchanged';

/** What an upsert did, in the terms the provider answers (ARN, VersionId) and the CLI reports (outcome). */
export interface UpsertResult {
  readonly arn: string;
  readonly name: string;
  readonly versionId: string;
  readonly outcome: UpsertOutcome;
  /** The secret was pending deletion and has been restored. */
  readonly restored: boolean;
  /** Description, KmsKeyId or tags were changed (never a new version). */
  readonly metadataUpdated: boolean;
}

/** The writes an upsert would make against a known state; pure, so the CLI's plan can show it. */
export interface UpsertPlan {
  readonly action: 'create' | 'write' | 'revert' | 'none';
  readonly restore: boolean;
  readonly versionId: string;
  readonly fingerprint: string;
  readonly metadata: { description?: string; kmsKeyId?: string } | undefined;
  readonly tagsToSet: readonly SecretTag[];
  readonly tagKeysToRemove: readonly string[];
}

const CURRENT = 'AWSCURRENT';
const CREATE_CONFLICTS: readonly string[] = ['ResourceExistsException', 'InvalidRequestException'];

/** Checks name and bindings before any AWS call: a bound ciphertext may only be written into its own secret. */
export function checkSpec(spec: SecretSpec, requireBinding = false): void {
  const problem = secretNameProblem(spec.name);
  if (problem) throw new SecretNameError(`secret name "${spec.name}" ${problem}`);
  if (spec.values.length === 0) throw new BindingError(`secret "${spec.name}" has no values`);
  const keys = spec.values.map((v) => v.key);
  if (spec.values.length > 1 && keys.some((k) => k === undefined)) {
    throw new BindingError(`secret "${spec.name}" has ${spec.values.length} values: every one needs a Key (one JSON secret)`);
  }
  const duplicate = keys.find((k, i) => k !== undefined && keys.indexOf(k) !== i);
  if (duplicate !== undefined) throw new BindingError(`secret "${spec.name}" has the key "${duplicate}" twice`);
  spec.values.forEach((value, index) => {
    const bound = value.encryptionContext?.[SECRET_NAME_CONTEXT_KEY];
    if (bound === undefined && requireBinding) {
      throw new BindingError(`${valueLocation(spec, value, index)}: this provider requires an EncryptionContext "${SECRET_NAME_CONTEXT_KEY}" equal to the secret name; encrypt it again bound to its secret with "kms-secrets encrypt --name ${spec.name}" (or "aws kms encrypt --encryption-context ${SECRET_NAME_CONTEXT_KEY}=${spec.name}")`);
    }
    if (bound !== undefined && bound !== spec.name) {
      throw new BindingError(`${valueLocation(spec, value, index)}: the ciphertext is bound to secret "${bound}" (EncryptionContext ${SECRET_NAME_CONTEXT_KEY}) and may not be written into "${spec.name}"`);
    }
  });
}

/** The tags a managed secret should carry: the user's, then our owner, fingerprint and (provider) resource tags. */
export function desiredTags(spec: SecretSpec, owner: string, fingerprint: string, resource?: string): SecretTag[] {
  const user = spec.tags.filter((t) => t.Key !== OWNER_TAG && t.Key !== FINGERPRINT_TAG && t.Key !== RESOURCE_TAG);
  const ours = [{ Key: OWNER_TAG, Value: owner }, { Key: FINGERPRINT_TAG, Value: fingerprint }];
  return [...user, ...ours, ...(resource !== undefined ? [{ Key: RESOURCE_TAG, Value: resource }] : [])];
}

/** Throws OwnershipError unless `state` carries our owner tag. */
export function assertOwned(state: SecretState, owner: string): void {
  const actual = state.tags[OWNER_TAG];
  if (actual === owner) return;
  const who = actual === undefined ? 'it was not created by kms-secrets (no "kms-secrets:owner" tag)' : `it is managed by "${actual}"`;
  throw new OwnershipError(`secret "${state.name}" already exists and ${who}; kms-secrets will not modify it. Choose another Name, or delete or re-tag that secret (tag "${OWNER_TAG}" = "${owner}") if it should be managed here`);
}

/** Decides the writes that bring `state` (undefined = absent) to `spec`; throws OwnershipError for a foreign secret. */
export function planUpsert(spec: SecretSpec, state: SecretState | undefined, owner: string, resource?: string): UpsertPlan {
  const fingerprint = fingerprintOf(spec.values);
  const versionId = versionIdFor(spec.name, fingerprint);
  const desired = desiredTags(spec, owner, fingerprint, resource);
  if (!state) return { action: 'create', restore: false, versionId, fingerprint, metadata: undefined, tagsToSet: desired, tagKeysToRemove: [] };
  assertOwned(state, owner);
  const stages = state.versionIdsToStages[versionId];
  const action = stages === undefined ? 'write' : stages.includes(CURRENT) ? 'none' : 'revert';
  const metadata: { description?: string; kmsKeyId?: string } = {};
  const description = spec.description ?? '';
  if (description !== (state.description ?? '')) metadata.description = description;
  if (!sameKey(spec.kmsKeyId, state.kmsKeyId)) metadata.kmsKeyId = spec.kmsKeyId ?? '';
  const wanted = new Set(desired.map((t) => t.Key));
  return {
    action,
    restore: state.deletedDate !== undefined,
    versionId,
    fingerprint,
    metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    tagsToSet: desired.filter((t) => state.tags[t.Key] !== t.Value),
    tagKeysToRemove: Object.keys(state.tags).filter((k) => !wanted.has(k) && !k.startsWith('aws:')),
  };
}

/**
 * Whether the KmsKeyId DescribeSecret reports matches the one asked for. AWS may report a key ARN where an alias
 * or key ID was given; without a KMS call we can only match identical IDs and ARNs ending in the given ID or alias.
 */
function sameKey(wanted: string | undefined, actual: string | undefined): boolean {
  if (!wanted || wanted === 'aws/secretsmanager' || wanted === 'alias/aws/secretsmanager') return !actual || actual.endsWith('alias/aws/secretsmanager');
  if (!actual) return false;
  return actual === wanted || actual.endsWith(`:${wanted}`) || actual.endsWith(`/${wanted}`);
}

/**
 * Creates the secret or brings the managed one up to date; every write is idempotent (deterministic version ID).
 * An unchanged value costs one DescribeSecret (none with `observed`) and no KMS call.
 */
export async function upsertSecret(deps: SecretsDeps, spec: SecretSpec, options: UpsertOptions): Promise<UpsertResult> {
  checkSpec(spec, options.requireBinding);
  let state = options.observed === null ? undefined : options.observed ?? await describe(deps, spec.name);
  let plan = planUpsert(spec, state, options.owner, options.resource);
  if (plan.action === 'create') {
    try {
      const secretString = await decryptSecretString(deps.kms, spec);
      const out = await guard(spec.name, 'CreateSecret', () => deps.secrets.create({
        name: spec.name, clientRequestToken: plan.versionId, secretString,
        ...(spec.description !== undefined ? { description: spec.description } : {}),
        ...(spec.kmsKeyId !== undefined ? { kmsKeyId: spec.kmsKeyId } : {}),
        tags: plan.tagsToSet,
      }), CREATE_CONFLICTS);
      return { arn: out.arn, name: spec.name, versionId: out.versionId, outcome: 'created', restored: false, metadataUpdated: false };
    } catch (error) {
      // A stale view or a concurrent writer: the secret exists after all (AWS says InvalidRequestException when it is
      // pending deletion, moto ResourceExistsException); carry on with its real state.
      const code = errorName(error);
      if (!CREATE_CONFLICTS.includes(code)) throw error;
      state = await describe(deps, spec.name);
      if (!state) throw secretsError(spec.name, 'CreateSecret', error);
      plan = planUpsert(spec, state, options.owner, options.resource);
    }
  }
  if (!state) throw new SecretWriteError(`secret "${spec.name}": no state to update`);
  return applyPlan(deps, spec, state, plan);
}

async function applyPlan(deps: SecretsDeps, spec: SecretSpec, state: SecretState, plan: UpsertPlan): Promise<UpsertResult> {
  const id = state.arn;
  const call = <T>(operation: string, fn: () => Promise<T>) => guard(spec.name, operation, fn);
  if (plan.restore) await call('RestoreSecret', () => deps.secrets.restore(id));
  let versionId = plan.versionId;
  const holder = currentVersion(state);
  if (plan.action === 'revert') {
    await call('UpdateSecretVersionStage', () => deps.secrets.updateVersionStage({ secretId: id, stage: CURRENT, moveToVersionId: plan.versionId, ...(holder ? { removeFromVersionId: holder } : {}) }));
  } else if (plan.action === 'write') {
    const secretString = await decryptSecretString(deps.kms, spec);
    const out = await call('PutSecretValue', () => deps.secrets.putValue({ secretId: id, clientRequestToken: plan.versionId, secretString }));
    versionId = out.versionId;
    if (!out.versionStages.includes(CURRENT)) {
      // The version already existed without AWSCURRENT (a stale observed state): make it current.
      const fresh = await describe(deps, id);
      const from = fresh ? currentVersion(fresh) : holder;
      if (from !== versionId) await call('UpdateSecretVersionStage', () => deps.secrets.updateVersionStage({ secretId: id, stage: CURRENT, moveToVersionId: versionId, ...(from ? { removeFromVersionId: from } : {}) }));
    }
  }
  const metadata = plan.metadata;
  if (metadata) await call('UpdateSecret', () => deps.secrets.updateMetadata({ secretId: id, ...metadata }));
  if (plan.tagsToSet.length > 0) await call('TagResource', () => deps.secrets.tag(id, plan.tagsToSet));
  if (plan.tagKeysToRemove.length > 0) await call('UntagResource', () => deps.secrets.untag(id, plan.tagKeysToRemove));
  const outcome: UpsertOutcome = plan.action === 'write' ? 'updated' : plan.action === 'revert' ? 'reverted' : 'unchanged';
  const metadataUpdated = metadata !== undefined || plan.tagsToSet.length > 0 || plan.tagKeysToRemove.length > 0;
  return { arn: state.arn, name: state.name, versionId, outcome, restored: plan.restore, metadataUpdated };
}

function currentVersion(state: SecretState): string | undefined {
  return Object.entries(state.versionIdsToStages).find(([, stages]) => stages.includes(CURRENT))?.[0];
}

/** What a delete did; every outcome but `deleted` means the secret was left as it was. */
export type DeleteOutcome = 'deleted' | 'absent' | 'not-owned' | 'claimed-by-another-resource' | 'already-deleted';

/** Who asks for the delete and with which recovery window. */
export interface DeleteOptions {
  readonly owner: string;
  /** Logical ID asking for the delete (provider only): a secret whose resource tag names another one is left alone. */
  readonly resource?: string;
  /** 0 deletes at once; otherwise 7-30. */
  readonly recoveryWindowInDays: number;
}

/**
 * Deletes a secret this owner manages; a missing or foreign secret, or one another resource of the owner has taken
 * over, is left alone and reported, never an error.
 */
export async function deleteSecret(deps: SecretsDeps, secretId: string, options: DeleteOptions): Promise<{ outcome: DeleteOutcome; arn?: string; name?: string }> {
  const state = await describe(deps, secretId);
  if (!state) return { outcome: 'absent' };
  const found = { arn: state.arn, name: state.name };
  if (state.tags[OWNER_TAG] !== options.owner) return { outcome: 'not-owned', ...found };
  const claimant = state.tags[RESOURCE_TAG];
  if (options.resource !== undefined && claimant !== undefined && claimant !== options.resource) return { outcome: 'claimed-by-another-resource', ...found };
  if (state.deletedDate && options.recoveryWindowInDays > 0) return { outcome: 'already-deleted', ...found };
  try {
    await guard(state.name, 'DeleteSecret', () => deps.secrets.delete({ secretId: state.arn, recoveryWindowInDays: options.recoveryWindowInDays }), ['ResourceNotFoundException']);
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return { outcome: 'absent', ...found };
    throw error;
  }
  return { outcome: 'deleted', ...found };
}

async function describe(deps: SecretsDeps, secretId: string): Promise<SecretState | undefined> {
  return guard(secretId, 'DescribeSecret', () => deps.secrets.describe(secretId));
}

/** Runs one Secrets Manager call, turning its failure into a SecretWriteError a user can act on. */
async function guard<T>(name: string, operation: string, fn: () => Promise<T>, passThrough: readonly string[] = []): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof KmsSecretsError || passThrough.includes(errorName(error))) throw error;
    throw secretsError(name, operation, error);
  }
}

/** A failed Secrets Manager call as a {@link SecretWriteError} saying what to do, with the SDK error as its cause. */
function secretsError(name: string, operation: string, error: unknown): SecretWriteError {
  const advice = setupProblem(error) ?? secretsAdvice(errorName(error), operation);
  return new SecretWriteError(`secret "${name}": secretsmanager:${operation} failed: ${advice}`, { cause: error });
}

function secretsAdvice(code: string, operation: string): string {
  if (code === 'AccessDeniedException') return `access denied (AccessDeniedException); allow secretsmanager:${operation} on this secret for the caller's role`;
  if (code === 'InvalidRequestException') return 'the secret is in a state that refuses this call (InvalidRequestException), for example scheduled for deletion';
  if (code === 'LimitExceededException') return 'a Secrets Manager quota was reached (LimitExceededException)';
  if (code === 'EncryptionFailure' || code === 'DecryptionFailure') return `Secrets Manager could not use the secret's KMS key (${code}); check KmsKeyId and the key policy (kms:GenerateDataKey, kms:Decrypt)`;
  return code ? `${code}` : 'unknown error';
}
