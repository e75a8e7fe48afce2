/**
 * Terminal plumbing shared by the CLI entry and commands: colour rules and one-line error rendering.
 */

/** Colour only on a terminal, and never when NO_COLOR is set to a non-empty value (no-color.org). */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTty: boolean): boolean {
  return isTty && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}

/** Wraps `text` in an ANSI colour when `enabled`. */
export function paint(text: string, color: 'red' | 'yellow' | 'dim', enabled: boolean): string {
  if (!enabled) return text;
  const code = { red: 31, yellow: 33, dim: 2 }[color];
  return `\u001b[${code}m${text}\u001b[0m`;
}

/** An error as the one line the CLI prints: line breaks folded, so every error is exactly one line of stderr. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** `kms-secrets: error: <message>` (red "error" on a colour terminal). */
export function errorLine(message: string, color: boolean): string {
  return `kms-secrets: ${paint('error', 'red', color)}: ${oneLine(message)}\n`;
}

/** `kms-secrets: note: <message>` for a diagnostic that is not a failure. */
export function noteLine(message: string, color: boolean): string {
  return `kms-secrets: ${paint('note', 'yellow', color)}: ${oneLine(message)}\n`;
}

/** `value` as the one JSON document a `--json` command prints on stdout. */
export function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
