// Reads a CloudFormation YAML template into the JSON CloudFormation itself hands a macro (aws-facts.md §1.1, §1.4):
// the short-form tags (!Ref, !Sub, !GetAtt, !If, ...) become their long forms. Used by the demo and the template
// tests to build a real macro event from the examples; the CLI's `transform` command has its own reader.
import { CORE_SCHEMA, defineMappingTag, defineScalarTag, defineSequenceTag, load, NOT_RESOLVED } from 'js-yaml';

const FUNCTIONS = ['And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'GetAtt', 'If', 'ImportValue', 'Join',
  'Length', 'Not', 'Or', 'Select', 'Split', 'Sub', 'ToJsonString', 'Transform'];

function longForm(tag) {
  return tag === 'Ref' || tag === 'Condition' ? tag : `Fn::${tag}`;
}

function tagsFor(tag) {
  const key = longForm(tag);
  const wrap = (value) => ({ [key]: value });
  return [
    defineScalarTag(`!${tag}`, {
      // `!GetAtt Resource.Attribute` is the one scalar short form with a structure of its own.
      resolve: (source) => (source === '' && tag !== 'GetAZs' ? NOT_RESOLVED
        : wrap(tag === 'GetAtt' ? splitGetAtt(source) : source)),
      identify: () => false,
    }),
    defineSequenceTag(`!${tag}`, {
      create: () => [],
      addItem: (items, item) => { items.push(item); },
      finalize: wrap,
      identify: () => false,
    }),
    defineMappingTag(`!${tag}`, {
      create: () => ({}),
      addPair: (object, name, value) => {
        if (typeof name !== 'string') return `!${tag} mapping keys must be strings`;
        object[name] = value;
        return '';
      },
      has: (object, name) => Object.hasOwn(object, name),
      keys: (result) => Object.keys(result[key]),
      get: (result, name) => result[key][name],
      finalize: wrap,
      identify: () => false,
    }),
  ];
}

function splitGetAtt(source) {
  const dot = source.indexOf('.');
  return dot < 0 ? [source] : [source.slice(0, dot), source.slice(dot + 1)];
}

const schema = CORE_SCHEMA.withTags(...['Ref', 'Condition', ...FUNCTIONS].flatMap(tagsFor));

/** Parses CloudFormation YAML (or JSON, a subset of YAML) into the JSON form a macro receives. */
export function loadTemplate(text) {
  return load(text, { schema });
}
