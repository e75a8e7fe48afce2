import { expect } from 'chai';
import { fingerprintOf } from '../../../core/spec.ts';
import { createTokenGrouper, groupTokens, toSecretSpec } from '../../../macro/group.ts';
import { parseToken, TokenError } from '../../../macro/token.ts';

const A = Buffer.from('ciphertext-a').toString('base64');
const B = Buffer.from('ciphertext-b').toString('base64');
const at = (path: string, value: unknown) => ({ path, token: parseToken(value, path) });

describe('groupTokens', () => {
  it('makes one secret with both values sorted by Key when two tokens share a Name', () => {
    const groups = groupTokens([at('a', { Ciphertext: A, Name: 'n', Key: 'user' }), at('b', { Ciphertext: B, Name: 'n', Key: 'pass', Description: 'd' })]);
    expect(groups).to.have.length(1);
    expect(groups[0]?.values).to.deep.equal([{ ciphertext: B, key: 'pass' }, { ciphertext: A, key: 'user' }]);
    expect(groups[0]?.description).to.equal('d');
    expect(groups[0]?.occurrences.map((o) => o.path)).to.deep.equal(['a', 'b']);
  });

  it('shares one secret when unnamed tokens are identical, whatever their Return', () => {
    const groups = groupTokens([at('a', A), at('b', { Ciphertext: A, Return: 'Arn' }), at('c', B)]);
    expect(groups.map((g) => g.occurrences.length)).to.deep.equal([2, 1]);
  });

  it('names both places when the same Name and Key get different ciphertexts', () => {
    expect(() => groupTokens([at('first', { Ciphertext: A, Name: 'n', Key: 'k' }), at('second', { Ciphertext: B, Name: 'n', Key: 'k' })]))
      .to.throw(TokenError, 'second: Fn::KmsSecret for secret "n" gives a different Ciphertext or EncryptionContext for Key "k" (conflicts with first)');
  });

  it('uses the given subject in conflict messages', () => {
    expect(() => groupTokens([at('f.yaml: secrets[0]', { Ciphertext: A, Name: 'n' }), at('g.yaml: secrets[3]', { Ciphertext: A, Name: 'n', Key: 'k' })], 'entry'))
      .to.throw(TokenError, 'g.yaml: secrets[3]: entry for secret "n" gives a Key where the secret is unkeyed (conflicts with f.yaml: secrets[0])');
  });

  it('refuses different RecoveryWindowInDays and DeletionPolicy for one Name', () => {
    expect(() => groupTokens([at('a', { Ciphertext: A, Name: 'n', Key: 'x', RecoveryWindowInDays: 7 }), at('b', { Ciphertext: A, Name: 'n', Key: 'y', RecoveryWindowInDays: 30 })]))
      .to.throw(TokenError, 'different RecoveryWindowInDays');
    expect(() => groupTokens([at('a', { Ciphertext: A, Name: 'n', Key: 'x', DeletionPolicy: 'Retain' }), at('b', { Ciphertext: A, Name: 'n', Key: 'y', DeletionPolicy: 'Delete' })]))
      .to.throw(TokenError, 'different DeletionPolicy');
  });

  it('accepts the same Tags for one Name whatever their order or form', () => {
    // GIVEN two tokens of one secret giving the same tags, one as a map and one as a list in another order
    const groups = groupTokens([
      at('a', { Ciphertext: A, Name: 'n', Key: 'x', Tags: { team: 'db', env: 'prod' } }),
      at('b', { Ciphertext: B, Name: 'n', Key: 'y', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'db' }] }),
    ]);
    // THEN they are one secret with the first token's tags, and different tags are still refused
    expect(groups).to.have.length(1);
    expect(groups[0]?.tags).to.deep.equal([{ Key: 'team', Value: 'db' }, { Key: 'env', Value: 'prod' }]);
    expect(() => groupTokens([at('a', { Ciphertext: A, Name: 'n', Key: 'x', Tags: { team: 'db' } }), at('b', { Ciphertext: B, Name: 'n', Key: 'y', Tags: { team: 'web' } })]))
      .to.throw(TokenError, 'b: Fn::KmsSecret for secret "n" gives a different Tags (conflicts with a)');
  });

  it('keeps two groupers independent', () => {
    const one = createTokenGrouper();
    const two = createTokenGrouper();
    one.add(at('a', { Ciphertext: A, Name: 'n' }));
    expect(two.add(at('b', { Ciphertext: B, Name: 'n' })).created).to.equal(true);
    expect(one.groups()).to.have.length(1);
  });
});

describe('toSecretSpec', () => {
  it('converts a group of literal strings into the core SecretSpec', () => {
    const [group] = groupTokens([at('a', { Ciphertext: A, Name: 'n', Key: 'k', EncryptionContext: { SecretName: 'n' }, Tags: { t: 'v' }, KmsKeyId: 'alias/x' })]);
    const spec = toSecretSpec(group!);
    expect(spec).to.deep.equal({ name: 'n', values: [{ ciphertext: A, key: 'k', encryptionContext: { SecretName: 'n' } }], tags: [{ Key: 't', Value: 'v' }], kmsKeyId: 'alias/x' });
    expect(fingerprintOf(spec.values)).to.match(/^[0-9a-f]{64}$/);
  });

  it('refuses an intrinsic ciphertext at the first place of the group', () => {
    const [group] = groupTokens([at('here', { Ciphertext: { Ref: 'X' }, Name: 'n' })]);
    expect(() => toSecretSpec(group!)).to.throw(TokenError, 'here: "Ciphertext" must be a literal string here; got an intrinsic function (Ref)');
  });

  it('refuses a group without a Name', () => {
    const [group] = groupTokens([at('here', A)]);
    expect(() => toSecretSpec(group!)).to.throw(TokenError, 'here: "Name" is required here');
  });
});
