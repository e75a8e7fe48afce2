import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../../cli/commands/index.ts';
import { PLACEHOLDER_PROVIDER_ARN } from '../../../cli/commands/transform.ts';
import { runCli } from '../../../cli/run.ts';
import { loadCloudFormationYaml } from '../../../cli/yaml.ts';
import { transformTemplate } from '../../../macro/transform.ts';
import { captureContext } from './context.ts';

const TEMPLATES = join(import.meta.dirname, '../../fixtures/macro/templates');
const ROOT = join(import.meta.dirname, '../../..');
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:kms-secrets-provider';

async function transform(args: string[], env: Record<string, string> = {}) {
  const context = captureContext({ cwd: TEMPLATES, env });
  const code = await runCli(['transform', ...args], context, COMMANDS, '0.0.0');
  return { code, out: context.out.join(''), err: context.err.join('') };
}

/** What the macro itself makes of the JSON twin of app.yaml (CloudFormation strips the Transform section first). */
function macroResult(providerArn: string): unknown {
  const { Transform: _transform, ...fragment } = JSON.parse(readFileSync(join(TEMPLATES, 'app.json'), 'utf8')) as Record<string, unknown>;
  return transformTemplate(fragment, { providerArn });
}

describe('transform command', () => {
  it('prints YAML equal to the macro\'s result when given a YAML template with short-form tags', async () => {
    const { code, out, err } = await transform(['app.yaml', '--provider-arn', ARN]);
    expect(code).to.equal(0);
    expect(err).to.equal('');
    expect(loadCloudFormationYaml(out, 'out')).to.deep.equal(macroResult(ARN));
    expect(out).to.not.include('Transform');
  });

  it('prints JSON when given a JSON template, and YAML when asked with --format yaml', async () => {
    const json = await transform(['app.json', '--provider-arn', ARN]);
    expect(JSON.parse(json.out)).to.deep.equal(macroResult(ARN));
    const yaml = await transform(['app.json', '--format', 'yaml', '--provider-arn', ARN]);
    expect(loadCloudFormationYaml(yaml.out, 'out')).to.deep.equal(macroResult(ARN));
  });

  it('prints JSON for a YAML template when asked with --format json', async () => {
    const { out } = await transform(['app.yaml', '--format', 'json', '--provider-arn', ARN]);
    expect(JSON.parse(out)).to.deep.equal(macroResult(ARN));
  });

  it('takes the ServiceToken from KMS_SECRETS_PROVIDER_ARN, else a visible placeholder', async () => {
    const fromEnv = await transform(['app.json'], { KMS_SECRETS_PROVIDER_ARN: 'arn:aws:lambda:eu-west-1:1:function:env' });
    expect(JSON.parse(fromEnv.out)).to.deep.equal(macroResult('arn:aws:lambda:eu-west-1:1:function:env'));
    const placeholder = await transform(['app.json']);
    expect(JSON.parse(placeholder.out)).to.deep.equal(macroResult(PLACEHOLDER_PROVIDER_ARN));
  });

  it('keeps other transforms and notes a template that does not list KmsSecrets', async () => {
    const context = captureContext({ cwd: TEMPLATES });
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'kms-secrets-'));
    writeFileSync(join(dir, 'sam.json'), JSON.stringify({ Transform: ['KmsSecrets', 'AWS::Serverless-2016-10-31'], Resources: {} }));
    writeFileSync(join(dir, 'plain.json'), JSON.stringify({ Resources: {} }));
    expect(await runCli(['transform', join(dir, 'sam.json')], context, COMMANDS, '0')).to.equal(0);
    expect(JSON.parse(context.out.join(''))).to.deep.equal({ Transform: ['AWS::Serverless-2016-10-31'], Resources: {} });
    expect(context.err).to.deep.equal([]);
    expect(await runCli(['transform', join(dir, 'plain.json')], context, COMMANDS, '0')).to.equal(0);
    expect(context.err.join('')).to.match(/^kms-secrets: note: .*plain\.json does not list "Transform: KmsSecrets"; transforming anyway\n$/);
  });

  it('exits 1 with one line naming the file and the path when the template is refused', async () => {
    const { code, out, err } = await transform(['refused.yaml']);
    expect(code).to.equal(1);
    expect(out).to.equal('');
    expect(err).to.match(/kms-secrets: error: refused\.yaml: Resources\.Db\.Properties\.MasterUserPassword: Fn::KmsSecret property "Ciphertext" must be the base64 ciphertext blob .*; got a string that is not base64\n$/);
    expect(err.split('\n').filter((line) => line.startsWith('kms-secrets: error'))).to.have.length(1);
  });

  for (const [file, message] of [
    ['broken.yaml', /^kms-secrets: error: broken\.yaml:\d+:\d+: not valid YAML: .+\n$/],
    ['broken.json', /^kms-secrets: error: broken\.json: not valid JSON\n$/],
    ['missing.yaml', /^kms-secrets: error: missing\.yaml: cannot read the template \(no such file\)\n$/],
  ] as const) {
    it(`exits 1 with one line when the template is ${file}`, async () => {
      const { code, err } = await transform([file]);
      expect(code).to.equal(1);
      expect(err).to.match(message);
    });
  }

  for (const [what, args] of [['no TEMPLATE', []], ['two TEMPLATEs', ['a.yaml', 'b.yaml']], ['a bad --format', ['app.yaml', '--format', 'xml']]] as const) {
    it(`exits 2 when given ${what}`, async () => {
      const { code, err } = await transform([...args]);
      expect(code).to.equal(2);
      expect(err).to.match(/^kms-secrets: error: transform: .*\(run "kms-secrets --help"\)\n$/);
    });
  }

  it('sets the process exit code from the entry file when run as a program', () => {
    // The one spawn: proves cli/index.ts wires argv, stdout/stderr and process.exitCode.
    const ok = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli/index.ts'), 'transform', 'app.yaml', '--format', 'json'], { cwd: TEMPLATES, encoding: 'utf8', env: { ...process.env, KMS_SECRETS_PROVIDER_ARN: ARN } });
    expect(ok.status).to.equal(0);
    expect(JSON.parse(ok.stdout)).to.deep.equal(macroResult(ARN));
    const refused = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli/index.ts'), 'transform', 'refused.yaml'], { cwd: TEMPLATES, encoding: 'utf8' });
    expect(refused.status).to.equal(1);
    expect(refused.stderr).to.match(/^kms-secrets: error: refused\.yaml: Resources\.Db/);
  });
});
