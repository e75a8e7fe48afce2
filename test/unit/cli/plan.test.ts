import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretState } from '../../../core/aws.ts';
import { FINGERPRINT_TAG, OWNER_TAG } from '../../../core/constants.ts';
import { fingerprintOf, versionIdFor, type SecretSpec } from '../../../core/spec.ts';
import { planSecrets } from '../../../cli/plan.ts';
import { planCommand } from '../../../cli/commands/plan.ts';
import { runCli } from '../../../cli/run.ts';
import { captureContext } from './context.ts';
import type { DesiredSecret } from '../../../cli/secrets-file.ts';

const OWNER = 'cli:default';
const ct = (text: string) => Buffer.from(text).toString('base64');

function desired(name: string, ciphertext: string, extra: Partial<SecretSpec> = {}): DesiredSecret {
  const spec: SecretSpec = { name, values: [{ ciphertext }], tags: [], ...extra };
  return { spec, fingerprint: fingerprintOf(spec.values), files: ['/x.yaml'], sources: ['x.yaml: Secrets[0]'] };
}

function live(secret: DesiredSecret, options: { owner?: string; current?: boolean; deleted?: boolean; description?: string } = {}): SecretState {
  const version = versionIdFor(secret.spec.name, secret.fingerprint);
  return {
    arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secret.spec.name}-AbCdEf`,
    name: secret.spec.name,
    tags: { [OWNER_TAG]: options.owner ?? OWNER, [FINGERPRINT_TAG]: secret.fingerprint },
    versionIdsToStages: options.current === false ? { 'other-version-0000000000000000000000': ['AWSCURRENT'] } : { [version]: ['AWSCURRENT'] },
    ...(options.deleted ? { deletedDate: new Date(0) } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
  };
}

describe('planSecrets', () => {
  it('marks create, update and unchanged from the live version stages and fingerprints', () => {
    const a = desired('app/a', ct('a1'));
    const b = desired('app/b', ct('b1'));
    const c = desired('app/c', ct('c1'));
    const plan = planSecrets([a, b, c], [live(b, { current: false }), live(c)], { owner: OWNER });
    expect(plan.items.map((i) => [i.name, i.action, i.decrypts])).to.deep.equal([
      ['app/a', 'create', true], ['app/b', 'update', true], ['app/c', 'unchanged', false],
    ]);
    expect(plan.items[1]?.detail).to.deep.equal(['value']);
    expect(plan.counts).to.include({ create: 1, update: 1, unchanged: 1 });
  });

  it('plans a metadata-only update without a Decrypt when only the Description changed', () => {
    const a = desired('app/a', ct('a1'), { description: 'new' });
    const plan = planSecrets([a], [live(a, { description: 'old' })], { owner: OWNER });
    expect(plan.items[0]).to.include({ action: 'update', decrypts: false });
    expect(plan.items[0]?.detail).to.deep.equal(['description']);
  });

  it('marks only the secret whose live state could not be read invalid, and still plans the others', () => {
    // GIVEN DescribeSecret was refused for one would-be create (e.g. a name outside the pipeline role's prefix)
    const a = desired('app/a', ct('a1'));
    const b = desired('app/b', ct('b1'));
    const unreadable = new Map([['app/a', 'AccessDeniedException: not authorized to perform secretsmanager:DescribeSecret']]);
    // WHEN planning
    const plan = planSecrets([a, b], [], { owner: OWNER, unreadable });
    // THEN that one is invalid with the reason (sync fails it alone as well) and the other is still a create
    expect(plan.items.map((i) => [i.name, i.action])).to.deep.equal([['app/a', 'invalid'], ['app/b', 'create']]);
    expect(plan.items[0]?.detail).to.deep.equal(['cannot read its live state: AccessDeniedException: not authorized to perform secretsmanager:DescribeSecret']);
    expect(plan.counts).to.include({ invalid: 1, create: 1 });
  });

  it('reports another owner\'s secret as not managed', () => {
    const a = desired('app/a', ct('a1'));
    const plan = planSecrets([a], [], { owner: OWNER, others: new Map([['app/a', live(a, { owner: 'cloudformation:us-east-1:stack' })]]) });
    expect(plan.items[0]?.action).to.equal('not-managed');
    expect(plan.items[0]?.detail[0]).to.contain('managed by "cloudformation:us-east-1:stack"');
    expect(plan.managed).to.equal(0);
  });

  it('plans deletes only with prune, and only for the owner\'s secrets missing from the repository', () => {
    const a = desired('app/a', ct('a1'));
    const gone = desired('app/gone', ct('g'));
    const owned = [live(a), live(gone)];
    expect(planSecrets([a], owned, { owner: OWNER }).items.map((i) => i.action)).to.deep.equal(['unchanged']);
    const pruned = planSecrets([a], owned, { owner: OWNER, prune: true });
    expect(pruned.items.map((i) => [i.name, i.action])).to.deep.equal([['app/a', 'unchanged'], ['app/gone', 'delete']]);
    expect(pruned.monthlyDeltaUsd).to.equal(-0.4);
  });

  it('plans a restore when the owner\'s secret is pending deletion', () => {
    const a = desired('app/a', ct('a1'));
    const plan = planSecrets([a], [live(a, { deleted: true })], { owner: OWNER, prune: true });
    expect(plan.items.map((i) => [i.action, i.detail])).to.deep.equal([['update', ['restore']]]);
    expect(plan.monthlyDeltaUsd).to.equal(0.4);
  });

  it('costs $0.40 a month for each managed secret', () => {
    const specs = ['a', 'b', 'c'].map((n) => desired(`app/${n}`, ct(n)));
    const plan = planSecrets(specs, [live(specs[0] as DesiredSecret)], { owner: OWNER });
    expect([plan.managed, plan.monthlyUsd, plan.monthlyDeltaUsd]).to.deep.equal([3, 1.2, 0.8]);
  });

  it('marks a ciphertext bound to another secret invalid before any write', () => {
    const bad = desired('app/a', ct('a1'));
    const spec = { ...bad.spec, values: [{ ciphertext: ct('a1'), encryptionContext: { SecretName: 'app/b' } }] };
    const plan = planSecrets([{ ...bad, spec }], [], { owner: OWNER });
    expect(plan.items[0]?.action).to.equal('invalid');
    expect(plan.items[0]?.detail[0]).to.contain('bound to secret "app/b"');
  });
});

describe('planCommand', () => {
  it('prints one JSON plan listing the problem and planning nothing when a PATH does not exist (--json)', async () => {
    // GIVEN a PATH that does not exist (no AWS endpoint is set up: reaching AWS would fail differently)
    const ctx = captureContext({ cwd: mkdtempSync(join(tmpdir(), 'ks-plan-')) });
    // WHEN planning it with --json
    const code = await runCli(['plan', 'missing.yaml', '--json'], ctx, [planCommand], '0.0.0');
    // THEN exit 1 as without --json, the one-line error on stderr, and a plan a machine can parse on stdout
    expect([code, ctx.err.join('')]).to.deep.equal([1, 'kms-secrets: error: missing.yaml: no such file or folder\n']);
    expect(JSON.parse(ctx.out.join(''))).to.deep.equal({
      owner: 'cli:default', secrets: [], counts: { create: 0, update: 0, unchanged: 0, 'not-managed': 0, delete: 0, invalid: 0 },
      managed: null, monthlyUsd: null, monthlyDeltaUsd: null, problems: ['missing.yaml: no such file or folder'], calls: {},
    });
  });
});
