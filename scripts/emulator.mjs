// Starts and stops the local AWS emulator (moto in server mode) on a free 127.0.0.1 port.
// Tests, benchmarks and the demo point the AWS SDK at it through AWS_ENDPOINT_URL with dummy credentials.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { ensureVenv, venvBin } from './ensure-venv.mjs';

/** Environment variables that point the AWS SDK (and awscli) at the emulator with throw-away credentials. */
export function emulatorEnv(endpoint) {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(endpoint, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode} before serving`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${deadlineMs} ms`);
}

/**
 * Starts moto_server on a free loopback port and resolves once it answers.
 * @returns {Promise<{ endpoint: string, port: number, env: Record<string,string>, reset: () => Promise<void>, stop: () => Promise<void> }>}
 */
export async function startEmulator({ attempts = 3 } = {}) {
  ensureVenv({ quiet: true });
  let lastError;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn(venvBin('moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
    try {
      await waitUntilServing(endpoint, child, 30_000);
    } catch (error) {
      child.kill('SIGKILL');
      lastError = new Error(`${error.message}\n${stderr}`);
      continue;
    }
    const stop = () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    // moto's reset endpoint forgets every resource, so each test file can start from an empty account.
    const reset = async () => { await (await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })).arrayBuffer(); };
    process.once('exit', () => child.kill('SIGKILL'));
    return { endpoint, port, env: emulatorEnv(endpoint), reset, stop };
  }
  throw lastError;
}
