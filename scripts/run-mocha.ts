// Runs every test/**/*.test.ts with mocha's spec reporter and ends with the line `N passed, N failed`.
// Arguments narrow the run: `npm test -- test/unit` or `npm test -- --grep transformTemplate`.
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

function testFiles(root: string): string[] {
  if (statSync(root).isFile()) return [resolve(root)];
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const path = join(root, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [resolve(path)] : [];
  });
}

const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
const roots = args.filter((arg, i) => !arg.startsWith('--') && (grepAt < 0 || i !== grepAt + 1));

const mocha = new Mocha({ reporter: 'spec', timeout: 60_000, ...(grep ? { grep } : {}) });
for (const file of (roots.length > 0 ? roots : ['test']).flatMap(testFiles).sort()) mocha.addFile(file);
try {
  await mocha.loadFilesAsync();
} catch (error) {
  // A test file that does not even load (syntax or import error) must still end the run with the summary line.
  process.stderr.write(`could not load the tests: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.stdout.write('\n0 passed, 1 failed\n');
  process.exit(1);
}
mocha.run((failures) => {
  process.exitCode = failures > 0 ? 1 : 0;
}).on('end', function (this: Mocha.Runner) {
  const stats = this.stats ?? { passes: 0, failures: 0 };
  process.stdout.write(`\n${stats.passes} passed, ${stats.failures} failed\n`);
});
