import { expect } from 'chai';
import { parseToken, parseTokenProperties, TokenError, type TokenProperty } from '../../../macro/token.ts';
import { deepFreeze } from './fixtures.ts';

const CIPHERTEXT = Buffer.from('CANARY-9f3b1c-ciphertext-bytes-0123456789').toString('base64');
const FILE_ENTRY: readonly TokenProperty[] = ['Name', 'Ciphertext', 'Key', 'EncryptionContext', 'Description', 'Tags', 'KmsKeyId'];
const FILE_OPTIONS = { requireName: true, allowIntrinsics: false, allowedProperties: FILE_ENTRY, subject: 'secret' } as const;

function errorOf(run: () => unknown): TokenError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(TokenError);
    return error as TokenError;
  }
  expect.fail('expected a TokenError');
}

describe('parseToken', () => {
  it('reads a short-form string as the Ciphertext with Return Reference', () => {
    expect(parseToken(CIPHERTEXT, 'X')).to.deep.equal({ ciphertext: CIPHERTEXT, return: 'Reference' });
  });

  it('reads a short-form intrinsic as the Ciphertext', () => {
    expect(parseToken({ Ref: 'DbCiphertext' }, 'X')).to.deep.equal({ ciphertext: { Ref: 'DbCiphertext' }, return: 'Reference' });
  });

  it('normalizes every long-form property when all are given', () => {
    const token = parseToken(deepFreeze({
      Ciphertext: CIPHERTEXT, Name: 'prod/db', Key: 'password', EncryptionContext: { SecretName: 'prod/db' }, Description: 'd',
      Tags: { team: 'db' }, KmsKeyId: 'alias/k', Return: 'ValueFrom', RecoveryWindowInDays: '0', DeletionPolicy: 'RetainExceptOnCreate',
    }), 'X');
    expect(token).to.deep.equal({
      ciphertext: CIPHERTEXT, name: 'prod/db', key: 'password', encryptionContext: { SecretName: 'prod/db' }, description: 'd',
      tags: [{ Key: 'team', Value: 'db' }], kmsKeyId: 'alias/k', return: 'ValueFrom', recoveryWindowInDays: 0, deletionPolicy: 'RetainExceptOnCreate',
    });
  });

  it('takes the Name from EncryptionContext SecretName when Name is absent', () => {
    expect(parseToken({ Ciphertext: CIPHERTEXT, EncryptionContext: { SecretName: 'prod/db' } }, 'X').name).to.equal('prod/db');
  });

  it('refuses a SecretName that is no valid secret name when it stands in for Name', () => {
    expect(errorOf(() => parseToken({ Ciphertext: CIPHERTEXT, EncryptionContext: { SecretName: 'bad name!' } }, 'X')).message)
      .to.match(/^X: Fn::KmsSecret property "EncryptionContext" entry "SecretName" is used as the Name and must be/);
  });

  it('keeps a ciphertext wrapped over several lines as written', () => {
    const wrapped = `${CIPHERTEXT.slice(0, 8)}\n${CIPHERTEXT.slice(8)}`;
    expect(parseToken(wrapped, 'X').ciphertext).to.equal(wrapped);
  });

  it('refuses a ciphertext longer than KMS ever produces, saying what it expected and what arrived', () => {
    expect(errorOf(() => parseToken(Buffer.alloc(7000).toString('base64'), 'X')).message)
      .to.equal('X: Fn::KmsSecret property "Ciphertext" must be the base64 ciphertext blob that `aws kms encrypt` prints; got more than 6144 bytes');
  });

  it('refuses an unpadded ciphertext as not base64', () => {
    expect(errorOf(() => parseToken(CIPHERTEXT.replace(/=+$/, ''), 'X')).message).to.match(/got a string that is not base64$/);
  });

  it('reads RecoveryWindowInDays from a number or a numeric string, and refuses 3 by its type only', () => {
    expect(parseToken({ Ciphertext: CIPHERTEXT, RecoveryWindowInDays: 30 }, 'X').recoveryWindowInDays).to.equal(30);
    expect(parseToken({ Ciphertext: CIPHERTEXT, RecoveryWindowInDays: '07' }, 'X').recoveryWindowInDays).to.equal(7);
    expect(errorOf(() => parseToken({ Ciphertext: CIPHERTEXT, RecoveryWindowInDays: '3' }, 'X')).message)
      .to.equal('X: Fn::KmsSecret property "RecoveryWindowInDays" must be 0 (delete at once) or an integer from 7 to 30; got a string of 1 characters');
  });
});

describe('parseTokenProperties', () => {
  it('accepts a secrets-file entry when the file options are met', () => {
    const token = parseTokenProperties({ Name: 'prod/db', Ciphertext: CIPHERTEXT, Tags: [{ Key: 'a', Value: 'b' }] }, 'f.yaml: secrets[0]', FILE_OPTIONS);
    expect(token).to.deep.equal({ name: 'prod/db', ciphertext: CIPHERTEXT, return: 'Reference', tags: [{ Key: 'a', Value: 'b' }] });
  });

  it('refuses an entry without Name when requireName is set', () => {
    expect(errorOf(() => parseTokenProperties({ Ciphertext: CIPHERTEXT }, 'f.yaml: secrets[0]', FILE_OPTIONS)).message)
      .to.equal('f.yaml: secrets[0]: secret property "Name" is required');
  });

  it('refuses an intrinsic when allowIntrinsics is false, naming the type only', () => {
    const error = errorOf(() => parseTokenProperties({ Name: 'prod/db', Ciphertext: { Ref: 'X' } }, 'p', FILE_OPTIONS));
    expect(error.message).to.equal('p: secret property "Ciphertext" must be a string; got an intrinsic function (Ref)');
    expect(error.path).to.equal('p');
  });

  for (const property of ['Return', 'RecoveryWindowInDays', 'DeletionPolicy'] as const) {
    it(`refuses ${property} when allowedProperties leaves it out`, () => {
      expect(errorOf(() => parseTokenProperties({ Name: 'prod/db', Ciphertext: CIPHERTEXT, [property]: 'Arn' }, 'p', FILE_OPTIONS)).message)
        .to.equal(`p: secret has unknown property "${property}"; expected one of ${FILE_ENTRY.join(', ')}`);
    });
  }

  it('never echoes a bad value in its message when a value has the wrong type or form', () => {
    const canary = 'CANARY-9f3b1c-plaintext';
    const cases: unknown[] = [
      { Ciphertext: canary }, { Ciphertext: CIPHERTEXT, Name: `${canary} !` }, { Ciphertext: CIPHERTEXT, Key: `${canary}:x` },
      { Ciphertext: CIPHERTEXT, Return: canary }, { Ciphertext: CIPHERTEXT, DeletionPolicy: canary },
      { Ciphertext: CIPHERTEXT, RecoveryWindowInDays: canary }, { Ciphertext: CIPHERTEXT, Tags: [{ Key: 'k', Value: canary.repeat(20) }] },
      { Ciphertext: CIPHERTEXT, EncryptionContext: { SecretName: `${canary} !` } }, { Ciphertext: CIPHERTEXT, Name: 'a/b', EncryptionContext: { SecretName: `${canary}` } },
      { Ciphertext: CIPHERTEXT, Description: canary.repeat(100) }, { Ciphertext: CIPHERTEXT, KmsKeyId: 7 },
    ];
    for (const properties of cases) {
      const message = errorOf(() => parseTokenProperties(properties, 'p')).message;
      expect(message).to.not.include('CANARY');
      expect(message).to.not.include(CIPHERTEXT.slice(0, 12));
    }
  });

  it('refuses a Tags item with extra keys', () => {
    expect(errorOf(() => parseTokenProperties({ Ciphertext: CIPHERTEXT, Tags: [{ Key: 'a', Value: 'b', X: 1 }] }, 'p')).message)
      .to.equal('p: Fn::KmsSecret property "Tags" item 0 must be {Key, Value}; got an object');
  });

  it('shortens an unknown property name that is very long', () => {
    const message = errorOf(() => parseTokenProperties({ Ciphertext: CIPHERTEXT, [CIPHERTEXT]: 1 }, 'p')).message;
    expect(message).to.not.include(CIPHERTEXT);
    expect(message).to.include('...');
  });
});
