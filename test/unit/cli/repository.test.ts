import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRepository, pruneScope } from '../../../cli/repository.ts';
import { loadSecrets } from '../../../cli/secrets-file.ts';
import { captureContext } from './context.ts';

const CT = Buffer.from('ciphertext-one').toString('base64');

function gitRepo(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ks-repo-')));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
  for (const args of [['init', '-q'], ['add', '.'], ['commit', '-q', '-m', 'one']]) execFileSync('git', args, { cwd: dir, env });
  return dir;
}

describe('loadRepository', () => {
  it('selects the changed file with --since when the PATH reaches the repository through a symlink', async () => {
    // GIVEN a repository reached through a symlinked folder (macOS /var -> /private/var, a linked workspace)
    const real = gitRepo({ 'secrets/a.yaml': 'Secrets: []\n', 'secrets/b.yaml': 'Secrets: []\n' });
    const link = join(realpathSync(mkdtempSync(join(tmpdir(), 'ks-link-'))), 'repo');
    symlinkSync(real, link);
    writeFileSync(join(real, 'secrets/a.yaml'), `Secrets:\n  - Name: app/a\n    Ciphertext: ${CT}\n`);
    // WHEN the PATH is given through the link
    const context = captureContext({ cwd: link });
    const loaded = await loadRepository({ values: { since: 'HEAD' }, positionals: [join(link, 'secrets')] }, context, 'sync');
    // THEN git's real paths still match the loaded files
    expect(loaded.secrets.map((secret) => secret.spec.name)).to.deep.equal(['app/a']);
    expect(loaded.files).to.have.length(1);
  });
  it('counts a secrets file added since the ref but not yet committed as changed', async () => {
    // GIVEN a repository with a new secrets file that is not yet added to git (uncommitted edits count, per --help)
    const dir = gitRepo({ 'secrets/a.yaml': 'Secrets: []\n' });
    writeFileSync(join(dir, 'secrets/new.yaml'), `Secrets:\n  - Name: app/new\n    Ciphertext: ${CT}\n`);
    // WHEN loading with --since HEAD
    const loaded = await loadRepository({ values: { since: 'HEAD' }, positionals: ['secrets'] }, captureContext({ cwd: dir }), 'sync');
    // THEN the new file's secret is selected
    expect(loaded.secrets.map((secret) => secret.spec.name)).to.deep.equal(['app/new']);
  });
  it('refuses to prune when an entry has no readable Name, saying that rather than blaming an unreadable file', async () => {
    // GIVEN a readable secrets file with one entry that is not a mapping (its Name cannot be known)
    const dir = gitRepo({ 'a.yaml': `Secrets:\n  - Name: app/a\n    Ciphertext: ${CT}\n  - just a string\n` });
    const context = captureContext({ cwd: dir });
    // WHEN sync asks whether it may prune
    const scope = pruneScope(await loadSecrets([join(dir, 'a.yaml')]), true, context, 'sync');
    // THEN no, and the reason names both possible causes
    expect(scope.prune).to.equal(false);
    expect(context.err.join('')).to.equal('kms-secrets: error: sync: not pruning: a secrets file or an entry\'s Name could not be read, so it is unknown which secrets it holds\n');
  });
});
