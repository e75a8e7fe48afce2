import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KmsPort, SecretState, SecretsPort } from '../../../core/aws.ts';
import { OWNER_TAG } from '../../../core/constants.ts';
import { fingerprintOf, type SecretSpec } from '../../../core/spec.ts';
import { runPool } from '../../../cli/pool.ts';
import type { DesiredSecret } from '../../../cli/secrets-file.ts';
import { syncSecrets } from '../../../cli/sync.ts';
import { syncCommand } from '../../../cli/commands/sync.ts';
import { runCli } from '../../../cli/run.ts';
import { captureContext } from './context.ts';

const OWNER = 'cli:default';
const CANARY = 'CANARY-9f3b1c-plaintext';

/** In-memory Secrets Manager + KMS at the port boundary; "ciphertext" is base64 of `kms:<plaintext>`. */
function fakeAws() {
  const calls: Record<string, number> = {};
  const count = (op: string) => { calls[op] = (calls[op] ?? 0) + 1; };
  const store = new Map<string, { state: SecretState; values: Map<string, string> }>();
  const arnOf = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;
  const find = (id: string) => [...store.values()].find((s) => s.state.arn === id || s.state.name === id);
  const moveCurrent = (entry: { state: SecretState }, version: string) => {
    const stages: Record<string, string[]> = {};
    for (const [v, s] of Object.entries(entry.state.versionIdsToStages)) stages[v] = s.filter((x) => x !== 'AWSCURRENT');
    stages[version] = ['AWSCURRENT'];
    entry.state = { ...entry.state, versionIdsToStages: stages };
  };
  const kms: KmsPort = {
    async decrypt({ ciphertext }) {
      count('KMS.Decrypt');
      const text = Buffer.from(ciphertext).toString('utf8');
      if (!text.startsWith('kms:')) throw Object.assign(new Error('bad'), { name: 'InvalidCiphertextException' });
      return { plaintext: new Uint8Array(Buffer.from(text.slice(4))) };
    },
    async encrypt() { throw new Error('not used'); },
  };
  const secrets: SecretsPort = {
    async describe(id) { count('SecretsManager.DescribeSecret'); return find(id)?.state; },
    async listByOwner(owner) { count('SecretsManager.ListSecrets'); return [...store.values()].map((s) => s.state).filter((s) => s.tags[OWNER_TAG] === owner); },
    async create({ name, clientRequestToken, secretString, tags }) {
      count('SecretsManager.CreateSecret');
      if (store.has(name)) throw Object.assign(new Error('exists'), { name: 'ResourceExistsException', $metadata: {} });
      const state: SecretState = { arn: arnOf(name), name, tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])), versionIdsToStages: { [clientRequestToken]: ['AWSCURRENT'] } };
      store.set(name, { state, values: new Map([[clientRequestToken, secretString]]) });
      return { arn: state.arn, name, versionId: clientRequestToken };
    },
    async putValue({ secretId, clientRequestToken, secretString }) {
      count('SecretsManager.PutSecretValue');
      const entry = find(secretId);
      if (!entry) throw Object.assign(new Error('nf'), { name: 'ResourceNotFoundException', $metadata: {} });
      entry.values.set(clientRequestToken, secretString);
      moveCurrent(entry, clientRequestToken);
      return { arn: entry.state.arn, versionId: clientRequestToken, versionStages: ['AWSCURRENT'] };
    },
    async updateVersionStage({ secretId, moveToVersionId }) { count('SecretsManager.UpdateSecretVersionStage'); const e = find(secretId); if (e) moveCurrent(e, moveToVersionId); },
    async updateMetadata() { count('SecretsManager.UpdateSecret'); },
    async tag(secretId, tags) {
      count('SecretsManager.TagResource');
      const e = find(secretId);
      if (e) e.state = { ...e.state, tags: { ...e.state.tags, ...Object.fromEntries(tags.map((t) => [t.Key, t.Value])) } };
    },
    async untag() { count('SecretsManager.UntagResource'); },
    async delete({ secretId }) { count('SecretsManager.DeleteSecret'); const e = find(secretId); if (e) store.delete(e.state.name); },
    async restore() { count('SecretsManager.RestoreSecret'); },
  };
  const current = (name: string) => {
    const e = store.get(name);
    const v = e && Object.entries(e.state.versionIdsToStages).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
    return v === undefined ? undefined : e?.values.get(v);
  };
  return { deps: { kms, secrets }, calls, store, current, reset: () => { for (const k of Object.keys(calls)) delete calls[k]; } };
}

const ct = (plaintext: string) => Buffer.from(`kms:${plaintext}`).toString('base64');
function desired(name: string, ciphertext: string): DesiredSecret {
  const spec: SecretSpec = { name, values: [{ ciphertext }], tags: [] };
  return { spec, fingerprint: fingerprintOf(spec.values), files: ['/x.yaml'], sources: ['x.yaml'] };
}

describe('runPool', () => {
  it('keeps at most `concurrency` workers in flight and results in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await runPool([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      for (let i = 0; i < n; i += 1) await Promise.resolve();
      inFlight -= 1;
      return n * 10;
    });
    expect(most).to.equal(3);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : null))).to.deep.equal([50, 10, 40, 20, 30, 0, 60]);
  });

  it('runs every item when one rejects', async () => {
    const results = await runPool(['a', 'b', 'c'], 2, async (s) => { if (s === 'a') throw new Error('boom'); return s; });
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'fulfilled', 'fulfilled']);
  });

  it('rejects a concurrency below 1', async () => {
    let caught: unknown;
    await runPool([1], 0, async (n) => n).catch((error: unknown) => { caught = error; });
    expect(caught).to.be.instanceOf(RangeError);
  });
});

describe('syncSecrets', () => {
  it('creates every secret without DescribeSecret, then makes only ListSecrets calls on a rerun', async () => {
    const aws = fakeAws();
    const specs = ['a', 'b', 'c'].map((n) => desired(`app/${n}`, ct(`${CANARY}-${n}`)));
    const first = await syncSecrets(aws.deps, specs, { owner: OWNER, concurrency: 2 });
    expect(first.results.map((r) => r.outcome)).to.deep.equal(['created', 'created', 'created']);
    expect(aws.calls).to.deep.equal({ 'SecretsManager.ListSecrets': 1, 'KMS.Decrypt': 3, 'SecretsManager.CreateSecret': 3 });
    expect(aws.current('app/b')).to.equal(`${CANARY}-b`);
    aws.reset();
    const second = await syncSecrets(aws.deps, specs, { owner: OWNER, concurrency: 2 });
    expect(second.results.map((r) => r.outcome)).to.deep.equal(['unchanged', 'unchanged', 'unchanged']);
    expect(aws.calls).to.deep.equal({ 'SecretsManager.ListSecrets': 1 });
  });

  it('decrypts exactly the one secret whose ciphertext changed', async () => {
    const aws = fakeAws();
    const specs = ['a', 'b', 'c'].map((n) => desired(`app/${n}`, ct(n)));
    await syncSecrets(aws.deps, specs, { owner: OWNER, concurrency: 8 });
    aws.reset();
    const changed = [specs[0] as DesiredSecret, desired('app/b', ct('b2')), specs[2] as DesiredSecret];
    const report = await syncSecrets(aws.deps, changed, { owner: OWNER, concurrency: 8 });
    expect(report.results.map((r) => r.outcome)).to.deep.equal(['unchanged', 'updated', 'unchanged']);
    expect(aws.calls['KMS.Decrypt']).to.equal(1);
    expect(aws.current('app/b')).to.equal('b2');
  });

  it('fails only the secret KMS refuses and the foreign one, leaving the foreign secret untouched', async () => {
    const aws = fakeAws();
    await aws.deps.secrets.create({ name: 'foreign/x', clientRequestToken: 'v'.repeat(32), secretString: 'theirs', tags: [] });
    const specs = [desired('app/bad', Buffer.from('garbage').toString('base64')), desired('app/good', ct('g')), desired('foreign/x', ct('mine'))];
    const report = await syncSecrets(aws.deps, specs, { owner: OWNER, concurrency: 8 });
    expect(report.results.map((r) => [r.name, r.outcome])).to.deep.equal([['app/bad', 'failed'], ['app/good', 'created'], ['foreign/x', 'failed']]);
    expect(report.failed).to.equal(2);
    expect(report.results[0]?.error).to.match(/secret "app\/bad" value 1: kms:Decrypt failed: .*InvalidCiphertextException/);
    expect(report.results[2]?.error).to.contain('was not created by kms-secrets');
    expect(aws.current('foreign/x')).to.equal('theirs');
  });

  it('prunes only this owner\'s secrets missing from the repository, and never one in `keep`', async () => {
    const aws = fakeAws();
    await syncSecrets(aws.deps, [desired('app/a', ct('a')), desired('app/gone', ct('g')), desired('app/broken', ct('b'))], { owner: OWNER, concurrency: 8 });
    await syncSecrets(aws.deps, [desired('other/o', ct('o'))], { owner: 'cli:other', concurrency: 8 });
    const report = await syncSecrets(aws.deps, [desired('app/a', ct('a'))], { owner: OWNER, concurrency: 8, prune: true, keep: new Set(['app/broken']) });
    expect(report.results.map((r) => [r.name, r.outcome])).to.deep.equal([['app/a', 'unchanged'], ['app/gone', 'deleted']]);
    expect([...aws.store.keys()].sort()).to.deep.equal(['app/a', 'app/broken', 'other/o']);
  });

  it('costs one extra Decrypt but writes nothing when ListSecrets lags behind a secret that is already current', async () => {
    const aws = fakeAws();
    const specs = [desired('app/a', ct('a'))];
    await syncSecrets(aws.deps, specs, { owner: OWNER, concurrency: 1 });
    aws.reset();
    const listing = aws.deps.secrets.listByOwner;
    aws.deps.secrets.listByOwner = async (owner) => { await listing(owner); return []; };
    const report = await syncSecrets(aws.deps, specs, { owner: OWNER, concurrency: 1 });
    expect(report.results.map((r) => r.outcome)).to.deep.equal(['unchanged']);
    expect(aws.calls).to.deep.equal({ 'SecretsManager.ListSecrets': 1, 'KMS.Decrypt': 1, 'SecretsManager.CreateSecret': 1, 'SecretsManager.DescribeSecret': 1 });
  });

  it('reports each result through onResult as it finishes', async () => {
    const aws = fakeAws();
    const seen: string[] = [];
    await syncSecrets(aws.deps, [desired('app/a', ct('a')), desired('app/b', ct('b'))], {
      owner: OWNER, concurrency: 1, onResult: (r, done, total) => seen.push(`${done}/${total} ${r.name} ${r.outcome}`),
    });
    expect(seen).to.deep.equal(['1/2 app/a created', '2/2 app/b created']);
  });
});

describe('syncCommand', () => {
  const sync = async (args: string[]) => {
    const ctx = captureContext({ cwd: mkdtempSync(join(tmpdir(), 'ks-sync-')) });
    const code = await runCli(['sync', ...args], ctx, [syncCommand], '0.0.0');
    return { code, out: ctx.out.join(''), err: ctx.err.join(''), cwd: ctx.cwd };
  };

  it('prints one JSON report listing the problem and syncing nothing when a PATH does not exist (--json)', async () => {
    // GIVEN a PATH that does not exist (no AWS endpoint is set up: reaching AWS would fail differently)
    // WHEN syncing it with --json
    const r = await sync(['missing-folder', '--json']);
    // THEN exit 1 as without --json, the one-line error on stderr, and a report a machine can parse on stdout
    expect([r.code, r.err]).to.deep.equal([1, 'kms-secrets: error: missing-folder: no such file or folder\n']);
    expect(JSON.parse(r.out)).to.deep.include({
      owner: 'cli:default', summary: {}, failed: 0, secrets: [], problems: ['missing-folder: no such file or folder'],
      managed: null, monthlyUsd: null, calls: {},
    });
  });

  it('prints one JSON report when a secrets file cannot be read (--json)', async () => {
    // GIVEN a PATH naming something that is not a readable file (a socket: readFile fails, even for root)
    const dir = mkdtempSync(join(tmpdir(), 'ks-sync-'));
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(dir, 's.yaml'), done));
    try {
      const ctx = captureContext({ cwd: dir });
      // WHEN syncing it with --json
      const code = await runCli(['sync', 's.yaml', '--json'], ctx, [syncCommand], '0.0.0');
      // THEN exit 1, one line naming the file on stderr, and the same line as the report's problem
      expect([code, ctx.err.join('')]).to.deep.equal([1, 'kms-secrets: error: s.yaml: cannot read it (ENXIO)\n']);
      expect(JSON.parse(ctx.out.join(''))).to.deep.include({ secrets: [], problems: ['s.yaml: cannot read it (ENXIO)'] });
    } finally {
      server.close();
    }
  });

  it('prints nothing on stdout without --json when a PATH does not exist', async () => {
    const r = await sync(['missing-folder']);
    expect([r.code, r.out, r.err]).to.deep.equal([1, '', 'kms-secrets: error: missing-folder: no such file or folder\n']);
  });
});
