import { expect } from 'chai';
import sinon from 'sinon';
import { CREATE_FAILED_MARKER, MAX_RESPONSE_BYTES, NAME_PREFIX_ENV, OWNER_TAG, REQUIRE_BINDING_ENV } from '../../../core/constants.ts';
import { createLogger } from '../../../core/log.ts';
import { createHandler } from '../../../handler/index.ts';
import { CANARY_PLAINTEXT, expectNoCanary } from '../../helpers/canary.ts';
import { capturingTransport } from '../../helpers/capturing-transport.ts';
import { createEvent, deleteEvent, lambdaContext, updateEvent } from '../../helpers/cfn-events.ts';
import { FakeKms, FakeSecrets, fakePorts } from '../../helpers/fake-aws.ts';
import { rejectionOf } from '../../helpers/reject.ts';

const URL_QUERY = 'X-Amz-Signature=deadbeefcafe';
const RESPONSE_URL = `https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3Aaws/req?${URL_QUERY}`;

async function setup(env: Record<string, string> = {}, script: (number | 'throw')[] = []) {
  const kms = new FakeKms();
  const secrets = new FakeSecrets();
  const ports = fakePorts(kms, secrets);
  const captured = capturingTransport(script);
  const logs: string[] = [];
  const sleeps: number[] = [];
  const handler = createHandler({
    ports: () => ports, transport: captured.transport, log: createLogger((line) => logs.push(line)), env,
    sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.5,
  });
  const ciphertext = await kms.encryptToBase64(CANARY_PLAINTEXT, { SecretName: 'app/db' });
  const props = { Name: 'app/db', Values: [{ Ciphertext: ciphertext, EncryptionContext: { SecretName: 'app/db' } }] };
  const outputs = () => [...logs, ...captured.requests.map((r) => r.body)];
  return { kms, secrets, captured, logs, sleeps, handler, ciphertext, props, outputs };
}

describe('createHandler', () => {
  it('answers SUCCESS with the ARN as physical ID and only Arn, Name and VersionId as Data on Create', async () => {
    const { handler, captured, secrets, props, outputs } = await setup();
    await handler(createEvent(RESPONSE_URL, 'DbSecret', props), lambdaContext());
    expect(captured.responses).to.have.length(1);
    const [response] = captured.responses;
    const state = await secrets.describe('app/db');
    expect(response).to.include({ Status: 'SUCCESS', PhysicalResourceId: state?.arn, NoEcho: true, LogicalResourceId: 'DbSecret' });
    expect(response?.Data).to.deep.equal({ Arn: state?.arn, Name: 'app/db', VersionId: Object.keys(state?.versionIdsToStages ?? {})[0] });
    expectNoCanary(outputs(), [URL_QUERY]);
  });

  it('logs one-line JSON projections with the outcome and AWS call counts, never the event', async () => {
    const { handler, logs, props, ciphertext } = await setup();
    await handler(createEvent(RESPONSE_URL, 'DbSecret', props), lambdaContext());
    const done = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'request done');
    expect(done).to.deep.include({ requestType: 'Create', logicalResourceId: 'DbSecret', secretName: 'app/db', outcome: 'created' });
    expect(done?.calls).to.deep.equal({ 'KMS.Decrypt': 1 });
    expectNoCanary(logs, [URL_QUERY, ciphertext]);
  });

  it('answers FAILED with the CREATE_FAILED marker and an actionable Reason when the Create fails', async () => {
    const { handler, captured, secrets, props, outputs } = await setup();
    secrets.seed('app/db', 'theirs');
    await handler(createEvent(RESPONSE_URL, 'DbSecret', props), lambdaContext());
    expect(captured.responses).to.have.length(1);
    expect(captured.responses[0]).to.include({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(captured.responses[0]?.Reason).to.match(/not created by kms-secrets/).and.not.match(/\n\s+at /);
    expect(secrets.currentValue('app/db')).to.equal('theirs');
    expectNoCanary(outputs(), [URL_QUERY]);
  });

  it('answers SUCCESS without any AWS call to the Delete of the CREATE_FAILED marker', async () => {
    const { handler, captured, secrets, kms, props } = await setup();
    await handler(deleteEvent(RESPONSE_URL, 'DbSecret', CREATE_FAILED_MARKER, props), lambdaContext());
    expect(captured.responses[0]).to.include({ Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(secrets.calls).to.deep.equal([]);
    expect(kms.calls).to.deep.equal([]);
  });

  it('answers SUCCESS and leaves the secret alone on a Delete of a secret another stack owns', async () => {
    const { handler, captured, secrets, props } = await setup();
    const arn = secrets.seed('app/db', 'theirs', { [OWNER_TAG]: 'cloudformation:us-east-1:other-stack' });
    await handler(deleteEvent(RESPONSE_URL, 'DbSecret', arn, props), lambdaContext());
    expect(captured.responses[0]).to.include({ Status: 'SUCCESS', PhysicalResourceId: arn });
    expect(secrets.currentValue('app/db')).to.equal('theirs');
  });

  it('keeps the secret when the Delete of a renamed resource arrives after the new logical ID took it over', async () => {
    // GIVEN DbSecret wrote app/db, and the template renamed it to DbPassword with the same Name (Create comes first)
    const { handler, captured, secrets, props, outputs } = await setup();
    await handler(createEvent(RESPONSE_URL, 'DbSecret', props), lambdaContext());
    await handler(createEvent(RESPONSE_URL, 'DbPassword', props), lambdaContext());
    const arn = captured.responses[1]?.PhysicalResourceId ?? '';
    expect(captured.responses[0]?.PhysicalResourceId).to.equal(arn);
    // WHEN CloudFormation cleans up the old logical ID
    await handler(deleteEvent(RESPONSE_URL, 'DbSecret', arn, props), lambdaContext());
    // THEN the secret DbPassword now serves is left alone, and its own Delete still removes it
    expect(captured.responses[2]).to.include({ Status: 'SUCCESS', PhysicalResourceId: arn });
    expect((await secrets.describe(arn))?.deletedDate).to.equal(undefined);
    await handler(deleteEvent(RESPONSE_URL, 'DbPassword', arn, props), lambdaContext());
    expect((await secrets.describe(arn))?.deletedDate).to.be.instanceOf(Date);
    expectNoCanary(outputs(), [URL_QUERY]);
  });

  it('keeps the old physical ID on a failed Update and makes no KMS call on an unchanged Update', async () => {
    const { handler, captured, kms, props } = await setup();
    await handler(createEvent(RESPONSE_URL, 'DbSecret', props), lambdaContext());
    const arn = captured.responses[0]?.PhysicalResourceId ?? '';
    kms.calls.length = 0;
    await handler(updateEvent(RESPONSE_URL, 'DbSecret', arn, { ...props, Description: 'x' }, props), lambdaContext());
    expect(kms.calls).to.deep.equal([]);
    expect(captured.responses[1]).to.include({ Status: 'SUCCESS', PhysicalResourceId: arn });
    await handler(updateEvent(RESPONSE_URL, 'DbSecret', arn, { ...props, RecoveryWindowInDays: '3' }, props), lambdaContext());
    expect(captured.responses[2]).to.include({ Status: 'FAILED', PhysicalResourceId: arn });
    expect(captured.responses[2]?.Reason).to.match(/"DbSecret": property "RecoveryWindowInDays"/);
  });

  it('caps a long Reason so the body stays within 4096 bytes', async () => {
    const { handler, captured } = await setup();
    const name = `app/${'é'.repeat(3000)}`;
    await handler(createEvent(RESPONSE_URL, 'DbSecret', { Name: name, Ciphertext: 'AAAA' }), lambdaContext());
    expect(captured.responses[0]?.Status).to.equal('FAILED');
    expect(captured.responses[0]?.Reason).to.match(/^Custom::KmsSecret "DbSecret": property "Name"/).and.match(/ \[truncated\]$/);
    expect(Buffer.byteLength(captured.requests[0]?.body ?? '')).to.be.at.most(MAX_RESPONSE_BYTES);
  });

  it('refuses a name outside the provider prefix, naming the property', async () => {
    const { handler, captured, props } = await setup({ [NAME_PREFIX_ENV]: 'apps/' });
    await handler(createEvent(RESPONSE_URL, 'DbSecret', props), lambdaContext());
    expect(captured.responses[0]?.Reason).to.match(/property "Name" "app\/db" must start with "apps\/"/);
  });

  it('retries the PUT with growing jittered backoff after network errors and 5xx', async () => {
    const { handler, captured, sleeps, props } = await setup({}, ['throw', 503]);
    await handler(createEvent(RESPONSE_URL, 'DbSecret', props), lambdaContext());
    expect(captured.requests).to.have.length(3);
    expect(new Set(captured.requests.map((r) => r.body)).size).to.equal(1);
    expect(sleeps).to.deep.equal([250, 500]);
  });

  it('rejects with ResponseDeliveryError, without the URL query, when every attempt fails', async () => {
    const { handler, props, logs } = await setup({}, [500, 500, 500, 500, 500]);
    const error = await rejectionOf(handler(createEvent(RESPONSE_URL, 'DbSecret', props), lambdaContext()));
    expect(error.name).to.equal('ResponseDeliveryError');
    expect(error.message).to.include('?***').and.not.include(URL_QUERY);
    expectNoCanary([...logs, error.message], [URL_QUERY]);
  });

  it('sends exactly one FAILED response from the watchdog shortly before the Lambda times out', async () => {
    const clock = sinon.useFakeTimers();
    try {
      const captured = capturingTransport();
      const neverDecrypts = new FakeKms();
      neverDecrypts.decrypt = () => new Promise(() => {});
      const handler = createHandler({ ports: () => fakePorts(neverDecrypts), transport: captured.transport, log: createLogger(() => {}), env: {} });
      const ciphertext = await new FakeKms().encryptToBase64(CANARY_PLAINTEXT);
      const done = handler(createEvent(RESPONSE_URL, 'DbSecret', { Name: 'app/db', Ciphertext: ciphertext }), lambdaContext(20_000));
      await clock.tickAsync(14_999);
      expect(captured.responses).to.have.length(0);
      await clock.tickAsync(2);
      await done;
      expect(captured.responses).to.have.length(1);
      expect(captured.responses[0]).to.include({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
      expect(captured.responses[0]?.Reason).to.match(/timed out/);
    } finally {
      clock.restore();
    }
  });
});

describe('createHandler with REQUIRE_BINDING_ENV', () => {
  it('refuses a value without a SecretName encryption context when the provider requires binding', async () => {
    const kms = new FakeKms();
    const captured = capturingTransport();
    const handler = createHandler({ ports: () => fakePorts(kms), transport: captured.transport, log: createLogger(() => {}), env: { [REQUIRE_BINDING_ENV]: 'true' } });
    const ciphertext = await kms.encryptToBase64(CANARY_PLAINTEXT);
    await handler(createEvent(RESPONSE_URL, 'DbSecret', { Name: 'app/db', Ciphertext: ciphertext }), lambdaContext());
    expect(captured.responses[0]).to.include({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(captured.responses[0]?.Reason).to.match(/requires an EncryptionContext "SecretName"/);
    expect(kms.calls).to.deep.equal([]);
  });
});
