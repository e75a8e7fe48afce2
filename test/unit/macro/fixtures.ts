// Golden fixtures of the macro: test/fixtures/macro/forms/<case>.input.json → <case>.output.json, and
// test/fixtures/macro/refusals/<case>.json holding {error, template}. UPDATE_GOLDEN=1 rewrites the expected side
// (review the diff before committing it).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/macro');
export const PROVIDER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:kms-secrets-provider';
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** Freezes every object and array below `value`, so any write by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function caseNames(folder: 'forms' | 'refusals'): string[] {
  const suffix = folder === 'forms' ? '.input.json' : '.json';
  return readdirSync(join(FIXTURES, folder)).filter((file) => file.endsWith(suffix)).map((file) => file.slice(0, -suffix.length)).sort();
}

/** Every base64 ciphertext-looking string in a fixture (to prove no error message echoes one). */
export function ciphertextsIn(value: unknown): string[] {
  const text = JSON.stringify(value);
  return [...text.matchAll(/"(AQICA[A-Za-z0-9+/=]{20,})"/g)].map((match) => match[1] as string);
}
