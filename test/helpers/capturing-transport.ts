/** An in-memory Transport that records every response PUT and checks its protocol as it arrives. */
import type { CfnResponse, HttpRequest, Transport } from '../../core/cfn-response.ts';
import { expectValidResponse } from './response-protocol.ts';

export interface CapturingTransport {
  readonly transport: Transport;
  readonly requests: HttpRequest[];
  /** Parsed bodies, in order. */
  readonly responses: CfnResponse[];
  /** Status codes (or 'throw') to answer with, in order; then 200. */
  readonly script: (number | 'throw')[];
}

export function capturingTransport(script: (number | 'throw')[] = []): CapturingTransport {
  const captured: CapturingTransport = {
    requests: [],
    responses: [],
    script,
    transport: async (request) => {
      captured.requests.push(request);
      captured.responses.push(expectValidResponse(request.method, { ...request.headers }, request.body));
      const next = captured.script.shift() ?? 200;
      if (next === 'throw') throw new Error('connect ECONNRESET');
      return { statusCode: next };
    },
  };
  return captured;
}
