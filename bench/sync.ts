// bench/sync: AWS calls by operation and wall time of `sync` (cli/sync.ts over the core, as the command runs it) with
// N secrets against moto: (a) all new at the default concurrency, (b) all unchanged, (c) 5 changed, and, as the
// baseline measured in the same run, (a) at concurrency 1. Targets (issue 4): (b) no Decrypt and at most
// ceil(N/100)+1 Secrets Manager calls; (c) exactly 5 Decrypts; (a) at least 4x faster than the baseline.
// A probe of the emulator itself (the same cheap call at concurrency 1 and 8) shows how far moto lets parallel
// requests overlap. Run: npm run bench:sync   (BENCH_SECRETS=500, BENCH_ROUNDS=3)
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createAwsPorts, type AwsPorts } from '../core/aws.ts';
import { SECRET_NAME_CONTEXT_KEY } from '../core/constants.ts';
import { fingerprintOf, type SecretSpec } from '../core/spec.ts';
import { DEFAULT_CONCURRENCY, runPool } from '../cli/pool.ts';
import type { DesiredSecret } from '../cli/secrets-file.ts';
import { syncSecrets } from '../cli/sync.ts';
import { createKmsKey } from '../test/helpers/awscli.ts';
import { sharedEmulator } from '../test/helpers/emulator.ts';
import { median } from './stats.ts';

const N = Number(process.env.BENCH_SECRETS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CHANGED = 5;
// Round-trip time the latency proxy adds to every request: an in-Region call to KMS or Secrets Manager takes about
// this long over the network, which moto on loopback does not have.
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 25);

interface Sample { label: string; ms: number; calls: Record<string, number>; failed: number; outcomes: Record<string, number>; motoCpuMs?: number }

/** The moto_server process serving `port` (Linux /proc), to read how much CPU the emulator burns during a run. */
function motoPid(port: string): string | undefined {
  try {
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).find((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv.some((a) => a.endsWith('moto_server')) && argv.includes(port);
      } catch { return false; }
    });
  } catch { return undefined; }
}

/** User + system CPU time of `pid` in ms (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: string | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch { return undefined; }
}
let MOTO_PID: string | undefined;

/** N desired secrets named `<prefix>/sNNN`, each one value encrypted (through KMS, bound to its name) in this run. */
async function secretsFor(ports: AwsPorts, keyId: string, prefix: string, version: string, only?: Set<number>, base?: DesiredSecret[], count = N): Promise<DesiredSecret[]> {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const made = await runPool(indexes, 16, async (i) => {
    if (base && !only?.has(i)) return base[i] as DesiredSecret;
    const name = `${prefix}/s${String(i).padStart(3, '0')}`;
    const context = { [SECRET_NAME_CONTEXT_KEY]: name };
    const { ciphertext } = await ports.kms.encrypt({ keyId, plaintext: Buffer.from(`bench-${version}-${i}`), encryptionContext: context });
    const spec: SecretSpec = { name, values: [{ ciphertext: Buffer.from(ciphertext).toString('base64'), encryptionContext: context }], tags: [] };
    return { spec, fingerprint: fingerprintOf(spec.values), files: ['bench.yaml'], sources: [`bench.yaml: Secrets[${i}]`] };
  });
  return made.map((r) => { if (r.status === 'rejected') throw r.reason; return r.value; });
}

async function measure(label: string, desired: DesiredSecret[], owner: string, concurrency: number, viaProxy = false): Promise<Sample> {
  // createAwsPorts caches SDK clients per configuration and a client reads AWS_ENDPOINT_URL when built: an explicit
  // region is a separate configuration, so the proxied runs get their own clients, built while the proxy is set.
  const ports = createAwsPorts(viaProxy ? { region: 'us-east-1' } : {});
  const cpuBefore = cpuMs(MOTO_PID);
  const started = performance.now();
  const report = await syncSecrets(ports, desired, { owner, concurrency });
  const ms = performance.now() - started;
  const cpuAfter = cpuMs(MOTO_PID);
  const outcomes: Record<string, number> = {};
  for (const r of report.results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  return { label, ms, calls: { ...ports.calls }, failed: report.failed, outcomes, ...(cpuBefore !== undefined && cpuAfter !== undefined ? { motoCpuMs: cpuAfter - cpuBefore } : {}) };
}

/** The same cheap Secrets Manager call M times at concurrency 1 and 8: how much moto itself overlaps requests. */
async function emulatorProbe(name: string): Promise<{ c1: number; c8: number }> {
  const ports = createAwsPorts();
  const m = 200;
  const time = async (c: number) => { const t = performance.now(); await runPool(Array.from({ length: m }), c, () => ports.secrets.describe(name)); return performance.now() - t; };
  await time(8);
  return { c1: await time(1), c8: await time(8) };
}

/** An HTTP proxy in front of moto that holds every response `ms` before passing it on (network latency). */
async function latencyProxy(target: string, ms: number): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => setTimeout(() => { res.writeHead(answer.statusCode ?? 502, answer.headers); res.end(Buffer.concat(chunks)); }, ms));
    });
    out.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(out);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

async function main(): Promise<void> {
  const emulator = await sharedEmulator();
  Object.assign(process.env, emulator.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  const proxy = await latencyProxy(emulator.endpoint, LATENCY_MS);
  MOTO_PID = motoPid(new URL(emulator.endpoint).port);
  const rounds: Sample[][] = [];
  const probes: { c1: number; c8: number }[] = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Every all-new run starts from the same state: a reset account holding only 20 warm-up secrets (moto's
      // calls slow down as its store grows, so sharing one account would favour whichever run goes first).
      const fresh = async () => {
        await emulator.reset();
        const keyId = createKmsKey(emulator.env);
        const setup = createAwsPorts();
        const warm = await secretsFor(setup, keyId, 'warm', 'v1', undefined, undefined, 20);
        await syncSecrets(createAwsPorts(), warm, { owner: 'cli:warm', concurrency: DEFAULT_CONCURRENCY });
        return { keyId, setup };
      };
      const samples: Sample[] = [];
      let env = await fresh();
      samples.push(await measure('baseline: all new, concurrency 1', await secretsFor(env.setup, env.keyId, 'c1', 'v1'), 'cli:c1', 1));
      env = await fresh();
      const main = await secretsFor(env.setup, env.keyId, 'c8', 'v1');
      const changed = new Set(Array.from({ length: CHANGED }, (_, i) => Math.floor((i * N) / CHANGED)));
      const main2 = await secretsFor(env.setup, env.keyId, 'c8', 'v2', changed, main);
      samples.push(await measure(`(a) all new, concurrency ${DEFAULT_CONCURRENCY}`, main, 'cli:c8', DEFAULT_CONCURRENCY));
      samples.push(await measure('(b) all unchanged', main, 'cli:c8', DEFAULT_CONCURRENCY));
      samples.push(await measure(`(c) ${CHANGED} changed`, main2, 'cli:c8', DEFAULT_CONCURRENCY));
      probes.push(await emulatorProbe(main[0]?.spec.name ?? ''));
      // The same all-new pair through the latency proxy: what parallelism buys when each call waits on the
      // network rather than on moto's CPU.
      for (const [label, concurrency, prefix] of [[`baseline +${LATENCY_MS} ms RTT, concurrency 1`, 1, 'l1'], [`(a) +${LATENCY_MS} ms RTT, concurrency ${DEFAULT_CONCURRENCY}`, DEFAULT_CONCURRENCY, 'l8']] as const) {
        env = await fresh();
        const desired = await secretsFor(env.setup, env.keyId, prefix, 'v1');
        process.env.AWS_ENDPOINT_URL = proxy.url;
        samples.push(await measure(label, desired, `cli:${prefix}`, concurrency, true));
        process.env.AWS_ENDPOINT_URL = emulator.endpoint;
      }
      rounds.push(samples);
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${samples.map((s) => `${s.label.split(':')[0]} ${s.ms.toFixed(0)} ms`).join(', ')}\n`);
    }
  } finally {
    await proxy.close();
    await emulator.stop();
  }
  const labels = rounds[0]?.map((s) => s.label) ?? [];
  process.stdout.write(`\nsync of ${N} secrets on moto, median of ${ROUNDS} round(s); calls by operation (SDK retries not counted)\n`);
  const medians = labels.map((label, i) => {
    const ms = median(rounds.map((r) => r[i]?.ms ?? 0));
    const cpu = rounds.every((r) => r[i]?.motoCpuMs !== undefined) ? median(rounds.map((r) => r[i]?.motoCpuMs ?? 0)) : undefined;
    const calls = rounds[0]?.[i]?.calls ?? {};
    const same = rounds.every((r) => JSON.stringify(r[i]?.calls) === JSON.stringify(calls));
    const callText = Object.entries(calls).sort().map(([op, n]) => `${op}=${n}`).join(' ');
    const busy = cpu === undefined ? '' : `  moto CPU ${cpu.toFixed(0)} ms (${((cpu / ms) * 100).toFixed(0)}% of wall)`;
    process.stdout.write(`  ${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  ${callText}${same ? '' : '  (calls varied between rounds)'}  failed=${rounds[0]?.[i]?.failed}${busy}\n`);
    return { label, ms, calls };
  });
  const sm = (calls: Record<string, number>) => Object.entries(calls).filter(([op]) => op.startsWith('SecretsManager.')).reduce((a, [, n]) => a + n, 0);
  const [baseline, a, b, c, latencyBaseline, latencyA] = medians;
  const ceiling = Math.ceil(N / 100) + 1;
  const speedup = (baseline?.ms ?? 0) / (a?.ms ?? 1);
  const probe = { c1: median(probes.map((p) => p.c1)), c8: median(probes.map((p) => p.c8)) };
  process.stdout.write([
    '',
    `  (b) Decrypt calls: ${b?.calls['KMS.Decrypt'] ?? 0} (target 0); Secrets Manager calls: ${sm(b?.calls ?? {})} (target <= ${ceiling})`,
    `  (c) Decrypt calls: ${c?.calls['KMS.Decrypt'] ?? 0} (target ${CHANGED})`,
    `  (a) vs baseline: ${speedup.toFixed(2)}x faster (target >= 4x)`,
    `  (a) vs baseline with ${LATENCY_MS} ms RTT per call: ${((latencyBaseline?.ms ?? 0) / (latencyA?.ms ?? 1)).toFixed(2)}x faster`,
    `  emulator probe, 200 DescribeSecret: concurrency 1 ${probe.c1.toFixed(0)} ms, concurrency 8 ${probe.c8.toFixed(0)} ms (${(probe.c1 / probe.c8).toFixed(2)}x): the most moto lets parallel requests overlap`,
    '',
  ].join('\n'));
}

await main();
