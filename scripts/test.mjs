// The one test command (`npm test`, and `.ci/run`): Python tools, type-check, build, then every mocha test.
// Its last line is always `N passed, N failed`, even when a step before the tests fails.
import { spawnSync } from 'node:child_process';
import { ensureVenv } from './ensure-venv.mjs';

function step(name, command, args) {
  process.stderr.write(`\n> ${name}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status === 0;
}

function fail(what) {
  process.stdout.write(`\n${what} failed before the tests ran\n0 passed, 1 failed\n`);
  process.exitCode = 1;
}

try {
  ensureVenv();
} catch (error) {
  fail(`setting up .venv (${error.message})`);
}
if (process.exitCode !== 1) {
  if (!step('type-check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])) fail('type-check');
  else if (!step('build', process.execPath, ['scripts/build.mjs'])) fail('build');
  else {
    const mocha = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/run-mocha.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exitCode = mocha.status ?? 1;
  }
}
