import { expect } from 'chai';
import { serializeResponse, submitResponse, type CfnResponse } from '../../../core/cfn-response.ts';
import { MAX_RESPONSE_BYTES } from '../../../core/constants.ts';
import { createLogger } from '../../../core/log.ts';
import { capturingTransport } from '../../helpers/capturing-transport.ts';
import { rejectionOf } from '../../helpers/reject.ts';

const base: CfnResponse = { Status: 'FAILED', Reason: 'x', PhysicalResourceId: 'KmsSecrets::CREATE_FAILED', StackId: 'arn:stack', RequestId: 'r', LogicalResourceId: 'L', NoEcho: true };

describe('serializeResponse', () => {
  it('leaves a body within the limit untouched', () => {
    expect(serializeResponse(base)).to.equal(JSON.stringify(base));
  });

  for (const [what, reason] of [['ASCII', 'a'.repeat(9000)], ['multi-byte', 'ÅÄÖ€'.repeat(2000)], ['JSON-escaped', '"\\\n'.repeat(3000)]] as const) {
    it(`cuts a long ${what} Reason so the body is at most 4096 bytes`, () => {
      const body = serializeResponse({ ...base, Reason: reason });
      expect(Buffer.byteLength(body)).to.be.at.most(MAX_RESPONSE_BYTES).and.above(MAX_RESPONSE_BYTES - 64);
      expect((JSON.parse(body) as CfnResponse).Reason).to.match(/ \[truncated\]$/);
    });
  }
});

describe('submitResponse', () => {
  it('sends a PUT with an empty content-type and the byte length of a non-ASCII body', async () => {
    const captured = capturingTransport();
    await submitResponse('https://s3.example/x?sig=1', { ...base, Reason: 'ÅÄÖ' }, { transport: captured.transport, log: createLogger(() => {}) });
    expect(captured.requests[0]?.headers).to.deep.equal({ 'content-type': '', 'content-length': String(Buffer.byteLength(captured.requests[0]?.body ?? '')) });
    expect(captured.requests[0]?.body).to.include('ÅÄÖ');
  });

  it('gives up at once on a 403 (an expired or tampered URL does not heal)', async () => {
    const captured = capturingTransport([403]);
    const error = await rejectionOf(submitResponse('https://s3.example/x?sig=1', base, { transport: captured.transport, log: createLogger(() => {}), sleep: async () => {} }));
    expect(error.message).to.match(/HTTP 403/).and.include('https://s3.example/x?***');
    expect(captured.requests).to.have.length(1);
  });
});
