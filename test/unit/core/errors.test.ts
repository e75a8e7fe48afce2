import { expect } from 'chai';
import { describeError, OwnershipError, setupProblem } from '../../../core/errors.ts';

function sdkError(name: string, message: string, code?: string): Error {
  const error = new Error(message);
  error.name = name;
  if (code !== undefined) Object.assign(error, { code });
  return error;
}

describe('setupProblem', () => {
  it('tells how to provide credentials when the SDK finds none', () => {
    expect(setupProblem(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'))).to.match(/no AWS credentials found: set AWS_PROFILE/);
  });

  it('tells how to give a Region when the SDK has none', () => {
    expect(setupProblem(sdkError('Error', 'Region is missing'))).to.equal('no AWS Region: pass --region or set AWS_REGION');
  });

  it('names the network error and AWS_ENDPOINT_URL when the endpoint cannot be reached', () => {
    expect(setupProblem(sdkError('Error', 'connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).to.equal('cannot reach the AWS endpoint (ECONNREFUSED); check the network, and AWS_ENDPOINT_URL if it is set');
  });

  it('says expired or rejected credentials apart', () => {
    expect(setupProblem(sdkError('ExpiredTokenException', 'The security token included in the request is expired'))).to.match(/have expired \(ExpiredTokenException\)/);
    expect(setupProblem(sdkError('UnrecognizedClientException', 'The security token included in the request is invalid'))).to.match(/does not accept these credentials/);
  });

  it('is undefined for errors about the secret itself', () => {
    expect(setupProblem(sdkError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.'))).to.equal(undefined);
    expect(setupProblem('not an error')).to.equal(undefined);
  });
});

describe('describeError', () => {
  it('passes kms-secrets errors through verbatim', () => {
    expect(describeError(new OwnershipError('secret "a" is managed by "b"'))).to.equal('secret "a" is managed by "b"');
  });

  it('explains setup failures before falling back to the SDK text on one line', () => {
    expect(describeError(sdkError('Error', 'Region is missing'))).to.equal('no AWS Region: pass --region or set AWS_REGION');
    expect(describeError(sdkError('ThrottlingException', 'Rate\nexceeded'))).to.equal('ThrottlingException: Rate exceeded');
  });
});
