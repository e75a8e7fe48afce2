import { expect } from 'chai';
import { FINGERPRINT_TAG, OWNER_TAG } from '../../../core/constants.ts';
import { BindingError, DecryptError, OwnershipError, SecretNameError, SecretWriteError } from '../../../core/errors.ts';
import { checkSpec, deleteSecret, planUpsert, upsertSecret } from '../../../core/secrets.ts';
import { fingerprintOf, versionIdFor, type SecretSpec } from '../../../core/spec.ts';
import { CANARY_PLAINTEXT, expectNoCanary } from '../../helpers/canary.ts';
import { FakeKms, FakeSecrets } from '../../helpers/fake-aws.ts';
import { rejectionOf } from '../../helpers/reject.ts';

const OWNER = 'cloudformation:us-east-1:app';
const NAME = 'app/db';

async function setup() {
  const kms = new FakeKms();
  const secrets = new FakeSecrets();
  const ct = {
    a: await kms.encryptToBase64(CANARY_PLAINTEXT, { SecretName: NAME }),
    b: await kms.encryptToBase64(`${CANARY_PLAINTEXT}-b`, { SecretName: NAME }),
  };
  const spec = (ciphertext: string, extra: Partial<SecretSpec> = {}): SecretSpec => ({
    name: NAME, values: [{ ciphertext, encryptionContext: { SecretName: NAME } }], tags: [{ Key: 'team', Value: 'db' }], ...extra,
  });
  const errors: string[] = [];
  return { kms, secrets, deps: { kms, secrets }, ct, spec, errors };
}

describe('upsertSecret', () => {
  it('creates the secret with one Decrypt, the deterministic version and owner/fingerprint/user tags when it is absent', async () => {
    // GIVEN
    const { kms, secrets, deps, ct, spec } = await setup();
    // WHEN
    const result = await upsertSecret(deps, spec(ct.a, { description: 'db password' }), { owner: OWNER });
    // THEN
    const fingerprint = fingerprintOf(spec(ct.a).values);
    expect(result).to.include({ outcome: 'created', name: NAME, versionId: versionIdFor(NAME, fingerprint), restored: false });
    expect(kms.calls).to.deep.equal(['Decrypt']);
    expect(secrets.calls).to.deep.equal(['DescribeSecret', 'CreateSecret']);
    expect(secrets.currentValue(NAME)).to.equal(CANARY_PLAINTEXT);
    const state = await secrets.describe(NAME);
    expect(state?.tags).to.deep.equal({ team: 'db', [OWNER_TAG]: OWNER, [FINGERPRINT_TAG]: fingerprint });
    expect(state?.description).to.equal('db password');
  });

  it('makes no KMS call and no write when the same ciphertext is applied again', async () => {
    const { kms, secrets, deps, ct, spec } = await setup();
    await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    kms.calls.length = 0;
    secrets.calls.length = 0;
    const result = await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    expect(result.outcome).to.equal('unchanged');
    expect(result.metadataUpdated).to.equal(false);
    expect(kms.calls).to.deep.equal([]);
    expect(secrets.calls).to.deep.equal(['DescribeSecret']);
  });

  it('skips DescribeSecret when the caller passes the observed state', async () => {
    const { secrets, deps, ct, spec } = await setup();
    await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    const observed = await secrets.describe(NAME);
    secrets.calls.length = 0;
    const result = await upsertSecret(deps, spec(ct.a), { owner: OWNER, observed: observed ?? null });
    expect(result.outcome).to.equal('unchanged');
    expect(secrets.calls).to.deep.equal([]);
  });

  it('puts a new version and updates the fingerprint tag when the ciphertext changes', async () => {
    const { kms, secrets, deps, ct, spec } = await setup();
    await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    kms.calls.length = 0;
    secrets.calls.length = 0;
    const result = await upsertSecret(deps, spec(ct.b), { owner: OWNER });
    expect(result.outcome).to.equal('updated');
    expect(result.versionId).to.equal(versionIdFor(NAME, fingerprintOf(spec(ct.b).values)));
    expect(kms.calls).to.deep.equal(['Decrypt']);
    expect(secrets.calls).to.deep.equal(['DescribeSecret', 'PutSecretValue', 'TagResource']);
    expect(secrets.currentValue(NAME)).to.equal(`${CANARY_PLAINTEXT}-b`);
    expect((await secrets.describe(NAME))?.tags[FINGERPRINT_TAG]).to.equal(fingerprintOf(spec(ct.b).values));
  });

  it('makes the old version current again without Decrypt when going A → B → A (rollback)', async () => {
    const { kms, secrets, deps, ct, spec } = await setup();
    const first = await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    await upsertSecret(deps, spec(ct.b), { owner: OWNER });
    kms.calls.length = 0;
    secrets.calls.length = 0;
    const back = await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    expect(back).to.include({ outcome: 'reverted', versionId: first.versionId });
    expect(kms.calls).to.deep.equal([]);
    expect(secrets.calls).to.deep.equal(['DescribeSecret', 'UpdateSecretVersionStage', 'TagResource']);
    expect(secrets.currentValue(NAME)).to.equal(CANARY_PLAINTEXT);
    expect(Object.keys((await secrets.describe(NAME))?.versionIdsToStages ?? {})).to.have.length(2);
  });

  it('writes grouped keyed values as one JSON object in one call', async () => {
    const { kms, secrets, deps } = await setup();
    const user = await kms.encryptToBase64('admin');
    const password = await kms.encryptToBase64(CANARY_PLAINTEXT);
    const spec: SecretSpec = { name: 'app/grouped', values: [{ key: 'username', ciphertext: user }, { key: 'password', ciphertext: password }], tags: [] };
    const result = await upsertSecret({ kms, secrets }, spec, { owner: OWNER });
    expect(result.outcome).to.equal('created');
    expect(secrets.calls.filter((c) => c !== 'DescribeSecret')).to.deep.equal(['CreateSecret']);
    expect(JSON.parse(secrets.currentValue('app/grouped') ?? '')).to.deep.equal({ username: 'admin', password: CANARY_PLAINTEXT });
  });

  it('writes the same JSON whatever the order of the keyed values, so a repeated write of one fingerprint is a no-op', async () => {
    // GIVEN a grouped secret written with its values in one order
    const { kms, secrets, deps } = await setup();
    const user = await kms.encryptToBase64('admin');
    const password = await kms.encryptToBase64(CANARY_PLAINTEXT);
    const values = [{ key: 'username', ciphertext: user }, { key: 'password', ciphertext: password }];
    await upsertSecret(deps, { name: 'app/grouped', values, tags: [] }, { owner: OWNER });
    const state = await secrets.describe('app/grouped');
    // WHEN the same values arrive in the other order through a stale view that misses their version
    const stale = { ...state!, versionIdsToStages: {} };
    const result = await upsertSecret(deps, { name: 'app/grouped', values: [...values].reverse(), tags: [] }, { owner: OWNER, observed: stale });
    // THEN the deterministic token meets identical data: no error, still one version
    expect(result.versionId).to.equal(Object.keys(state?.versionIdsToStages ?? {})[0]);
    expect(Object.keys((await secrets.describe('app/grouped'))?.versionIdsToStages ?? {})).to.have.length(1);
  });

  it('zeroes every decrypted plaintext buffer after the write', async () => {
    const { kms, deps, ct, spec } = await setup();
    await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    expect(kms.returnedPlaintexts).to.have.length(1);
    expect([...(kms.returnedPlaintexts[0] ?? [1])].every((b) => b === 0)).to.equal(true);
  });

  it('refuses a foreign secret with an OwnershipError naming its owner, and changes nothing', async () => {
    const { kms, secrets, deps, ct, spec } = await setup();
    secrets.seed(NAME, 'theirs', { [OWNER_TAG]: 'cli:ops' });
    const error = await rejectionOf(upsertSecret(deps, spec(ct.a), { owner: OWNER }));
    expect(error).to.be.instanceOf(OwnershipError);
    expect(error.message).to.match(/managed by "cli:ops"/);
    expect(secrets.currentValue(NAME)).to.equal('theirs');
    expect(kms.calls).to.deep.equal([]);
  });

  it('refuses an untagged secret as not created by kms-secrets', async () => {
    const { secrets, deps, ct, spec } = await setup();
    secrets.seed(NAME, 'manual');
    const error = await rejectionOf(upsertSecret(deps, spec(ct.a), { owner: OWNER }));
    expect(error).to.be.instanceOf(OwnershipError);
    expect(error.message).to.match(/not created by kms-secrets/);
    expect(secrets.calls).to.deep.equal(['DescribeSecret']);
  });

  it('refuses a ciphertext bound to another secret before any AWS call', async () => {
    const { kms, secrets, deps, ct, spec } = await setup();
    const error = await rejectionOf(upsertSecret(deps, { ...spec(ct.a), name: 'app/other' }, { owner: OWNER }));
    expect(error).to.be.instanceOf(BindingError);
    expect(error.message).to.match(/bound to secret "app\/db".*"app\/other"/);
    expect(kms.calls).to.deep.equal([]);
    expect(secrets.calls).to.deep.equal([]);
  });

  it('refuses an unbound value when binding is required', async () => {
    const { kms, deps } = await setup();
    const ciphertext = await kms.encryptToBase64(CANARY_PLAINTEXT);
    const error = await rejectionOf(upsertSecret(deps, { name: NAME, values: [{ ciphertext }], tags: [] }, { owner: OWNER, requireBinding: true }));
    expect(error).to.be.instanceOf(BindingError);
    expect(error.message).to.match(/requires an EncryptionContext "SecretName"/);
  });

  it('explains a wrong encryption context as InvalidCiphertextException without leaking the value', async () => {
    const { kms, secrets, deps } = await setup();
    const ciphertext = await kms.encryptToBase64(CANARY_PLAINTEXT, { SecretName: NAME, team: 'a' });
    const error = await rejectionOf(upsertSecret(deps, { name: NAME, values: [{ ciphertext, encryptionContext: { SecretName: NAME } }], tags: [] }, { owner: OWNER }));
    expect(error).to.be.instanceOf(DecryptError);
    expect(error.message).to.match(/InvalidCiphertextException/).and.match(/EncryptionContext/);
    expect(secrets.store.size).to.equal(0);
    expectNoCanary([error.message, String(error.cause)]);
  });

  it('explains AccessDenied on the key', async () => {
    const { kms, deps, ct, spec } = await setup();
    kms.failDecrypt = 'AccessDeniedException';
    const error = await rejectionOf(upsertSecret(deps, spec(ct.a), { owner: OWNER }));
    expect(error).to.be.instanceOf(DecryptError);
    expect(error.message).to.match(/allow kms:Decrypt/);
  });

  it('refuses a plaintext that is not UTF-8, naming the entry', async () => {
    const { kms, deps } = await setup();
    const ciphertext = await kms.encryptToBase64(new Uint8Array([0xff, 0xfe, 0x00]));
    const error = await rejectionOf(upsertSecret(deps, { name: NAME, values: [{ key: 'blob', ciphertext }], tags: [] }, { owner: OWNER }));
    expect(error).to.be.instanceOf(DecryptError);
    expect(error.message).to.match(/key "blob".*not valid UTF-8/);
  });

  it('wraps AccessDenied from Secrets Manager with the operation to allow', async () => {
    const { secrets, deps, ct, spec } = await setup();
    secrets.failures.set('CreateSecret', 'AccessDeniedException');
    const error = await rejectionOf(upsertSecret(deps, spec(ct.a), { owner: OWNER }));
    expect(error).to.be.instanceOf(SecretWriteError);
    expect(error.message).to.match(/allow secretsmanager:CreateSecret/);
  });

  it('restores a managed secret pending deletion, then writes it', async () => {
    const { secrets, deps, ct, spec } = await setup();
    await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    await deleteSecret(deps, NAME, { owner: OWNER, recoveryWindowInDays: 7 });
    secrets.calls.length = 0;
    const result = await upsertSecret(deps, spec(ct.b), { owner: OWNER });
    expect(result).to.include({ outcome: 'updated', restored: true });
    expect(secrets.calls).to.deep.equal(['DescribeSecret', 'RestoreSecret', 'PutSecretValue', 'TagResource']);
    expect((await secrets.describe(NAME))?.deletedDate).to.equal(undefined);
  });

  it('recovers from a stale "absent" view by re-describing when CreateSecret finds the secret pending deletion', async () => {
    const { secrets, deps, ct, spec } = await setup();
    await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    await deleteSecret(deps, NAME, { owner: OWNER, recoveryWindowInDays: 7 });
    secrets.calls.length = 0;
    const result = await upsertSecret(deps, spec(ct.a), { owner: OWNER, observed: null });
    expect(result).to.include({ outcome: 'unchanged', restored: true });
    expect(secrets.calls).to.deep.equal(['CreateSecret', 'DescribeSecret', 'RestoreSecret']);
  });

  it('updates Description and tags as metadata without a new version', async () => {
    const { secrets, deps, ct, spec } = await setup();
    await upsertSecret(deps, spec(ct.a, { description: 'one' }), { owner: OWNER });
    secrets.calls.length = 0;
    const result = await upsertSecret(deps, spec(ct.a, { description: 'two', tags: [{ Key: 'env', Value: 'prod' }] }), { owner: OWNER });
    expect(result).to.include({ outcome: 'unchanged', metadataUpdated: true });
    expect(secrets.calls).to.deep.equal(['DescribeSecret', 'UpdateSecret', 'TagResource', 'UntagResource']);
    const state = await secrets.describe(NAME);
    expect(state?.description).to.equal('two');
    expect(state?.tags).to.include({ env: 'prod' }).and.not.have.property('team');
    expect(Object.keys(state?.versionIdsToStages ?? {})).to.have.length(1);
  });
});

describe('planUpsert', () => {
  it('treats an ARN ending in the requested alias as the same KmsKeyId', async () => {
    const { spec, ct } = await setup();
    const state = { arn: 'arn', name: NAME, tags: { [OWNER_TAG]: OWNER }, versionIdsToStages: {}, kmsKeyId: 'arn:aws:kms:us-east-1:1:alias/secrets' };
    expect(planUpsert(spec(ct.a, { kmsKeyId: 'alias/secrets' }), state, OWNER).metadata).to.equal(undefined);
    expect(planUpsert(spec(ct.a, { kmsKeyId: 'alias/other' }), state, OWNER).metadata).to.deep.equal({ kmsKeyId: 'alias/other' });
  });
});

describe('checkSpec', () => {
  it('rejects a name Secrets Manager would read as an ARN suffix', () => {
    expect(() => checkSpec({ name: 'app/db-abcdef', values: [{ ciphertext: 'AA==' }], tags: [] })).to.throw(SecretNameError, /ARN suffix/);
  });

  it('rejects several values when one has no Key', () => {
    expect(() => checkSpec({ name: NAME, values: [{ ciphertext: 'AA==' }, { ciphertext: 'AB==', key: 'b' }], tags: [] })).to.throw(BindingError, /every one needs a Key/);
  });
});

describe('deleteSecret', () => {
  it('deletes an owned secret with the recovery window asked for', async () => {
    const { secrets, deps, ct, spec } = await setup();
    await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    expect((await deleteSecret(deps, NAME, { owner: OWNER, recoveryWindowInDays: 7 })).outcome).to.equal('deleted');
    expect((await secrets.describe(NAME))?.deletedDate).to.be.instanceOf(Date);
  });

  it('force-deletes when the window is 0', async () => {
    const { secrets, deps, ct, spec } = await setup();
    await upsertSecret(deps, spec(ct.a), { owner: OWNER });
    expect((await deleteSecret(deps, NAME, { owner: OWNER, recoveryWindowInDays: 0 })).outcome).to.equal('deleted');
    expect(secrets.store.has(NAME)).to.equal(false);
  });

  it('leaves a foreign secret alone and reports it', async () => {
    const { secrets, deps } = await setup();
    const arn = secrets.seed(NAME, 'theirs', { [OWNER_TAG]: 'cloudformation:us-east-1:other' });
    expect(await deleteSecret(deps, arn, { owner: OWNER, recoveryWindowInDays: 0 })).to.deep.equal({ outcome: 'not-owned', arn, name: NAME });
    expect(secrets.calls).to.deep.equal(['DescribeSecret']);
    expect(secrets.currentValue(NAME)).to.equal('theirs');
  });

  it('succeeds without a call to DeleteSecret when the secret is absent', async () => {
    const { secrets, deps } = await setup();
    expect((await deleteSecret(deps, NAME, { owner: OWNER, recoveryWindowInDays: 7 })).outcome).to.equal('absent');
    expect(secrets.calls).to.deep.equal(['DescribeSecret']);
  });
});
