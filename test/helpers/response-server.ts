/**
 * A local HTTP server standing in for CloudFormation's presigned S3 ResponseURL: it checks the PUT protocol of
 * every response and keeps the bodies. Its URLs carry a fake signature query so tests can prove it is never logged.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CfnResponse } from '../../core/cfn-response.ts';
import { expectValidResponse } from './response-protocol.ts';

/** The query string of every URL the server hands out: a credential in real life, so it must never be logged. */
export const RESPONSE_URL_SECRET = 'X-Amz-Signature=0ddba11c0ffee5ecre7';

export interface ResponseServer {
  /** A fresh ResponseURL (unique path) with the secret query. */
  url(): string;
  readonly responses: { path: string; body: string; parsed: CfnResponse; headers: IncomingHttpHeaders }[];
  /** Protocol violations seen (asserted by the test, since a server thread cannot fail a test itself). */
  readonly violations: string[];
  close(): Promise<void>;
}

export async function startResponseServer(): Promise<ResponseServer> {
  const responses: ResponseServer['responses'] = [];
  const violations: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        responses.push({ path: req.url ?? '', body, headers: req.headers, parsed: expectValidResponse(req.method ?? '', req.headers, body) });
      } catch (error) {
        violations.push(error instanceof Error ? error.message : String(error));
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let n = 0;
  return {
    url: () => `http://127.0.0.1:${port}/cfn-response/${++n}?${RESPONSE_URL_SECRET}`,
    responses,
    violations,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); }),
  };
}
