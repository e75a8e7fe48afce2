/**
 * The local AWS emulator (moto) for mocha integration tests: one moto_server per test process, shared by every
 * file that calls `useEmulator()`, reset before each file so each starts from an empty account.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Emulator {
  readonly endpoint: string;
  /** AWS_ENDPOINT_URL, dummy credentials and region us-east-1. */
  readonly env: Readonly<Record<string, string>>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

let shared: Promise<Emulator> | undefined;
/** Test files using the emulator that have not finished yet; the last one stops it so the process can exit. */
let users = 0;

/** Starts moto once per process (stopped when the process exits). */
export function sharedEmulator(): Promise<Emulator> {
  // A non-literal specifier: scripts/emulator.mjs is plain JavaScript without type declarations.
  const script = new URL('../../scripts/emulator.mjs', import.meta.url).href;
  shared ??= (import(script) as Promise<{ startEmulator: () => Promise<Emulator> }>).then((m) => m.startEmulator());
  return shared;
}

/**
 * Mocha fixture: in `before`, starts (or reuses) the emulator, resets it and copies its env into process.env, so SDK
 * clients and bundles imported afterwards talk to it. Returns a getter for the running emulator.
 */
export function useEmulator(): () => Emulator {
  let current: Emulator | undefined;
  users += 1;
  after(async () => {
    users -= 1;
    if (users === 0 && shared) {
      const running = shared;
      shared = undefined;
      await (await running).stop();
    }
  });
  before(async function () {
    this.timeout(120_000);
    current = await sharedEmulator();
    await current.reset();
    Object.assign(process.env, current.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  });
  return () => {
    if (!current) throw new Error('useEmulator(): the emulator is not running yet (use it inside a test or hook)');
    return current;
  };
}

/** Builds dist/ when `file` is missing (the default `npm test` builds first; a direct mocha run may not have). */
export function ensureBuilt(file: string): string {
  const path = fileURLToPath(new URL(`../../${file}`, import.meta.url));
  if (!existsSync(path)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, stdio: 'inherit' });
  if (!existsSync(path)) throw new Error(`${file} is missing and could not be built (run npm run build)`);
  return path;
}
