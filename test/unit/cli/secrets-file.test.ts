import { expect } from 'chai';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupEntries, listSecretsFiles, loadSecrets, onlyFromFiles, parseSecretsFile, SecretsPathError } from '../../../cli/secrets-file.ts';
import { fingerprintOf } from '../../../core/spec.ts';

const CT1 = Buffer.from('ciphertext-one').toString('base64');
const CT2 = Buffer.from('ciphertext-two').toString('base64');

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ks-secrets-file-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('parseSecretsFile', () => {
  it('names the file, the entry, the Name and the property when one entry is bad', () => {
    const text = `Secrets:\n  - Name: good/one\n    Ciphertext: ${CT1}\n  - Name: bad/one\n    Ciphertext: 42\n`;
    const { occurrences, problems } = parseSecretsFile('/x/prod.yaml', text);
    expect(occurrences.map((o) => o.token.name)).to.deep.equal(['good/one']);
    expect(problems).to.have.length(1);
    expect(problems[0]?.name).to.equal('bad/one');
    expect(problems[0]?.message).to.match(/prod\.yaml: Secrets\[1\] "bad\/one": entry property "Ciphertext" must be a string; got a number/);
  });

  it('refuses template-only properties such as Return', () => {
    const { problems } = parseSecretsFile('/x/a.yaml', `Secrets:\n  - Name: a/b\n    Ciphertext: ${CT1}\n    Return: Arn\n`);
    expect(problems[0]?.message).to.match(/Secrets\[0\] "a\/b": entry has unknown property "Return"/);
  });

  it('requires a Name', () => {
    const { problems } = parseSecretsFile('/x/a.yaml', `Secrets:\n  - Ciphertext: ${CT1}\n`);
    expect(problems[0]?.message).to.match(/Secrets\[0\]: entry property "Name" is required/);
  });

  it('reports YAML syntax errors on one line with line and column', () => {
    const { problems } = parseSecretsFile('/x/a.yaml', 'Secrets:\n  - Name: [unclosed\n');
    expect(problems).to.have.length(1);
    expect(problems[0]?.message).to.match(/a\.yaml: not valid YAML: line \d+, column \d+: /);
    expect(problems[0]?.message).to.not.contain('\n');
  });

  it('reports a file without a Secrets list', () => {
    expect(parseSecretsFile('/x/a.yaml', 'Secret:\n  - 1\n').problems[0]?.message).to.match(/unknown top-level key "Secret"/);
    expect(parseSecretsFile('/x/a.yaml', 'Secrets: {}\n').problems[0]?.message).to.match(/"Secrets" must be a list of entries; got an object/);
  });

  it('accepts an empty file as no secrets', () => {
    expect(parseSecretsFile('/x/a.yaml', '\n')).to.deep.equal({ occurrences: [], problems: [] });
  });
});

describe('groupEntries', () => {
  it('makes one JSON secret when entries share a Name with different Keys', () => {
    const a = parseSecretsFile('/x/a.yaml', `Secrets:\n  - {Name: db, Key: user, Ciphertext: ${CT1}}\n  - {Name: db, Key: password, Ciphertext: ${CT2}, Description: main db}\n`);
    const problems = [...a.problems];
    const secrets = groupEntries(a.occurrences, problems);
    expect(problems).to.deep.equal([]);
    expect(secrets).to.have.length(1);
    expect(secrets[0]?.spec.values.map((v) => v.key)).to.deep.equal(['password', 'user']);
    expect(secrets[0]?.spec.description).to.equal('main db');
    expect(secrets[0]?.fingerprint).to.equal(fingerprintOf(secrets[0]?.spec.values ?? []));
  });

  it('skips only the conflicting secret and names both places', () => {
    const a = parseSecretsFile('/x/a.yaml', `Secrets:\n  - {Name: db, Key: k, Ciphertext: ${CT1}}\n  - {Name: other, Ciphertext: ${CT1}}\n  - {Name: db, Key: k, Ciphertext: ${CT2}}\n`);
    const problems = [...a.problems];
    const secrets = groupEntries(a.occurrences, problems);
    expect(secrets.map((s) => s.spec.name)).to.deep.equal(['other']);
    expect(problems).to.have.length(1);
    expect(problems[0]?.message).to.contain('Secrets[2] "db"').and.contain('Secrets[0] "db"');
  });

  it('skips every entry of a secret when one of its entries is invalid', () => {
    const a = parseSecretsFile('/x/a.yaml', `Secrets:\n  - {Name: db, Key: a, Ciphertext: ${CT1}}\n  - {Name: db, Key: b, Ciphertext: 7}\n`);
    const problems = [...a.problems];
    expect(groupEntries(a.occurrences, problems)).to.deep.equal([]);
    expect(problems.map((p) => p.name)).to.deep.equal(['db']);
  });
});

describe('loadSecrets', () => {
  it('walks a folder for .yaml and .yml files, skipping dot-folders, and groups across files', async () => {
    const root = await tree({
      'a.yaml': `Secrets:\n  - {Name: db, Key: user, Ciphertext: ${CT1}}\n`,
      'sub/b.yml': `Secrets:\n  - {Name: db, Key: password, Ciphertext: ${CT2}}\n`,
      '.hidden/c.yaml': 'not: a secrets file\n',
      'notes.txt': 'ignored',
    });
    const loaded = await loadSecrets([root]);
    expect(loaded.files.map((f) => f.slice(root.length))).to.deep.equal(['/a.yaml', '/sub/b.yml']);
    expect(loaded.problems).to.deep.equal([]);
    expect(loaded.secrets).to.have.length(1);
    expect(loaded.secrets[0]?.files).to.have.length(2);
  });

  it('follows symlinks to secrets files and folders, loading a file reached twice only once', async () => {
    // GIVEN a folder with a linked file (shared with another team) and a linked folder, one also reached directly
    const shared = await tree({ 'common.yaml': `Secrets:\n  - {Name: common, Ciphertext: ${CT1}}\n` });
    const root = await tree({ 'team/own.yaml': `Secrets:\n  - {Name: own, Ciphertext: ${CT2}}\n` });
    await symlink(join(shared, 'common.yaml'), join(root, 'team/common.yaml'));
    await symlink(join(root, 'team'), join(root, 'team-link'));
    await symlink(shared, join(root, 'shared-link'));
    // WHEN loading the folder
    const loaded = await loadSecrets([root]);
    // THEN both secrets load, each file once (not as a secret defined twice), under its first path in sorted order
    expect(loaded.problems).to.deep.equal([]);
    expect(loaded.secrets.map((s) => s.spec.name)).to.deep.equal(['common', 'own']);
    expect(loaded.files.map((f) => f.slice(root.length))).to.deep.equal(['/shared-link/common.yaml', '/team/own.yaml']);
    // AND overlapping PATHs list each file once too
    expect(await listSecretsFiles([join(root, 'team'), root])).to.deep.equal(loaded.files);
  });

  it('walks a symlink loop once instead of forever', async () => {
    const root = await tree({ 'sub/a.yaml': `Secrets:\n  - {Name: a, Ciphertext: ${CT1}}\n` });
    await symlink(root, join(root, 'sub/up'));
    const loaded = await loadSecrets([root]);
    expect(loaded.files.map((f) => f.slice(root.length))).to.deep.equal(['/sub/a.yaml']);
  });

  it('rejects a symlinked secrets file whose target does not exist, naming it', async () => {
    const root = await tree({ 'a.yaml': `Secrets:\n  - {Name: a, Ciphertext: ${CT1}}\n` });
    await symlink(join(root, 'gone.yaml'), join(root, 'b.yaml'));
    let caught: unknown;
    await loadSecrets([root]).catch((error: unknown) => { caught = error; });
    expect(caught).to.be.instanceOf(SecretsPathError);
    expect((caught as Error).message).to.equal(`${join(root, 'b.yaml')}: cannot follow the symlink (ENOENT)`);
  });

  it('rejects a PATH that does not exist', async () => {
    let caught: unknown;
    await listSecretsFiles(['/nonexistent/kms-secrets']).catch((error: unknown) => { caught = error; });
    expect(caught).to.be.instanceOf(SecretsPathError);
    expect((caught as Error).message).to.equal('/nonexistent/kms-secrets: no such file or folder');
  });
});

describe('onlyFromFiles', () => {
  it('keeps a JSON secret whole when only one of its files changed, and drops problems of unchanged files', async () => {
    const root = await tree({
      'a.yaml': `Secrets:\n  - {Name: db, Key: user, Ciphertext: ${CT1}}\n  - {Name: solo, Ciphertext: ${CT1}}\n`,
      'b.yml': `Secrets:\n  - {Name: db, Key: password, Ciphertext: ${CT2}}\n`,
      'c.yaml': 'Secrets: 1\n',
    });
    const loaded = await loadSecrets([root]);
    expect(loaded.problems).to.have.length(1);
    const picked = onlyFromFiles(loaded, new Set([`${root}/b.yml`]));
    expect(picked.secrets.map((s) => [s.spec.name, s.spec.values.length])).to.deep.equal([['db', 2]]);
    expect(picked.problems).to.deep.equal([]);
  });
  it('keeps the problem of an unchanged file when it breaks a secret that a changed file defines', async () => {
    // GIVEN a JSON secret whose "user" entry (a.yaml) changed and whose "password" entry (b.yml, unchanged) is broken
    const root = await tree({
      'a.yaml': `Secrets:\n  - {Name: db, Key: user, Ciphertext: ${CT1}}\n`,
      'b.yml': 'Secrets:\n  - {Name: db, Key: password, Ciphertext: 42}\n',
    });
    // WHEN only a.yaml is selected (--since)
    const picked = onlyFromFiles(await loadSecrets([root]), new Set([`${root}/a.yaml`]));
    // THEN the secret is not written, and the reason is still reported (sync then exits 1, not 0 with nothing to do)
    expect(picked.secrets).to.deep.equal([]);
    expect(picked.problems.map((p) => [p.name, p.message.endsWith('b.yml: Secrets[0] "db": entry property "Ciphertext" must be a string; got a number')]))
      .to.deep.equal([['db', true]]);
  });
});
