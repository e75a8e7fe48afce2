/**
 * The one logger: single-line JSON, every field passed through `redact`. Callers log projections (request type,
 * logical ID, secret name, outcome, call counts), never a whole event.
 */
import { redact } from './redact.ts';

/** The levels the one logger writes; CloudWatch filters on them. */
export type LogLevel = 'info' | 'warn' | 'error';

/** The logger every module receives: message plus fields, each entry one redacted JSON line. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger writing one JSON line per entry to `sink` (stdout by default, which Lambda sends to CloudWatch). */
export function createLogger(sink: (line: string) => void = (line) => { process.stdout.write(`${line}\n`); }, base: Record<string, unknown> = {}): Logger {
  const emit = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    sink(JSON.stringify(redact({ level, message, ...base, ...fields })));
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
