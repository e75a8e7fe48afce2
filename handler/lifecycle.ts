/**
 * The Create / Update / Delete rules of `Custom::KmsSecret` (aws-facts.md §2.3-2.5), over the core.
 * PhysicalResourceId is the secret ARN: stable across value changes, new only when the Name changes, which makes
 * CloudFormation delete the old secret afterwards.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { KmsPort, SecretsPort } from '../core/aws.ts';
import { NAME_PREFIX_ENV, REQUIRE_BINDING_ENV, DEFAULT_RECOVERY_WINDOW_DAYS } from '../core/constants.ts';
import { KmsSecretsError } from '../core/errors.ts';
import { deleteSecret, upsertSecret } from '../core/secrets.ts';
import { stackOwner } from '../core/spec.ts';
import { parseProperties } from './properties.ts';

/** The ports and provider settings one request runs with. */
export interface LifecycleDeps {
  readonly kms: KmsPort;
  readonly secrets: SecretsPort;
  /** Provider settings (NAME_PREFIX_ENV, REQUIRE_BINDING_ENV); process.env in Lambda. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** What the handler reports back: the physical ID, Data for SUCCESS, and a loggable outcome. */
export interface LifecycleResult {
  readonly physicalResourceId: string;
  readonly data?: { Arn: string; Name: string; VersionId: string };
  readonly outcome: string;
  readonly secretName?: string;
}

/** Region and stack name from a stack ARN (`arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>`). */
export function parseStackId(stackId: string): { region: string; stackName: string } {
  const match = /^arn:[^:]+:cloudformation:([^:]+):[^:]*:stack\/([^/]+)\//.exec(stackId);
  if (!match?.[1] || !match[2]) throw new KmsSecretsError(`StackId "${stackId}" is not a CloudFormation stack ARN`);
  return { region: match[1], stackName: match[2] };
}

const SECRET_ARN = /^arn:[^:]+:secretsmanager:[^:]+:[^:]*:secret:.+$/;

/** Runs one request; throws a user-readable error on failure (the handler turns it into FAILED). */
export async function runLifecycle(event: CloudFormationCustomResourceEvent, deps: LifecycleDeps): Promise<LifecycleResult> {
  const { region, stackName } = parseStackId(event.StackId);
  const owner = stackOwner(region, stackName);
  const ctx = { logicalId: event.LogicalResourceId, stackName, namePrefix: deps.env[NAME_PREFIX_ENV] ?? '' };
  if (event.RequestType === 'Delete') {
    // Only an ARN of a secret this stack owns is ever deleted: a CREATE_FAILED marker, a CloudFormation-generated ID
    // after a cancelled Create, a foreign secret, or one another logical ID has taken over (a renamed resource) is
    // answered SUCCESS untouched (aws-facts.md §2.5).
    if (!SECRET_ARN.test(event.PhysicalResourceId)) return { physicalResourceId: event.PhysicalResourceId, outcome: 'skipped-not-a-secret-arn' };
    let recoveryWindowInDays = DEFAULT_RECOVERY_WINDOW_DAYS;
    try {
      recoveryWindowInDays = parseProperties(event.ResourceProperties, ctx).recoveryWindowInDays;
    } catch {
      // Properties that no longer parse must not block a Delete; the default window is the safe choice.
    }
    const result = await deleteSecret(deps, event.PhysicalResourceId, { owner, recoveryWindowInDays, resource: event.LogicalResourceId });
    return { physicalResourceId: event.PhysicalResourceId, outcome: result.outcome, ...(result.name ? { secretName: result.name } : {}) };
  }
  const { spec } = parseProperties(event.ResourceProperties, ctx);
  const result = await upsertSecret(deps, spec, { owner, requireBinding: deps.env[REQUIRE_BINDING_ENV] === 'true', resource: event.LogicalResourceId });
  const outcome = `${result.outcome}${result.restored ? '+restored' : ''}${result.metadataUpdated ? '+metadata' : ''}`;
  return {
    physicalResourceId: result.arn,
    data: { Arn: result.arn, Name: result.name, VersionId: result.versionId },
    outcome,
    secretName: result.name,
  };
}
