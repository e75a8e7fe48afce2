import { expect } from 'chai';
import { DEFAULT_RECOVERY_WINDOW_DAYS } from '../../../core/constants.ts';
import { PropertiesError } from '../../../core/errors.ts';
import { parseProperties } from '../../../handler/properties.ts';

const CT = Buffer.from('opaque-ciphertext-bytes').toString('base64');
const ctx = { logicalId: 'DbSecret', stackName: 'app-stack', namePrefix: '' };

describe('parseProperties', () => {
  it('derives the name <prefix><StackName>/<LogicalResourceId> when neither Name nor a SecretName binding is given', () => {
    const { spec, recoveryWindowInDays } = parseProperties({ ServiceToken: 'arn', Ciphertext: CT }, { ...ctx, namePrefix: 'kms/' });
    expect(spec).to.deep.equal({ name: 'kms/app-stack/DbSecret', values: [{ ciphertext: CT }], tags: [] });
    expect(recoveryWindowInDays).to.equal(DEFAULT_RECOVERY_WINDOW_DAYS);
  });

  it('takes the name from the SecretName encryption context when Name is absent', () => {
    const { spec } = parseProperties({ Values: [{ Ciphertext: CT, EncryptionContext: { SecretName: 'prod/mysql' } }] }, ctx);
    expect(spec.name).to.equal('prod/mysql');
  });

  it('parses keyed values, string numbers and both tag forms', () => {
    const list = parseProperties({ Name: 'a/b', Values: [{ Ciphertext: CT, Key: 'user' }, { Ciphertext: CT, Key: 'pass' }], RecoveryWindowInDays: '0', Tags: [{ Key: 'team', Value: 'db' }], Description: 'd', KmsKeyId: 'alias/s' }, ctx);
    expect(list.spec.values.map((v) => v.key)).to.deep.equal(['user', 'pass']);
    expect(list.recoveryWindowInDays).to.equal(0);
    expect(list.spec).to.include({ description: 'd', kmsKeyId: 'alias/s' });
    expect(parseProperties({ Ciphertext: CT, Tags: { team: 'db' } }, ctx).spec.tags).to.deep.equal([{ Key: 'team', Value: 'db' }]);
  });

  it('stores a ciphertext wrapped over lines as one base64 string', () => {
    const { spec } = parseProperties({ Ciphertext: `${CT.slice(0, 8)}\n  ${CT.slice(8)}` }, ctx);
    expect(spec.values).to.deep.equal([{ ciphertext: CT }]);
  });

  it('reads RecoveryWindowInDays from a number or a numeric string, and takes an empty one as the default', () => {
    expect(parseProperties({ Ciphertext: CT, RecoveryWindowInDays: 30 }, ctx).recoveryWindowInDays).to.equal(30);
    expect(parseProperties({ Ciphertext: CT, RecoveryWindowInDays: ' 07 ' }, ctx).recoveryWindowInDays).to.equal(7);
    expect(parseProperties({ Ciphertext: CT, RecoveryWindowInDays: '' }, ctx).recoveryWindowInDays).to.equal(DEFAULT_RECOVERY_WINDOW_DAYS);
  });

  const rejects: [string, Record<string, unknown>, RegExp][] = [
    ['a missing ciphertext', { Name: 'a/b' }, /property "Values" is required/],
    ['a non-string ciphertext', { Ciphertext: 5 }, /property "Ciphertext" must be a base64 string; got number/],
    ['a ciphertext that is not base64', { Ciphertext: 'not base64!' }, /property "Ciphertext" must be a base64 KMS ciphertext/],
    ['an unpadded ciphertext', { Ciphertext: CT.replace(/=+$/, '') }, /property "Ciphertext" must be a base64 KMS ciphertext .*; got a string that is not base64$/],
    ['a ciphertext over 6144 bytes', { Values: [{ Ciphertext: Buffer.alloc(6145).toString('base64') }] }, /property "Values\[0\]\.Ciphertext" must be .*; got more than 6144 bytes$/],
    ['several values without keys', { Values: [{ Ciphertext: CT }, { Ciphertext: CT, Key: 'b' }] }, /"Values\[0\]\.Key" is required when there are 2 values/],
    ['a repeated key', { Values: [{ Ciphertext: CT, Key: 'b' }, { Ciphertext: CT, Key: 'b' }] }, /"Values\[1\]\.Key" repeats the key "b"/],
    ['Values mixed with the shortcut', { Values: [{ Ciphertext: CT }], Ciphertext: CT }, /cannot be combined/],
    ['an unknown property', { Ciphertext: CT, Secret: 'x' }, /property "Secret" is not a Custom::KmsSecret property/],
    ['a recovery window of 3', { Ciphertext: CT, RecoveryWindowInDays: '3' }, /"RecoveryWindowInDays" must be 0 .* 7 to 30; got "3"/],
    ['a reserved tag key', { Ciphertext: CT, Tags: [{ Key: 'kms-secrets:owner', Value: 'me' }] }, /"Tags\[0\]" uses the reserved key prefix/],
    ['a non-string context value', { Values: [{ Ciphertext: CT, EncryptionContext: { SecretName: 1 } }] }, /"Values\[0\]\.EncryptionContext\.SecretName" must be a string; got number/],
    ['values bound to two secrets', { Values: [{ Ciphertext: CT, Key: 'a', EncryptionContext: { SecretName: 'x/1' } }, { Ciphertext: CT, Key: 'b', EncryptionContext: { SecretName: 'x/2' } }] }, /bound to different secrets/],
    ['a name Secrets Manager refuses', { Name: 'bad name', Ciphertext: CT }, /property "Name" "bad name" must be 1-512 characters/],
  ];
  for (const [what, props, message] of rejects) {
    it(`throws a PropertiesError naming the logical ID and property for ${what}`, () => {
      expect(() => parseProperties(props, ctx)).to.throw(PropertiesError, /^Custom::KmsSecret "DbSecret": /).that.satisfies((e: Error) => message.test(e.message));
    });
  }
});
