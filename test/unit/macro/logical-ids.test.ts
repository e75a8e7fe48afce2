import { expect } from 'chai';
import { conditionNameFor, namedSecretLogicalId, unnamedSecretLogicalId } from '../../../macro/logical-ids.ts';

describe('namedSecretLogicalId', () => {
  it('is readable words of the name plus 8 hex, the same on every call', () => {
    expect(namedSecretLogicalId('prod/mysql')).to.match(/^KmsSecretProdMysql[0-9a-f]{8}$/);
    expect(namedSecretLogicalId('prod/mysql')).to.equal(namedSecretLogicalId('prod/mysql'));
  });

  it('differs for an intrinsic name and for a literal with the same words', () => {
    expect(namedSecretLogicalId({ 'Fn::Sub': 'prod/mysql' })).to.not.equal(namedSecretLogicalId('prod/mysql'));
  });

  it('is the same for an intrinsic name whose keys are written in another order', () => {
    // GIVEN one Name with its Fn::Sub variable map written in two key orders (grouping already treats them as one)
    const envFirst = { 'Fn::Sub': ['${Env}/${App}/mysql', { Env: 'prod', App: 'shop' }] };
    const appFirst = { 'Fn::Sub': ['${Env}/${App}/mysql', { App: 'shop', Env: 'prod' }] };
    // WHEN each gets its logical ID, THEN both get the same one
    expect(namedSecretLogicalId(appFirst)).to.equal(namedSecretLogicalId(envFirst));
  });
});

describe('unnamedSecretLogicalId', () => {
  it('drops the Properties prefix from the readable part and keeps list indexes', () => {
    expect(unnamedSecretLogicalId('Task', ['Properties', 'ContainerDefinitions', 0, 'Secrets', 1, 'ValueFrom']))
      .to.match(/^KmsSecretTaskContainerDefinitions0Secrets1ValueFrom[0-9a-f]{8}$/);
  });

  it('differs between two consumers whose readable parts coincide', () => {
    expect(unnamedSecretLogicalId('AB', ['Properties', 'C'])).to.not.equal(unnamedSecretLogicalId('A', ['Properties', 'BC']));
  });
});

describe('conditionNameFor', () => {
  it('appends Condition to the logical ID', () => {
    expect(conditionNameFor('KmsSecretX12345678')).to.equal('KmsSecretX12345678Condition');
  });
});
