/**
 * `npm run demo` (scripts/demo.mjs) end to end: it starts its own emulator, so this runs it as a user would, as a
 * child process, with the canary as the generated password (KMS_SECRETS_DEMO_PASSWORD) to prove it is never printed.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { CANARY_PLAINTEXT } from '../helpers/canary.ts';
import { ensureBuilt, projectRoot } from '../helpers/emulator.ts';

interface Run { status: number | null; stdout: string; stderr: string }

function runDemo(password: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    // The demo points the SDK at its own emulator; drop any endpoint another test file left in this process's env.
    const { AWS_ENDPOINT_URL: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, ['scripts/demo.mjs'], { cwd: projectRoot, env: { ...env, KMS_SECRETS_DEMO_PASSWORD: password } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run demo', function () {
  this.timeout(180_000);
  let run: Run;

  before(async () => {
    for (const bundle of ['dist/macro.mjs', 'dist/handler.mjs', 'dist/cli.mjs']) ensureBuilt(bundle);
    run = await runDemo(CANARY_PLAINTEXT);
  });

  it('exits 0 after every step passed when run on a machine without AWS', () => {
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).to.not.match(/FAILED/);
    expect(run.stdout.trimEnd().split('\n').at(-1)).to.equal('demo passed');
    for (let step = 1; step <= 10; step += 1) expect(run.stdout, `step ${step}`).to.match(new RegExp(`^${step}\\. `, 'm'));
  });

  it('creates the secret with the provider bundle and resolves the consumers to the generated and then the rotated password', () => {
    expect(run.stdout).to.match(/1 Custom::KmsSecret resource: KmsSecretProdOrdersApiMysql[0-9a-f]{8}/);
    expect(run.stdout).to.match(/SUCCESS, PhysicalResourceId arn:aws:secretsmanager:us-east-1:123456789012:secret:prod\/orders-api\/mysql-\w{6}/);
    expect(run.stdout).to.match(/ValueFrom = arn:aws:secretsmanager:\S+:::[0-9a-f-]{36}/);
    expect(run.stdout).to.include('✓ what the consumer receives equals the generated password');
    expect(run.stdout).to.include('✓ what the consumer receives equals the rotated password');
    expect(run.stdout).to.include('✓ a replayed Update (CloudFormation retries) gives the same VersionId and writes nothing');
    expect(run.stdout).to.include('✓ the secret is scheduled for deletion');
  });

  it('counts the AWS calls of each step, none for the macro and one decrypt per provider write', () => {
    const transformStep = run.stdout.slice(run.stdout.indexOf('\n4. Transform'), run.stdout.indexOf('\n5. '));
    expect(transformStep).to.include('AWS calls: none');
    expect(run.stdout).to.match(/^ {3}create {13}SecretsManager\.DescribeSecret 1, KMS\.Decrypt 1, SecretsManager\.CreateSecret 1$/m);
    expect(run.stdout).to.match(/^ {3}update replayed {4}SecretsManager\.DescribeSecret 1$/m);
    expect(run.stdout).to.match(/^ {3}total: \d+ KMS requests/m);
  });

  it('runs plan and sync on the pipeline example, and a second sync writes nothing', () => {
    expect(run.stdout).to.include('$ kms-secrets plan secrets/');
    expect(run.stdout).to.match(/Sync: 2 created\./);
    expect(run.stdout).to.match(/Sync: 2 unchanged\./);
    expect(run.stdout).to.match(/^ {3}sync {15}SecretsManager\.ListSecrets 1$/m);
    expect(run.stdout).to.match(/all 3 values read back from Secrets Manager match/);
  });

  it('never prints the generated password, only its masked length', () => {
    expect(run.stdout).to.include(`•••••••• (${CANARY_PLAINTEXT.length} characters, masked)`);
    expect(run.stdout.includes(CANARY_PLAINTEXT), 'stdout holds the password').to.equal(false);
    expect(run.stderr.includes(CANARY_PLAINTEXT), 'stderr holds the password').to.equal(false);
  });

  it('exits 1 naming the failed step when a step fails, and still prints no password', async () => {
    // 5000 bytes is more than KMS Encrypt accepts (4096), so `kms-secrets encrypt` fails in step 3.
    const tooLong = `${CANARY_PLAINTEXT}${'x'.repeat(5000)}`;
    const failed = await runDemo(tooLong);
    expect(failed.status).to.equal(1);
    expect(failed.stderr).to.match(/^demo FAILED at step 3 \(Encrypt a generated MySQL password/m);
    expect(failed.stderr).to.include('KMS Encrypt takes at most 4096 bytes');
    expect(failed.stdout).to.not.include('demo passed');
    expect(`${failed.stdout}${failed.stderr}`.includes(CANARY_PLAINTEXT)).to.equal(false);
  });
});
