// How long the KmsSecrets transform takes on a large template, next to a JSON.parse + JSON.stringify round trip of
// the same template measured in the same run (the floor any macro pays: CloudFormation hands it JSON and reads JSON
// back). Target: ratio <= 2. Run: node --import tsx bench/transform.ts
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { transformTemplate } from '../macro/transform.ts';
import { median } from './stats.ts';

const RESOURCES = 300;
const TOKENS = 150;
const ROUNDS = 41;
const PROVIDER = 'arn:aws:lambda:us-east-1:123456789012:function:kms-secrets-provider';

/** A ~3.3 KB ECS task definition; every other one holds a token (Reference for the first 50, then ValueFrom/Arn). */
function resource(i: number): Record<string, unknown> {
  const environment = Array.from({ length: 33 }, (_, j) => ({ Name: `SETTING_${j}`, Value: `value-${i}-${j}-${'x'.repeat(40)}` }));
  const secrets: unknown[] = [];
  const tokenIndex = i % 2 === 0 ? i / 2 : -1;
  if (tokenIndex >= 0 && tokenIndex < TOKENS) {
    const ciphertext = randomBytes(180).toString('base64');
    const returnMode = tokenIndex < 50 ? 'Reference' : tokenIndex % 2 === 0 ? 'ValueFrom' : 'Arn';
    const token = tokenIndex % 3 === 0 ? ciphertext : { Ciphertext: ciphertext, Name: `app/service-${tokenIndex % 40}`, Key: `key${tokenIndex}`, Return: returnMode };
    secrets.push({ Name: 'DB_PASSWORD', ValueFrom: { 'Fn::KmsSecret': typeof token === 'string' && returnMode !== 'Reference' ? { Ciphertext: token, Return: returnMode } : token } });
  }
  return {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      Family: `service-${i}`,
      Cpu: '256',
      Memory: '512',
      ContainerDefinitions: [{
        Name: 'app', Image: { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:latest' },
        Environment: environment, Secrets: secrets,
        LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'Logs' }, 'awslogs-region': { Ref: 'AWS::Region' } } },
      }],
    },
  };
}

function time(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

const template = { AWSTemplateFormatVersion: '2010-09-09', Resources: Object.fromEntries(Array.from({ length: RESOURCES }, (_, i) => [`Service${i}`, resource(i)])) };
const text = JSON.stringify(template);
const parsed = JSON.parse(text) as unknown;
const tokens = (text.match(/Fn::KmsSecret/g) ?? []).length;
const roundTrip: number[] = [];
const transform: number[] = [];
let generated = 0;
for (let round = 0; round < ROUNDS + 5; round += 1) {
  // Alternate the two so neither benefits from a warmer JIT or a quieter machine; the first 5 rounds are warm-up.
  const a = time(() => JSON.stringify(JSON.parse(text)));
  const b = time(() => { generated = Object.keys(transformTemplate(parsed, { providerArn: PROVIDER }).Resources as object).length - RESOURCES; });
  if (round >= 5) { roundTrip.push(a); transform.push(b); }
}
const t = median(transform);
const r = median(roundTrip);
process.stdout.write(`template: ${(text.length / 1e6).toFixed(2)} MB, ${RESOURCES} resources, ${tokens} tokens -> ${generated} secrets\n`);
process.stdout.write(`transform median:                  ${t.toFixed(2)} ms (${ROUNDS} rounds)\n`);
process.stdout.write(`JSON.parse+JSON.stringify median:  ${r.toFixed(2)} ms\n`);
process.stdout.write(`ratio: ${(t / r).toFixed(2)} (target <= 2)\n`);
