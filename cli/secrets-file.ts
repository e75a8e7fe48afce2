/**
 * Loads pipeline secrets files (a file, or every .yaml/.yml below a folder) into the core's SecretSpecs.
 * Entries go through the macro's token grammar and grouping, so a secrets file and a template can never disagree on
 * what a property means; a bad entry is reported (file, entry, property) and only its own secret is skipped.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { fingerprintOf, type SecretSpec } from '../core/spec.ts';
import { createTokenGrouper, toSecretSpec, type TokenOccurrence } from '../macro/group.ts';
import { describeType, isPlainObject } from '../macro/json.ts';
import { parseTokenProperties, type TokenProperty } from '../macro/token.ts';
import { displayPath } from './git.ts';

/** The token properties a secrets-file entry may hold (Return, DeletionPolicy and RecoveryWindowInDays are template-only). */
export const ENTRY_PROPERTIES: readonly TokenProperty[] = ['Name', 'Ciphertext', 'Key', 'EncryptionContext', 'Description', 'Tags', 'KmsKeyId'];
// What error messages call one item of a secrets file: 'Secrets[1] "db": entry property "Key" ...'.
const SUBJECT = 'entry';

/** One secret the repository asks for, with every place (file and entry) it is defined. */
export interface DesiredSecret {
  readonly spec: SecretSpec;
  readonly fingerprint: string;
  readonly files: readonly string[];
  readonly sources: readonly string[];
}

/** A file or entry that could not be used. `name` is set when the problem belongs to one secret. */
export interface SecretsProblem {
  readonly file: string;
  readonly message: string;
  readonly name?: string;
}

/** What a set of secrets files holds: the usable secrets, the problems, and which secret names each file mentions. */
export interface LoadedSecrets {
  readonly files: readonly string[];
  readonly secrets: readonly DesiredSecret[];
  readonly problems: readonly SecretsProblem[];
  /** File → the Names its entries give, valid or not (so `--since` can tell which broken secrets it touches). */
  readonly names: ReadonlyMap<string, ReadonlySet<string>>;
}

interface EntryOccurrence extends TokenOccurrence {
  readonly file: string;
}

/** Raised when a PATH does not exist, holds no secrets file, or a file or folder under it cannot be read. */
export class SecretsPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsPathError';
  }
}

const YAML_FILE = /\.ya?ml$/i;

/**
 * The secrets files a list of PATHs names, absolute and sorted; folders are walked (dot-folders and node_modules
 * skipped). PATHs resolve against `cwd`, and error messages name paths relative to it. Symlinks to files and folders
 * are followed, as someone who links a shared secrets file in expects; a file reached twice (a link and its target,
 * overlapping PATHs) is listed once, or its secrets would conflict with themselves: under a path that passes no
 * symlink when there is one, else the first in sorted order.
 */
export async function listSecretsFiles(paths: readonly string[], cwd: string = process.cwd()): Promise<string[]> {
  const found = new Map<string, { path: string; viaLink: boolean }>();
  const add = async (path: string, viaLink: boolean): Promise<void> => {
    const real = await realpath(path);
    const listed = found.get(real);
    if (listed === undefined || (listed.viaLink && !viaLink) || (listed.viaLink === viaLink && path < listed.path)) found.set(real, { path, viaLink });
  };
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (info === undefined) throw new SecretsPathError(`${displayPath(absolute, cwd)}: no such file or folder`);
    if (!info.isDirectory()) await add(absolute, false);
    else if (await walkFolder(absolute, cwd, add) === 0) throw new SecretsPathError(`${displayPath(absolute, cwd)}: folder holds no .yaml or .yml file`);
  }
  return [...found.values()].map((file) => file.path).sort();
}

/**
 * Calls `add` for each secrets file below `root` and returns how many it met. Each folder is walked once, by its real
 * path (the guard against symlink loops), and the real tree before any linked folder, so its own paths are met.
 */
async function walkFolder(root: string, cwd: string, add: (file: string, viaLink: boolean) => Promise<void>): Promise<number> {
  const walked = new Set<string>();
  const real: string[] = [root];
  const linked: string[] = [];
  let met = 0;
  while (real.length + linked.length > 0) {
    // Linked folders (and everything below them) wait until the real tree is done.
    const viaLink = real.length === 0;
    const dir = (viaLink ? linked : real).pop() as string;
    const key = await realpath(dir);
    if (walked.has(key)) continue;
    walked.add(key);
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      throw new SecretsPathError(`${displayPath(dir, cwd)}: cannot read the folder (${error.code ?? 'read error'})`);
    });
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const isLink = entry.isSymbolicLink();
      const info = isLink ? await stat(path).catch((error: NodeJS.ErrnoException) => error) : entry;
      if (info instanceof Error) {
        // A dangling (or looping) link named like a secrets file hides secrets: say so rather than skip it.
        if (YAML_FILE.test(entry.name)) throw new SecretsPathError(`${displayPath(path, cwd)}: cannot follow the symlink (${info.code ?? 'error'})`);
      } else if (info.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') (viaLink || isLink ? linked : real).push(path);
      } else if (info.isFile() && YAML_FILE.test(entry.name)) {
        met += 1;
        await add(path, viaLink || isLink);
      }
    }
  }
  return met;
}

/** The entries of one secrets file's text, as occurrences for the grouper, plus the problems found. */
export function parseSecretsFile(file: string, text: string): { occurrences: EntryOccurrence[]; problems: SecretsProblem[] } {
  const shown = displayPath(file);
  const fileProblem = (message: string) => ({ occurrences: [], problems: [{ file, message: `${shown}: ${message}` }] });
  let document: unknown;
  try {
    document = text.trim() === '' ? { Secrets: [] } : load(text, { filename: shown });
  } catch (error) {
    const yaml = error as { reason?: string; mark?: { line: number; column: number } };
    const at = yaml.mark ? `line ${yaml.mark.line + 1}, column ${yaml.mark.column + 1}: ` : '';
    return fileProblem(`not valid YAML: ${at}${yaml.reason ?? (error as Error).message}`);
  }
  if (!isPlainObject(document)) return fileProblem(`must be a mapping with a "Secrets" list; got ${describeType(document)}`);
  const unknown = Object.keys(document).filter((key) => key !== 'Secrets');
  if (unknown.length > 0) return fileProblem(`has unknown top-level key "${unknown[0]}"; a secrets file holds only "Secrets"`);
  const list = document.Secrets;
  if (!Array.isArray(list)) return fileProblem(`"Secrets" must be a list of entries; got ${describeType(list)}`);
  const occurrences: EntryOccurrence[] = [];
  const problems: SecretsProblem[] = [];
  list.forEach((entry: unknown, index) => {
    const rawName = isPlainObject(entry) && typeof entry.Name === 'string' ? entry.Name : undefined;
    const path = `${shown}: Secrets[${index}]${rawName !== undefined ? ` "${rawName}"` : ''}`;
    try {
      const token = parseTokenProperties(entry, path, { requireName: true, allowIntrinsics: false, allowedProperties: ENTRY_PROPERTIES, subject: SUBJECT });
      occurrences.push({ token, path, file });
    } catch (error) {
      problems.push({ file, message: (error as Error).message, ...(rawName !== undefined ? { name: rawName } : {}) });
    }
  });
  return { occurrences, problems };
}

/** Groups entries into secrets (same Name, different Keys: one JSON secret); a conflict skips that one secret. */
export function groupEntries(occurrences: readonly EntryOccurrence[], problems: SecretsProblem[]): DesiredSecret[] {
  const grouper = createTokenGrouper<EntryOccurrence>(SUBJECT);
  const failed = new Set(problems.flatMap((p) => (p.name !== undefined ? [p.name] : [])));
  for (const occurrence of occurrences) {
    const name = occurrence.token.name as string;
    try {
      grouper.add(occurrence);
    } catch (error) {
      failed.add(name);
      problems.push({ file: occurrence.file, message: (error as Error).message, name });
    }
  }
  const secrets: DesiredSecret[] = [];
  for (const group of grouper.groups()) {
    if (typeof group.name === 'string' && failed.has(group.name)) continue;
    try {
      const spec = toSecretSpec(group);
      const files = [...new Set(group.occurrences.map((o) => o.file))];
      secrets.push({ spec, fingerprint: fingerprintOf(spec.values), files, sources: group.occurrences.map((o) => o.path) });
    } catch (error) {
      problems.push({ file: group.occurrences[0]?.file ?? '', message: (error as Error).message, ...(typeof group.name === 'string' ? { name: group.name } : {}) });
    }
  }
  return secrets.sort((a, b) => (a.spec.name < b.spec.name ? -1 : a.spec.name > b.spec.name ? 1 : 0));
}

/**
 * Reads and groups every secrets file under `paths` (resolved against `cwd`, which error messages are relative to).
 * Throws SecretsPathError for a missing PATH or an unreadable file.
 */
export async function loadSecrets(paths: readonly string[], cwd: string = process.cwd()): Promise<LoadedSecrets> {
  const files = await listSecretsFiles(paths, cwd);
  const occurrences: EntryOccurrence[] = [];
  const problems: SecretsProblem[] = [];
  const names = new Map<string, Set<string>>();
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new SecretsPathError(`${displayPath(file, cwd)}: cannot read it (${error.code ?? 'read error'})`);
    });
    const parsed = parseSecretsFile(file, text);
    occurrences.push(...parsed.occurrences);
    problems.push(...parsed.problems);
    names.set(file, new Set([...parsed.occurrences.map((o) => o.token.name as string), ...parsed.problems.flatMap((p) => (p.name !== undefined ? [p.name] : []))]));
  }
  return { files, secrets: groupEntries(occurrences, problems), problems, names };
}

/** Only the secrets defined (at least in part) in `files`, and only the problems found in them (`--since`). */
export function onlyFromFiles(loaded: LoadedSecrets, files: ReadonlySet<string>): LoadedSecrets {
  const touched = new Set([...files].flatMap((file) => [...(loaded.names.get(file) ?? [])]));
  return {
    files: loaded.files.filter((file) => files.has(file)),
    // Every entry of a selected secret is kept, also from unchanged files: a JSON secret is written whole.
    secrets: loaded.secrets.filter((secret) => secret.files.some((file) => files.has(file))),
    // Likewise a problem in an unchanged file that breaks a selected secret: it is why that secret is not written.
    problems: loaded.problems.filter((problem) => files.has(problem.file) || (problem.name !== undefined && touched.has(problem.name))),
    names: new Map([...loaded.names].filter(([file]) => files.has(file))),
  };
}
