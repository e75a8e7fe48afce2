/**
 * `--since GIT_REF`: which secrets files changed since a ref, so a pipeline syncs only what a push touched.
 * Uses `git diff --name-only` against the working tree, so uncommitted edits count as changes too.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Raised when git is missing, the directory is not a repository, or the ref does not exist. */
export class GitError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitError';
  }
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0] ?? '';
    throw new GitError(`git ${args[0]} failed in "${cwd}": ${stderr || (error as Error).message}`, { cause: error });
  }
}

/**
 * Absolute paths of the files that differ between `ref` and the working tree, or are new and not yet committed
 * (untracked, not ignored), and still exist (a deleted file has no secrets left to sync; `--prune` handles
 * removals, and it refuses `--since`).
 */
export async function changedFilesSince(ref: string, cwd: string = process.cwd()): Promise<Set<string>> {
  if (ref.startsWith('-')) throw new GitError(`--since: "${ref}" is not a git ref`);
  const top = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch((error: unknown) => {
    throw new GitError(`--since: unknown git ref "${ref}"`, { cause: error });
  });
  const changed = await git(top, ['diff', '--name-only', '-z', '--no-renames', ref, '--']);
  // git diff leaves out files git does not track yet; a secrets file just written by `encrypt --to` is one.
  const added = await git(top, ['ls-files', '--others', '--exclude-standard', '-z']);
  return new Set(`${changed}${added}`.split('\0').filter((name) => name !== '').map((name) => resolve(top, name)).filter((path) => existsSync(path)));
}

/** `path` relative to the working directory `cwd`, for messages (absolute when it lies outside `cwd`). */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
