import { expect } from 'chai';
import { join } from 'node:path';
import { transformTemplate } from '../../../macro/transform.ts';
import { caseNames, ciphertextsIn, deepFreeze, FIXTURES, PROVIDER_ARN, readJson, UPDATE_GOLDEN, writeJson } from './fixtures.ts';

const A = (readJson(join(FIXTURES, 'forms/short-form-string.input.json')) as { Resources: { Db: { Properties: { MasterUserPassword: { 'Fn::KmsSecret': string } } } } })
  .Resources.Db.Properties.MasterUserPassword['Fn::KmsSecret'];

function transform(template: unknown): Record<string, unknown> {
  return transformTemplate(deepFreeze(template), { providerArn: PROVIDER_ARN });
}

function db(password: unknown, extra: Record<string, unknown> = {}) {
  return { Type: 'AWS::RDS::DBInstance', ...extra, Properties: { Engine: 'mysql', MasterUserPassword: password } };
}

function generatedIds(result: Record<string, unknown>): string[] {
  return Object.entries(result.Resources as Record<string, { Type: string }>).filter(([, r]) => r.Type === 'Custom::KmsSecret').map(([id]) => id);
}

describe('transformTemplate', () => {
  describe('golden forms', () => {
    for (const name of caseNames('forms')) {
      it(`gives the expected template when the input is ${name}`, () => {
        // GIVEN a deep-frozen input, WHEN transformed, THEN the output equals the golden file (and nothing was written)
        const input = readJson(join(FIXTURES, `forms/${name}.input.json`));
        const result = transform(input);
        const expectedPath = join(FIXTURES, `forms/${name}.output.json`);
        if (UPDATE_GOLDEN) writeJson(expectedPath, result);
        expect(result).to.deep.equal(readJson(expectedPath));
        expect(input).to.deep.equal(readJson(join(FIXTURES, `forms/${name}.input.json`)));
      });
    }
  });

  describe('golden refusals', () => {
    for (const name of caseNames('refusals')) {
      it(`throws the expected one-line error naming the path when the input is ${name}`, () => {
        const path = join(FIXTURES, `refusals/${name}.json`);
        const fixture = readJson(path) as { error: string; template: unknown };
        let message: string | undefined;
        try {
          transform(fixture.template);
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message, 'the transform must refuse this template').to.be.a('string');
        if (UPDATE_GOLDEN) writeJson(path, { ...fixture, error: message });
        expect(message).to.equal((readJson(path) as { error: string }).error);
        expect(message).to.not.match(/[\r\n]/);
        for (const ciphertext of ciphertextsIn(fixture.template)) expect(message).to.not.include(ciphertext.slice(0, 16));
      });
    }
  });

  it('returns the input itself when the template holds no token', () => {
    const input = deepFreeze(readJson(join(FIXTURES, 'forms/no-tokens-unchanged.input.json')));
    expect(transformTemplate(input, { providerArn: PROVIDER_ARN })).to.equal(input);
  });

  it('gives the same output for the same input on every call', () => {
    const input = readJson(join(FIXTURES, 'forms/same-name-different-keys.input.json'));
    expect(JSON.stringify(transform(input))).to.equal(JSON.stringify(transform(structuredClone(input))));
  });

  it('keeps every generated logical ID when a ciphertext changes or a resource is added elsewhere', () => {
    const before = transform({ Resources: { Db: db({ 'Fn::KmsSecret': A }), Named: db({ 'Fn::KmsSecret': { Ciphertext: A, Name: 'prod/x' } }) } });
    const changed = `${A.slice(0, -8)}AAAAAAA=`;
    const after = transform({ Resources: {
      Bucket: { Type: 'AWS::S3::Bucket' },
      Named: db({ 'Fn::KmsSecret': { Ciphertext: changed, Name: 'prod/x' } }),
      Db: db({ 'Fn::KmsSecret': changed }),
    } });
    expect(generatedIds(after).sort()).to.deep.equal(generatedIds(before).sort());
  });

  it('keeps the logical ID of a shared unnamed secret when its consumers are reordered or one is added before them', () => {
    // GIVEN two consumers of one identical unnamed token
    const before = transform({ Resources: { Db: db({ 'Fn::KmsSecret': A }), Replica: db({ 'Fn::KmsSecret': A }) } });
    // WHEN the template lists them the other way round, or a third consumer appears ahead of them
    const reordered = transform({ Resources: { Replica: db({ 'Fn::KmsSecret': A }), Db: db({ 'Fn::KmsSecret': A }) } });
    const added = transform({ Resources: { Zeta: db({ 'Fn::KmsSecret': A }), Replica: db({ 'Fn::KmsSecret': A }), Db: db({ 'Fn::KmsSecret': A }) } });
    // THEN the one generated resource keeps its logical ID, and every consumer points at it
    expect(generatedIds(before)).to.have.length(1);
    expect(generatedIds(reordered)).to.deep.equal(generatedIds(before));
    expect(generatedIds(added)).to.deep.equal(generatedIds(before));
    const [id] = generatedIds(before);
    const refsIn = (result: Record<string, unknown>) => JSON.stringify(result).split(`{"Ref":"${id}"}`).length - 1;
    expect(refsIn(reordered)).to.equal(2);
    expect(refsIn(added)).to.equal(3);
  });

  it('keeps the logical ID of a secret whose intrinsic Name is written with its keys in another order', () => {
    // GIVEN one intrinsic Name whose Fn::Sub variable map is written in two key orders
    const named = (vars: Record<string, string>) => db({ 'Fn::KmsSecret': { Ciphertext: A, Name: { 'Fn::Sub': ['${Env}/${App}/db', vars] } } });
    // WHEN the template uses one order, the other, or both
    const envFirst = transform({ Resources: { Db: named({ Env: 'prod', App: 'shop' }) } });
    const appFirst = transform({ Resources: { Db: named({ App: 'shop', Env: 'prod' }) } });
    const both = transform({ Resources: { Db: named({ App: 'shop', Env: 'prod' }), Replica: named({ Env: 'prod', App: 'shop' }) } });
    // THEN every template generates the one secret under the same logical ID
    expect(generatedIds(envFirst)).to.have.length(1);
    expect(generatedIds(appFirst)).to.deep.equal(generatedIds(envFirst));
    expect(generatedIds(both)).to.deep.equal(generatedIds(envFirst));
  });

  it('gives logical IDs of at most 255 alphanumeric characters when names and paths are long', () => {
    const longName = `${'a/'.repeat(200)}x`;
    const longId = `Resource${'X'.repeat(200)}`;
    const result = transform({ Resources: {
      [longId]: db({ 'Fn::KmsSecret': A }),
      Named: db({ 'Fn::KmsSecret': { Ciphertext: A, Name: longName } }),
    } });
    for (const id of generatedIds(result)) expect(id).to.match(/^[A-Za-z0-9]{1,255}$/);
    expect(generatedIds(result)).to.have.length(2);
  });

  it('gives distinct logical IDs when two names differ only in punctuation', () => {
    const result = transform({ Resources: {
      One: db({ 'Fn::KmsSecret': { Ciphertext: A, Name: 'prod/db' } }),
      Two: db({ 'Fn::KmsSecret': { Ciphertext: A, Name: 'prod-db' } }),
    } });
    expect(new Set(generatedIds(result)).size).to.equal(2);
  });

  it('shares unchanged subtrees with the input and copies only the paths to tokens', () => {
    const input = deepFreeze({ Outputs: { X: { Value: 'x' } }, Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { A: [1] } }, Db: db({ 'Fn::KmsSecret': A }) } });
    const result = transformTemplate(input, { providerArn: PROVIDER_ARN }) as typeof input;
    expect(result).to.not.equal(input);
    expect(result.Resources.Bucket).to.equal(input.Resources.Bucket);
    expect(result.Outputs).to.equal(input.Outputs);
    expect(result.Resources.Db).to.not.equal(input.Resources.Db);
  });

  it('refuses a template with 61 dynamic references and names where the 61st is', () => {
    const resources = Object.fromEntries(Array.from({ length: 61 }, (_, i) => [`Db${i}`, db({ 'Fn::KmsSecret': A })]));
    expect(() => transform({ Resources: resources })).to.throw(/^Resources\.Db60\.Properties\.MasterUserPassword: the template would hold 61 dynamic references/);
  });

  it('counts ValueFrom and Arn tokens as no dynamic reference when the limit is near', () => {
    const resources = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`Db${i}`, db({ 'Fn::KmsSecret': { Ciphertext: A, Return: i % 2 === 0 ? 'ValueFrom' : 'Arn' } })]));
    expect(generatedIds(transform({ Resources: resources }))).to.have.length(1);
  });
});
