// A CliContext that captures output, for running commands in-process.
import type { CliContext } from '../../../cli/command.ts';

export interface CapturedContext extends CliContext {
  readonly out: string[];
  readonly err: string[];
}

export function captureContext(overrides: Partial<CliContext> = {}): CapturedContext {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out, err,
    stdout: (text) => { out.push(text); },
    stderr: (text) => { err.push(text); },
    env: {},
    cwd: process.cwd(),
    color: false,
    debug: false,
    readStdin: async () => new Uint8Array(),
    ...overrides,
  };
}
