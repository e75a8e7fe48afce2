/**
 * Makes any value safe to log: presigned URLs lose their query (the ResponseURL is a credential), value-bearing
 * fields are masked, and prototype-polluting keys are dropped. The logger applies it to everything, so redaction
 * never depends on the call site remembering it (the drift aws-cdk's runtime shows).
 */
import { PROTOTYPE_KEYS } from './constants.ts';

/** What masked fields are replaced with. */
export const MASK = '*****';

/** Fields whose value is, or may be, secret material: always masked whatever their type. */
const MASKED_KEYS = new Set(['plaintext', 'secretstring', 'secretbinary', 'password', 'authorization', 'x-amz-security-token']);
const URL_WITH_QUERY = /\b(https?:\/\/[^\s?"'#]+)\?[^\s"']*/g;

/** `protocol//host/path?***`: enough to see where a response went, useless to forge one (aws-cdk `loggingSafeUrl`). */
export function loggingSafeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?***' : ''}`;
  } catch {
    return url.replace(URL_WITH_QUERY, '$1?***');
  }
}

/** A redacted deep copy of `value`: strings lose URL queries; masked keys become `*****`; depth is bounded. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(URL_WITH_QUERY, '$1?***');
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[…]';
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (PROTOTYPE_KEYS.has(key)) continue;
    out[key] = MASKED_KEYS.has(key.toLowerCase()) ? MASK : redact(item, depth + 1);
  }
  return out;
}
