// Bundles the three shipped artefacts with esbuild: the two Lambda handlers and the CLI.
// The AWS SDK is bundled, not taken from the Lambda runtime, so what ships is exactly what the tests exercise
// and cold start does not pay for resolving the runtime's multi-file SDK (aws-facts.md §6).
import { build } from 'esbuild';
import { chmod, copyFile, mkdir, rm } from 'node:fs/promises';

const shared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Prefer the SDK's ES module builds: esbuild's node default ('main' first) picks its CommonJS builds, which cannot
  // be tree-shaken (every command and schema of each client ships; dist/handler.mjs 536 KB instead of ~360 KB).
  mainFields: ['module', 'main'],
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __ksCreateRequire } from 'node:module'; const require = __ksCreateRequire(import.meta.url);" },
};

const entries = [
  { in: 'macro/index.ts', out: 'dist/macro.mjs' },
  { in: 'handler/index.ts', out: 'dist/handler.mjs' },
  { in: 'cli/index.ts', out: 'dist/cli.mjs', shebang: true },
];

const started = Date.now();
await Promise.all(entries.map(async (entry) => {
  const result = await build({
    ...shared,
    entryPoints: [entry.in],
    outfile: entry.out,
    metafile: false,
    banner: entry.shebang ? { js: `#!/usr/bin/env node\n${shared.banner.js}` } : shared.banner,
  });
  const unsupported = result.warnings.filter((w) => w.id === 'unsupported-require-call');
  if (unsupported.length > 0) throw new Error(`${entry.in}: esbuild left ${unsupported.length} unsupported require() call(s)`);
  if (entry.shebang) await chmod(entry.out, 0o755);
}));

// Each Lambda function ships a folder holding only its own bundle (template.yaml CodeUri), so a deploy uploads a few
// KB for the macro instead of every bundle. Byte-for-byte copies: what ships is exactly what the tests import.
for (const [folder, file] of [['macro', 'macro.mjs'], ['provider', 'handler.mjs']]) {
  const dir = `dist/lambda/${folder}`;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyFile(`dist/${file}`, `${dir}/${file}`);
}
process.stderr.write(`built ${entries.map((e) => e.out).join(', ')} in ${Date.now() - started} ms\n`);
