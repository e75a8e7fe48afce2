/**
 * Adds or replaces one entry in a secrets file's `Secrets:` list by editing the text in place.
 * A load + dump would drop comments and reflow the file; an administrator's review diff must show only the entry.
 */
import { dump, getScalarValue, load, parseEvents, type Event, type ScalarEvent } from 'js-yaml';
import { isDeepStrictEqual } from 'node:util';

/** One secrets-file entry as `kms-secrets encrypt` writes it. */
export interface EncryptedEntry {
  readonly name: string;
  readonly key?: string;
  readonly ciphertext: string;
  readonly encryptionContext?: Readonly<Record<string, string>>;
}

/** Raised when the file's shape cannot be edited without touching other content. */
export class SecretsFileEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsFileEditError';
  }
}

interface TreeNode {
  readonly kind: 'scalar' | 'sequence' | 'mapping' | 'alias';
  readonly start: number;
  end: number;
  readonly flow: boolean;
  readonly children: TreeNode[];
  readonly event: Event;
}

function scalarText(value: string): string {
  return dump(value, { lineWidth: -1 }).trimEnd();
}

/** The entry as block YAML lines; `indent` is the column of its `- ` marker. */
export function renderEntry(entry: EncryptedEntry, indent = 0): string {
  const pad = ' '.repeat(indent);
  const lines = [`${pad}- Name: ${scalarText(entry.name)}`];
  if (entry.key !== undefined) lines.push(`${pad}  Key: ${scalarText(entry.key)}`);
  lines.push(`${pad}  Ciphertext: ${scalarText(entry.ciphertext)}`);
  const context = Object.entries(entry.encryptionContext ?? {});
  if (context.length > 0) {
    lines.push(`${pad}  EncryptionContext:`);
    for (const [k, v] of context) lines.push(`${pad}    ${scalarText(k)}: ${scalarText(v)}`);
  }
  return `${lines.join('\n')}\n`;
}

function buildTree(events: Event[]): TreeNode | undefined {
  const stack: TreeNode[] = [];
  let root: TreeNode | undefined;
  const attach = (node: TreeNode): void => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root ??= node;
  };
  for (const event of events) {
    if (event.type === 2 || event.type === 3) {
      const node: TreeNode = { kind: event.type === 2 ? 'sequence' : 'mapping', start: event.start, end: event.start, flow: event.style === 2, children: [], event };
      attach(node);
      stack.push(node);
    } else if (event.type === 4) {
      // valueStart/valueEnd exclude the quotes of a 'single' (style 2) or "double" (style 3) quoted scalar.
      const quote = event.style === 2 || event.style === 3 ? 1 : 0;
      attach({ kind: 'scalar', start: event.valueStart - quote, end: event.valueEnd + quote, flow: false, children: [], event });
    } else if (event.type === 5) {
      attach({ kind: 'alias', start: event.anchorStart, end: event.anchorEnd, flow: false, children: [], event });
    } else if (event.type === 6) {
      const done = stack.pop();
      if (done) done.end = Math.max(done.end, ...done.children.map((c) => c.end));
    }
  }
  return root;
}

function scalarOf(source: string, node: TreeNode | undefined): string | undefined {
  return node?.kind === 'scalar' ? getScalarValue(source, node.event as ScalarEvent) : undefined;
}

/** The key and value nodes of `key` in a mapping node. */
function mappingEntry(source: string, mapping: TreeNode, key: string): { key: TreeNode; value: TreeNode } | undefined {
  for (let i = 0; i + 1 < mapping.children.length; i += 2) {
    const k = mapping.children[i];
    const value = mapping.children[i + 1];
    if (k && value && scalarOf(source, k) === key) return { key: k, value };
  }
  return undefined;
}

const mappingValue = (source: string, mapping: TreeNode, key: string): TreeNode | undefined => mappingEntry(source, mapping, key)?.value;

const lineStart = (source: string, at: number): number => source.lastIndexOf('\n', at - 1) + 1;
/** Just past the newline ending the line of the last non-blank character before `at` (block scalars own their trailing blank lines). */
function lineEnd(source: string, at: number): number {
  let end = at;
  while (end > 0 && /\s/.test(source[end - 1] ?? '')) end -= 1;
  const nl = source.indexOf('\n', end);
  return nl < 0 ? source.length : nl + 1;
}

function contextLines(entry: EncryptedEntry, pad: string): string {
  const context = Object.entries(entry.encryptionContext ?? {});
  if (context.length === 0) return '';
  return `${pad}EncryptionContext:\n${context.map(([k, v]) => `${pad}  ${scalarText(k)}: ${scalarText(v)}\n`).join('')}`;
}

/** Rewrites only the Ciphertext and EncryptionContext of an existing entry, so its Description, Tags and comments stay. */
function replaceInItem(source: string, item: TreeNode, entry: EncryptedEntry): string {
  const pad = ' '.repeat(item.start - lineStart(source, item.start));
  const ciphertext = mappingEntry(source, item, 'Ciphertext');
  const context = mappingEntry(source, item, 'EncryptionContext');
  if (ciphertext === undefined) throw new SecretsFileEditError(`the entry for "${entry.name}" has no Ciphertext to replace`);
  const edits: Array<{ from: number; to: number; text: string }> = [];
  const contextText = contextLines(entry, pad);
  edits.push({
    from: ciphertext.key.start,
    to: lineEnd(source, ciphertext.value.end),
    text: `Ciphertext: ${scalarText(entry.ciphertext)}\n${context === undefined ? contextText : ''}`,
  });
  if (context !== undefined) {
    edits.push(contextText === ''
      ? { from: lineStart(source, context.key.start), to: lineEnd(source, context.value.end), text: '' }
      : { from: context.key.start, to: lineEnd(source, context.value.end), text: contextText.slice(pad.length) });
  }
  const edited = edits.sort((a, b) => b.from - a.from).reduce((text, edit) => `${text.slice(0, edit.from)}${edit.text}${text.slice(edit.to)}`, source);
  // The replaced lines end in "\n"; at the end of a file that had no final newline, keep it without one.
  return !source.endsWith('\n') && edited.endsWith('\n') ? edited.slice(0, -1) : edited;
}

function spliceText(source: string, entry: EncryptedEntry): string {
  const root = buildTree(parseEvents(source, {}));
  if (root === undefined || (root.kind === 'scalar' && source.trim() === '')) return `${source}${source === '' || source.endsWith('\n') ? '' : '\n'}Secrets:\n${renderEntry(entry, 2)}`;
  if (root.kind !== 'mapping' || root.flow) throw new SecretsFileEditError('the file must be a block mapping with a top-level "Secrets" key');
  const list = mappingValue(source, root, 'Secrets');
  if (list === undefined) {
    const tail = source.endsWith('\n') ? '' : '\n';
    return `${source}${tail}Secrets:\n${renderEntry(entry, 2)}`;
  }
  if (list.kind === 'scalar' && scalarOf(source, list) === '') {
    // `Secrets:` with no value: the entry goes on the line after the key.
    const key = root.children[root.children.indexOf(list) - 1] ?? list;
    const at = lineEnd(source, key.end);
    const tail = at > 0 && source[at - 1] !== '\n' ? '\n' : '';
    return `${source.slice(0, at)}${tail}${renderEntry(entry, 2)}${source.slice(at)}`;
  }
  if (list.kind === 'sequence' && list.flow && list.children.length === 0) {
    // `Secrets: []`: drop the brackets, keep any comment on that line, and put the entry below.
    const cut = source.indexOf(']', list.start) + 1;
    const rest = source.slice(cut);
    const eol = rest.indexOf('\n');
    const head = source.slice(0, list.start).replace(/[ \t]*$/, '');
    const trailer = eol < 0 ? `${rest}\n` : rest.slice(0, eol + 1);
    return `${head}${trailer}${renderEntry(entry, 2)}${eol < 0 ? '' : rest.slice(eol + 1)}`;
  }
  if (list.kind !== 'sequence' || list.flow) throw new SecretsFileEditError('"Secrets" must be a block list ("- Name: ..." items) to be edited in place');
  const items = list.children;
  const indent = list.start - lineStart(source, list.start);
  const same = items.find((item) => item.kind === 'mapping'
    && scalarOf(source, mappingValue(source, item, 'Name')) === entry.name
    && scalarOf(source, mappingValue(source, item, 'Key')) === entry.key);
  if (same) {
    if (same.flow) throw new SecretsFileEditError(`the entry for "${entry.name}" is a flow mapping; write it as a block to have it replaced`);
    return replaceInItem(source, same, entry);
  }
  const last = items[items.length - 1];
  const at = last ? lineEnd(source, last.end) : lineEnd(source, list.start);
  const tail = at > 0 && source[at - 1] !== '\n' ? '\n' : '';
  return `${source.slice(0, at)}${tail}${renderEntry(entry, indent)}${source.slice(at)}`;
}

function entryObject(entry: EncryptedEntry): Record<string, unknown> {
  return {
    Name: entry.name,
    ...(entry.key !== undefined ? { Key: entry.key } : {}),
    Ciphertext: entry.ciphertext,
    ...(entry.encryptionContext && Object.keys(entry.encryptionContext).length > 0 ? { EncryptionContext: { ...entry.encryptionContext } } : {}),
  };
}

/** True when `after` loads to `before`'s document with exactly `entry` added or replaced. */
function loadsAsExpected(before: string, after: string, entry: EncryptedEntry): boolean {
  const old = (before.trim() === '' ? {} : load(before)) as Record<string, unknown>;
  const list = Array.isArray(old.Secrets) ? [...(old.Secrets as unknown[])] : [];
  const index = list.findIndex((item) => {
    const fields = (item ?? {}) as Record<string, unknown>;
    return fields.Name === entry.name && fields.Key === entry.key;
  });
  if (index >= 0) {
    const { EncryptionContext: _dropped, ...kept } = list[index] as Record<string, unknown>;
    list[index] = { ...kept, ...entryObject(entry) };
  }
  else list.push(entryObject(entry));
  let actual: unknown;
  try {
    actual = load(after);
  } catch {
    return false;
  }
  return isDeepStrictEqual(actual, { ...old, Secrets: list });
}

/**
 * `source` with `entry` added to its `Secrets:` list, or replacing the entry with the same Name and Key;
 * every other byte stays as it was. Refuses (rather than guess) when the result would not load to exactly the
 * old document with that one entry changed.
 */
export function upsertEntryText(source: string, entry: EncryptedEntry): string {
  // A file whose every line ends in CRLF (a Windows checkout) is edited as LF and written back as CRLF, so the
  // new lines match the others; a file with mixed endings is edited as it is.
  const crlf = source.includes('\r\n') && !/(^|[^\r])\n/.test(source);
  const text = crlf ? source.replace(/\r\n/g, '\n') : source;
  const edited = spliceText(text, entry);
  if (!loadsAsExpected(text, edited, entry)) {
    throw new SecretsFileEditError('could not edit the file without changing other content; add the printed entry by hand');
  }
  return crlf ? edited.replace(/\n/g, '\r\n') : edited;
}
