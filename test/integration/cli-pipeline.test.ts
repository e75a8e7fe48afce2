/**
 * The pipeline CLI (dist/cli.mjs as a child process) against the emulator, with ciphertexts made by awscli:
 * encrypt, check, plan, sync (rerun, one change, bad entry, foreign secret, --since, --prune) and the canary.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli, awsKmsEncrypt, createKmsKey } from '../helpers/awscli.ts';
import { CANARY_PLAINTEXT, expectNoCanary } from '../helpers/canary.ts';
import { ensureBuilt, useEmulator } from '../helpers/emulator.ts';

interface Run { status: number; stdout: string; stderr: string }
interface SyncJson {
  summary: Record<string, number>;
  failed: number;
  secrets: Array<{ name: string; outcome: string; error?: string }>;
  calls: Record<string, number>;
}

describe('kms-secrets pipeline commands (emulator)', () => {
  const emulator = useEmulator();
  const outputs: string[] = [];
  let cli: string;
  let keyId: string;

  before(() => {
    cli = ensureBuilt('dist/cli.mjs');
    keyId = createKmsKey(emulator().env, 'alias/kms-secrets-cli-test');
  });

  after(() => expectNoCanary(outputs));

  function run(cwd: string, args: string[], input?: string): Run {
    const out = spawnSync(process.execPath, [cli, ...args], {
      cwd, input: input ?? '', encoding: 'utf8', env: { ...process.env, ...emulator().env, NO_COLOR: '1' },
    });
    outputs.push(out.stdout, out.stderr);
    return { status: out.status ?? -1, stdout: out.stdout, stderr: out.stderr };
  }
  const syncJson = (cwd: string, args: string[]): { status: number; report: SyncJson; stderr: string } => {
    // --debug on every sync: the canary check in after() then covers the debug output too (issue 4).
    const out = run(cwd, ['sync', ...args, '--json', '--debug']);
    return { status: out.status, report: JSON.parse(out.stdout) as SyncJson, stderr: out.stderr };
  };
  const valueOf = (name: string) => awsCli(['secretsmanager', 'get-secret-value', '--secret-id', name, '--query', 'SecretString', '--output', 'text'], emulator().env);
  const entry = (name: string, plaintext: string, key?: string) => [
    `  - Name: ${name}`, ...(key ? [`    Key: ${key}`] : []),
    `    Ciphertext: ${awsKmsEncrypt(emulator().env, keyId, plaintext, { SecretName: name })}`,
    `    EncryptionContext: {SecretName: ${name}}`, '',
  ].join('\n');
  const repo = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-cli-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };

  it('syncs awscli ciphertexts, then makes no Decrypt on a rerun and exactly one after one change', () => {
    const dir = repo({ 'secrets/a.yaml': `# team a\nSecrets:\n${entry('t1/db', `${CANARY_PLAINTEXT}-pw`, 'password')}${entry('t1/db', 'admin', 'user')}${entry('t1/token', 'tok-1')}` });
    const first = syncJson(dir, ['secrets']);
    expect(first.status).to.equal(0);
    expect(first.report.summary).to.deep.equal({ created: 2 });
    expect(first.report.calls).to.deep.equal({ 'SecretsManager.ListSecrets': 1, 'KMS.Decrypt': 3, 'SecretsManager.CreateSecret': 2 });
    expect(JSON.parse(valueOf('t1/db'))).to.deep.equal({ password: `${CANARY_PLAINTEXT}-pw`, user: 'admin' });

    const second = syncJson(dir, ['secrets']);
    expect(second.report.summary).to.deep.equal({ unchanged: 2 });
    expect(second.report.calls).to.deep.equal({ 'SecretsManager.ListSecrets': 1 });

    const file = join(dir, 'secrets/a.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/( {2}- Name: t1\/token\n {4}Ciphertext: )\S+/, `$1${awsKmsEncrypt(emulator().env, keyId, 'tok-2', { SecretName: 't1/token' })}`));
    const third = syncJson(dir, ['secrets']);
    expect(third.report.secrets.map((s) => [s.name, s.outcome])).to.deep.equal([['t1/db', 'unchanged'], ['t1/token', 'updated']]);
    expect(third.report.calls['KMS.Decrypt']).to.equal(1);
    expect(valueOf('t1/token')).to.equal('tok-2');
  });

  it('adds entries with encrypt --to (stdin, one newline stripped) keeping the rest of the file byte for byte', () => {
    const original = '# reviewed by @sec\nSecrets:   # keep this comment\n  - Name: t2/other\n    Ciphertext: QUJD\n\n# tail\n';
    const dir = repo({ 'secrets.yaml': original });
    const out = run(dir, ['encrypt', '--key', 'alias/kms-secrets-cli-test', '--name', 't2/api', '--to', 'secrets.yaml'], `${CANARY_PLAINTEXT}\n`);
    expect(out.status).to.equal(0);
    const edited = readFileSync(join(dir, 'secrets.yaml'), 'utf8');
    const cut = original.indexOf('\n# tail');
    expect(edited.startsWith(original.slice(0, cut))).to.equal(true);
    expect(edited.endsWith(original.slice(cut))).to.equal(true);
    expect(edited.slice(cut, edited.length - original.length + cut)).to.match(/^ {2}- Name: t2\/api\n {4}Ciphertext: \S+\n {4}EncryptionContext:\n {6}SecretName: t2\/api\n$/);
    writeFileSync(join(dir, 'secrets.yaml'), edited.replace(/ {2}- Name: t2\/other\n {4}Ciphertext: QUJD\n/, ''));
    expect(syncJson(dir, ['secrets.yaml']).status).to.equal(0);
    expect(valueOf('t2/api')).to.equal(CANARY_PLAINTEXT);
  });

  it('fails a bad entry and a foreign secret alone, leaving the foreign secret untouched', () => {
    awsCli(['secretsmanager', 'create-secret', '--name', 't3/foreign', '--secret-string', 'theirs'], emulator().env);
    const garbage = Buffer.from('not a kms ciphertext blob').toString('base64');
    const dir = repo({
      'secrets/good.yaml': `Secrets:\n${entry('t3/good', 'g')}${entry('t3/foreign', `${CANARY_PLAINTEXT}-foreign`)}`,
      'secrets/bad.yaml': `Secrets:\n  - Name: t3/typed\n    Ciphertext: 42\n  - Name: t3/garbage\n    Ciphertext: ${garbage}\n`,
    });
    const { status, report, stderr } = syncJson(dir, ['secrets']);
    expect(status).to.equal(1);
    expect(report.secrets.map((s) => [s.name, s.outcome])).to.deep.equal([['t3/foreign', 'failed'], ['t3/garbage', 'failed'], ['t3/good', 'created']]);
    expect(stderr).to.contain('secrets/bad.yaml: Secrets[0] "t3/typed": entry property "Ciphertext" must be a string; got a number');
    expect(stderr).to.match(/t3\/garbage.*kms:Decrypt failed/);
    expect(stderr).to.contain('was not created by kms-secrets');
    expect(valueOf('t3/foreign')).to.equal('theirs');
    expect(valueOf('t3/good')).to.equal('g');
    const plan = run(dir, ['plan', 'secrets/good.yaml']);
    expect(plan.status).to.equal(1);
    expect(plan.stdout).to.match(/^! not managed {2}t3\/foreign: secret "t3\/foreign" already exists and it was not created by kms-secrets/m);
  });

  it('plans without Decrypt: exit 2 with changes pending, 0 once synced, and shows the monthly cost', () => {
    const dir = repo({ 'secrets.yaml': `Secrets:\n${entry('t4/a', 'a')}${entry('t4/b', 'b')}` });
    const before = run(dir, ['plan', 'secrets.yaml', '--detailed-exitcode']);
    expect(before.status).to.equal(2);
    expect(before.stdout).to.contain('+ create       t4/a').and.contain('2 managed secrets: $0.80/month (+$0.80)');
    syncJson(dir, ['secrets.yaml']);
    const after = run(dir, ['plan', 'secrets.yaml', '--detailed-exitcode', '--json']);
    expect(after.status).to.equal(0);
    const plan = JSON.parse(after.stdout) as { counts: Record<string, number>; calls: Record<string, number> };
    expect(plan.counts).to.include({ unchanged: 2, create: 0 });
    expect(plan.calls).to.deep.equal({ 'SecretsManager.ListSecrets': 1 });
  });

  it('with --since syncs only secrets in files changed since the ref', () => {
    const dir = repo({ 'secrets/a.yaml': `Secrets:\n${entry('t5/a', 'a1')}`, 'secrets/b.yaml': `Secrets:\n${entry('t5/b', 'b1')}` });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'one');
    expect(syncJson(dir, ['secrets']).report.summary).to.deep.equal({ created: 2 });
    writeFileSync(join(dir, 'secrets/a.yaml'), `Secrets:\n${entry('t5/a', 'a2')}`);
    git('commit', '-q', '-am', 'two');
    writeFileSync(join(dir, 'secrets/b.yaml'), `Secrets:\n${entry('t5/b', 'b2')}`);
    git('commit', '-q', '-am', 'three');
    const { report } = syncJson(dir, ['secrets', '--since', 'HEAD~1']);
    expect(report.secrets.map((s) => [s.name, s.outcome])).to.deep.equal([['t5/b', 'updated']]);
    expect([valueOf('t5/a'), valueOf('t5/b')]).to.deep.equal(['a1', 'b2']);
    expect(run(dir, ['sync', 'secrets', '--since', 'no-such-ref']).stderr).to.contain('unknown git ref "no-such-ref"');
    // --json still prints one document when the PATHs cannot be loaded: nothing synced, no AWS call, exit 1.
    for (const args of [['secrets', '--since', 'no-such-ref'], ['no-such-folder']]) {
      const failed = syncJson(dir, args);
      expect([failed.status, failed.report.secrets, failed.report.calls], args.join(' ')).to.deep.equal([1, [], {}]);
    }
  });

  it('with --prune deletes only this owner\'s secrets that left the repository', () => {
    const keep = entry('t6/keep', 'k');
    const dir = repo({ 'mine.yaml': `Secrets:\n${keep}${entry('t6/gone', 'g')}`, 'theirs.yaml': `Secrets:\n${entry('t6/other-owner', 'o')}` });
    syncJson(dir, ['mine.yaml', '--owner', 't6']);
    syncJson(dir, ['theirs.yaml', '--owner', 't6-other']);
    awsCli(['secretsmanager', 'create-secret', '--name', 't6/foreign', '--secret-string', 'f'], emulator().env);
    writeFileSync(join(dir, 'mine.yaml'), `Secrets:\n${keep}`);
    expect(run(dir, ['sync', 'mine.yaml', '--owner', 't6', '--prune', '--since', 'HEAD']).status).to.equal(2);
    // A secrets file that cannot be read: neither plan nor sync may prune, and both say so.
    writeFileSync(join(dir, 'broken.yaml'), 'Secrets: 1\n');
    for (const command of ['plan', 'sync']) {
      const refused = run(dir, [command, 'mine.yaml', 'broken.yaml', '--owner', 't6', '--prune']);
      expect(refused.stderr, command).to.contain('not pruning: a secrets file or an entry\'s Name could not be read');
      expect(refused.stdout, command).to.not.contain('t6/gone');
    }
    const { status, report } = syncJson(dir, ['mine.yaml', '--owner', 't6', '--prune']);
    expect(status).to.equal(0);
    expect(report.secrets.map((s) => [s.name, s.outcome])).to.deep.equal([['t6/keep', 'unchanged'], ['t6/gone', 'deleted']]);
    const deleted = (name: string) => awsCli(['secretsmanager', 'describe-secret', '--secret-id', name, '--query', 'DeletedDate', '--output', 'text'], emulator().env);
    expect(deleted('t6/gone')).to.not.equal('None');
    expect([deleted('t6/keep'), deleted('t6/other-owner'), deleted('t6/foreign')]).to.deep.equal(['None', 'None', 'None']);
  });

  it('checks files offline and with --kms (DryRun), naming the entry KMS would refuse', () => {
    const ok = entry('t7/ok', 'x');
    const wrongContext = entry('t7/ctx', 'y').replace('{SecretName: t7/ctx}', '{SecretName: t7/ctx, extra: e}');
    const dir = repo({ 'secrets.yaml': `Secrets:\n${ok}${wrongContext}` });
    const offline = run(dir, ['check', 'secrets.yaml']);
    expect([offline.status, offline.stdout.trim()]).to.deep.equal([0, 'Check: 1 secrets file (2 secrets), 0 templates: ok.']);
    const kms = run(dir, ['check', 'secrets.yaml', '--kms', '--debug']);
    expect(kms.status).to.equal(1);
    expect(kms.stderr).to.contain('secrets.yaml: Secrets[1] "t7/ctx": kms:Decrypt would fail: InvalidCiphertextException');
    expect(kms.stderr).to.not.contain('"t7/ok"');
  });

  it('still prints one JSON document, with the fix, when AWS cannot be reached', () => {
    const dir = repo({ 'secrets.yaml': `Secrets:\n${entry('t9/x', CANARY_PLAINTEXT)}` });
    for (const command of ['plan', 'sync']) {
      const out = spawnSync(process.execPath, [cli, command, 'secrets.yaml', '--json'], {
        cwd: dir, input: '', encoding: 'utf8',
        env: { ...process.env, ...emulator().env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1', NO_COLOR: '1' },
      });
      outputs.push(out.stdout, out.stderr);
      expect(out.status, command).to.equal(1);
      const report = JSON.parse(out.stdout) as { problems: string[]; secrets: unknown[] };
      expect(report.problems, command).to.deep.equal(['cannot reach the AWS endpoint (ECONNREFUSED); check the network, and AWS_ENDPOINT_URL if it is set']);
      expect(report.secrets, command).to.deep.equal([]);
      expect(out.stderr, command).to.equal('kms-secrets: error: cannot reach the AWS endpoint (ECONNREFUSED); check the network, and AWS_ENDPOINT_URL if it is set\n');
    }
  });

  it('refuses empty and oversized values and never prints the plaintext, even with --debug', () => {
    const dir = repo({});
    const empty = run(dir, ['encrypt', '--key', keyId, '--name', 't8/x', '--debug'], '\n');
    expect([empty.status, empty.stderr.split('\n')[0]]).to.deep.equal([1, 'kms-secrets: error: no value to encrypt: stdin is empty']);
    const big = run(dir, ['encrypt', '--key', keyId, '--name', 't8/x'], `${CANARY_PLAINTEXT}${'x'.repeat(4096)}`);
    expect(big.status).to.equal(1);
    expect(big.stderr).to.match(/is 4119 bytes; KMS Encrypt takes at most 4096 bytes/);
    const printed = run(dir, ['encrypt', '--key', keyId, '--name', 't8/x', '--json-key', 'k', '--debug'], CANARY_PLAINTEXT);
    expect(printed.status).to.equal(0);
    expect(printed.stdout).to.match(/^ {2}- Name: t8\/x\n {4}Key: k\n {4}Ciphertext: [A-Za-z0-9+/=]+\n {4}EncryptionContext:\n {6}SecretName: t8\/x\n$/);
    expect(printed.stderr).to.equal('');
  });
});
