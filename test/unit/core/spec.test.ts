import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { KMS_MAX_CIPHERTEXT_BYTES } from '../../../core/constants.ts';
import {
  ciphertextProblem, fingerprintOf, recoveryWindowDays, secretNameProblem, stackOwner, versionIdFor,
} from '../../../core/spec.ts';

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

describe('ciphertextProblem', () => {
  const NOT_BASE64 = 'a string that is not base64';
  const base64Of = (bytes: number): string => Buffer.alloc(bytes, 0xab).toString('base64');

  it('is undefined for padded base64 of 1 to 6144 bytes', () => {
    for (const bytes of [1, 2, 3, 4, KMS_MAX_CIPHERTEXT_BYTES - 1, KMS_MAX_CIPHERTEXT_BYTES]) {
      expect(ciphertextProblem(base64Of(bytes)), `${bytes} bytes`).to.equal(undefined);
    }
  });

  it('is undefined when the base64 is wrapped over lines or indented, as --output text and YAML may do', () => {
    const text = base64Of(100);
    expect(ciphertextProblem(`${text.slice(0, 64)}\n  ${text.slice(64)}\r\n`)).to.equal(undefined);
  });

  it('says the string is not base64 when it is empty, blank, or uses other characters', () => {
    for (const text of ['', '  \n', 'not base64!', 'QUJD-_==', 'QUJD.QUJD']) expect(ciphertextProblem(text), text).to.equal(NOT_BASE64);
  });

  it('says the string is not base64 when its padding is missing, misplaced or too long', () => {
    // Buffer.from would quietly decode all of these; a lost tail is the usual copy-paste damage, so refuse it here.
    for (const text of ['QQ', 'QUI', 'QUJDRA', 'QUJDR', 'QQ==QQ==', 'Q===', '=QUJ']) expect(ciphertextProblem(text), text).to.equal(NOT_BASE64);
  });

  it('says the blob is too long when it decodes to more than 6144 bytes', () => {
    expect(ciphertextProblem(base64Of(KMS_MAX_CIPHERTEXT_BYTES + 1))).to.equal(`more than ${KMS_MAX_CIPHERTEXT_BYTES} bytes`);
    expect(ciphertextProblem(base64Of(7000))).to.equal(`more than ${KMS_MAX_CIPHERTEXT_BYTES} bytes`);
  });
});

describe('recoveryWindowDays', () => {
  it('reads 0 and 7 to 30 from numbers and from the strings CloudFormation turns them into', () => {
    for (const days of [0, 7, 8, 29, 30]) {
      expect(recoveryWindowDays(days)).to.equal(days);
      expect(recoveryWindowDays(String(days))).to.equal(days);
    }
  });

  it('reads a numeric string with leading zeros or surrounding blanks', () => {
    expect(recoveryWindowDays('07')).to.equal(7);
    expect(recoveryWindowDays(' 30\n')).to.equal(30);
  });

  it('is undefined for a number of days AWS refuses', () => {
    for (const days of [1, 6, 31, 365, -7, 7.5, Number.NaN, Number.POSITIVE_INFINITY, '1', '6', '31', '-7']) {
      expect(recoveryWindowDays(days), String(days)).to.equal(undefined);
    }
  });

  it('is undefined for a string that is not a plain decimal number', () => {
    for (const text of ['', ' ', '7.0', '+7', '1e1', '0x1E', 'seven', '7 days']) expect(recoveryWindowDays(text), text).to.equal(undefined);
  });

  it('is undefined for values that are neither numbers nor strings', () => {
    for (const value of [null, undefined, true, [7], { days: 7 }]) expect(recoveryWindowDays(value)).to.equal(undefined);
  });
});

describe('stackOwner', () => {
  it('names the stack by region and stack name', () => {
    expect(stackOwner('eu-west-1', 'shop')).to.equal('cloudformation:eu-west-1:shop');
  });
});
