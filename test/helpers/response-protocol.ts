/** The checks every custom-resource response must pass, whoever carries it (capturing transport or local server). */
import { expect } from 'chai';
import { MAX_RESPONSE_BYTES } from '../../core/constants.ts';
import type { CfnResponse } from '../../core/cfn-response.ts';

/** Asserts the PUT protocol (aws-facts.md §2.2) and returns the parsed body. */
export function expectValidResponse(method: string, headers: Record<string, string | string[] | undefined>, body: string): CfnResponse {
  expect(method).to.equal('PUT');
  expect(headers['content-type'], 'content-type must be empty').to.equal('');
  expect(Number(headers['content-length']), 'content-length must be the byte length').to.equal(Buffer.byteLength(body));
  expect(Buffer.byteLength(body), 'body must fit CloudFormation\'s limit').to.be.at.most(MAX_RESPONSE_BYTES);
  const parsed = JSON.parse(body) as CfnResponse;
  expect(parsed.Status).to.be.oneOf(['SUCCESS', 'FAILED']);
  expect(parsed.PhysicalResourceId, 'PhysicalResourceId').to.be.a('string').that.is.not.empty;
  expect(Buffer.byteLength(parsed.PhysicalResourceId)).to.be.at.most(1024);
  expect(parsed.StackId).to.be.a('string').that.is.not.empty;
  expect(parsed.RequestId).to.be.a('string').that.is.not.empty;
  expect(parsed.LogicalResourceId).to.be.a('string').that.is.not.empty;
  expect(parsed.NoEcho).to.equal(true);
  if (parsed.Status === 'FAILED') expect(parsed.Reason, 'Reason is required on FAILED').to.be.a('string').that.is.not.empty;
  if (parsed.Data) expect(Object.keys(parsed.Data).sort()).to.deep.equal(['Arn', 'Name', 'VersionId']);
  return parsed;
}
