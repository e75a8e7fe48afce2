import { expect } from 'chai';
import { anyOfCondition, secretConditionOf } from '../../../macro/conditions.ts';

function leaves(condition: unknown): string[] {
  const node = condition as { Condition?: string; 'Fn::Or'?: unknown[] };
  if (node.Condition !== undefined) return [node.Condition];
  return (node['Fn::Or'] ?? []).flatMap(leaves);
}

function everyOrHasTwoToTen(condition: unknown): boolean {
  const items = (condition as { 'Fn::Or'?: unknown[] })['Fn::Or'];
  if (items === undefined) return true;
  return items.length >= 2 && items.length <= 10 && items.every(everyOrHasTwoToTen);
}

describe('secretConditionOf', () => {
  it('is none when any consumer is unconditional', () => {
    expect(secretConditionOf(['A', undefined])).to.deep.equal({ kind: 'none' });
  });

  it('is the shared condition when every consumer has the same one', () => {
    expect(secretConditionOf(['A', 'A'])).to.deep.equal({ kind: 'same', name: 'A' });
  });

  it('is any of the sorted distinct names when consumers differ', () => {
    expect(secretConditionOf(['B', 'A', 'B'])).to.deep.equal({ kind: 'any', names: ['A', 'B'] });
  });
});

describe('anyOfCondition', () => {
  for (const count of [2, 10, 11, 100, 101, 1001]) {
    it(`keeps every Fn::Or within 2-10 conditions and lists all ${count} names when given ${count}`, () => {
      const names = Array.from({ length: count }, (_, i) => `C${i}`);
      const condition = anyOfCondition(names);
      expect(leaves(condition)).to.deep.equal(names);
      expect(everyOrHasTwoToTen(condition)).to.equal(true);
    });
  }
});
