/** Captures everything written to process.stdout and process.stderr while `fn` runs (the real bundle logs there). */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const tap = (chunk: unknown) => { lines.push(...String(chunk).split('\n').filter((l) => l.length > 0)); return true; };
  process.stdout.write = tap as typeof process.stdout.write;
  process.stderr.write = tap as typeof process.stderr.write;
  try {
    return { result: await fn(), lines };
  } finally {
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
  }
}

/** Parses captured JSON log lines (non-JSON lines are returned as `{ raw }`). */
export function parseLogLines(lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { raw: line };
    }
  });
}
