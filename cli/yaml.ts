/**
 * CloudFormation YAML for the CLI: the short-form tags (`!Ref`, `!Sub`, `!GetAtt`, ...) load as the long-form JSON
 * CloudFormation hands a macro, and `!KmsSecret` as `Fn::KmsSecret`. Errors give file, line and column, never the
 * source snippet js-yaml would add (it could show a ciphertext).
 */
import {
  CORE_SCHEMA, defineMappingTag, defineScalarTag, defineSequenceTag, dump, load, YAMLException, type TagDefinition,
} from 'js-yaml';
import { extname } from 'node:path';
import { TOKEN_NAME } from '../core/constants.ts';

/** Short-form tag → the intrinsic function key it stands for (CloudFormation template reference). */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref', '!Condition': 'Condition', '!KmsSecret': TOKEN_NAME,
  ...Object.fromEntries(['Sub', 'GetAtt', 'If', 'Join', 'Select', 'Split', 'Equals', 'And', 'Or', 'Not', 'FindInMap',
    'Base64', 'Cidr', 'GetAZs', 'ImportValue', 'Transform', 'ToJsonString', 'Length'].map((fn) => [`!${fn}`, `Fn::${fn}`])),
};

/** A template the CLI could not parse; the message is one line with file, line and column. */
export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

function tagsFor(tag: string, fn: string): TagDefinition[] {
  const wrap = (value: unknown) => ({ [fn]: value });
  // `!GetAtt Resource.Attribute` splits at the first dot only: attribute names may hold dots (Endpoint.Address).
  const scalar = fn === 'Fn::GetAtt'
    ? (source: string) => { const dot = source.indexOf('.'); return wrap(dot < 0 ? [source] : [source.slice(0, dot), source.slice(dot + 1)]); }
    : wrap;
  return [
    defineScalarTag(tag, { resolve: scalar, identify: () => false }),
    defineSequenceTag<unknown[], unknown>(tag, {
      create: () => [], addItem: (items, item) => { items.push(item); }, finalize: wrap, identify: () => false,
    }),
    defineMappingTag<Record<string, unknown>, unknown>(tag, {
      create: () => ({}),
      // defineProperty keeps a "__proto__" key an own key, which the transform then refuses by name.
      addPair: (map, key, value) => { Object.defineProperty(map, String(key), { value, enumerable: true, writable: true, configurable: true }); return ''; },
      has: (map, key) => Object.hasOwn(map, String(key)),
      keys: (result) => Object.keys((result as Record<string, Record<string, unknown>>)[fn] ?? {}),
      get: (result, key) => (result as Record<string, Record<string, unknown>>)[fn]?.[String(key)],
      finalize: wrap,
      identify: () => false,
    }),
  ];
}

/** The CORE schema plus every CloudFormation short-form tag. */
export const CLOUDFORMATION_SCHEMA = CORE_SCHEMA.withTags(...Object.entries(SHORT_FORMS).flatMap(([tag, fn]) => tagsFor(tag, fn)));

/** Parses a CloudFormation YAML (or JSON) template. Throws {@link TemplateSyntaxError} naming `file`, line and column. */
export function loadCloudFormationYaml(text: string, file: string): unknown {
  try {
    return load(text, { schema: CLOUDFORMATION_SCHEMA, filename: file });
  } catch (error) {
    if (error instanceof YAMLException) {
      const at = error.mark === undefined ? '' : `:${error.mark.line + 1}:${error.mark.column + 1}`;
      throw new TemplateSyntaxError(`${file}${at}: not valid YAML: ${error.reason}`);
    }
    throw error;
  }
}

/**
 * Parses a template file's text: JSON for a `.json` file, CloudFormation YAML otherwise. A JSON error says only that
 * the file is not valid JSON, because JSON.parse's message quotes the text near the error (it could be a ciphertext).
 */
export function parseTemplateText(text: string, file: string): unknown {
  if (extname(file).toLowerCase() !== '.json') return loadCloudFormationYaml(text, file);
  try {
    return JSON.parse(text);
  } catch {
    throw new TemplateSyntaxError(`${file}: not valid JSON`);
  }
}

/** Renders a template as YAML with long-form intrinsics (what CloudFormation's processed template holds). */
export function dumpYaml(value: unknown): string {
  return dump(value, { noRefs: true, lineWidth: -1 });
}
