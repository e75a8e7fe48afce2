// Creates the git-ignored .venv from requirements-dev.txt when it is missing or stale, so a fresh clone needs only
// Node, npm, Python 3 and pip. A stamp file holding the requirements' hash makes the check a single file read.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const venvDir = join(projectRoot, '.venv');
export const venvBin = (name) => join(venvDir, 'bin', name);

const requirements = join(projectRoot, 'requirements-dev.txt');
const stamp = join(venvDir, '.requirements-sha256');

function run(command, args) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** Installs the pinned Python test tools into .venv unless the installed set already matches requirements-dev.txt. */
export function ensureVenv({ quiet = false } = {}) {
  const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted && existsSync(venvBin('moto_server'))) return;
  if (!quiet) process.stderr.write('setting up .venv from requirements-dev.txt (moto, cfn-lint, awscli, SAM CLI)...\n');
  if (!existsSync(venvBin('python'))) run(process.env.PYTHON ?? 'python3', ['-m', 'venv', venvDir]);
  run(venvBin('python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  writeFileSync(stamp, `${wanted}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureVenv();
