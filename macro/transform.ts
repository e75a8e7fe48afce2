/**
 * The KmsSecrets transform: a template fragment in, a new fragment out, every `Fn::KmsSecret` token replaced by a
 * value pointing at a generated `Custom::KmsSecret` resource. Pure: no AWS call, no I/O, the input is never mutated,
 * and all state lives in one call. One walk over the template; unchanged subtrees are shared with the input rather
 * than copied (treat both as immutable), which keeps the transform within twice a JSON round trip (bench/transform.ts).
 */
import { MAX_DYNAMIC_REFERENCES, TOKEN_NAME } from '../core/constants.ts';
import { anyOfCondition, secretConditionOf } from './conditions.ts';
import { createTokenGrouper, type TokenOccurrence } from './group.ts';
import { describeType, isPlainObject, type JsonObject } from './json.ts';
import { conditionNameFor, namedSecretLogicalId, unnamedSecretLogicalId } from './logical-ids.ts';
import { secretResource, tokenReplacement } from './resources.ts';
import { parseToken, TokenError } from './token.ts';

/** What the transform needs from its caller. */
export interface TransformOptions {
  /** ServiceToken of every generated resource: the provider Lambda's ARN. */
  readonly providerArn: string;
}

/** A template the transform refuses; `path` is where (`Resources.Db.Properties.MasterUserPassword`). */
export class TransformError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(path === '' ? message : `${path}: ${message}`);
    this.name = 'TransformError';
    this.path = path;
  }
}

/** Keys that could reach an object's prototype when user JSON is copied (middy's rule). */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const DYNAMIC_REFERENCE = '{{resolve:';

interface MacroOccurrence extends TokenOccurrence {
  readonly condition: string | undefined;
}

/**
 * Rewrites every token of `fragment` (a whole template minus its Transform section). Returns the input itself when
 * it holds no token. Throws {@link TransformError} or {@link TokenError} (both name the path) on a refused template.
 */
export function transformTemplate(fragment: unknown, options: TransformOptions): JsonObject {
  if (!isPlainObject(fragment)) throw new TransformError('', `the template must be an object; got ${describeType(fragment)}`);
  const resources = fragment.Resources;
  if (resources !== undefined && !isPlainObject(resources)) {
    throw new TransformError('Resources', `must be an object; got ${describeType(resources)}`);
  }
  const conditions = fragment.Conditions;
  const userIds = new Set(resources === undefined ? [] : Object.keys(resources));
  const grouper = createTokenGrouper<MacroOccurrence>();
  // Per group: its logical ID and the place it was chosen from. An unnamed secret shared by identical tokens takes
  // the smallest of its consumers' candidate IDs, so reordering the template never renames (replaces) it; the
  // replacements already emitted with an earlier candidate are renamed after the walk.
  const logicalIds: string[] = [];
  const idPlaces: string[] = [];
  const provisional: { index: number; id: string; value: unknown }[] = [];
  const path: (string | number)[] = [];
  const pathText = () => path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').slice(1);
  let dynamicReferences = 0;
  let excessAt: string | undefined;
  // The resource whose Properties the walk is in (undefined: tokens are refused here).
  let consumer: { id: string; type: unknown; condition: string | undefined } | undefined;

  const countReferences = (text: string) => {
    for (let at = text.indexOf(DYNAMIC_REFERENCE); at >= 0; at = text.indexOf(DYNAMIC_REFERENCE, at + 1)) addReference();
  };
  const addReference = () => {
    dynamicReferences += 1;
    if (dynamicReferences === MAX_DYNAMIC_REFERENCES + 1) excessAt = pathText();
  };

  const replaceToken = (node: JsonObject): unknown => {
    const where = pathText();
    if (Object.keys(node).length !== 1) throw new TransformError(where, `${TOKEN_NAME} must be the only key of its object`);
    if (consumer === undefined) {
      const place = path[0] !== 'Resources' ? `the ${String(path[0])} section`
        : typeof path[2] === 'string' ? `resource attribute "${path[2]}"` : 'a resource outside its Properties';
      throw new TransformError(where, `${TOKEN_NAME} is not allowed in ${place}; tokens belong in resource Properties`);
    }
    path.push(TOKEN_NAME);
    visit(node[TOKEN_NAME], false);
    path.pop();
    const token = parseToken(node[TOKEN_NAME], where);
    const custom = typeof consumer.type === 'string' && (consumer.type.startsWith('Custom::') || consumer.type === 'AWS::CloudFormation::CustomResource');
    if (custom && token.return === 'Reference') {
      throw new TransformError(where, `${TOKEN_NAME} with Return "Reference" is not allowed in a custom resource's properties `
        + '(CloudFormation does not resolve secret references there); use Return "Arn" or "ValueFrom"');
    }
    const { created, index } = grouper.add({ token, path: where, condition: consumer.condition });
    const candidate = token.name !== undefined ? (created ? namedSecretLogicalId(token.name) : undefined)
      : unnamedSecretLogicalId(consumer.id, path.slice(2));
    if (created || (candidate !== undefined && candidate < (logicalIds[index] as string))) {
      logicalIds[index] = candidate as string;
      idPlaces[index] = where;
    }
    if (token.return === 'Reference') addReference();
    const id = logicalIds[index] as string;
    const value = tokenReplacement(id, token.return, token.key);
    if (token.name === undefined) provisional.push({ index, id, value });
    return value;
  };

  // Walks one value: returns it unchanged, or a copy with its tokens replaced. With tokensAllowed false it only
  // checks (a token there is refused by replaceToken, a nested token by the flag) and never copies.
  const visit = (node: unknown, tokensAllowed: boolean): unknown => {
    if (typeof node === 'string') {
      if (tokensAllowed && node.includes(DYNAMIC_REFERENCE)) countReferences(node);
      return node;
    }
    if (typeof node !== 'object' || node === null) return node;
    if (Array.isArray(node)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < node.length; i += 1) {
        path.push(i);
        const item: unknown = node[i];
        const result = visit(item, tokensAllowed);
        path.pop();
        if (result !== item) (copy ??= node.slice())[i] = result;
      }
      return copy ?? node;
    }
    const object = node as JsonObject;
    if (Object.hasOwn(object, TOKEN_NAME)) {
      if (!tokensAllowed) throw new TransformError(pathText(), `a nested ${TOKEN_NAME} token is not allowed`);
      return replaceToken(object);
    }
    let copy: JsonObject | undefined;
    for (const key of Object.keys(object)) {
      path.push(key);
      if (FORBIDDEN_KEYS.has(key)) throw new TransformError(pathText(), `key "${key}" is not allowed (it could reach an object prototype)`);
      const value = object[key];
      const result = visit(value, tokensAllowed);
      path.pop();
      if (result !== value) (copy ??= { ...object })[key] = result;
    }
    return copy ?? node;
  };

  const output: JsonObject = {};
  let changed = false;
  for (const section of Object.keys(fragment)) {
    path.push(section);
    if (FORBIDDEN_KEYS.has(section)) throw new TransformError(pathText(), `key "${section}" is not allowed (it could reach an object prototype)`);
    const value = fragment[section];
    const result = section === 'Resources' ? visitResources(value as JsonObject) : visitOutside(value);
    path.pop();
    changed ||= result !== value;
    output[section] = result;
  }

  function visitOutside(value: unknown): unknown {
    const saved = consumer;
    consumer = undefined;
    const result = visit(value, true);
    consumer = saved;
    return result;
  }

  function visitResources(all: JsonObject): JsonObject {
    let copy: JsonObject | undefined;
    for (const id of Object.keys(all)) {
      path.push(id);
      const resource = all[id];
      let result: unknown = resource;
      if (!isPlainObject(resource)) result = visitOutside(resource);
      else if (Object.hasOwn(resource, TOKEN_NAME)) {
        throw new TransformError(pathText(), `${TOKEN_NAME} is not allowed in place of a resource; tokens belong in resource Properties`);
      } else {
        let resourceCopy: JsonObject | undefined;
        for (const attribute of Object.keys(resource)) {
          path.push(attribute);
          const value = resource[attribute];
          let attributeResult: unknown;
          if (attribute === 'Properties') {
            if (isPlainObject(value) && Object.hasOwn(value, TOKEN_NAME)) {
              throw new TransformError(pathText(), `${TOKEN_NAME} is not allowed in place of a resource's Properties; tokens belong inside them`);
            }
            const condition = resource.Condition;
            if (condition !== undefined && typeof condition !== 'string') {
              throw new TransformError(`Resources.${id}.Condition`, `must be a condition name; got ${describeType(condition)}`);
            }
            consumer = { id, type: resource.Type, condition };
            attributeResult = visit(value, true);
            consumer = undefined;
          } else attributeResult = visitOutside(value);
          path.pop();
          if (attributeResult !== value) (resourceCopy ??= { ...resource })[attribute] = attributeResult;
        }
        result = resourceCopy ?? resource;
      }
      path.pop();
      if (result !== resource) (copy ??= { ...all })[id] = result;
    }
    return copy ?? all;
  }

  if (dynamicReferences > MAX_DYNAMIC_REFERENCES) {
    throw new TransformError(excessAt ?? '', `the template would hold ${dynamicReferences} dynamic references ({{resolve:...}}); `
      + `CloudFormation resolves at most ${MAX_DYNAMIC_REFERENCES} per template (use Return "ValueFrom" or "Arn" where a consumer accepts it)`);
  }
  const groups = grouper.groups();
  if (!changed || groups.length === 0) return fragment;
  logicalIds.forEach((id, index) => {
    if (userIds.has(id) || logicalIds.indexOf(id) !== index) {
      throw new TransformError(idPlaces[index] ?? '', `the generated logical ID "${id}" is already used in Resources; rename that resource`);
    }
  });
  for (const { index, id, value } of provisional) {
    if (logicalIds[index] !== id) renameReferences(value, id, logicalIds[index] as string);
  }

  const generatedConditions: JsonObject = {};
  const generatedResources: JsonObject = {};
  groups.forEach((group, index) => {
    const id = logicalIds[index] as string;
    const needed = secretConditionOf(group.occurrences.map((occurrence) => occurrence.condition));
    let condition: string | undefined;
    if (needed.kind === 'same') condition = needed.name;
    if (needed.kind === 'any') {
      condition = conditionNameFor(id);
      if (isPlainObject(conditions) && Object.hasOwn(conditions, condition)) {
        throw new TransformError(`Conditions.${condition}`, `the generated condition name "${condition}" is already used; rename that condition`);
      }
      generatedConditions[condition] = anyOfCondition(needed.names);
    }
    generatedResources[id] = secretResource(group, options.providerArn, condition);
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

/** Points the Ref and GetAtt of a replacement this call built (never input) from logical ID `from` to `to`. */
function renameReferences(value: unknown, from: string, to: string): void {
  if (Array.isArray(value)) {
    if (value[0] === from && value[1] === 'VersionId') value[0] = to;
    for (const item of value) renameReferences(item, from, to);
  } else if (isPlainObject(value)) {
    if (value.Ref === from) value.Ref = to;
    for (const item of Object.values(value)) renameReferences(item, from, to);
  }
}

export { TokenError };
