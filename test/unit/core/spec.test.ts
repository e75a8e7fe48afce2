import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { fingerprintOf, secretNameProblem, stackOwner, versionIdFor } from '../../../core/spec.ts';

const A = Buffer.from('ciphertext-a').toString('base64');
const B = Buffer.from('ciphertext-b').toString('base64');

describe('fingerprintOf', () => {
  it('is the same whatever the order of the values', () => {
    expect(fingerprintOf([{ key: 'user', ciphertext: A }, { key: 'password', ciphertext: B }]))
      .to.equal(fingerprintOf([{ key: 'password', ciphertext: B }, { key: 'user', ciphertext: A }]));
  });

  it('changes when a ciphertext or a key changes', () => {
    const base = fingerprintOf([{ key: 'password', ciphertext: A }]);
    expect(fingerprintOf([{ key: 'password', ciphertext: B }])).to.not.equal(base);
    expect(fingerprintOf([{ key: 'pass', ciphertext: A }])).to.not.equal(base);
    expect(fingerprintOf([{ ciphertext: A }])).to.not.equal(base);
  });

  it('orders keys by code unit, not by locale, so every machine computes the same fingerprint', () => {
    // localeCompare puts "a" before "B"; code-unit order puts "B" (0x42) first. Pin the canonical order.
    const values = [{ key: 'a', ciphertext: A }, { key: 'B', ciphertext: B }];
    const canonical = JSON.stringify([{ key: 'B', ciphertext: B }, { key: 'a', ciphertext: A }]);
    expect(fingerprintOf(values)).to.equal(createHash('sha256').update(canonical).digest('hex'));
  });

  it('ignores line breaks inside the base64 text', () => {
    const wrapped = `${A.slice(0, 4)}\n${A.slice(4)}`;
    expect(fingerprintOf([{ ciphertext: wrapped }])).to.equal(fingerprintOf([{ ciphertext: A }]));
  });

  it('is a 64-character hex SHA-256', () => {
    expect(fingerprintOf([{ ciphertext: A }])).to.match(/^[0-9a-f]{64}$/);
  });
});

describe('versionIdFor', () => {
  it('is a deterministic UUID-shaped token within Secrets Manager\'s 32-64 characters', () => {
    const id = versionIdFor('prod/db', 'f'.repeat(64));
    expect(id).to.equal(versionIdFor('prod/db', 'f'.repeat(64)));
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('differs between secrets holding the same ciphertext', () => {
    expect(versionIdFor('prod/db', 'a'.repeat(64))).to.not.equal(versionIdFor('prod/api', 'a'.repeat(64)));
  });
});

describe('secretNameProblem', () => {
  it('accepts names made of the allowed characters', () => {
    expect(secretNameProblem('prod/mysql/password_1+=.@-x')).to.equal(undefined);
  });

  it('refuses empty, too long and badly spelled names', () => {
    expect(secretNameProblem('')).to.match(/1-512 characters/);
    expect(secretNameProblem('a'.repeat(513))).to.match(/1-512 characters/);
    expect(secretNameProblem('prod db')).to.match(/1-512 characters/);
  });

  it('refuses a name that ends like an ARN suffix', () => {
    expect(secretNameProblem('prod/db-AbC123')).to.match(/ARN suffix/);
  });
});

describe('stackOwner', () => {
  it('names the stack by region and stack name', () => {
    expect(stackOwner('eu-west-1', 'shop')).to.equal('cloudformation:eu-west-1:shop');
  });
});
