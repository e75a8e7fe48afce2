import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptCommand, plaintextBytes } from '../../../cli/commands/encrypt.ts';
import { runCli } from '../../../cli/run.ts';
import type { CliContext } from '../../../cli/command.ts';
import { EncryptError } from '../../../core/errors.ts';
import { CANARY_PLAINTEXT, expectNoCanary } from '../../helpers/canary.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

function context(cwd: string, stdin: string | Uint8Array) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    stdout: (t) => { out.push(t); }, stderr: (t) => { err.push(t); }, env: {}, cwd, color: false, debug: false,
    readStdin: async () => (typeof stdin === 'string' ? bytes(stdin) : stdin),
  };
  return { ctx, out, err };
}

describe('plaintextBytes', () => {
  it('drops exactly one trailing newline when the value comes from echo', () => {
    expect(text(plaintextBytes(bytes('pw\n'), false, 'stdin'))).to.equal('pw');
    expect(text(plaintextBytes(bytes('pw\n\n'), false, 'stdin'))).to.equal('pw\n');
    expect(text(plaintextBytes(bytes('pw\r\n'), false, 'stdin'))).to.equal('pw');
  });

  it('keeps the newline when --keep-newline is given', () => {
    expect(text(plaintextBytes(bytes('pw\n'), true, 'stdin'))).to.equal('pw\n');
  });

  it('rejects an empty value, naming the source', () => {
    expect(() => plaintextBytes(bytes('\n'), false, 'stdin')).to.throw(EncryptError, 'no value to encrypt: stdin is empty');
  });

  it('accepts 4096 bytes and rejects 4097 (the KMS Encrypt limit)', () => {
    expect(plaintextBytes(bytes('a'.repeat(4096)), false, 'stdin')).to.have.length(4096);
    expect(() => plaintextBytes(bytes('a'.repeat(4097)), false, '"f"')).to.throw(EncryptError, 'the value from "f" is 4097 bytes; KMS Encrypt takes at most 4096 bytes');
  });

  it('rejects bytes that are not UTF-8 text', () => {
    expect(() => plaintextBytes(new Uint8Array([0xff, 0xfe, 0x00]), false, 'stdin')).to.throw(EncryptError, /not UTF-8 text/);
  });
});

describe('encryptCommand', () => {
  const run = (args: string[], stdin: string | Uint8Array = CANARY_PLAINTEXT, cwd = mkdtempSync(join(tmpdir(), 'ks-enc-'))) => {
    const c = context(cwd, stdin);
    return runCli(['encrypt', ...args], c.ctx, [encryptCommand], '0.0.0').then((code) => ({ code, ...c }));
  };

  it('refuses the value as an argument with a usage error (exit 2)', async () => {
    const r = await run(['--key', 'alias/k', '--name', 'a/b', CANARY_PLAINTEXT]);
    expect(r.code).to.equal(2);
    expect(r.err.join('')).to.contain('the value is read from stdin or --plaintext-file, never from an argument');
    expectNoCanary([...r.out, ...r.err]);
  });

  it('requires --key and --name and checks the name before reading any value', async () => {
    expect((await run(['--name', 'a/b'])).code).to.equal(2);
    expect((await run(['--key', 'alias/k'])).code).to.equal(2);
    const bad = await run(['--key', 'alias/k', '--name', 'has space']);
    expect([bad.code, bad.err.join('')]).to.deep.equal([2, 'kms-secrets: error: encrypt: --name must be 1-512 characters of A-Z a-z 0-9 / _ + = . @ - (run "kms-secrets --help")\n']);
  });

  it('refuses to read the value from a terminal, where typing it would echo it on screen', async () => {
    // GIVEN stdin is a terminal (nothing piped in)
    const c = context(mkdtempSync(join(tmpdir(), 'ks-enc-')), CANARY_PLAINTEXT);
    let read = false;
    const ctx: CliContext = { ...c.ctx, stdinIsTty: true, readStdin: async () => { read = true; return bytes(CANARY_PLAINTEXT); } };
    // WHEN encrypting without --plaintext-file
    const code = await runCli(['encrypt', '--key', 'alias/k', '--name', 'a/b'], ctx, [encryptCommand], '0.0.0');
    // THEN a usage error saying how to pass the value, and stdin is never read
    expect(code).to.equal(2);
    expect(c.err.join('')).to.contain('stdin is a terminal');
    expect(read).to.equal(false);
  });

  it('refuses stdin bytes that are not UTF-8 before calling KMS, and zeroes them', async () => {
    // GIVEN a value piped from a binary file: UTF-8 decoding would silently turn 0xff into U+FFFD
    const stdin = new Uint8Array([...bytes(CANARY_PLAINTEXT), 0xff, 0xfe]);
    // WHEN encrypting it (no AWS endpoint or credentials here: reaching KMS would fail differently)
    const r = await run(['--key', 'alias/k', '--name', 'a/b'], stdin);
    // THEN exit 1 with the UTF-8 error, and the buffer holding the value is zeroed
    expect([r.code, r.err.join('')]).to.deep.equal([1, 'kms-secrets: error: the value from stdin is not UTF-8 text; Secrets Manager stores kms-secrets values as SecretString text\n']);
    expect(stdin.every((byte) => byte === 0)).to.equal(true);
    expectNoCanary([...r.out, ...r.err]);
  });

  it('refuses before reading the value or calling KMS when the folder of --to FILE does not exist', async () => {
    // GIVEN a --to FILE in a folder that does not exist (a typo such as "secerts/" would otherwise start a new tree)
    const dir = mkdtempSync(join(tmpdir(), 'ks-enc-'));
    let read = false;
    const c = context(dir, CANARY_PLAINTEXT);
    const ctx: CliContext = { ...c.ctx, readStdin: async () => { read = true; return bytes(CANARY_PLAINTEXT); } };
    // WHEN encrypting into it
    const code = await runCli(['encrypt', '--key', 'alias/k', '--name', 'a/b', '--to', 'secerts/new/s.yaml'], ctx, [encryptCommand], '0.0.0');
    // THEN exit 1 with one line naming the folder, the value never read (so KMS never called), no folder created
    expect([code, c.err.join('')]).to.deep.equal([1, 'kms-secrets: error: --to "secerts/new/s.yaml": the folder "secerts/new" does not exist; create it first, or fix the path\n']);
    expect(read).to.equal(false);
    expect(existsSync(join(dir, 'secerts'))).to.equal(false);
  });

  it('refuses before calling KMS and leaves --to FILE untouched when it cannot be edited in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-enc-'));
    const original = 'Secrets: [{Name: x, Ciphertext: QUJD}]\n';
    writeFileSync(join(dir, 's.yaml'), original);
    // No AWS endpoint or credentials are set up here: the message proves the file was checked before any KMS call.
    const r = await run(['--key', 'alias/k', '--name', 'a/b', '--to', 's.yaml'], `${CANARY_PLAINTEXT}\n`, dir);
    expect(r.code).to.equal(1);
    expect(r.err.join('')).to.equal('kms-secrets: error: --to "s.yaml": "Secrets" must be a block list ("- Name: ..." items) to be edited in place; the file was not changed\n');
    expect(readFileSync(join(dir, 's.yaml'), 'utf8')).to.equal(original);
    expectNoCanary([...r.out, ...r.err]);
  });
});
