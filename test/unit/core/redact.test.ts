import { expect } from 'chai';
import { createLogger } from '../../../core/log.ts';
import { loggingSafeUrl, MASK, redact } from '../../../core/redact.ts';

describe('loggingSafeUrl', () => {
  it('keeps protocol, host and path and hides the query', () => {
    expect(loggingSafeUrl('https://bucket.s3.amazonaws.com/a/b?X-Amz-Signature=abc&X-Amz-Credential=def')).to.equal('https://bucket.s3.amazonaws.com/a/b?***');
  });
});

describe('redact', () => {
  const cases: [string, unknown, unknown][] = [
    ['a URL query inside a string', 'PUT to https://h/p?sig=s3cr3t failed', 'PUT to https://h/p?*** failed'],
    ['value-bearing keys', { SecretString: 'v', plaintext: 'p', nested: { Password: 'x' } }, { SecretString: MASK, plaintext: MASK, nested: { Password: MASK } }],
    ['bytes', { blob: new Uint8Array(3) }, { blob: '[3 bytes]' }],
    ['prototype-polluting keys', JSON.parse('{"__proto__":{"x":1},"ok":1}'), { ok: 1 }],
    ['errors, to name and message', new Error('see https://h/p?q=1'), { name: 'Error', message: 'see https://h/p?***' }],
  ];
  for (const [what, input, expected] of cases) {
    it(`redacts ${what}`, () => { expect(redact(input)).to.deep.equal(expected); });
  }
});

describe('createLogger', () => {
  it('writes one redacted JSON line per entry', () => {
    const lines: string[] = [];
    createLogger((l) => lines.push(l)).info('sent', { url: 'https://h/p?sig=1', SecretString: 'v' });
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0] ?? '')).to.deep.equal({ level: 'info', message: 'sent', url: 'https://h/p?***', SecretString: MASK });
  });
});
