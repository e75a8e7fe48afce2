// `npm run demo`: the main job of kms-secrets on a laptop, no AWS account. A local AWS emulator (moto) stands in for
// KMS and Secrets Manager; the demo plays CloudFormation: it runs examples/ecs-mysql/template.yaml through the real
// macro bundle, sends each generated custom resource's Create, Update and Delete to the real provider bundle, and
// resolves what the consumers would receive. Then the pipeline example goes through `kms-secrets plan` and `sync`.
// Every AWS request passes a counting proxy, so the walk-through can say what each step cost. Exit code 1 on any
// failure. No plaintext is ever printed: every line is checked against the generated values before it is written.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { tsImport } from 'tsx/esm/api';
import { emulatorEnv, startEmulator } from './emulator.mjs';
import { projectRoot } from './ensure-venv.mjs';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const STACK_NAME = 'orders-api';
const STACK_ID = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK_NAME}/${randomUUID()}`;
const PROVIDER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:kms-secrets-ProviderFunction-Demo`;
const EXAMPLE = 'examples/ecs-mysql/template.yaml';
const RESPONSE_URL_QUERY = 'X-Amz-Signature=demo0presigned0credential';
const CLI = join(projectRoot, 'dist/cli.mjs');
const generatedValue = () => randomBytes(18).toString('base64url');

// ------------------------------------------------------------------------------------------ output that cannot leak
const forbidden = [RESPONSE_URL_QUERY];
const printed = [];
const cliOutputs = [];
let stepNumber = 0;
let stepTitle = 'setup';
function say(text = '') {
  for (const needle of forbidden) if (needle && text.includes(needle)) throw new Error('refusing to print a line that holds a secret value');
  printed.push(text);
  process.stdout.write(`${text}\n`);
}
const masked = (value) => `•••••••• (${value.length} characters, masked)`;
const short = (text, n = 28) => (text.length > n ? `${text.slice(0, n)}…` : text);
function step(title) {
  stepNumber += 1;
  stepTitle = title;
  say();
  say(`${stepNumber}. ${title}`);
}
function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  say(`   ✓ ${what}`);
}

// ------------------------------------------------------------------- counting proxy in front of the emulator
function startCountingProxy(target) {
  const counts = new Map();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const targetHeader = String(req.headers['x-amz-target'] ?? '');
      const [service, operation] = targetHeader.split('.');
      const name = `${service === 'TrentService' ? 'KMS' : service === 'secretsmanager' ? 'SecretsManager' : service}.${operation}`;
      if (targetHeader) counts.set(name, (counts.get(name) ?? 0) + 1);
      const upstream = httpRequest(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      });
      upstream.on('error', (error) => { res.writeHead(502).end(String(error)); });
      upstream.end(Buffer.concat(chunks));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    endpoint: `http://127.0.0.1:${server.address().port}`,
    snapshot: () => new Map(counts),
    close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
  })));
}
const callLog = [];
function callsSince(before, proxy) {
  const diff = [];
  for (const [name, n] of proxy.snapshot()) if (n - (before.get(name) ?? 0) > 0) diff.push([name, n - (before.get(name) ?? 0)]);
  return diff;
}
async function counted(proxy, label, fn) {
  const before = proxy.snapshot();
  const result = await fn();
  const diff = callsSince(before, proxy);
  callLog.push({ step: stepNumber, label, diff });
  say(`   AWS calls: ${diff.length === 0 ? 'none' : diff.map(([name, n]) => `${name} ${n}`).join(', ')}`);
  return result;
}

// ------------------------------------------------------------------------- CloudFormation's side of the protocol
function startResponseServer() {
  const bodies = new Map();
  let n = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => { bodies.set(new URL(req.url ?? '/', 'http://x').pathname, Buffer.concat(chunks).toString('utf8')); res.writeHead(200).end(); });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: () => `http://127.0.0.1:${server.address().port}/cfn-response/${++n}?${RESPONSE_URL_QUERY}`,
    bodyFor: (url) => bodies.get(new URL(url).pathname),
    close: () => new Promise((done) => server.close(() => done())),
  })));
}

/** CloudFormation hands custom resources every scalar property as a string (aws-facts §2.6). */
function asSent(value) {
  if (Array.isArray(value)) return value.map(asSent);
  if (value !== null && typeof value === 'object') {
    const key = Object.keys(value).find((k) => k === 'Ref' || k.startsWith('Fn::'));
    if (key) throw new Error(`the demo cannot resolve ${key} in custom resource properties`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asSent(v)]));
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

async function sendToProvider(provider, responses, providerLogs, request) {
  const url = responses.url();
  const event = {
    RequestType: request.type, ServiceToken: PROVIDER_ARN, ResponseURL: url, StackId: STACK_ID, RequestId: randomUUID(),
    LogicalResourceId: request.logicalId, ResourceType: 'Custom::KmsSecret', ResourceProperties: asSent(request.properties),
    ...(request.physicalId ? { PhysicalResourceId: request.physicalId } : {}),
    ...(request.oldProperties ? { OldResourceProperties: asSent(request.oldProperties) } : {}),
  };
  const deadline = Date.now() + 60_000;
  // The provider logs JSON lines on stdout (CloudWatch in Lambda); keep them for the leak check instead of showing them.
  const write = process.stdout.write;
  const captured = [];
  process.stdout.write = (chunk, ...rest) => { captured.push(String(chunk)); const cb = rest.find((r) => typeof r === 'function'); if (cb) cb(); return true; };
  try {
    await provider.handler(event, { getRemainingTimeInMillis: () => deadline - Date.now() });
  } finally {
    process.stdout.write = write;
  }
  const lines = captured.join('').split('\n').filter(Boolean);
  providerLogs.push(...lines);
  const body = responses.bodyFor(url);
  if (body === undefined) throw new Error(`the provider sent no response for ${request.type} ${request.logicalId}`);
  const response = JSON.parse(body);
  if (response.Status !== 'SUCCESS') throw new Error(`${request.type} ${request.logicalId} answered ${response.Status}: ${response.Reason}`);
  return { response, logLines: lines.length };
}

// ----------------------------------------------------------------------- what the consumers of the secret receive
function resolveIntrinsics(node, live) {
  if (Array.isArray(node)) return node.map((item) => resolveIntrinsics(item, live));
  if (node === null || typeof node !== 'object') return node;
  if ('Ref' in node) return live.get(node.Ref)?.arn ?? fail(`Ref ${node.Ref}`);
  if ('Fn::GetAtt' in node) return live.get(node['Fn::GetAtt'][0])?.data[node['Fn::GetAtt'][1]] ?? fail(`GetAtt ${node['Fn::GetAtt']}`);
  if ('Fn::Join' in node) return resolveIntrinsics(node['Fn::Join'][1], live).join(node['Fn::Join'][0]);
  return fail(Object.keys(node)[0]);
  function fail(what) { throw new Error(`the demo cannot resolve ${what}`); }
}

/** Every place outside the generated resources that points at one of them: its path and the intrinsic there. */
function consumersOf(fragment, generatedIds) {
  const found = [];
  const mentions = (node) => generatedIds.some((id) => JSON.stringify(node).includes(`"${id}"`));
  const walk = (node, path) => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}[${i}]`));
    if (node === null || typeof node !== 'object') return undefined;
    const keys = Object.keys(node);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')) && mentions(node)) return found.push({ path, node });
    return keys.forEach((key) => walk(node[key], path ? `${path}.${key}` : key));
  };
  for (const [id, resource] of Object.entries(fragment.Resources)) if (!generatedIds.includes(id)) walk(resource, `Resources.${id}`);
  return found;
}

/** Reads a Reference (`{{resolve:secretsmanager:...}}`), a ValueFrom or a plain ARN the way its consumer would. */
async function readAsConsumer(secrets, sm, text) {
  const reference = /^\{\{resolve:secretsmanager:(arn:[^:]+:secretsmanager:[^:]+:\d+:secret:[^:]+):SecretString:([^:]*):([^:]*):([^:}]*)\}\}$/.exec(text);
  const valueFrom = /^(arn:[^:]+:secretsmanager:[^:]+:\d+:secret:[^:]+):([^:]*):([^:]*):([^:]*)$/.exec(text);
  const match = reference ?? valueFrom;
  if (!match) return { kind: 'Arn', arn: text };
  const [, arn, key, stage, versionId] = match;
  const out = await secrets.send(new sm.GetSecretValueCommand({ SecretId: arn, ...(versionId ? { VersionId: versionId } : stage ? { VersionStage: stage } : {}) }));
  const value = key ? JSON.parse(out.SecretString)[key] : out.SecretString;
  return { kind: reference ? 'Reference' : 'ValueFrom', arn, key, versionId, value };
}

// --------------------------------------------------------------------------------------------------- the steps
function ensureBundles() {
  const bundles = ['dist/macro.mjs', 'dist/handler.mjs', 'dist/cli.mjs'].map((f) => join(projectRoot, f));
  const sources = ['macro', 'handler', 'core', 'cli'].flatMap((dir) => readdirSync(join(projectRoot, dir), { recursive: true })
    .filter((f) => String(f).endsWith('.ts')).map((f) => join(projectRoot, dir, String(f))));
  const newestSource = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  if (bundles.every((b) => existsSync(b) && statSync(b).mtimeMs >= newestSource)) return 'up to date';
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
  return 'built now';
}

/** Runs dist/cli.mjs asynchronously: the counting proxy lives in this process, so a blocking spawn would deadlock. */
function runCli(args, env, { stdin = '', cwd = projectRoot } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status) => {
      cliOutputs.push(stdout, stderr);
      if (status === 0) resolve({ stdout, stderr });
      else reject(new Error(`kms-secrets ${args[0]} exited with ${status}: ${stderr.trim()}`));
    });
    child.stdin.end(stdin);
  });
}

function tokensIn(node, found = []) {
  if (Array.isArray(node)) node.forEach((item) => tokensIn(item, found));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Fn::KmsSecret') found.push(value);
      else tokensIn(value, found);
    }
  }
  return found;
}

/** Step 1-2: the emulator behind the counting proxy, SDK clients for the demo's own look-ups, and the KMS key. */
async function setUp(cleanup) {
  step('Start the local AWS emulator (moto) behind a request counter');
  say(`   bundles dist/macro.mjs, dist/handler.mjs, dist/cli.mjs: ${ensureBundles()}`);
  const emulator = await startEmulator();
  cleanup.push(() => emulator.stop());
  const proxy = await startCountingProxy(emulator.endpoint);
  cleanup.push(() => proxy.close());
  Object.assign(process.env, emulatorEnv(proxy.endpoint), {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    KMS_SECRETS_PROVIDER_ARN: PROVIDER_ARN, KMS_SECRETS_NAME_PREFIX: '', KMS_SECRETS_REQUIRE_BINDING: 'true',
  });
  say(`   emulator ${emulator.endpoint}, counted through ${proxy.endpoint}`);
  const kmsSdk = await import('@aws-sdk/client-kms');
  const sm = await import('@aws-sdk/client-secrets-manager');
  const kms = new kmsSdk.KMSClient({ region: REGION });
  const secrets = new sm.SecretsManagerClient({ region: REGION });
  cleanup.push(async () => { kms.destroy(); secrets.destroy(); });

  step('Create the KMS key (in an account, the kms-secrets stack creates it: template.yaml, Key)');
  await counted(proxy, 'create key', async () => {
    const key = await kms.send(new kmsSdk.CreateKeyCommand({ Description: 'kms-secrets demo' }));
    await kms.send(new kmsSdk.CreateAliasCommand({ AliasName: 'alias/kms-secrets', TargetKeyId: key.KeyMetadata.KeyId }));
    say(`   key ${key.KeyMetadata.Arn}, alias/kms-secrets`);
  });
  return { proxy, secrets, sm, cliEnv: { ...process.env, NO_COLOR: '1' }, providerLogs: [], live: new Map() };
}

/** Encrypts `value` for the example's secret with the CLI, as a developer would; returns the printed entry. */
async function encryptForExample(ctx, label, value) {
  say(`   $ printf '%s' "$${label === 'encrypt' ? 'PASSWORD' : 'NEW_PASSWORD'}" | kms-secrets encrypt --key alias/kms-secrets --name ${ctx.secretName}`);
  const out = await counted(ctx.proxy, label, () => runCli(['encrypt', '--key', 'alias/kms-secrets', '--name', ctx.secretName], ctx.cliEnv, { stdin: value }));
  return load(out.stdout)[0];
}

/** The example with `ciphertext` in every token, through dist/macro.mjs with an event shaped like CloudFormation's. */
async function transformExample(ctx, ciphertext) {
  const { Transform, ...fragment } = structuredClone(ctx.original);
  for (const token of tokensIn(fragment)) token.Ciphertext = ciphertext;
  const out = await ctx.macro.handler({ region: REGION, accountId: ACCOUNT, fragment, transformId: `${ACCOUNT}::KmsSecrets`, params: {}, requestId: randomUUID(), templateParameterValues: {} });
  if (out.status !== 'success') throw new Error(`the macro refused the template: ${out.errorMessage}`);
  const generated = Object.keys(out.fragment.Resources).filter((id) => out.fragment.Resources[id].Type === 'Custom::KmsSecret');
  return { fragment: out.fragment, generated };
}

/** Resolves and reads every consumer of the generated secrets; each must get `expected` (`what` names it). */
async function showConsumers(ctx, fragment, expected, what) {
  const reads = [];
  for (const { path, node } of consumersOf(fragment, ctx.generated)) {
    const text = resolveIntrinsics(node, ctx.live);
    const read = await readAsConsumer(ctx.secrets, ctx.sm, text);
    reads.push(read);
    say(`   ${path} = ${text}`);
    if (read.kind === 'Arn') {
      check([...ctx.live.values()].some((secret) => secret.arn === text), 'the Arn return is exactly the generated secret (the IAM grant covers it alone)');
    } else {
      say(`     GetSecretValue(${read.kind}: version ${read.versionId}${read.key ? `, key ${read.key}` : ''}) → ${masked(read.value)}`);
      check(read.value === expected, `what the consumer receives equals the ${what} password`);
    }
  }
  return reads;
}

/** Steps 3-6: encrypt, transform, Create, and what the consumers receive. */
async function deployExample(ctx, provider, responses) {
  step('Encrypt a generated MySQL password with `kms-secrets encrypt` (the value goes in on stdin)');
  const password = process.env.KMS_SECRETS_DEMO_PASSWORD || generatedValue();
  forbidden.push(password);
  const entry = await encryptForExample(ctx, 'encrypt', password);
  say(`   password   ${masked(password)}`);
  say(`   ciphertext ${short(entry.Ciphertext)} (${Buffer.from(entry.Ciphertext, 'base64').length} bytes; ciphertext is public, safe to commit)`);
  say(`   bound to   EncryptionContext ${JSON.stringify(entry.EncryptionContext)}`);

  step(`Transform ${EXAMPLE} with the macro bundle (dist/macro.mjs), as CloudFormation would`);
  say('   the template holds the ciphertext in its two tokens (pasted in by the demo, as a developer would)');
  const { fragment, generated } = await counted(ctx.proxy, 'transform', async () => {
    const result = await transformExample(ctx, entry.Ciphertext);
    say(`   ${tokensIn(ctx.original).length} Fn::KmsSecret tokens → ${result.generated.length} Custom::KmsSecret resource: ${result.generated.join(', ')}`);
    for (const { path, node } of consumersOf(result.fragment, result.generated)) say(`   ${path}\n     → ${JSON.stringify(node)}`);
    return result;
  });
  check(tokensIn(fragment).length === 0, 'no token left; the processed template holds ciphertext only, never a value');
  ctx.generated = generated;

  step('Play CloudFormation: Create each generated resource with the provider bundle (dist/handler.mjs)');
  for (const id of generated) {
    await counted(ctx.proxy, 'create', async () => {
      const properties = fragment.Resources[id].Properties;
      const { response, logLines } = await sendToProvider(provider, responses, ctx.providerLogs, { type: 'Create', logicalId: id, properties });
      ctx.live.set(id, { arn: response.PhysicalResourceId, data: response.Data, properties });
      say(`   ${id}: ${response.Status}, PhysicalResourceId ${response.PhysicalResourceId}`);
      say(`   Data ${JSON.stringify(response.Data)} (NoEcho ${response.NoEcho}); ${logLines} provider log lines kept for the leak check`);
    });
  }

  step('Resolve what the consumers receive (ECS reads ValueFrom when a task starts)');
  return counted(ctx.proxy, 'consumers read', () => showConsumers(ctx, fragment, password, 'generated'));
}

/** Step 7: a rotated ciphertext; CloudFormation's Update, replayed once as its retries would. */
async function rotateExample(ctx, provider, responses, firstReads) {
  step('Rotate: a new ciphertext in the template, CloudFormation sends Update');
  const rotated = generatedValue();
  forbidden.push(rotated);
  const entry = await encryptForExample(ctx, 'encrypt rotated', rotated);
  say(`   new ciphertext ${short(entry.Ciphertext)} in both tokens; the rest of the template is unchanged`);
  const { fragment, generated } = await transformExample(ctx, entry.Ciphertext);
  check(JSON.stringify(generated) === JSON.stringify(ctx.generated), `same logical ID ${generated.join(', ')}: the secret is updated in place, never replaced`);
  for (const id of generated) {
    const before = ctx.live.get(id);
    const update = { type: 'Update', logicalId: id, physicalId: before.arn, properties: fragment.Resources[id].Properties, oldProperties: before.properties };
    const { response } = await counted(ctx.proxy, 'update', () => sendToProvider(provider, responses, ctx.providerLogs, update));
    check(response.PhysicalResourceId === before.arn, 'same PhysicalResourceId (the secret ARN): no replacement, no delete of the old one');
    say(`   VersionId ${before.data.VersionId} → ${response.Data.VersionId}`);
    ctx.live.set(id, { arn: response.PhysicalResourceId, data: response.Data, properties: update.properties });
    const replay = await counted(ctx.proxy, 'update replayed', () => sendToProvider(provider, responses, ctx.providerLogs, update));
    check(replay.response.Data.VersionId === response.Data.VersionId, 'a replayed Update (CloudFormation retries) gives the same VersionId and writes nothing');
    const { VersionIdsToStages: stages } = await ctx.secrets.send(new ctx.sm.DescribeSecretCommand({ SecretId: before.arn }));
    say(`   versions: ${Object.entries(stages).map(([version, labels]) => `${version}=${labels.join('+')}`).join(', ')}`);
    check(stages[response.Data.VersionId]?.includes('AWSCURRENT') && stages[before.data.VersionId]?.includes('AWSPREVIOUS'), 'new version is AWSCURRENT, the previous one AWSPREVIOUS (rollback can still read it)');
  }
  const reads = await counted(ctx.proxy, 'consumers read', () => showConsumers(ctx, fragment, rotated, 'rotated'));
  const changed = reads.filter((read, i) => read.kind !== 'Arn' && read.versionId !== firstReads[i]?.versionId);
  check(changed.length > 0, 'the consumer\'s ValueFrom text changed, so CloudFormation registers a new task definition and ECS rolls the service');
}

/** Step 8: the stack is deleted; the secret goes into its recovery window. */
async function deleteExample(ctx, provider, responses) {
  step('Delete the stack: CloudFormation sends Delete');
  for (const [id, current] of ctx.live) {
    const request = { type: 'Delete', logicalId: id, physicalId: current.arn, properties: current.properties };
    const { response } = await counted(ctx.proxy, 'delete', () => sendToProvider(provider, responses, ctx.providerLogs, request));
    const described = await ctx.secrets.send(new ctx.sm.DescribeSecretCommand({ SecretId: current.arn }));
    say(`   ${id}: ${response.Status}; DeletedDate ${described.DeletedDate?.toISOString()}`);
    check(described.DeletedDate instanceof Date, 'the secret is scheduled for deletion (7-day recovery window by default), not destroyed');
  }
}

/** Step 9: a copy of examples/pipeline/secrets, re-encrypted with the demo key, through plan, sync, plan, sync. */
async function runPipeline(ctx, cleanup) {
  step('The pipeline: examples/pipeline/secrets through `kms-secrets plan` and `sync`');
  const work = mkdtempSync(join(tmpdir(), 'kms-secrets-demo-'));
  cleanup.push(async () => rmSync(work, { recursive: true, force: true }));
  cpSync(join(projectRoot, 'examples/pipeline/secrets'), join(work, 'secrets'), { recursive: true });
  const values = new Map();
  say('   the example\'s ciphertexts are illustrative: re-encrypt each entry with the demo key and fresh values');
  say(`   $ printf '%s' "$VALUE" | kms-secrets encrypt --key alias/kms-secrets --name NAME [--json-key KEY] --to secrets/FILE`);
  await counted(ctx.proxy, 'encrypt pipeline', async () => {
    for (const file of readdirSync(join(work, 'secrets')).filter((f) => /\.ya?ml$/.test(f))) {
      for (const entry of load(readFileSync(join(work, 'secrets', file), 'utf8')).Secrets) {
        const value = generatedValue();
        forbidden.push(value);
        values.set(`${entry.Name}\0${entry.Key ?? ''}`, value);
        const args = ['encrypt', '--key', 'alias/kms-secrets', '--name', entry.Name, ...(entry.Key ? ['--json-key', entry.Key] : []), '--to', join('secrets', file)];
        await runCli(args, ctx.cliEnv, { stdin: value, cwd: work });
      }
    }
  });
  for (const args of [['plan', 'secrets/'], ['sync', 'secrets/'], ['plan', 'secrets/'], ['sync', 'secrets/']]) {
    say(`   $ kms-secrets ${args.join(' ')}`);
    await counted(ctx.proxy, args[0], async () => {
      const out = await runCli(args, ctx.cliEnv, { cwd: work });
      for (const line of out.stdout.trimEnd().split('\n')) say(`     ${line}`);
    });
  }
  const stored = new Map();
  let matching = 0;
  for (const [id, value] of values) {
    const [name, key] = id.split('\0');
    if (!stored.has(name)) stored.set(name, (await ctx.secrets.send(new ctx.sm.GetSecretValueCommand({ SecretId: name }))).SecretString);
    if ((key ? JSON.parse(stored.get(name))[key] : stored.get(name)) === value) matching += 1;
  }
  check(matching === values.size, `all ${values.size} values read back from Secrets Manager match what was encrypted (${stored.size} secrets)`);
  return work;
}

/** The calls of every step, their cost in an account, and the final leak check over everything captured. */
function summarize(providerLogs) {
  say();
  say('What it cost, in AWS API requests (counted at the emulator\'s door):');
  const totals = new Map();
  for (const { label, diff } of callLog) {
    if (diff.length === 0) continue;
    say(`   ${label.padEnd(18)} ${diff.map(([name, n]) => `${name} ${n}`).join(', ')}`);
    for (const [name, n] of diff) totals.set(name.split('.')[0], (totals.get(name.split('.')[0]) ?? 0) + n);
  }
  const kmsCalls = totals.get('KMS') ?? 0;
  const smCalls = totals.get('SecretsManager') ?? 0;
  say(`   total: ${kmsCalls} KMS requests ($0.03 per 10,000) and ${smCalls} Secrets Manager requests ($0.05 per 10,000): $${((kmsCalls * 0.03 + smCalls * 0.05) / 10_000).toFixed(6)} in an account`);
  say('   recurring: $0.40 a month per secret, $1 a month for the key; the macro makes no AWS call at all.');
  const everything = [...printed, ...providerLogs, ...cliOutputs];
  const leaks = forbidden.filter((needle) => everything.some((text) => text.includes(needle)));
  if (leaks.length > 0) throw new Error(`${leaks.length} secret value(s) appeared in captured output`);
  say(`   ✓ no secret value and no ResponseURL credential in ${printed.length} printed lines, ${providerLogs.length} provider log lines or ${cliOutputs.length / 2} CLI runs`);
}

async function main() {
  const cleanup = [];
  try {
    say('kms-secrets demo: examples/ecs-mysql end to end, then the pipeline example, on a local AWS emulator.');
    say('No AWS account is used and nothing leaves this machine. Secret values are generated and never printed.');
    const ctx = await setUp(cleanup);
    const { loadCloudFormationYaml } = await tsImport('../cli/yaml.ts', import.meta.url);
    ctx.original = loadCloudFormationYaml(readFileSync(join(projectRoot, EXAMPLE), 'utf8'), EXAMPLE);
    const names = [...new Set(tokensIn(ctx.original).map((token) => token.Name))];
    if (names.length !== 1 || typeof names[0] !== 'string') throw new Error(`${EXAMPLE}: expected the tokens of one named secret`);
    ctx.secretName = names[0];
    ctx.macro = await import(pathToFileURL(join(projectRoot, 'dist/macro.mjs')).href);
    const provider = await import(pathToFileURL(join(projectRoot, 'dist/handler.mjs')).href);
    const responses = await startResponseServer();
    cleanup.push(() => responses.close());

    const firstReads = await deployExample(ctx, provider, responses);
    await rotateExample(ctx, provider, responses, firstReads);
    await deleteExample(ctx, provider, responses);
    const work = await runPipeline(ctx, cleanup);

    step('Stop the emulator');
    await runCleanup(cleanup);
    say(`   emulator stopped; the work copy ${relative(tmpdir(), work)} removed`);
    summarize(ctx.providerLogs);
    say();
    say('demo passed');
  } finally {
    await runCleanup(cleanup);
  }
}

async function runCleanup(cleanup) {
  while (cleanup.length > 0) {
    try {
      await cleanup.pop()();
    } catch {
      // Best effort: a failed stop must not hide the demo's own outcome.
    }
  }
}

try {
  await main();
} catch (error) {
  let message = error instanceof Error ? error.message : String(error);
  for (const needle of forbidden) if (needle) message = message.split(needle).join('•••');
  process.stderr.write(`\ndemo FAILED at step ${stepNumber} (${stepTitle}): ${message}\n`);
  process.exitCode = 1;
}
