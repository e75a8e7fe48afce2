/**
 * Logical IDs and condition names of generated resources. Deterministic and stable: a named secret's ID depends on
 * its Name only, an unnamed one's on the consumer's logical ID and property path only, so changing a ciphertext or
 * anything elsewhere in the template never renames (and so never replaces) a secret.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, isPlainObject } from './json.ts';
import type { TemplateString } from './token.ts';

/** Every generated logical ID starts with this. */
export const LOGICAL_ID_PREFIX = 'KmsSecret';
// CloudFormation allows 255 alphanumeric characters; a shorter readable part keeps IDs legible in the console.
const READABLE_MAX = 100;

/**
 * The logical ID of the secret named `name`: readable words from the name plus 8 hex of its SHA-256. An intrinsic
 * name is read in key-sorted (canonical) form, as grouping reads it, so its key order never changes the ID.
 */
export function namedSecretLogicalId(name: TemplateString): string {
  const words = typeof name === 'string' ? name : stringLeaves(name).join(' ');
  return build(pascalCase(words), `name\0${typeof name === 'string' ? name : canonicalJson(name)}`);
}

/**
 * The logical ID of an unnamed secret first used by resource `consumer` at `propertyPath`
 * (keys below the resource, e.g. `['Properties', 'MasterUserPassword']`).
 */
export function unnamedSecretLogicalId(consumer: string, propertyPath: readonly (string | number)[]): string {
  const below = propertyPath[0] === 'Properties' ? propertyPath.slice(1) : propertyPath;
  return build(pascalCase(`${consumer} ${below.join(' ')}`), `path\0${consumer}\0${propertyPath.join('\0')}`);
}

/** The name of the condition a secret gets when its consumers are under different conditions. */
export function conditionNameFor(logicalId: string): string {
  return `${logicalId}Condition`;
}

function build(readable: string, hashInput: string): string {
  const hash = createHash('sha256').update(hashInput).digest('hex').slice(0, 8);
  return `${LOGICAL_ID_PREFIX}${readable.slice(0, READABLE_MAX)}${hash}`;
}

function pascalCase(text: string): string {
  return text.split(/[^A-Za-z0-9]+/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

/** The strings below `value`, objects read in key order (like {@link canonicalJson}). */
function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (isPlainObject(value)) return Object.keys(value).sort().flatMap((key) => stringLeaves(value[key]));
  return [];
}
