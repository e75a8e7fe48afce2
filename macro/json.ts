/**
 * Small helpers for walking untrusted template JSON: type names for error messages, intrinsic detection and a
 * canonical serialisation for comparing tokens. Pure.
 */
import { TOKEN_NAME } from '../core/constants.ts';

/** An intrinsic function object such as `{"Ref": "X"}` or `{"Fn::GetAtt": ["R", "Arn"]}`. */
export type Intrinsic = { readonly [fn: string]: unknown };
/** A JSON object as the walker sees it. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a one-key object whose key is `Ref` or `Fn::…` (but not our own token, which is no intrinsic). */
export function isIntrinsic(value: unknown): value is Intrinsic {
  if (!isPlainObject(value)) return false;
  let only: string | undefined;
  for (const key in value) {
    if (only !== undefined) return false;
    only = key;
  }
  return only !== undefined && only !== TOKEN_NAME && (only === 'Ref' || only.startsWith('Fn::'));
}

/** The type of a value for an error message: never the value itself (it may be a ciphertext or a secret name). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : `a string of ${value.length} characters`;
  if (isIntrinsic(value)) return `an intrinsic function (${Object.keys(value)[0]})`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** JSON with object keys sorted, so two equal values always serialise the same whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
