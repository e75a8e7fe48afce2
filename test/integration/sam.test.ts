/**
 * The install path of the README (`sam build && sam deploy --guided`) up to the point that needs an AWS account:
 * the SAM CLI from the project's .venv validates template.yaml and builds it, and each function's artefact is
 * exactly its one bundle, byte for byte the dist/*.mjs every other test exercises.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, projectRoot } from '../helpers/emulator.ts';

function sam(args: readonly string[]): { status: number | null; output: string } {
  const run = spawnSync(join(projectRoot, '.venv/bin/sam'), [...args], {
    cwd: projectRoot, encoding: 'utf8',
    // No telemetry and no update check: the test machine has no internet, and a test must not phone home.
    env: { ...process.env, SAM_CLI_TELEMETRY: '0', SAM_CLI_DISABLE_VERSION_CHECK: '1', AWS_DEFAULT_REGION: 'us-east-1', AWS_REGION: 'us-east-1' },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('sam build of template.yaml', () => {
  it('validates the template with SAM\'s own linter', function () {
    this.timeout(120_000);
    const run = sam(['validate', '--lint', '-t', 'template.yaml']);
    expect(run.status, run.output).to.equal(0);
    expect(run.output).to.contain('is a valid SAM Template');
  });

  it('packages each function as exactly its own bundle', function () {
    this.timeout(120_000);
    const buildDir = mkdtempSync(join(tmpdir(), 'ks-sam-'));
    try {
      const run = sam(['build', '-t', 'template.yaml', '--build-dir', buildDir]);
      expect(run.status, run.output).to.equal(0);
      for (const [fn, bundle] of [['MacroFunction', 'macro.mjs'], ['ProviderFunction', 'handler.mjs']] as const) {
        expect(readdirSync(join(buildDir, fn)), fn).to.deep.equal([bundle]);
        const shipped = readFileSync(join(buildDir, fn, bundle));
        expect(shipped.equals(readFileSync(ensureBuilt(`dist/${bundle}`))), `${fn} ships dist/${bundle}`).to.equal(true);
      }
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
    }
  });
});
