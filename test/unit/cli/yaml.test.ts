import { expect } from 'chai';
import { dumpYaml, loadCloudFormationYaml, TemplateSyntaxError } from '../../../cli/yaml.ts';

describe('loadCloudFormationYaml', () => {
  it('reads every scalar short form as its long-form intrinsic', () => {
    const text = [
      'a: !Ref X', 'b: !Sub "${X}-y"', 'c: !Base64 hi', 'd: !GetAZs ""', 'e: !ImportValue Shared', 'f: !Condition IsProd',
      'g: !KmsSecret AQID', 'h: !GetAtt Db.Endpoint.Address',
    ].join('\n');
    expect(loadCloudFormationYaml(text, 't.yaml')).to.deep.equal({
      a: { Ref: 'X' }, b: { 'Fn::Sub': '${X}-y' }, c: { 'Fn::Base64': 'hi' }, d: { 'Fn::GetAZs': '' }, e: { 'Fn::ImportValue': 'Shared' },
      f: { Condition: 'IsProd' }, g: { 'Fn::KmsSecret': 'AQID' }, h: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
    });
  });

  it('reads every sequence short form as its long-form intrinsic', () => {
    const text = [
      'a: !GetAtt [Db, Arn]', 'b: !If [C, 1, 2]', 'c: !Join ["", [a, b]]', 'd: !Select [0, !GetAZs ""]', 'e: !Split [",", "a,b"]',
      'f: !Equals [a, b]', 'g: !And [!Condition A, !Condition B]', 'h: !Or [!Condition A, !Condition B]', 'i: !Not [!Condition A]',
      'j: !FindInMap [M, K, V]', 'k: !Cidr ["10.0.0.0/16", 4, 8]', 'l: !Sub ["${A}", {A: !KmsSecret AQID}]',
    ].join('\n');
    expect(loadCloudFormationYaml(text, 't.yaml')).to.deep.equal({
      a: { 'Fn::GetAtt': ['Db', 'Arn'] }, b: { 'Fn::If': ['C', 1, 2] }, c: { 'Fn::Join': ['', ['a', 'b']] },
      d: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, e: { 'Fn::Split': [',', 'a,b'] }, f: { 'Fn::Equals': ['a', 'b'] },
      g: { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }, h: { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] },
      i: { 'Fn::Not': [{ Condition: 'A' }] }, j: { 'Fn::FindInMap': ['M', 'K', 'V'] }, k: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
      l: { 'Fn::Sub': ['${A}', { A: { 'Fn::KmsSecret': 'AQID' } }] },
    });
  });

  it('reads mapping short forms (!Transform, long-form !KmsSecret) as intrinsics', () => {
    expect(loadCloudFormationYaml('a: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}\nb: !KmsSecret {Ciphertext: AQID, Name: n}', 't.yaml')).to.deep.equal({
      a: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
      b: { 'Fn::KmsSecret': { Ciphertext: 'AQID', Name: 'n' } },
    });
  });

  it('reads JSON text too', () => {
    expect(loadCloudFormationYaml('{"Resources": {"A": {"Type": "X"}}}', 't.json')).to.deep.equal({ Resources: { A: { Type: 'X' } } });
  });

  it('keeps a "__proto__" key as an own key inside a tagged mapping instead of changing the prototype', () => {
    const loaded = loadCloudFormationYaml('a: !KmsSecret {__proto__: {x: 1}}', 't.yaml') as { a: { 'Fn::KmsSecret': object } };
    expect(Object.keys(loaded.a['Fn::KmsSecret'])).to.deep.equal(['__proto__']);
    expect(Object.getPrototypeOf(loaded.a['Fn::KmsSecret'])).to.equal(Object.prototype);
  });

  it('throws a one-line error with file, line and column and without the source text when the YAML is broken', () => {
    const secretish = 'AQICAHsecretlookingtext';
    let error: unknown;
    try {
      loadCloudFormationYaml(`a: 1\nb: [${secretish}\n`, 'templates/t.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(TemplateSyntaxError);
    expect((error as Error).message).to.match(/^templates\/t\.yaml:\d+:\d+: not valid YAML: /).and.not.include(secretish);
    expect((error as Error).message).to.not.match(/\n/);
  });

  it('refuses a tag CloudFormation does not know', () => {
    expect(() => loadCloudFormationYaml('a: !Bogus x', 't.yaml')).to.throw(TemplateSyntaxError, 't.yaml:1:4: not valid YAML: unknown scalar tag');
  });
});

describe('dumpYaml', () => {
  it('writes YAML that loads back to the same value', () => {
    const value = { Resources: { A: { Properties: { P: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'S' }, ':SecretString:::', { 'Fn::GetAtt': ['S', 'VersionId'] }, '}}']] } } } } };
    expect(loadCloudFormationYaml(dumpYaml(value), 'x')).to.deep.equal(value);
  });
});
