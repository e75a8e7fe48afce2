import { expect } from 'chai';
import { load } from 'js-yaml';
import { renderEntry, SecretsFileEditError, upsertEntryText } from '../../../cli/secrets-file-edit.ts';

const CT_OLD = 'AQICAHhOLDOLDOLD==';
const CT_NEW = 'AQICAHhNEWNEWNEW+/==';
const bound = (name: string) => ({ SecretName: name });

const FILE = `# Secrets for the payments service. Review: @team-payments
Secrets:   # one entry per secret
  # the database
  - Name: prod/mysql
    Key: password
    Description: "primary db"   # keep me
    Ciphertext: ${CT_OLD}
    EncryptionContext: {SecretName: prod/mysql}
    Tags:
      - {Key: team, Value: payments}

  - Name: prod/api-token
    Ciphertext: >-
      AQICAHhAAAA
      BBBB

# trailing comment
`;

describe('upsertEntryText', () => {
  it('replaces only the Ciphertext and EncryptionContext lines when the same Name and Key exist', () => {
    const out = upsertEntryText(FILE, { name: 'prod/mysql', key: 'password', ciphertext: CT_NEW, encryptionContext: bound('prod/mysql') });
    const expected = FILE
      .replace(`Ciphertext: ${CT_OLD}\n`, `Ciphertext: ${CT_NEW}\n`)
      .replace('EncryptionContext: {SecretName: prod/mysql}\n', 'EncryptionContext:\n      SecretName: prod/mysql\n');
    expect(out).to.equal(expected);
  });

  it('appends after the last entry and keeps every other byte when the Name and Key are new', () => {
    const out = upsertEntryText(FILE, { name: 'prod/mysql', key: 'user', ciphertext: CT_NEW, encryptionContext: bound('prod/mysql') });
    const at = FILE.indexOf('\n# trailing comment');
    expect(out.slice(0, at)).to.equal(FILE.slice(0, at));
    expect(out.slice(at)).to.equal(`  - Name: prod/mysql\n    Key: user\n    Ciphertext: ${CT_NEW}\n    EncryptionContext:\n      SecretName: prod/mysql\n${FILE.slice(at)}`);
    const doc = load(out) as { Secrets: Array<Record<string, unknown>> };
    expect(doc.Secrets).to.have.length(3);
    expect(doc.Secrets[2]).to.deep.equal({ Name: 'prod/mysql', Key: 'user', Ciphertext: CT_NEW, EncryptionContext: { SecretName: 'prod/mysql' } });
  });

  it('replaces a folded ciphertext and removes the context when the new entry is unbound', () => {
    const out = upsertEntryText(FILE, { name: 'prod/api-token', ciphertext: CT_NEW });
    expect(out).to.equal(FILE.replace('Ciphertext: >-\n      AQICAHhAAAA\n      BBBB\n', `Ciphertext: ${CT_NEW}\n`));
  });

  it('removes an existing EncryptionContext when the new ciphertext is unbound', () => {
    const out = upsertEntryText(FILE, { name: 'prod/mysql', key: 'password', ciphertext: CT_NEW });
    expect(out).to.equal(FILE.replace(`Ciphertext: ${CT_OLD}\n`, `Ciphertext: ${CT_NEW}\n`).replace('    EncryptionContext: {SecretName: prod/mysql}\n', ''));
  });

  it('creates the Secrets list when the file is empty', () => {
    expect(upsertEntryText('', { name: 'a/b', ciphertext: CT_NEW })).to.equal(`Secrets:\n  - Name: a/b\n    Ciphertext: ${CT_NEW}\n`);
  });

  it('adds a Secrets key at the end when the file has none', () => {
    const source = '# only a comment\nOther: 1';
    expect(upsertEntryText(source, { name: 'a/b', ciphertext: CT_NEW })).to.equal(`${source}\nSecrets:\n  - Name: a/b\n    Ciphertext: ${CT_NEW}\n`);
  });

  it('fills an empty flow list when the file says Secrets: []', () => {
    const out = upsertEntryText('Secrets: []  # none yet\nOther: 1\n', { name: 'a/b', ciphertext: CT_NEW });
    expect(out).to.equal(`Secrets:  # none yet\n  - Name: a/b\n    Ciphertext: ${CT_NEW}\nOther: 1\n`);
  });

  it('follows the file indentation when the list items are not indented', () => {
    const out = upsertEntryText(`Secrets:\n- Name: x/y\n  Ciphertext: ${CT_OLD}\n`, { name: 'x/z', ciphertext: CT_NEW });
    expect(out).to.equal(`Secrets:\n- Name: x/y\n  Ciphertext: ${CT_OLD}\n- Name: x/z\n  Ciphertext: ${CT_NEW}\n`);
  });

  it('quotes a name YAML would otherwise read as another type', () => {
    expect(renderEntry({ name: 'true', key: '123', ciphertext: CT_NEW })).to.equal(`- Name: 'true'\n  Key: '123'\n  Ciphertext: ${CT_NEW}\n`);
  });

  it('throws SecretsFileEditError when Secrets is a non-empty flow list', () => {
    expect(() => upsertEntryText(`Secrets: [{Name: a, Ciphertext: ${CT_OLD}}]\n`, { name: 'b', ciphertext: CT_NEW })).to.throw(SecretsFileEditError, /block list/);
  });
});

describe('upsertEntryText (empty value)', () => {
  it('fills the list when the file says Secrets: with no value', () => {
    const out = upsertEntryText('Secrets:\nOther: 1\n', { name: 'a/b', ciphertext: CT_NEW });
    expect(out).to.equal(`Secrets:\n  - Name: a/b\n    Ciphertext: ${CT_NEW}\nOther: 1\n`);
  });
});

describe('upsertEntryText (line endings and quoting)', () => {
  const crlf = (text: string) => text.replace(/\n/g, '\r\n');

  it('writes CRLF lines into a CRLF file, so the file keeps one line ending', () => {
    const entry = { name: 'prod/mysql', key: 'user', ciphertext: CT_NEW, encryptionContext: bound('prod/mysql') };
    const out = upsertEntryText(crlf(FILE), entry);
    expect(out).to.equal(crlf(upsertEntryText(FILE, entry)));
    expect(out.replace(/\r\n/g, '')).to.not.contain('\n');
  });

  it('replaces an entry in the middle of a CRLF file without touching its neighbours', () => {
    const out = upsertEntryText(crlf(FILE), { name: 'prod/mysql', key: 'password', ciphertext: CT_NEW, encryptionContext: bound('prod/mysql') });
    expect(out).to.equal(crlf(FILE
      .replace(`Ciphertext: ${CT_OLD}\n`, `Ciphertext: ${CT_NEW}\n`)
      .replace('EncryptionContext: {SecretName: prod/mysql}\n', 'EncryptionContext:\n      SecretName: prod/mysql\n')));
  });

  it('adds no newline at the end of a file that had none when the replaced entry is the last one', () => {
    const source = `# no newline at the end\nSecrets:\n  - Name: prod/db\n    Ciphertext: ${CT_OLD}`;
    const out = upsertEntryText(source, { name: 'prod/db', ciphertext: CT_NEW });
    expect(out).to.equal(`# no newline at the end\nSecrets:\n  - Name: prod/db\n    Ciphertext: ${CT_NEW}`);
  });

  it('replaces the entry when its keys are quoted', () => {
    const source = `Secrets:\n  - "Name": prod/db\n    'Ciphertext': ${CT_OLD}\n    "EncryptionContext": {SecretName: prod/db}\n    Description: kept\n`;
    const out = upsertEntryText(source, { name: 'prod/db', ciphertext: CT_NEW, encryptionContext: bound('prod/db') });
    expect(out).to.equal(`Secrets:\n  - "Name": prod/db\n    Ciphertext: ${CT_NEW}\n    EncryptionContext:\n      SecretName: prod/db\n    Description: kept\n`);
  });
});
