import { expect } from 'chai';
import { join } from 'node:path';
import { handler } from '../../../macro/index.ts';
import { deepFreeze, FIXTURES, PROVIDER_ARN, readJson } from './fixtures.ts';

const ENV = 'KMS_SECRETS_PROVIDER_ARN';
const event = (fragment: unknown, requestId = 'req-1') => deepFreeze({ region: 'us-east-1', accountId: '123456789012', fragment, transformId: '123456789012::KmsSecrets', params: {}, requestId, templateParameterValues: {} });
const fixture = (name: string) => readJson(join(FIXTURES, `forms/${name}.input.json`));
const expected = (name: string) => readJson(join(FIXTURES, `forms/${name}.output.json`));

describe('handler', () => {
  let saved: string | undefined;
  let log: typeof console.log;
  const logged: string[] = [];
  beforeEach(() => {
    saved = process.env[ENV];
    process.env[ENV] = PROVIDER_ARN;
    log = console.log;
    logged.length = 0;
    console.log = (line: string) => { logged.push(line); };
  });
  afterEach(() => {
    console.log = log;
    if (saved === undefined) delete process.env[ENV];
    else process.env[ENV] = saved;
  });

  it('answers success with the transformed fragment and the request ID', async () => {
    const response = await handler(event(fixture('same-name-different-keys')));
    expect(response).to.deep.equal({ requestId: 'req-1', status: 'success', fragment: expected('same-name-different-keys') });
  });

  it('answers success with the fragment unchanged when it holds no token', async () => {
    const response = await handler(event(fixture('no-tokens-unchanged')));
    expect(response.status).to.equal('success');
    expect(response.fragment).to.deep.equal(fixture('no-tokens-unchanged'));
  });

  it('shares no state between calls in one warm container', async () => {
    // GIVEN calls with different tokens, with a token-free template and a refused one in between
    const first = await handler(event(fixture('short-form-string'), 'req-1'));
    const empty = await handler(event({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }, 'req-2'));
    const refused = await handler(event((readJson(join(FIXTURES, 'refusals/conflict-description.json')) as { template: unknown }).template, 'req-3'));
    const other = await handler(event(fixture('same-name-different-keys'), 'req-4'));
    const again = await handler(event(fixture('short-form-string'), 'req-5'));
    // THEN each answer is exactly what a fresh container gives: no secret, ID or condition of another call leaks in
    expect(first.fragment).to.deep.equal(expected('short-form-string'));
    expect(empty).to.deep.equal({ requestId: 'req-2', status: 'success', fragment: { Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } } });
    expect(refused.status).to.equal('failure');
    expect(other.fragment).to.deep.equal(expected('same-name-different-keys'));
    expect(again.fragment).to.deep.equal(expected('short-form-string'));
  });

  it('reads the provider ARN on every call, not once per container', async () => {
    await handler(event(fixture('short-form-string')));
    process.env[ENV] = 'arn:aws:lambda:eu-west-1:123456789012:function:other';
    const response = await handler(event(fixture('short-form-string')));
    expect(JSON.stringify(response.fragment)).to.include('function:other').and.not.include('kms-secrets-provider');
  });

  it('fails with a one-line message when KMS_SECRETS_PROVIDER_ARN is unset', async () => {
    delete process.env[ENV];
    const response = await handler(event(fixture('short-form-string')));
    expect(response.status).to.equal('failure');
    expect(response.requestId).to.equal('req-1');
    expect(response.errorMessage).to.equal("the macro Lambda's environment variable KMS_SECRETS_PROVIDER_ARN must hold the provider Lambda's ARN; it is unset");
  });

  it('fails when KMS_SECRETS_PROVIDER_ARN is not an ARN', async () => {
    process.env[ENV] = 'provider';
    expect((await handler(event(fixture('short-form-string')))).errorMessage).to.match(/it is not an ARN$/);
  });

  for (const [what, bad] of [['null', null], ['a string', 'x'], ['an event without requestId', { fragment: {} }], ['an event with a list fragment', { requestId: 'r', fragment: [] }]] as const) {
    it(`fails without throwing when the event is ${what}`, async () => {
      const response = await handler(bad);
      expect(response.status).to.equal('failure');
      expect(response.errorMessage).to.match(/^malformed macro event: expected /);
    });
  }

  it('fails with the path and never the ciphertext when a template is refused', async () => {
    const template = readJson(join(FIXTURES, 'refusals/token-in-outputs.json')) as { template: { Outputs: { Password: { Value: { 'Fn::KmsSecret': string } } } }; error: string };
    const response = await handler(event(template.template));
    expect(response).to.deep.include({ requestId: 'req-1', status: 'failure', errorMessage: template.error });
    const ciphertext = template.template.Outputs.Password.Value['Fn::KmsSecret'];
    expect(JSON.stringify(logged)).to.not.include(ciphertext);
    expect(response.errorMessage).to.not.include(ciphertext);
  });

  it('answers failure with a generic message when something unexpected throws', async () => {
    // A getter that throws stands in for a bug deep in the walk: its message must not reach CloudFormation.
    const fragment = { Resources: { Db: { Type: 'X', get Properties(): unknown { throw new Error('CANARY-9f3b1c-plaintext'); } } } };
    const response = await handler({ requestId: 'r', fragment });
    expect(response.status).to.equal('failure');
    expect(response.errorMessage).to.equal('internal error in the KmsSecrets macro (Error); the template was not changed');
    expect(JSON.stringify(logged)).to.not.include('CANARY');
  });
});
