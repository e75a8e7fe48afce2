/**
 * `kms-secrets transform TEMPLATE`: the macro's transform on a local template, printed, so a change can be previewed
 * (and reviewed) before any deploy. No AWS call.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { MACRO_NAME, PROVIDER_ARN_ENV } from '../../core/constants.ts';
import { isPlainObject } from '../../macro/json.ts';
import { TemplateError, transformTemplate } from '../../macro/transform.ts';
import { UsageError, type CliContext, type Command, type CommandInput } from '../command.ts';
import { jsonDocument, noteLine } from '../io.ts';
import { dumpYaml, parseTemplateText } from '../yaml.ts';

/** ServiceToken used when neither --provider-arn nor KMS_SECRETS_PROVIDER_ARN is set: visibly not a real ARN. */
export const PLACEHOLDER_PROVIDER_ARN = 'arn:aws:lambda:<region>:<account>:function:kms-secrets-provider';

async function run(input: CommandInput, context: CliContext): Promise<number> {
  const [file, ...extra] = input.positionals;
  if (file === undefined) throw new UsageError('transform: missing TEMPLATE');
  if (extra.length > 0) throw new UsageError('transform: expected one TEMPLATE');
  const format = input.values.format;
  if (format !== undefined && format !== 'yaml' && format !== 'json') {
    throw new UsageError('transform: --format must be "yaml" or "json"');
  }
  const json = extname(file).toLowerCase() === '.json';
  let text: string;
  try {
    text = await readFile(resolve(context.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: cannot read the template (${code === 'ENOENT' ? 'no such file' : code ?? 'read error'})`);
  }
  const template = parseTemplateText(text, file);
  const fragment = withoutOwnTransform(template, file, context);
  const providerArn = stringValue(input.values['provider-arn']) ?? nonEmpty(context.env[PROVIDER_ARN_ENV]) ?? PLACEHOLDER_PROVIDER_ARN;
  let result: unknown;
  try {
    result = transformTemplate(fragment, { providerArn });
  } catch (error) {
    if (error instanceof TemplateError) throw new Error(`${file}: ${error.message}`);
    throw error;
  }
  context.stdout((format ?? (json ? 'json' : 'yaml')) === 'json' ? jsonDocument(result) : dumpYaml(result));
  return 0;
}

/**
 * What CloudFormation hands the macro: the template without its Transform section (aws-facts.md §1.1). Other
 * transforms listed with KmsSecrets stay, since CloudFormation would run them too.
 */
function withoutOwnTransform(template: unknown, file: string, context: CliContext): unknown {
  if (!isPlainObject(template)) return template;
  const { Transform: transform, ...rest } = template;
  const listed = Array.isArray(transform) ? transform : transform === undefined ? [] : [transform];
  const others = listed.filter((entry) => entry !== MACRO_NAME);
  if (others.length === listed.length) {
    context.stderr(noteLine(`${file} does not list "Transform: ${MACRO_NAME}"; transforming anyway`, context.color));
  }
  if (others.length === 0) return rest;
  return { Transform: Array.isArray(transform) ? others : others[0], ...rest };
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? nonEmpty(value) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The `transform` command. */
export const transformCommand: Command = {
  name: 'transform',
  summary: 'Print what the KmsSecrets macro makes of a local template (no AWS call).',
  usage: 'TEMPLATE [--format yaml|json] [--provider-arn ARN]',
  help: [
    'Reads TEMPLATE (YAML with CloudFormation short-form tags such as !Ref, !Sub, !GetAtt and !KmsSecret, or JSON',
    'when the file ends in .json), rewrites every Fn::KmsSecret token exactly as the deployed macro would, and',
    'prints the result on stdout. The Transform entry KmsSecrets is removed, as CloudFormation does.',
    '',
    'Options:',
    '  --format yaml|json   output format (default: the format of TEMPLATE); YAML is printed with long-form',
    '                       intrinsics (Fn::Join:, Ref:), as in CloudFormation\'s processed template',
    `  --provider-arn ARN   ServiceToken of the generated resources (default: $${PROVIDER_ARN_ENV}, else`,
    `                       the placeholder ${PLACEHOLDER_PROVIDER_ARN})`,
    '',
    'Exit codes: 0 printed, 1 the template is refused or unreadable (one line on stderr naming file and path),',
    '2 usage error.',
  ].join('\n'),
  options: {
    format: { type: 'string' },
    'provider-arn': { type: 'string' },
  },
  run,
};
