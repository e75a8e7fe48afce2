/**
 * Runs the README's commands: every ```sh local block, line by line in one bash script, against the emulator,
 * with `kms-secrets` = dist/cli.mjs and `aws` = the .venv's awscli. `npm ...` lines are the two newcomer commands:
 * CI runs `npm ci && npm test` itself and test/integration/demo.test.ts runs the demo, so they are not re-run here.
 * ```sh account blocks need a real AWS account and are only checked for the commands they name.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANARY_PLAINTEXT, expectNoCanary } from '../helpers/canary.ts';
import { createKmsKey } from '../helpers/awscli.ts';
import { ensureBuilt, projectRoot, useEmulator } from '../helpers/emulator.ts';

interface Block { readonly kind: string; readonly lines: readonly string[] }

/** The fenced code blocks whose info string starts with `sh`, with their second word (local, account). */
function shellBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```sh(?: (\w+))?\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(fence)) {
    blocks.push({ kind: match[1] ?? '', lines: (match[2] ?? '').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')) });
  }
  return blocks;
}

describe('README commands', () => {
  const emulator = useEmulator();
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const blocks = shellBlocks(readme);

  it('marks every shell block as local or account', () => {
    expect(blocks.length).to.be.greaterThan(2);
    expect(blocks.map((b) => b.kind).filter((k) => k !== 'local' && k !== 'account')).to.deep.equal([]);
  });

  it('gives the two newcomer commands: the demo and the test command', () => {
    const lines = blocks.filter((b) => b.kind === 'local').flatMap((b) => b.lines.map((l) => l.split('#')[0]?.trim()));
    expect(lines).to.include('npm ci && npm run demo');
    expect(lines).to.include('npm ci && npm test');
    const ci = readFileSync(join(projectRoot, '.ci/run'), 'utf8');
    expect(ci).to.match(/^npm ci\b.*$/m);
    expect(ci).to.match(/^npm test$/m);
  });

  it('runs every local command successfully against the emulator without printing the value', function () {
    this.timeout(180_000);
    const cli = ensureBuilt('dist/cli.mjs');
    createKmsKey(emulator().env, 'alias/kms-secrets');
    const work = mkdtempSync(join(tmpdir(), 'ks-readme-'));
    const bin = join(work, '.bin');
    mkdirSync(bin);
    mkdirSync(join(work, 'secrets'));
    symlinkSync(join(projectRoot, 'examples'), join(work, 'examples'));
    writeFileSync(join(bin, 'kms-secrets'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
    chmodSync(join(bin, 'kms-secrets'), 0o755);
    const commands = blocks.filter((b) => b.kind === 'local').flatMap((b) => b.lines).filter((l) => !l.startsWith('npm '));
    expect(commands.length).to.be.greaterThan(4);
    const script = ['set -euo pipefail', ...commands].join('\n');
    const run = spawnSync('bash', ['-c', script], {
      cwd: work, encoding: 'utf8',
      env: { ...process.env, ...emulator().env, PATH: `${bin}:${join(projectRoot, '.venv/bin')}:${process.env.PATH ?? ''}`, NEW_PASSWORD: CANARY_PLAINTEXT, NO_COLOR: '1' },
    });
    expect(run.status, run.stderr).to.equal(0);
    const report = JSON.parse(readFileSync(join(work, 'sync-report.json'), 'utf8')) as { calls: Record<string, number> };
    expect(report.calls, 'the second sync decrypts nothing and lists once').to.deep.equal({ 'SecretsManager.ListSecrets': 1 });
    expectNoCanary([run.stdout, run.stderr, readFileSync(join(work, 'secrets/payments.yaml'), 'utf8'), JSON.stringify(report)]);
  });

  it('names only SAM and build commands in the blocks that need an AWS account', () => {
    const accountLines = blocks.filter((b) => b.kind === 'account').flatMap((b) => b.lines);
    expect(accountLines.length).to.be.greaterThan(0);
    for (const line of accountLines) expect(line).to.match(/^(npm ci && npm run build|sam build && sam deploy)/);
  });
});
