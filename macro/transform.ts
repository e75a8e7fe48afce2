/**
 * The KmsSecrets transform: a template fragment in, a new fragment out, every `Fn::KmsSecret` token replaced by a
 * value pointing at a generated `Custom::KmsSecret` resource. Pure: no AWS call, no I/O, the input is never mutated,
 * and all state lives in one call. One walk over the template (walk.ts) hands each token to a collector that groups
 * them into secrets (collect.ts); this module then adds the secrets' resources and conditions to the walk's output.
 */
import { type CollectedSecrets, type MacroOccurrence, SecretCollector } from './collect.ts';
import { anyOfCondition, secretConditionOf } from './conditions.ts';
import type { SecretGroup } from './group.ts';
import { describeType, isPlainObject, type JsonObject } from './json.ts';
import { conditionNameFor } from './logical-ids.ts';
import { secretResource } from './resources.ts';
import { TemplateError, TokenError, TransformError } from './errors.ts';
import { walkTemplate } from './walk.ts';

/** What the transform needs from its caller. */
export interface TransformOptions {
  /** ServiceToken of every generated resource: the provider Lambda's ARN. */
  readonly providerArn: string;
}

/**
 * Rewrites every token of `fragment` (a whole template minus its Transform section). Returns the input itself when
 * it holds no token. Throws a {@link TemplateError} ({@link TransformError} or {@link TokenError}, both naming the path) on a refused template.
 */
export function transformTemplate(fragment: unknown, options: TransformOptions): JsonObject {
  if (!isPlainObject(fragment)) throw new TransformError('', `the template must be an object; got ${describeType(fragment)}`);
  const resources = fragment.Resources;
  if (resources !== undefined && !isPlainObject(resources)) {
    throw new TransformError('Resources', `must be an object; got ${describeType(resources)}`);
  }
  const collector = new SecretCollector();
  const { output, changed } = walkTemplate(fragment, (token, site) => collector.add(token, site));
  // Only a token changes the walk's output, so an unchanged walk means no token and nothing to add.
  if (!changed) return fragment;
  const secrets = collector.finish(new Set(resources === undefined ? [] : Object.keys(resources)));
  return addGeneratedSecrets(output, fragment.Conditions, secrets, options.providerArn);
}

/** Adds each secret's resource to `output` (built by this call), and the conditions some of them need. */
function addGeneratedSecrets(output: JsonObject, conditions: unknown, secrets: CollectedSecrets, providerArn: string): JsonObject {
  const generatedConditions: JsonObject = {};
  const generatedResources: JsonObject = {};
  secrets.groups.forEach((group, index) => {
    const id = secrets.logicalIds[index] as string;
    const condition = secretCondition(group, id, conditions, generatedConditions);
    generatedResources[id] = secretResource(group, providerArn, condition);
  });
  output.Resources = { ...(output.Resources as JsonObject | undefined), ...generatedResources };
  if (Object.keys(generatedConditions).length > 0) {
    if (conditions !== undefined && !isPlainObject(conditions)) {
      throw new TransformError('Conditions', `must be an object; got ${describeType(conditions)}`);
    }
    output.Conditions = { ...conditions, ...generatedConditions };
  }
  return output;
}

/**
 * The Condition of secret `id`: none, its consumers' one condition, or a new "any of them" condition put in
 * `generated`, whose name must not be taken in the template's `conditions`.
 */
function secretCondition(group: SecretGroup<MacroOccurrence>, id: string, conditions: unknown, generated: JsonObject): string | undefined {
  const needed = secretConditionOf(group.occurrences.map((occurrence) => occurrence.condition));
  if (needed.kind === 'none') return undefined;
  if (needed.kind === 'same') return needed.name;
  const name = conditionNameFor(id);
  if (isPlainObject(conditions) && Object.hasOwn(conditions, name)) {
    throw new TransformError(`Conditions.${name}`, `the generated condition name "${name}" is already used; rename that condition`);
  }
  generated[name] = anyOfCondition(needed.names);
  return name;
}

export { TemplateError, TokenError, TransformError };
