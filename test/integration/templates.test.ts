/**
 * The shipped CloudFormation: template.yaml (the SAM stack) and every example, which is transformed through the real
 * dist/macro.mjs bundle with an event shaped like CloudFormation's, then linted. cfn-lint comes from the project's
 * .venv (pinned in requirements-dev.txt); its exit code is a bitmask: 2 = error, 4 = warning, 8 = informational.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { parseCommandArgs } from '../../cli/args.ts';
import { COMMANDS } from '../../cli/commands/index.ts';
import { loadCloudFormationYaml } from '../../cli/yaml.ts';
import { MACRO_NAME, OWNER_TAG, PROVIDER_ARN_ENV, RESOURCE_TYPE, SERVICE_TIMEOUT_SECONDS, TOKEN_NAME } from '../../core/constants.ts';
import { ensureBuilt, projectRoot } from '../helpers/emulator.ts';

type Json = Record<string, any>;

const PROVIDER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:kms-secrets-ProviderFunction-Q1w2E3r4T5y6';
const EXAMPLES = ['ecs-mysql', 'rds', 'grouped'] as const;

function cfnLint(file: string): { status: number | null; output: string } {
  const result = spawnSync(join(projectRoot, '.venv', 'bin', 'cfn-lint'), ['--', file], { cwd: projectRoot, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}` };
}

function readTemplate(relative: string): Json {
  return loadCloudFormationYaml(readFileSync(join(projectRoot, relative), 'utf8'), relative) as Json;
}

/** Every value of `key` anywhere under `node`. */
function collect(node: unknown, key: string, found: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const item of node) collect(item, key, found);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) found.push(v);
      collect(v, key, found);
    }
  }
  return found;
}

/** Statements of an IAM policy document, with `Fn::If` branches (the optional statements) flattened in. */
function statements(document: Json): Json[] {
  return (document.Statement as unknown[]).flatMap((s: any) => (s['Fn::If'] ? [s['Fn::If'][1]] : [s]));
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

async function transformExample(name: string): Promise<{ response: Json; input: Json }> {
  const macro = await import(pathToFileURL(ensureBuilt('dist/macro.mjs')).href) as { handler: (event: unknown) => Promise<Json> };
  const { Transform, ...fragment } = readTemplate(`examples/${name}/template.yaml`);
  expect(Transform, `examples/${name} names the macro in its Transform line`).to.equal(MACRO_NAME);
  const previous = process.env[PROVIDER_ARN_ENV];
  process.env[PROVIDER_ARN_ENV] = PROVIDER_ARN;
  try {
    // CloudFormation hands a template-level macro the whole template without its Transform section (aws-facts §1.1).
    const response = await macro.handler({
      region: 'us-east-1', accountId: '123456789012', transformId: `123456789012::${MACRO_NAME}`, params: {},
      requestId: `templates-test-${name}`, templateParameterValues: {}, fragment,
    });
    return { response, input: fragment };
  } finally {
    if (previous === undefined) delete process.env[PROVIDER_ARN_ENV];
    else process.env[PROVIDER_ARN_ENV] = previous;
  }
}

describe('template.yaml', () => {
  const template = readTemplate('template.yaml');
  const resources = template.Resources as Json;

  it('passes cfn-lint with no error and no warning', () => {
    const { status, output } = cfnLint('template.yaml');
    expect(status, output).to.equal(0);
  });

  it('defines the KmsSecrets macro with the provider ARN in the macro function environment', () => {
    expect(template.Parameters.MacroName.Default).to.equal(MACRO_NAME);
    expect(resources.KmsSecretsMacro.Type).to.equal('AWS::CloudFormation::Macro');
    expect(resources.KmsSecretsMacro.Properties.Name).to.deep.equal({ Ref: 'MacroName' });
    expect(resources.KmsSecretsMacro.Properties.FunctionName).to.deep.equal({ 'Fn::GetAtt': ['MacroFunction', 'Arn'] });
    expect(resources.MacroFunction.Properties.Environment.Variables[PROVIDER_ARN_ENV]).to.deep.equal({ 'Fn::GetAtt': ['ProviderFunction', 'Arn'] });
  });

  it('runs both functions from the esbuild bundles on arm64 with a supported Node.js runtime and its own log group', () => {
    expect(template.Globals.Function.Runtime).to.be.oneOf(['nodejs22.x', 'nodejs24.x']);
    expect(template.Globals.Function.Architectures).to.deep.equal(['arm64']);
    for (const [fn, bundle, logGroup, folder] of [['MacroFunction', 'macro', 'MacroLogGroup', 'macro'], ['ProviderFunction', 'handler', 'ProviderLogGroup', 'provider']] as const) {
      expect(resources[fn].Properties.Handler).to.equal(`${bundle}.handler`);
      // Each function ships only its own bundle, byte for byte the file the tests import.
      const codeUri = resources[fn].Properties.CodeUri as string;
      expect(codeUri).to.equal(`dist/lambda/${folder}/`);
      const shipped = join(projectRoot, codeUri);
      expect(readdirSync(shipped)).to.deep.equal([`${bundle}.mjs`]);
      expect(readFileSync(join(shipped, `${bundle}.mjs`)).equals(readFileSync(ensureBuilt(`dist/${bundle}.mjs`))), `${codeUri} holds dist/${bundle}.mjs`).to.equal(true);
      expect(resources[fn].Properties.LoggingConfig.LogGroup).to.deep.equal({ Ref: logGroup });
      expect(resources[logGroup].Properties.RetentionInDays).to.deep.equal({ Ref: 'LogRetentionInDays' });
    }
    expect(template.Parameters.LogRetentionInDays.Default).to.equal(14);
  });

  it('gives the provider a timeout that fits three attempts inside the ServiceTimeout of generated resources', () => {
    const timeout = resources.ProviderFunction.Properties.Timeout as number;
    expect(timeout).to.equal(60);
    // Lambda retries a failed async invocation about 1 and then 2 minutes later (aws-facts §2.4).
    expect(timeout + 60 + 120).to.be.at.most(Number(SERVICE_TIMEOUT_SECONDS));
  });

  it('passes the name prefix and the binding switch to the provider', () => {
    const variables = resources.ProviderFunction.Properties.Environment.Variables;
    expect(variables.KMS_SECRETS_NAME_PREFIX).to.deep.equal({ Ref: 'SecretNamePrefix' });
    expect(variables.KMS_SECRETS_REQUIRE_BINDING).to.deep.equal({ Ref: 'RequireBinding' });
    expect(template.Parameters.RequireBinding.AllowedValues).to.deep.equal(['true', 'false']);
  });

  it('lets the macro role write its own log group and nothing else', () => {
    const policies = resources.MacroRole.Properties.Policies as Json[];
    expect(policies).to.have.length(1);
    expect(resources.MacroRole.Properties.ManagedPolicyArns).to.equal(undefined);
    expect(statements(policies[0]!.PolicyDocument)).to.deep.equal([{
      Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['MacroLogGroup', 'Arn'] },
    }]);
  });

  it('uses no wildcard action in any IAM policy', () => {
    const iamDocuments = Object.values(resources).flatMap((resource: any) => [
      ...(resource.Properties?.Policies ?? []).map((p: Json) => p.PolicyDocument),
      ...(resource.Properties?.PolicyDocument ? [resource.Properties.PolicyDocument] : []),
    ]);
    expect(iamDocuments.length).to.be.at.least(4);
    const actions = iamDocuments.flatMap((document) => statements(document).flatMap((s) => asList(s.Action)));
    expect(actions.filter((action) => typeof action !== 'string' || action.includes('*'))).to.deep.equal([]);
  });

  it('lets the provider change only secrets that carry a stack owner tag, inside the prefix', () => {
    const all = statements(resources.ProviderPolicy.Properties.PolicyDocument);
    const secretStatements = all.filter((s) => asList(s.Action).some((a) => String(a).startsWith('secretsmanager:')));
    const prefixArn = 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${SecretNamePrefix}*';
    for (const statement of secretStatements) {
      expect(statement.Resource, statement.Sid).to.deep.equal({ 'Fn::Sub': prefixArn });
      const actions = asList(statement.Action);
      if (actions.includes('secretsmanager:DescribeSecret')) {
        expect(actions, 'Describe stands alone: it must tell a missing secret from a foreign one').to.deep.equal(['secretsmanager:DescribeSecret']);
        continue;
      }
      const tagKey = actions.includes('secretsmanager:CreateSecret') ? `aws:RequestTag/${OWNER_TAG}` : `aws:ResourceTag/${OWNER_TAG}`;
      expect(statement.Condition?.StringLike?.[tagKey], `${statement.Sid} conditions on ${tagKey}`).to.deep.equal({ 'Fn::Sub': 'cloudformation:${AWS::Region}:*' });
    }
    const granted = new Set(secretStatements.flatMap((s) => asList(s.Action)));
    // Every Secrets Manager operation core/aws.ts can send (ListSecrets is the pipeline's alone).
    const sdkCommands = [...readFileSync(join(projectRoot, 'core/aws.ts'), 'utf8').matchAll(/\b([A-Z]\w+)Command\b/g)]
      .map((m) => m[1]!)
      .filter((op) => !['Decrypt', 'Encrypt', 'ListSecrets'].includes(op));
    expect(sdkCommands.length).to.be.at.least(8);
    for (const op of new Set(sdkCommands)) expect(granted.has(`secretsmanager:${op}`), `secretsmanager:${op}`).to.equal(true);
  });

  it('lets the provider decrypt only with the given or created keys, bound to a SecretName inside the prefix when required', () => {
    const decrypt = statements(resources.ProviderPolicy.Properties.PolicyDocument).find((s) => s.Action === 'kms:Decrypt')!;
    expect(decrypt.Resource).to.deep.equal({ 'Fn::If': ['CreateKey', [{ 'Fn::GetAtt': ['Key', 'Arn'] }], { Ref: 'DecryptKeyArns' }] });
    const [condition, whenRequired, otherwise] = decrypt.Condition['Fn::If'];
    expect(condition).to.equal('BindingRequired');
    expect(whenRequired).to.deep.equal({ StringLike: { 'kms:EncryptionContext:SecretName': { 'Fn::Sub': '${SecretNamePrefix}*' } } });
    expect(otherwise).to.deep.equal({ StringLikeIfExists: { 'kms:EncryptionContext:SecretName': { 'Fn::Sub': '${SecretNamePrefix}*' } } });
  });

  it('creates a rotating key whose policy denies direct Decrypt to everyone but the kms-secrets roles', () => {
    expect(resources.Key.Condition).to.equal('CreateKey');
    expect(resources.Key.Properties.EnableKeyRotation).to.equal(true);
    expect(resources.KeyAliasResource.Properties.TargetKeyId).to.deep.equal({ Ref: 'Key' });
    const [root, deny] = resources.Key.Properties.KeyPolicy.Statement as Json[];
    expect(root!.Principal).to.deep.equal({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } });
    expect(deny).to.include({ Effect: 'Deny', Principal: '*' });
    expect(asList(deny!.Action)).to.include('kms:Decrypt');
    expect(deny!.Condition.ArnNotEquals['aws:PrincipalArn'][0]).to.deep.equal({ 'Fn::GetAtt': ['ProviderRole', 'Arn'] });
  });

  it('denies ReEncryptFrom with direct Decrypt, since re-encrypting under a key one controls is decrypting', () => {
    // kms:ReEncryptFrom decrypts the ciphertext inside KMS and encrypts it under a destination key the caller picks;
    // an administrator's kms:* IAM policy would otherwise turn any repository ciphertext into one they can read.
    const deny = (resources.Key.Properties.KeyPolicy.Statement as Json[]).find((s) => s.Effect === 'Deny')!;
    expect(asList(deny.Action)).to.have.members(['kms:Decrypt', 'kms:ReEncryptFrom']);
  });

  it('trusts GitHub Actions of one repository and subject only, with the owner tag scoped to the CLI', () => {
    expect(resources.PipelineRole.Condition).to.equal('CreatePipelineRole');
    const [trust] = resources.PipelineRole.Properties.AssumeRolePolicyDocument.Statement as Json[];
    expect(trust!.Condition.StringEquals).to.deep.equal({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': { 'Fn::Sub': 'repo:${GitHubRepository}:${GitHubSubject}' },
    });
    const pipeline = statements(resources.PipelinePolicy.Properties.PolicyDocument);
    expect(pipeline.find((s) => s.Action === 'secretsmanager:ListSecrets')!.Resource).to.equal('*');
    const tagged = pipeline.filter((s) => s.Condition?.StringLike);
    expect(tagged.map((s) => Object.values(s.Condition.StringLike)[0])).to.deep.equal(['cli:*', 'cli:*']);
  });

  it('never lets a role claim a secret another owner tagged: TagResource granted for a new owner tag needs no other owner on the secret', () => {
    // CreateSecret with Tags is also authorised as TagResource; an Allow on TagResource conditioned only on the
    // request tag would let the role retag any secret in the prefix (a stack's, another pipeline's) as its own.
    for (const [policy, owner] of [['ProviderPolicy', { 'Fn::Sub': 'cloudformation:${AWS::Region}:*' }], ['PipelinePolicy', 'cli:*']] as const) {
      const granting = statements(resources[policy].Properties.PolicyDocument)
        .filter((s) => s.Effect === 'Allow' && asList(s.Action).includes('secretsmanager:TagResource'));
      expect(granting.length, policy).to.be.at.least(2);
      for (const statement of granting) {
        const onResource = statement.Condition?.StringLike?.[`aws:ResourceTag/${OWNER_TAG}`]
          ?? statement.Condition?.StringLikeIfExists?.[`aws:ResourceTag/${OWNER_TAG}`];
        expect(onResource, `${policy} ${statement.Sid} conditions on the secret's own owner tag`).to.deep.equal(owner);
      }
    }
  });

  it('outputs the macro name, the provider ARN and the key ARN', () => {
    expect(Object.keys(template.Outputs)).to.include.members(['MacroName', 'ProviderArn', 'KeyArn']);
  });
});

describe('samconfig.toml', () => {
  const text = readFileSync(join(projectRoot, 'samconfig.toml'), 'utf8');
  const section = (name: string) => text.split(/^\[/m).find((s) => s.startsWith(`${name}]`)) ?? '';

  it('deploys the macro stack by default and the ECS example with CAPABILITY_AUTO_EXPAND', () => {
    expect(section('default.deploy.parameters')).to.match(/capabilities = "CAPABILITY_IAM"/);
    const ecs = section('ecs-example.deploy.parameters');
    expect(ecs).to.match(/template_file = "examples\/ecs-mysql\/template.yaml"/);
    expect(ecs).to.match(/capabilities = "CAPABILITY_IAM CAPABILITY_AUTO_EXPAND"/);
    expect(existsSync(join(projectRoot, 'examples/ecs-mysql/template.yaml'))).to.equal(true);
  });

  it('overrides only parameters the deployed templates declare', () => {
    const overrides = (name: string) => [...(/parameter_overrides = "([^"]*)"/.exec(section(name))?.[1] ?? '').matchAll(/(\w+)=/g)].map((m) => m[1]);
    const declared = (file: string) => Object.keys(readTemplate(file).Parameters as Json);
    expect(overrides('default.deploy.parameters')).to.have.length.greaterThan(0);
    expect(declared('template.yaml')).to.include.members(overrides('default.deploy.parameters'));
    expect(overrides('ecs-example.deploy.parameters')).to.have.length.greaterThan(0);
    expect(declared('examples/ecs-mysql/template.yaml')).to.include.members(overrides('ecs-example.deploy.parameters'));
  });
});

describe('examples transformed by dist/macro.mjs', () => {
  let workDir: string;
  before(() => { workDir = mkdtempSync(join(tmpdir(), 'kms-secrets-templates-')); });
  after(() => { rmSync(workDir, { recursive: true, force: true }); });

  for (const name of EXAMPLES) {
    it(`passes cfn-lint with no error and no warning for examples/${name}`, async () => {
      const { response } = await transformExample(name);
      expect(response.status, response.errorMessage).to.equal('success');
      expect(collect(response.fragment, TOKEN_NAME), 'no token is left').to.deep.equal([]);
      const file = join(workDir, `${name}.json`);
      writeFileSync(file, JSON.stringify(response.fragment, null, 2));
      const { status, output } = cfnLint(file);
      expect(status, output).to.equal(0);
    });

    it(`has a README next to examples/${name}/template.yaml`, () => {
      const readme = readFileSync(join(projectRoot, 'examples', name, 'README.md'), 'utf8');
      expect(readme).to.match(/^# /);
      expect(readme).to.include('template.yaml');
    });
  }

  it('prints the same template from `kms-secrets transform` (the README preview) as from the macro bundle', async () => {
    const cli = ensureBuilt('dist/cli.mjs');
    for (const name of EXAMPLES) {
      const { response } = await transformExample(name);
      const run = spawnSync(process.execPath, [cli, 'transform', `examples/${name}/template.yaml`, '--format', 'json', '--provider-arn', PROVIDER_ARN], { cwd: projectRoot, encoding: 'utf8' });
      expect(run.status, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout), name).to.deep.equal(response.fragment);
    }
  });

  it('gives the ECS service DB_PASSWORD as a versioned ValueFrom and its execution role exactly that secret', async () => {
    const { response } = await transformExample('ecs-mysql');
    const resources = response.fragment.Resources as Json;
    const generated = Object.keys(resources).filter((id) => resources[id].Type === RESOURCE_TYPE);
    expect(generated, 'one secret for the two tokens of one Name').to.have.length(1);
    const id = generated[0]!;
    expect(resources[id].Properties.Name).to.equal('prod/orders-api/mysql');
    expect(resources[id].Properties.ServiceToken).to.equal(PROVIDER_ARN);
    const [secret] = resources.TaskDefinition.Properties.ContainerDefinitions[0].Secrets as Json[];
    expect(secret).to.deep.equal({
      Name: 'DB_PASSWORD',
      ValueFrom: { 'Fn::Join': ['', [{ Ref: id }, ':::', { 'Fn::GetAtt': [id, 'VersionId'] }]] },
    });
    const [statement] = resources.TaskExecutionRole.Properties.Policies[0].PolicyDocument.Statement as Json[];
    expect(statement).to.deep.equal({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: id } });
  });

  it('changes nothing in the ECS template but the token places', async () => {
    const { response, input } = await transformExample('ecs-mysql');
    const resources = response.fragment.Resources as Json;
    const { TaskDefinition, TaskExecutionRole, ...rest } = resources;
    const { TaskDefinition: inTask, TaskExecutionRole: inRole, ...inRest } = input.Resources as Json;
    expect(Object.keys(rest).filter((id) => rest[id].Type !== RESOURCE_TYPE)).to.deep.equal(Object.keys(inRest));
    for (const id of Object.keys(inRest)) expect(rest[id], id).to.deep.equal(inRest[id]);
    expect(TaskDefinition.Properties.ContainerDefinitions[0].Environment).to.deep.equal(inTask.Properties.ContainerDefinitions[0].Environment);
    expect(TaskExecutionRole.Properties.AssumeRolePolicyDocument).to.deep.equal(inRole.Properties.AssumeRolePolicyDocument);
    expect(response.fragment.Parameters).to.deep.equal(input.Parameters);
  });

  it('sets the RDS master password through a dynamic reference pinned to the secret version', async () => {
    const { response } = await transformExample('rds');
    const resources = response.fragment.Resources as Json;
    const id = Object.keys(resources).find((key) => resources[key].Type === RESOURCE_TYPE)!;
    expect(resources.Database.Properties.MasterUserPassword).to.deep.equal({
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: id }, ':SecretString:::', { 'Fn::GetAtt': [id, 'VersionId'] }, '}}']],
    });
    expect(resources[id]).to.include({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('stores the three grouped values as three keys of one secret', async () => {
    const { response } = await transformExample('grouped');
    const resources = response.fragment.Resources as Json;
    const generated = Object.keys(resources).filter((id) => resources[id].Type === RESOURCE_TYPE);
    expect(generated).to.have.length(1);
    const values = resources[generated[0]!].Properties.Values as Json[];
    expect(values.map((v) => v.Key)).to.have.members(['smtp_password', 'twilio_auth_token', 'webhook_signing_key']);
    const valueFroms = (resources.TaskDefinition.Properties.ContainerDefinitions[0].Secrets as Json[]).map((s) => s.ValueFrom['Fn::Join'][1][1]);
    expect(valueFroms).to.deep.equal([':smtp_password::', ':twilio_auth_token::', ':webhook_signing_key::']);
  });
});

describe('examples/pipeline workflow and buildspec', () => {
  const dir = join(projectRoot, 'examples/pipeline');
  const workflow = load(readFileSync(join(dir, '.github/workflows/sync-secrets.yml'), 'utf8')) as Json;
  const buildspec = load(readFileSync(join(dir, 'buildspec.yml'), 'utf8')) as Json;
  const steps = Object.values(workflow.jobs as Json).flatMap((job: Json) => job.steps as Json[]);
  const commands = [
    ...steps.flatMap((step) => (typeof step.run === 'string' ? [step.run as string] : [])),
    ...Object.values(buildspec.phases as Json).flatMap((phase: Json) => (phase.commands ?? []) as string[]),
  ].filter((line) => line.includes('kms-secrets '));

  it('runs only kms-secrets command lines the CLI accepts, on folders that exist', () => {
    expect(commands.length).to.be.at.least(5);
    const env = buildspec.env.variables as Record<string, string>;
    for (const line of commands) {
      // A shell line: drop the redirection, expand the buildspec's own variables, split on blanks.
      const words = line.replace(/\s*(>|\|\|).*$/, '').replace(/"\$(\w+)"/g, (_m, name: string) => env[name] ?? `$${name}`).split(/\s+/);
      const [name, ...args] = words.slice(words.indexOf('kms-secrets') + 1);
      const command = COMMANDS.find((candidate) => candidate.name === name);
      expect(command, line).to.not.equal(undefined);
      const parsed = parseCommandArgs(command!, args);
      for (const path of parsed.positionals) expect(existsSync(join(dir, path)), `${line}: ${path}`).to.equal(true);
    }
  });

  it('assumes the role through OIDC with a Region in the job that syncs, and no stored key anywhere', () => {
    const sync = (workflow.jobs as Json).sync as Json;
    expect(sync.permissions).to.deep.equal({ 'id-token': 'write', contents: 'read' });
    const credentials = (sync.steps as Json[]).find((step) => String(step.uses).startsWith('aws-actions/configure-aws-credentials@'));
    expect(credentials?.with).to.include.keys('role-to-assume', 'aws-region');
    const text = `${JSON.stringify(workflow)}${JSON.stringify(buildspec)}`;
    expect(text).to.not.match(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key|AWS_ACCESS_KEY_ID/);
  });

  it('lets a plan that finds a bad or foreign secret report it without stopping the sync of the others', () => {
    // plan exits 1 for a secret sync will fail alone; as a blocking step it would stop every other secret's sync.
    const plan = ((workflow.jobs as Json).sync.steps as Json[]).find((step) => String(step.run).includes('kms-secrets plan'));
    expect(plan?.['continue-on-error']).to.equal(true);
    const planLines = Object.values(buildspec.phases as Json).flatMap((phase: Json) => (phase.commands ?? []) as string[]).filter((line) => line.includes('kms-secrets plan'));
    expect(planLines).to.have.length(1);
    expect(planLines[0]).to.match(/\|\| true$/);
  });

  it('runs on a maintained Node.js LTS (Node 20 reached end of life on 30 Apr 2026)', () => {
    const nodes = steps.filter((step) => String(step.uses).startsWith('actions/setup-node@')).map((step) => Number(step.with['node-version']));
    expect(nodes.length).to.be.at.least(2);
    for (const version of [...nodes, Number(buildspec.phases.install['runtime-versions'].nodejs)]) expect(version).to.be.at.least(22);
  });
});
