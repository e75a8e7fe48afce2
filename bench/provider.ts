// bench/provider: AWS calls per lifecycle step of dist/handler.mjs against moto, its size, and its cold import time
// next to an esbuild bundle of just the two SDK clients built in this run with the same options (the baseline).
// Targets (issue 3): Create = exactly one Decrypt; unchanged Update = no Decrypt, no write; bundle <= 400 KB;
// import <= 1.3x the bare clients. Run: npm run bench:provider
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { awsKmsEncrypt, createKmsKey } from '../test/helpers/awscli.ts';
import { captureOutput, parseLogLines } from '../test/helpers/capture-output.ts';
import { createEvent, deleteEvent, lambdaContext, updateEvent } from '../test/helpers/cfn-events.ts';
import { ensureBuilt, projectRoot, sharedEmulator } from '../test/helpers/emulator.ts';
import { startResponseServer } from '../test/helpers/response-server.ts';
import { median } from './stats.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);

async function lifecycleCalls(): Promise<void> {
  const emulator = await sharedEmulator();
  Object.assign(process.env, emulator.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  const server = await startResponseServer();
  try {
    const { handler } = await import(pathToFileURL(join(projectRoot, 'dist/handler.mjs')).href) as { handler: (e: CloudFormationCustomResourceEvent, c: object) => Promise<void> };
    const key = createKmsKey(emulator.env);
    const bound = { SecretName: 'bench/db' };
    const a = awsKmsEncrypt(emulator.env, key, 'bench-value-a', bound);
    const b = awsKmsEncrypt(emulator.env, key, 'bench-value-b', bound);
    const props = (ct: string, extra: Record<string, unknown> = {}) => ({ Name: 'bench/db', Values: [{ Ciphertext: ct, EncryptionContext: bound }], ...extra });
    let arn = '';
    const steps: [string, (url: string) => CloudFormationCustomResourceEvent][] = [
      ['Create', (u) => createEvent(u, 'Db', props(a))],
      ['Create (re-delivered)', (u) => createEvent(u, 'Db', props(a))],
      ['Update, ciphertext unchanged', (u) => updateEvent(u, 'Db', arn, props(a, { Description: 'd' }), props(a))],
      ['Update, ciphertext changed', (u) => updateEvent(u, 'Db', arn, props(b, { Description: 'd' }), props(a, { Description: 'd' }))],
      ['Update, rollback to old', (u) => updateEvent(u, 'Db', arn, props(a, { Description: 'd' }), props(b, { Description: 'd' }))],
      ['Delete', (u) => deleteEvent(u, 'Db', arn, props(a))],
      ['Delete (CREATE_FAILED marker)', (u) => deleteEvent(u, 'Db', 'KmsSecrets::CREATE_FAILED', props(a))],
    ];
    process.stdout.write('\nAWS calls per lifecycle step (dist/handler.mjs on moto)\n');
    for (const [label, event] of steps) {
      const url = server.url();
      const { lines } = await captureOutput(() => handler(event(url), lambdaContext()));
      const done = parseLogLines(lines).find((l) => l.message === 'request done' || l.message === 'request failed');
      const response = server.responses.at(-1)?.parsed;
      if (label === 'Create') arn = response?.PhysicalResourceId ?? '';
      const calls = Object.entries((done?.calls ?? {}) as Record<string, number>).map(([op, n]) => `${op}=${n}`).join(' ') || '(none)';
      process.stdout.write(`  ${label.padEnd(32)} ${String(response?.Status).padEnd(8)} ${String(done?.outcome ?? '').padEnd(22)} ${calls}\n`);
    }
  } finally {
    await server.close();
    await emulator.stop();
  }
}

async function bareClientsBundle(): Promise<string> {
  const dir = join(projectRoot, '.bench');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'sdk-clients-entry.mjs');
  // The same clients and commands core/aws.ts uses, and nothing of kms-secrets.
  writeFileSync(entry, [
    "export { KMSClient, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';",
    "export { SecretsManagerClient, CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, ListSecretsCommand, PutSecretValueCommand, RestoreSecretCommand, TagResourceCommand, UntagResourceCommand, UpdateSecretCommand, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';",
  ].join('\n'));
  const outfile = join(dir, 'sdk-clients.mjs');
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', minify: true,
    legalComments: 'none', logLevel: 'warning', mainFields: ['module', 'main'], nodePaths: [join(projectRoot, 'node_modules')],
    banner: { js: "import { createRequire as __ksCreateRequire } from 'node:module'; const require = __ksCreateRequire(import.meta.url);" },
  });
  return outfile;
}

function importMs(file: string): number {
  const script = 'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(file).href], { encoding: 'utf8' }));
}

async function sizeAndImport(): Promise<void> {
  const handlerFile = join(projectRoot, 'dist/handler.mjs');
  const bareFile = await bareClientsBundle();
  const kb = (f: string) => statSync(f).size / 1024;
  const handlerTimes: number[] = [];
  const bareTimes: number[] = [];
  importMs(handlerFile); importMs(bareFile); // warm the OS file cache, not the processes
  for (let i = 0; i < RUNS; i += 1) { handlerTimes.push(importMs(handlerFile)); bareTimes.push(importMs(bareFile)); }
  const ratio = median(handlerTimes) / median(bareTimes);
  process.stdout.write(`\nBundle size\n  dist/handler.mjs                 ${kb(handlerFile).toFixed(1)} KB (target <= 400 KB: ${kb(handlerFile) <= 400 ? 'met' : 'MISSED'})\n`);
  process.stdout.write(`  baseline: two SDK clients only   ${kb(bareFile).toFixed(1)} KB\n`);
  process.stdout.write(`\nCold import, fresh node process each, median of ${RUNS}\n`);
  process.stdout.write(`  dist/handler.mjs                 ${median(handlerTimes).toFixed(1)} ms (min ${Math.min(...handlerTimes).toFixed(1)}, max ${Math.max(...handlerTimes).toFixed(1)})\n`);
  process.stdout.write(`  baseline: two SDK clients only   ${median(bareTimes).toFixed(1)} ms (min ${Math.min(...bareTimes).toFixed(1)}, max ${Math.max(...bareTimes).toFixed(1)})\n`);
  process.stdout.write(`  ratio                            ${ratio.toFixed(2)}x (target <= 1.3x: ${ratio <= 1.3 ? 'met' : 'MISSED'})\n`);
}

ensureBuilt('dist/handler.mjs');
await lifecycleCalls();
await sizeAndImport();
