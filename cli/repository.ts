/**
 * The PATH... arguments of plan and sync: load the secrets files, narrow them with --since, and print every
 * problem as one line on stderr (a bad entry is reported and skipped; the others go ahead).
 */
import { realpath } from 'node:fs/promises';
import { UsageError, type CliContext, type CommandInput } from './command.ts';
import { changedFilesSince } from './git.ts';
import { errorLine } from './io.ts';
import { loadSecrets, onlyFromFiles, type LoadedSecrets } from './secrets-file.ts';
import { stringOption } from './aws-options.ts';

/** Loads the PATHs of `input` (resolved against the context's cwd), narrowed by --since, and reports problems on stderr. */
export async function loadRepository(input: CommandInput, context: CliContext, command: string): Promise<LoadedSecrets> {
  // A --since view holds only some of the repository: everything else would look deleted.
  if (input.values.prune === true && input.values.since !== undefined) throw new UsageError(`${command}: --prune needs the whole repository; it cannot be combined with --since`);
  if (input.positionals.length === 0) throw new UsageError(`${command}: missing PATH (a secrets file or a folder of them)`);
  let loaded = await loadSecrets(input.positionals, context.cwd);
  const since = stringOption(input, 'since', command);
  if (since !== undefined) loaded = onlyFromFiles(loaded, await changedLoadedFiles(loaded.files, since, context.cwd));
  for (const problem of loaded.problems) context.stderr(errorLine(problem.message, context.color));
  return loaded;
}

/**
 * The loaded files git reports as changed since `ref`. Compared as real paths: git prints paths below the real
 * top-level folder, while a PATH given through a symlink (macOS /var, a linked CI workspace) loads files under the
 * link, and an exact match would then silently select nothing.
 */
async function changedLoadedFiles(files: readonly string[], ref: string, cwd: string): Promise<Set<string>> {
  const changed = new Set(await Promise.all([...await changedFilesSince(ref, cwd)].map((file) => realpath(file))));
  const real = await Promise.all(files.map((file) => realpath(file)));
  return new Set(files.filter((_file, i) => changed.has(real[i] as string)));
}

/** Names whose repository entries are broken: sync must never prune them. Undefined when a problem has no name. */
function namesWithProblems(loaded: LoadedSecrets): Set<string> | undefined {
  const names = new Set<string>();
  for (const problem of loaded.problems) {
    if (problem.name === undefined) return undefined;
    names.add(problem.name);
  }
  return names;
}

/**
 * What `--prune` may delete for `loaded`: whether it runs at all (saying on stderr why not), and the broken entries'
 * names it must keep. A file (or an entry's Name) that could not be read hides secrets, which would otherwise look
 * deleted; plan and sync share this so the plan shows what sync does.
 */
export function pruneScope(loaded: LoadedSecrets, prune: boolean, context: CliContext, command: string): { prune: boolean; keep?: ReadonlySet<string> } {
  const keep = namesWithProblems(loaded);
  if (keep === undefined && prune) {
    context.stderr(errorLine(`${command}: not pruning: a secrets file or an entry's Name could not be read, so it is unknown which secrets it holds`, context.color));
  }
  return keep === undefined ? { prune: false } : { prune, keep };
}
