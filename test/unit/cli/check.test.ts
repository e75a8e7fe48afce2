import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../../../cli/commands/check.ts';
import type { CliContext } from '../../../cli/command.ts';
import { runCli } from '../../../cli/run.ts';

const CT = Buffer.from('a-ciphertext-blob').toString('base64');

async function check(files: Record<string, string>, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'ks-check-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const out: string[] = [];
  const err: string[] = [];
  const context: CliContext = { stdout: (t) => { out.push(t); }, stderr: (t) => { err.push(t); }, env: {}, cwd: dir, color: false, debug: false, readStdin: async () => new Uint8Array() };
  const code = await runCli(['check', ...args], context, [checkCommand], '0.0.0');
  return { code, out: out.join(''), err: err.join('') };
}

const TEMPLATE = `Transform: KmsSecrets\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: !KmsSecret {Ciphertext: ${CT}, Name: app/db}\n`;

describe('checkCommand', () => {
  it('validates a folder of secrets files and templates offline', async () => {
    const r = await check({ 'secrets/a.yaml': `Secrets:\n  - {Name: app/x, Ciphertext: ${CT}}\n`, 'template.yaml': TEMPLATE }, ['secrets', 'template.yaml']);
    expect([r.code, r.out, r.err]).to.deep.equal([0, 'Check: 1 secrets file (1 secret), 1 template: ok.\n', '']);
  });

  it('reports a broken JSON template on one line without quoting its text', async () => {
    const r = await check({ 'broken.json': `{"Resources": {"Db": "${CT}"` }, ['broken.json']);
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/^kms-secrets: error: \S*broken\.json: not valid JSON\n$/);
  });

  it('reports every error on its own line, naming file, entry and property, with exit 1', async () => {
    const r = await check({
      'a.yaml': `Secrets:\n  - {Name: app/x, Ciphertext: ${CT}, EncryptionContext: {SecretName: app/y}}\n  - {Name: app/z, Ciphertext: [1]}\n`,
      'bad-template.yaml': TEMPLATE.replace(`Ciphertext: ${CT}`, 'Ciphertext: 7'),
    }, ['.']);
    expect(r.code).to.equal(1);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).to.have.length(3);
    expect(lines.some((l) => l.includes('a.yaml: Secrets[0] "app/x": entry property "Name" must equal EncryptionContext "SecretName"'))).to.equal(true);
    expect(lines.some((l) => l.includes('a.yaml: Secrets[1] "app/z": entry property "Ciphertext" must be a string; got a list'))).to.equal(true);
    expect(lines.some((l) => l.includes('bad-template.yaml: Resources.Db.Properties.MasterUserPassword'))).to.equal(true);
    expect(r.out).to.equal('Check: 1 secrets file (0 secrets), 1 template: 3 errors.\n');
  });

  it('says once how to fix the AWS setup when --kms cannot reach KMS, instead of a bare "Error" per ciphertext', async () => {
    // GIVEN an endpoint nothing listens on (the SDK reads process.env; --region gives this test its own client)
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' });
    try {
      // WHEN checking three ciphertexts with --kms
      const r = await check({ 'a.yaml': `Secrets:\n${['a', 'b', 'c'].map((n) => `  - {Name: app/${n}, Ciphertext: ${CT}}\n`).join('')}` }, ['a.yaml', '--kms', '--region', 'eu-west-3']);
      // THEN one line with the fix, and exit 1
      expect([r.code, r.err]).to.deep.equal([1, 'kms-secrets: error: kms:Decrypt (DryRun) could not be asked: cannot reach the AWS endpoint (ECONNREFUSED); check the network, and AWS_ENDPOINT_URL if it is set\n']);
    } finally {
      for (const key of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it('fails with a usage error when no PATH is given', async () => {
    expect((await check({}, [])).code).to.equal(2);
  });
});
