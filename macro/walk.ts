/**
 * The transform's single walk over a template: it finds every `Fn::KmsSecret` token with its path and the resource
 * whose Properties hold it, refuses tokens and prototype keys anywhere else, and counts dynamic references as it goes.
 * Only the paths that lead to a token are copied; unchanged subtrees are shared with the input (treat both as
 * immutable), which keeps the transform within twice a JSON round trip (bench/transform.ts). State: one walker a call.
 */
import { PROTOTYPE_KEYS, TOKEN_NAME } from '../core/constants.ts';
import { DynamicReferenceCounter } from './dynamic-references.ts';
import { describeType, isPlainObject, type JsonObject } from './json.ts';
import { parseToken, type KmsSecretToken } from './token.ts';
import { TransformError } from './errors.ts';

/** The resource whose Properties hold a token. */
export interface Consumer {
  readonly id: string;
  readonly type: unknown;
  /** Its Condition attribute, if any. */
  readonly condition: string | undefined;
}

/** Where a token was found. */
export interface TokenSite {
  /** As messages give it: `Resources.Db.Properties.MasterUserPassword`. */
  readonly path: string;
  readonly consumer: Consumer;
  /** The keys below the consumer, e.g. `['Properties', 'MasterUserPassword']`. */
  readonly below: readonly (string | number)[];
}

/** Called with each valid token in template order; returns the value that takes the token's place. */
export type TokenHandler = (token: KmsSecretToken, site: TokenSite) => unknown;

/** A walked template: a new top-level object (sections shared or rebuilt) and whether any section changed. */
export interface TemplateWalk {
  readonly output: JsonObject;
  readonly changed: boolean;
}

/**
 * Walks `fragment` (its Resources, if any, already checked to be an object) once, putting `onToken`'s result in each
 * token's place. Throws {@link TransformError} or `TokenError` at the first refused place in template order, then
 * {@link TransformError} if the output would hold more dynamic references than CloudFormation resolves.
 */
export function walkTemplate(fragment: JsonObject, onToken: TokenHandler): TemplateWalk {
  return new TemplateWalker(onToken).walk(fragment);
}

/** True for a custom resource type: CloudFormation passes its properties on without resolving secret references. */
function isCustomResource(type: unknown): boolean {
  return typeof type === 'string' && (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource');
}

class TemplateWalker {
  private readonly onToken: TokenHandler;
  private readonly path: (string | number)[] = [];
  /** The resource whose Properties the walk is in; undefined everywhere else, where tokens are refused. */
  private consumer: Consumer | undefined;
  private readonly references = new DynamicReferenceCounter(() => this.pathText());

  constructor(onToken: TokenHandler) {
    this.onToken = onToken;
  }

  walk(fragment: JsonObject): TemplateWalk {
    const output: JsonObject = {};
    let changed = false;
    for (const section of Object.keys(fragment)) {
      this.enterKey(section);
      const value = fragment[section];
      const result = section === 'Resources' ? this.walkResources(value as JsonObject) : this.visit(value, true);
      this.path.pop();
      changed ||= result !== value;
      output[section] = result;
    }
    this.references.check();
    return { output, changed };
  }

  private walkResources(all: JsonObject): JsonObject {
    let copy: JsonObject | undefined;
    for (const id of Object.keys(all)) {
      this.path.push(id);
      const resource = all[id];
      const result = isPlainObject(resource) ? this.walkResource(id, resource) : this.visit(resource, true);
      this.path.pop();
      if (result !== resource) (copy ??= { ...all })[id] = result;
    }
    return copy ?? all;
  }

  private walkResource(id: string, resource: JsonObject): JsonObject {
    if (Object.hasOwn(resource, TOKEN_NAME)) {
      throw new TransformError(this.pathText(), `${TOKEN_NAME} is not allowed in place of a resource; tokens belong in resource Properties`);
    }
    let copy: JsonObject | undefined;
    for (const attribute of Object.keys(resource)) {
      this.path.push(attribute);
      const value = resource[attribute];
      const result = attribute === 'Properties' ? this.walkProperties(id, resource, value) : this.visit(value, true);
      this.path.pop();
      if (result !== value) (copy ??= { ...resource })[attribute] = result;
    }
    return copy ?? resource;
  }

  private walkProperties(id: string, resource: JsonObject, properties: unknown): unknown {
    if (isPlainObject(properties) && Object.hasOwn(properties, TOKEN_NAME)) {
      throw new TransformError(this.pathText(), `${TOKEN_NAME} is not allowed in place of a resource's Properties; tokens belong inside them`);
    }
    const condition = resource.Condition;
    if (condition !== undefined && typeof condition !== 'string') {
      throw new TransformError(`Resources.${id}.Condition`, `must be a condition name; got ${describeType(condition)}`);
    }
    this.consumer = { id, type: resource.Type, condition };
    const result = this.visit(properties, true);
    this.consumer = undefined;
    return result;
  }

  /**
   * Returns `node` unchanged, or a copy with its tokens replaced. With `tokensAllowed` false (inside a token) it only
   * checks and never copies: a token there is refused as nested, and its strings are no references of the output.
   */
  private visit(node: unknown, tokensAllowed: boolean): unknown {
    if (typeof node === 'string') {
      if (tokensAllowed) this.references.countIn(node);
      return node;
    }
    if (typeof node !== 'object' || node === null) return node;
    if (Array.isArray(node)) return this.visitArray(node, tokensAllowed);
    const object = node as JsonObject;
    if (Object.hasOwn(object, TOKEN_NAME)) {
      if (!tokensAllowed) throw new TransformError(this.pathText(), `a nested ${TOKEN_NAME} token is not allowed`);
      return this.replaceToken(object);
    }
    return this.visitObject(object, tokensAllowed);
  }

  private visitArray(array: unknown[], tokensAllowed: boolean): unknown[] {
    let copy: unknown[] | undefined;
    for (let i = 0; i < array.length; i += 1) {
      this.path.push(i);
      const item: unknown = array[i];
      const result = this.visit(item, tokensAllowed);
      this.path.pop();
      if (result !== item) (copy ??= array.slice())[i] = result;
    }
    return copy ?? array;
  }

  private visitObject(object: JsonObject, tokensAllowed: boolean): JsonObject {
    let copy: JsonObject | undefined;
    for (const key of Object.keys(object)) {
      this.enterKey(key);
      const value = object[key];
      const result = this.visit(value, tokensAllowed);
      this.path.pop();
      if (result !== value) (copy ??= { ...object })[key] = result;
    }
    return copy ?? object;
  }

  /** Checks a token's place and form, then hands it to `onToken`; returns what replaces it. */
  private replaceToken(node: JsonObject): unknown {
    const where = this.pathText();
    if (Object.keys(node).length !== 1) throw new TransformError(where, `${TOKEN_NAME} must be the only key of its object`);
    const consumer = this.consumer;
    if (consumer === undefined) {
      throw new TransformError(where, `${TOKEN_NAME} is not allowed in ${this.placeName()}; tokens belong in resource Properties`);
    }
    if (this.isSubTemplate()) {
      throw new TransformError(where, `${TOKEN_NAME} is not allowed as the template string of Fn::Sub (it must be a literal string); `
        + "put the token in the variable map instead: Fn::Sub: ['...${Pw}...', {Pw: {Fn::KmsSecret: ...}}]");
    }
    if (this.isSubVariableMap()) {
      throw new TransformError(where, `${TOKEN_NAME} is not allowed as the variable map of Fn::Sub (it must map names to values); `
        + "give it a name in the map: Fn::Sub: ['...${Pw}...', {Pw: {Fn::KmsSecret: ...}}]");
    }
    this.path.push(TOKEN_NAME);
    this.visit(node[TOKEN_NAME], false);
    this.path.pop();
    const token = parseToken(node[TOKEN_NAME], where);
    if (isCustomResource(consumer.type) && token.return === 'Reference') {
      throw new TransformError(where, `${TOKEN_NAME} with Return "Reference" is not allowed in a custom resource's properties `
        + '(CloudFormation does not resolve secret references there); use Return "Arn" or "ValueFrom"');
    }
    const value = this.onToken(token, { path: where, consumer, below: this.path.slice(2) });
    if (token.return === 'Reference') this.references.add();
    return value;
  }

  /**
   * True when the walk is at the template string of an `Fn::Sub` (`Fn::Sub: x` or `Fn::Sub: [x, {...}]`), which
   * CloudFormation requires to be a literal string; the variable map is where values from intrinsics go.
   */
  private isSubTemplate(): boolean {
    const last = this.path.length - 1;
    return this.path[last] === 'Fn::Sub' || (this.path[last] === 0 && this.path[last - 1] === 'Fn::Sub');
  }

  /** True when the walk is at the variable map of an `Fn::Sub` (`Fn::Sub: [template, x]`), which must be a map. */
  private isSubVariableMap(): boolean {
    const last = this.path.length - 1;
    return this.path[last] === 1 && this.path[last - 1] === 'Fn::Sub';
  }

  /** What a refusal calls the place the walk is in, outside any resource's Properties. */
  private placeName(): string {
    const [section, , attribute] = this.path;
    if (section !== 'Resources') return `the ${String(section)} section`;
    return typeof attribute === 'string' ? `resource attribute "${attribute}"` : 'a resource outside its Properties';
  }

  /** Pushes `key` onto the path, refusing a key that could reach an object prototype. */
  private enterKey(key: string): void {
    this.path.push(key);
    if (PROTOTYPE_KEYS.has(key)) throw new TransformError(this.pathText(), `key "${key}" is not allowed (it could reach an object prototype)`);
  }

  private pathText(): string {
    return this.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').slice(1);
  }
}
