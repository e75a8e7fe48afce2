/**
 * awscli against the emulator: a real, independent producer of KMS ciphertext (`aws kms encrypt`), exactly as users
 * run it. Plaintext goes through a temporary file (fileb://), never a command-line argument.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './emulator.ts';

/** Runs `.venv/bin/aws <args>` with `env` (the emulator's) and returns stdout, trimmed. */
export function awsCli(args: readonly string[], env: Readonly<Record<string, string>>): string {
  return execFileSync(join(projectRoot, '.venv', 'bin', 'aws'), [...args], {
    env: { ...process.env, ...env, AWS_PAGER: '' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Creates a symmetric KMS key (and optionally an alias) and returns its key ID. */
export function createKmsKey(env: Readonly<Record<string, string>>, alias?: string): string {
  const keyId = awsCli(['kms', 'create-key', '--output', 'text', '--query', 'KeyMetadata.KeyId'], env);
  if (alias) awsCli(['kms', 'create-alias', '--alias-name', alias, '--target-key-id', keyId], env);
  return keyId;
}

/** `aws kms encrypt ... --output text --query CiphertextBlob`: the base64 ciphertext a user would commit. */
export function awsKmsEncrypt(env: Readonly<Record<string, string>>, keyId: string, plaintext: string, encryptionContext?: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kms-secrets-'));
  try {
    const file = join(dir, 'plaintext');
    writeFileSync(file, plaintext, { mode: 0o600 });
    const context = encryptionContext ? ['--encryption-context', Object.entries(encryptionContext).map(([k, v]) => `${k}=${v}`).join(',')] : [];
    return awsCli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', `fileb://${file}`, ...context, '--output', 'text', '--query', 'CiphertextBlob'], env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
