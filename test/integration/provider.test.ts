// The real dist/handler.mjs against moto, with a local HTTP server as ResponseURL, through the whole life of a stack.
import { expect } from 'chai';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { pathToFileURL } from 'node:url';
import { createAwsPorts, type SecretState } from '../../core/aws.ts';
import type { CfnResponse } from '../../core/cfn-response.ts';
import { CREATE_FAILED_MARKER, OWNER_TAG } from '../../core/constants.ts';
import { fingerprintOf, versionIdFor } from '../../core/spec.ts';
import { awsCli, awsKmsEncrypt, createKmsKey } from '../helpers/awscli.ts';
import { CANARY_PLAINTEXT, expectNoCanary } from '../helpers/canary.ts';
import { captureOutput, parseLogLines } from '../helpers/capture-output.ts';
import { createEvent, deleteEvent, lambdaContext, STACK_ID, updateEvent } from '../helpers/cfn-events.ts';
import { ensureBuilt, useEmulator } from '../helpers/emulator.ts';
import { RESPONSE_URL_SECRET, startResponseServer, type ResponseServer } from '../helpers/response-server.ts';

type Handler = (event: CloudFormationCustomResourceEvent, context: { getRemainingTimeInMillis(): number }) => Promise<void>;

describe('dist/handler.mjs on the emulator', function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  const outputs: string[] = [];
  let handler: Handler;
  let server: ResponseServer;
  let ct: { a: string; b: string; other: string; unbound: string };
  let arn = '';
  let secondArn = '';

  /** Invokes the handler once and returns its single response and its parsed log lines. */
  async function invoke(build: (url: string) => CloudFormationCustomResourceEvent): Promise<{ response: CfnResponse; logs: Record<string, unknown>[] }> {
    const url = server.url();
    const { lines } = await captureOutput(() => handler(build(url), lambdaContext()));
    outputs.push(...lines);
    const path = new URL(url).pathname;
    const mine = server.responses.filter((r) => r.path.startsWith(path));
    expect(mine, 'exactly one response per invocation').to.have.length(1);
    outputs.push(mine[0]?.body ?? '');
    return { response: mine[0]!.parsed, logs: parseLogLines(lines) };
  }
  const callsOf = (logs: Record<string, unknown>[]) => logs.find((l) => l.message === 'request done' || l.message === 'request failed')?.calls as Record<string, number>;
  const describe_ = (id: string): Promise<SecretState | undefined> => createAwsPorts().secrets.describe(id);
  // moto deviation: without a stage, GetSecretValue returns the last version written, not AWSCURRENT after
  // UpdateSecretVersionStage; asking for AWSCURRENT explicitly gives what AWS returns by default.
  const valueOf = (id: string) => awsCli(['secretsmanager', 'get-secret-value', '--secret-id', id, '--version-stage', 'AWSCURRENT', '--output', 'text', '--query', 'SecretString'], emulator().env);
  const props = (ciphertext: string, name = 'app/db', extra: Record<string, unknown> = {}) => ({ Name: name, Values: [{ Ciphertext: ciphertext, EncryptionContext: { SecretName: name } }], ...extra });

  before(async () => {
    const path = ensureBuilt('dist/handler.mjs');
    handler = (await import(pathToFileURL(path).href) as { handler: Handler }).handler;
    server = await startResponseServer();
    const key = createKmsKey(emulator().env, 'alias/kms-secrets-it');
    ct = {
      a: awsKmsEncrypt(emulator().env, 'alias/kms-secrets-it', CANARY_PLAINTEXT, { SecretName: 'app/db' }),
      b: awsKmsEncrypt(emulator().env, key, `${CANARY_PLAINTEXT}-B`, { SecretName: 'app/db' }),
      other: awsKmsEncrypt(emulator().env, key, `${CANARY_PLAINTEXT}-2`, { SecretName: 'app/db2' }),
      unbound: awsKmsEncrypt(emulator().env, key, `${CANARY_PLAINTEXT}-U`),
    };
  });
  after(async () => { await server?.close(); });

  it('creates the secret from an awscli ciphertext with one Decrypt and answers its ARN and deterministic VersionId', async () => {
    const { response, logs } = await invoke((url) => createEvent(url, 'DbSecret', props(ct.a, 'app/db', { Tags: [{ Key: 'team', Value: 'db' }] })));
    expect(response.Status).to.equal('SUCCESS');
    arn = response.PhysicalResourceId;
    expect(arn).to.match(/^arn:aws:secretsmanager:us-east-1:\d+:secret:app\/db-\w{6}$/);
    const versionId = versionIdFor('app/db', fingerprintOf([{ ciphertext: ct.a, encryptionContext: { SecretName: 'app/db' } }]));
    expect(response.Data).to.deep.equal({ Arn: arn, Name: 'app/db', VersionId: versionId });
    expect(callsOf(logs)).to.deep.equal({ 'SecretsManager.DescribeSecret': 1, 'KMS.Decrypt': 1, 'SecretsManager.CreateSecret': 1 });
    expect(valueOf(arn)).to.equal(CANARY_PLAINTEXT);
    expect((await describe_(arn))?.tags).to.include({ team: 'db', [OWNER_TAG]: 'cloudformation:us-east-1:app-stack' });
  });

  it('answers a re-delivered Create with the same ARN and version, without KMS or a new version', async () => {
    const { response, logs } = await invoke((url) => createEvent(url, 'DbSecret', props(ct.a, 'app/db', { Tags: [{ Key: 'team', Value: 'db' }] })));
    expect(response).to.include({ Status: 'SUCCESS', PhysicalResourceId: arn });
    expect(callsOf(logs)).to.deep.equal({ 'SecretsManager.DescribeSecret': 1 });
    expect(Object.keys((await describe_(arn))?.versionIdsToStages ?? {})).to.have.length(1);
  });

  it('makes no KMS call and adds no version on an Update whose ciphertext is unchanged', async () => {
    const { response, logs } = await invoke((url) => updateEvent(url, 'DbSecret', arn, props(ct.a, 'app/db', { Description: 'db password' }), props(ct.a)));
    expect(response).to.include({ Status: 'SUCCESS', PhysicalResourceId: arn });
    expect(callsOf(logs)).to.not.have.property('KMS.Decrypt');
    expect(callsOf(logs)).to.not.have.property('SecretsManager.PutSecretValue');
    const state = await describe_(arn);
    expect(state?.description).to.equal('db password');
    expect(state?.tags).to.not.have.property('team');
    expect(Object.keys(state?.versionIdsToStages ?? {})).to.have.length(1);
  });

  it('writes a new version on an Update with a changed ciphertext, keeping the ARN', async () => {
    const { response, logs } = await invoke((url) => updateEvent(url, 'DbSecret', arn, props(ct.b), props(ct.a)));
    expect(response).to.include({ Status: 'SUCCESS', PhysicalResourceId: arn });
    expect(callsOf(logs)).to.include({ 'KMS.Decrypt': 1, 'SecretsManager.PutSecretValue': 1 });
    expect(valueOf(arn)).to.equal(`${CANARY_PLAINTEXT}-B`);
  });

  it('makes the old value current again on a rollback Update, without Decrypt', async () => {
    const { response, logs } = await invoke((url) => updateEvent(url, 'DbSecret', arn, props(ct.a), props(ct.b)));
    expect(response.Data?.VersionId).to.equal(versionIdFor('app/db', fingerprintOf([{ ciphertext: ct.a, encryptionContext: { SecretName: 'app/db' } }])));
    expect(callsOf(logs)).to.include({ 'SecretsManager.UpdateSecretVersionStage': 1 }).and.not.have.property('KMS.Decrypt');
    expect(valueOf(arn)).to.equal(CANARY_PLAINTEXT);
  });

  it('creates a new secret with a new ARN on a Name change; the Delete of the old ID removes the old secret', async () => {
    const { response } = await invoke((url) => updateEvent(url, 'DbSecret', arn, props(ct.other, 'app/db2'), props(ct.a)));
    expect(response.Status).to.equal('SUCCESS');
    secondArn = response.PhysicalResourceId;
    expect(secondArn).to.match(/secret:app\/db2-/);
    const { response: deleted, logs } = await invoke((url) => deleteEvent(url, 'DbSecret', arn, props(ct.a)));
    expect(deleted).to.include({ Status: 'SUCCESS', PhysicalResourceId: arn });
    expect(logs.find((l) => l.message === 'request done')?.outcome).to.equal('deleted');
    expect((await describe_(arn))?.deletedDate).to.be.instanceOf(Date);
    expect(valueOf(secondArn)).to.equal(`${CANARY_PLAINTEXT}-2`);
  });

  it('refuses a ciphertext bound to another name (nothing written) and answers its Delete SUCCESS untouched', async () => {
    const { response, logs } = await invoke((url) => createEvent(url, 'Wrong', { Name: 'app/wrong', Values: [{ Ciphertext: ct.a, EncryptionContext: { SecretName: 'app/db' } }] }));
    expect(response).to.include({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(response.Reason).to.match(/bound to secret "app\/db"/);
    expect(callsOf(logs)).to.deep.equal({});
    expect(await describe_('app/wrong')).to.equal(undefined);
    const { response: rollback, logs: rollbackLogs } = await invoke((url) => deleteEvent(url, 'Wrong', CREATE_FAILED_MARKER, {}));
    expect(rollback).to.include({ Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(callsOf(rollbackLogs)).to.deep.equal({});
  });

  it('leaves a foreign secret untouched on Create and on Delete', async () => {
    const foreignArn = awsCli(['secretsmanager', 'create-secret', '--name', 'team/foreign', '--secret-string', 'theirs', '--output', 'text', '--query', 'ARN'], emulator().env);
    const { response } = await invoke((url) => createEvent(url, 'Foreign', { Name: 'team/foreign', Values: [{ Ciphertext: ct.unbound }] }));
    expect(response).to.include({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(response.Reason).to.match(/"team\/foreign" already exists .* not created by kms-secrets/);
    const { response: deleted } = await invoke((url) => deleteEvent(url, 'Foreign', foreignArn, {}));
    expect(deleted.Status).to.equal('SUCCESS');
    expect(valueOf(foreignArn)).to.equal('theirs');
    expect((await describe_(foreignArn))?.deletedDate).to.equal(undefined);
  });

  it('explains a wrong encryption context as InvalidCiphertextException', async () => {
    const { response } = await invoke((url) => createEvent(url, 'BadContext', { Name: 'app/ctx', Values: [{ Ciphertext: ct.unbound, EncryptionContext: { team: 'x' } }] }));
    expect(response.Status).to.equal('FAILED');
    expect(response.Reason).to.match(/InvalidCiphertextException/);
    expect(await describe_('app/ctx')).to.equal(undefined);
  });

  it('restores and reuses the secret when a deleted stack is created again under the same name', async () => {
    await invoke((url) => deleteEvent(url, 'DbSecret', secondArn, props(ct.other, 'app/db2')));
    expect((await describe_(secondArn))?.deletedDate).to.be.instanceOf(Date);
    const recreated = STACK_ID.replace(/[^/]+$/, 'ffffffff-0000-1111-2222-333344445555');
    const { response, logs } = await invoke((url) => createEvent(url, 'DbSecret', props(ct.other, 'app/db2'), recreated));
    expect(response).to.include({ Status: 'SUCCESS', PhysicalResourceId: secondArn });
    expect(logs.find((l) => l.message === 'request done')?.outcome).to.match(/restored/);
    expect((await describe_(secondArn))?.deletedDate).to.equal(undefined);
    expect(valueOf(secondArn)).to.equal(`${CANARY_PLAINTEXT}-2`);
  });

  it('deletes at once with RecoveryWindowInDays "0", and a Delete of the gone secret still succeeds', async () => {
    await invoke((url) => deleteEvent(url, 'DbSecret', secondArn, props(ct.other, 'app/db2', { RecoveryWindowInDays: '0' })));
    expect(await describe_(secondArn)).to.equal(undefined);
    const { response } = await invoke((url) => deleteEvent(url, 'DbSecret', secondArn, props(ct.other, 'app/db2')));
    expect(response.Status).to.equal('SUCCESS');
  });

  it('keeps the secret when a resource renamed with the same Name has its old logical ID deleted', async () => {
    const renamed = { Name: 'app/renamed', Values: [{ Ciphertext: ct.unbound }] };
    const { response: created } = await invoke((url) => createEvent(url, 'OldId', renamed));
    const { response: adopted } = await invoke((url) => createEvent(url, 'NewId', renamed));
    expect(adopted).to.include({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId });
    const { response: cleanup, logs } = await invoke((url) => deleteEvent(url, 'OldId', created.PhysicalResourceId, renamed));
    expect(cleanup.Status).to.equal('SUCCESS');
    expect(logs.find((l) => l.message === 'request done')?.outcome).to.equal('claimed-by-another-resource');
    expect(valueOf(created.PhysicalResourceId)).to.equal(`${CANARY_PLAINTEXT}-U`);
    await invoke((url) => deleteEvent(url, 'NewId', created.PhysicalResourceId, { ...renamed, RecoveryWindowInDays: '0' }));
    expect(await describe_(created.PhysicalResourceId)).to.equal(undefined);
  });

  it('never let the canary plaintext or the ResponseURL query into a log line or response', () => {
    expect(server.violations).to.deep.equal([]);
    expect(outputs.length).to.be.greaterThan(20);
    expectNoCanary(outputs, [RESPONSE_URL_SECRET]);
  });
});
