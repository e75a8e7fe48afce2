// core/aws.ts's SDK ports against moto: the shapes they send and the plain data they return.
import { expect } from 'chai';
import { createAwsPorts } from '../../core/aws.ts';
import { OWNER_TAG } from '../../core/constants.ts';
import { createKmsKey } from '../helpers/awscli.ts';
import { CANARY_PLAINTEXT } from '../helpers/canary.ts';
import { useEmulator } from '../helpers/emulator.ts';
import { rejectionOf } from '../helpers/reject.ts';

describe('createAwsPorts', function () {
  this.timeout(120_000);
  const emulator = useEmulator();

  it('encrypts and decrypts bytes with an encryption context, counting each call', async () => {
    const ports = createAwsPorts();
    const keyId = createKmsKey(emulator().env);
    const { ciphertext } = await ports.kms.encrypt({ keyId, plaintext: Buffer.from(CANARY_PLAINTEXT), encryptionContext: { SecretName: 'a/b' } });
    const { plaintext } = await ports.kms.decrypt({ ciphertext, encryptionContext: { SecretName: 'a/b' } });
    expect(Buffer.from(plaintext).toString()).to.equal(CANARY_PLAINTEXT);
    const error = await rejectionOf(ports.kms.decrypt({ ciphertext, encryptionContext: { SecretName: 'other' } }));
    expect(error.name).to.equal('InvalidCiphertextException');
    expect(ports.calls).to.deep.equal({ 'KMS.Encrypt': 1, 'KMS.Decrypt': 2 });
  });

  it('lists every secret with exactly the owner tag across pages of 100, pending deletion included', async () => {
    const ports = createAwsPorts();
    for (let i = 0; i < 103; i += 1) {
      await ports.secrets.create({ name: `list/s${i}`, clientRequestToken: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, secretString: 'x', tags: [{ Key: OWNER_TAG, Value: 'cli:team' }] });
    }
    await ports.secrets.create({ name: 'list/prefix', clientRequestToken: '10000000-0000-0000-0000-000000000000', secretString: 'x', tags: [{ Key: OWNER_TAG, Value: 'cli:team-2' }] });
    await ports.secrets.delete({ secretId: 'list/s0', recoveryWindowInDays: 7 });
    const before = ports.calls['SecretsManager.ListSecrets'] ?? 0;
    const listed = await ports.secrets.listByOwner('cli:team');
    expect(listed.map((s) => s.name).sort()).to.have.length(103).and.not.include('list/prefix');
    expect(listed.find((s) => s.name === 'list/s0')?.deletedDate).to.be.instanceOf(Date);
    expect((ports.calls['SecretsManager.ListSecrets'] ?? 0) - before).to.equal(2);
  });

  it('describes an absent secret as undefined and a present one as plain data', async () => {
    const ports = createAwsPorts();
    expect(await ports.secrets.describe('nope/absent')).to.equal(undefined);
    await ports.secrets.create({ name: 'plain/one', clientRequestToken: '20000000-0000-0000-0000-000000000000', secretString: 'x', description: 'd', tags: [{ Key: 'team', Value: 'db' }] });
    const state = await ports.secrets.describe('plain/one');
    expect(state).to.deep.include({ name: 'plain/one', description: 'd', tags: { team: 'db' }, versionIdsToStages: { '20000000-0000-0000-0000-000000000000': ['AWSCURRENT'] } });
    expect(state?.arn).to.match(/:secret:plain\/one-\w{6}$/);
  });

  it('deletes at once with a recovery window of 0 (ForceDeleteWithoutRecovery)', async () => {
    const ports = createAwsPorts();
    await ports.secrets.create({ name: 'del/now', clientRequestToken: '30000000-0000-0000-0000-000000000000', secretString: 'x', tags: [] });
    await ports.secrets.create({ name: 'del/later', clientRequestToken: '40000000-0000-0000-0000-000000000000', secretString: 'x', tags: [] });
    await ports.secrets.delete({ secretId: 'del/now', recoveryWindowInDays: 0 });
    await ports.secrets.delete({ secretId: 'del/later', recoveryWindowInDays: 7 });
    // DescribeSecret still finds a secret pending deletion, so undefined proves the forced delete.
    expect(await ports.secrets.describe('del/now')).to.equal(undefined);
    expect((await ports.secrets.describe('del/later'))?.deletedDate).to.be.instanceOf(Date);
  });
});
