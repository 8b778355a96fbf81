import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../generator/rng.ts';
import { chooseTargets, majoritySize, targetSpecOf } from './targets.ts';

const five = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('chooseTargets', () => {
  it('sizes one / minority / majority / all as Jepsen does', () => {
    const r = mulberry32(1);
    expect(chooseTargets('one', five, r, undefined)).toHaveLength(1);
    expect(chooseTargets('minority', five, r, undefined)).toHaveLength(2);
    expect(chooseTargets('majority', five, r, undefined)).toHaveLength(3);
    expect(chooseTargets('all', five, r, undefined)).toEqual(five);
    expect(chooseTargets('minority', ['n1', 'n2', 'n3'], r, undefined)).toHaveLength(1);
    expect(majoritySize(4)).toBe(3);
  });

  it('is the same for the same seed', () => {
    expect(chooseTargets('majority', five, mulberry32(9), undefined)).toEqual(chooseTargets('majority', five, mulberry32(9), undefined));
  });

  it('targets the leader, and refuses when there is none', () => {
    expect(chooseTargets('leader', five, mulberry32(1), 'n4')).toEqual(['n4']);
    expect(() => chooseTargets('leader', five, mulberry32(1), undefined)).toThrow(/no leader/);
  });

  it('takes explicit lists and refuses unknown nodes', () => {
    expect(chooseTargets(['n3', 'n1'], five, mulberry32(1), undefined)).toEqual(['n1', 'n3']);
    expect(() => chooseTargets(['n9'], five, mulberry32(1), undefined)).toThrow(/unknown node/);
  });
});

describe('targetSpecOf', () => {
  it('reads nodes or target from an op value, else the fallback', () => {
    expect(targetSpecOf({ nodes: ['n2'] }, 'one')).toEqual(['n2']);
    expect(targetSpecOf({ target: 'majority' }, 'one')).toBe('majority');
    expect(targetSpecOf(null, 'all')).toBe('all');
    expect(() => targetSpecOf({ target: 'most' }, 'one')).toThrow(RangeError);
  });
});
