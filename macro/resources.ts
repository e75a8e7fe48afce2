/**
 * What the macro emits: the `Custom::KmsSecret` resource of one secret (the property schema the provider reads,
 * docs/macro.md) and the value that replaces each token.
 */
import { RESOURCE_TYPE, SERVICE_TIMEOUT_SECONDS } from '../core/constants.ts';
import type { SecretGroup } from './group.ts';
import type { ReturnMode } from './token.ts';

/** The generated resource for one secret; `condition` is the Condition attribute, if any. */
export function secretResource(group: SecretGroup, providerArn: string, condition: string | undefined): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    ServiceToken: providerArn,
    ServiceTimeout: SERVICE_TIMEOUT_SECONDS,
    ...(group.name !== undefined ? { Name: group.name } : {}),
    Values: group.values.map((value) => ({
      Ciphertext: value.ciphertext,
      ...(value.key !== undefined ? { Key: value.key } : {}),
      ...(value.encryptionContext !== undefined ? { EncryptionContext: value.encryptionContext } : {}),
    })),
    ...(group.description !== undefined ? { Description: group.description } : {}),
    ...(group.kmsKeyId !== undefined ? { KmsKeyId: group.kmsKeyId } : {}),
    ...(group.tags !== undefined ? { Tags: group.tags } : {}),
    // Custom resource properties reach the provider as strings anyway (aws-facts.md §2.6).
    ...(group.recoveryWindowInDays !== undefined ? { RecoveryWindowInDays: String(group.recoveryWindowInDays) } : {}),
  };
  return {
    Type: RESOURCE_TYPE,
    ...(condition !== undefined ? { Condition: condition } : {}),
    // DeletionPolicy does not cover replacement; UpdateReplacePolicy does (aws-facts.md §2.7), so set both.
    ...(group.deletionPolicy !== undefined ? { DeletionPolicy: group.deletionPolicy, UpdateReplacePolicy: replacePolicyFor(group.deletionPolicy) } : {}),
    Properties: properties,
  };
}

/**
 * The UpdateReplacePolicy matching a DeletionPolicy. UpdateReplacePolicy accepts only Delete, Retain and Snapshot
 * (cfn-lint E3036; RetainExceptOnCreate exists for DeletionPolicy alone), and a replaced secret was always created by
 * an earlier operation, so "retain except on create" means Retain there.
 */
function replacePolicyFor(policy: NonNullable<SecretGroup['deletionPolicy']>): 'Delete' | 'Retain' {
  return policy === 'RetainExceptOnCreate' ? 'Retain' : policy;
}

/**
 * The value that replaces a token. Reference and ValueFrom pin the VersionId, so a consumer's properties change (and
 * it is updated) whenever the secret's value does: CloudFormation never re-reads a secret by itself.
 */
export function tokenReplacement(logicalId: string, mode: ReturnMode, key: string | undefined): unknown {
  const ref = { Ref: logicalId };
  const versionId = { 'Fn::GetAtt': [logicalId, 'VersionId'] };
  if (mode === 'Arn') return ref;
  if (mode === 'ValueFrom') return { 'Fn::Join': ['', [ref, `:${key ?? ''}::`, versionId]] };
  // {{resolve:secretsmanager:secret-id:SecretString:json-key:version-stage:version-id}} (aws-facts.md §3.1)
  return { 'Fn::Join': ['', ['{{resolve:secretsmanager:', ref, `:SecretString:${key ?? ''}::`, versionId, '}}']] };
}
