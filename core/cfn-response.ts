/**
 * Delivers a custom-resource response to CloudFormation: the only HTTP in kms-secrets (aws-facts.md §2.2).
 * The ResponseURL is a presigned S3 URL, i.e. a credential: it is only ever logged as `host/path?***`.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MAX_RESPONSE_BYTES } from './constants.ts';
import { ResponseDeliveryError } from './errors.ts';
import type { Logger } from './log.ts';
import { loggingSafeUrl } from './redact.ts';

/** The response body CloudFormation expects (crpg-ref-responses). */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho: boolean;
  readonly Data?: Readonly<Record<string, string>>;
}

/** One HTTP request as the transport sends it: kept plain so a capturing test transport can check the protocol. */
export interface HttpRequest {
  readonly url: string;
  readonly method: 'PUT';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Sends one HTTP request and resolves with its status; rejects on a network error. */
export type Transport = (request: HttpRequest) => Promise<{ statusCode: number }>;

/** The real transport: node:https for S3's presigned URLs, node:http for local test servers. */
export const httpTransport: Transport = (req) => new Promise((resolve, reject) => {
  const url = new URL(req.url);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const outgoing = send(url, { method: req.method, headers: req.headers, timeout: 10_000 }, (response) => {
    response.resume();
    response.on('end', () => resolve({ statusCode: response.statusCode ?? 0 }));
    response.on('error', reject);
  });
  outgoing.on('timeout', () => outgoing.destroy(new Error('response PUT timed out after 10 s')));
  outgoing.on('error', reject);
  outgoing.end(req.body);
});

const TRUNCATED = ' [truncated]';

/**
 * Serializes `response`, shortening Reason (by whole characters) so the body fits CloudFormation's 4096-byte limit.
 * Byte length, not string length, is what counts (aws-facts.md §2.2: AWS's own module gets this wrong).
 */
export function serializeResponse(response: CfnResponse): string {
  const body = JSON.stringify(response);
  if (Buffer.byteLength(body) <= MAX_RESPONSE_BYTES || !response.Reason) return body;
  // Binary search for the longest prefix (in characters, so none is split) whose body fits: JSON escaping makes a
  // character cost 1-6 bytes, so the cut cannot be computed from the excess alone.
  const chars = [...response.Reason];
  const withPrefix = (n: number) => JSON.stringify({ ...response, Reason: chars.slice(0, n).join('') + TRUNCATED });
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (Buffer.byteLength(withPrefix(mid)) <= MAX_RESPONSE_BYTES) low = mid;
    else high = mid - 1;
  }
  return withPrefix(low);
}

/** How `submitResponse` sends: transport and logger, plus retry knobs injected so tests need no real timers. */
export interface SubmitOptions {
  readonly transport: Transport;
  readonly log: Logger;
  /** Sleeps between attempts; injected so tests need no real timers. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly attempts?: number;
  readonly firstDelayMs?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); });

/**
 * PUTs the response to `responseUrl`, retrying network errors, throttling and 5xx with jittered exponential backoff
 * (aws-cdk `withRetries`). Throws ResponseDeliveryError when every attempt failed, so the Lambda error is visible.
 */
export async function submitResponse(responseUrl: string, response: CfnResponse, options: SubmitOptions): Promise<void> {
  const body = serializeResponse(response);
  // An empty Content-Type is what the presigned URL was signed for; a real one breaks the S3 signature.
  const headers = { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) };
  const { attempts = 5, sleep = realSleep, random = Math.random } = options;
  let delay = options.firstDelayMs ?? 500;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const { statusCode } = await options.transport({ url: responseUrl, method: 'PUT', headers, body });
      if (statusCode >= 200 && statusCode < 300) {
        options.log.info('response sent', { status: response.Status, url: loggingSafeUrl(responseUrl), bytes: Buffer.byteLength(body), attempt });
        return;
      }
      last = `HTTP ${statusCode}`;
      if (statusCode < 500 && statusCode !== 429) break;
    } catch (error) {
      last = error instanceof Error ? `${error.name}: ${error.message}` : 'network error';
    }
    options.log.warn('response PUT failed', { url: loggingSafeUrl(responseUrl), attempt, error: last });
    if (attempt < attempts) {
      await sleep(Math.floor(random() * delay));
      delay *= 2;
    }
  }
  throw new ResponseDeliveryError(`could not deliver the ${response.Status} response to ${loggingSafeUrl(responseUrl)}: ${last}`);
}
