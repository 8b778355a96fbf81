import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../generator/rng.ts';
import { bridge, completeGrudge, drops, grudgeFromJson, grudgeToJson, halves, isolateNode, majoritiesRing, randomHalves } from './grudge.ts';
import type { Grudge } from './types.ts';

const five = ['n1', 'n2', 'n3', 'n4', 'n5'];

/** Nodes `node` can hear from (itself included). */
function visible(grudge: Grudge, nodes: string[], node: string): string[] {
  return nodes.filter((n) => n === node || !drops(grudge, n, node));
}

describe('grudges', () => {
  it('isolates one node in both directions', () => {
    const g = isolateNode(five, 'n3');
    expect(grudgeToJson(g)).toEqual({ n1: ['n3'], n2: ['n3'], n3: ['n1', 'n2', 'n4', 'n5'], n4: ['n3'], n5: ['n3'] });
    expect(drops(g, 'n1', 'n3') && drops(g, 'n3', 'n1')).toBe(true);
    expect(drops(g, 'n1', 'n2')).toBe(false);
  });

  it('splits halves with the smaller half first', () => {
    expect(halves(five)).toEqual([['n1', 'n2'], ['n3', 'n4', 'n5']]);
    expect(grudgeToJson(completeGrudge(halves(['a', 'b'])))).toEqual({ a: ['b'], b: ['a'] });
  });

  it('refuses a node in two components', () => {
    expect(() => completeGrudge([['n1', 'n2'], ['n2']])).toThrow(/two components/);
  });

  it('random halves: same seed, same cut; both sides complete and disjoint', () => {
    const a = grudgeToJson(randomHalves(mulberry32(42), five));
    expect(grudgeToJson(randomHalves(mulberry32(42), five))).toEqual(a);
    const g = grudgeFromJson(a);
    const small = five.filter((n) => visible(g, five, n).length === 2);
    expect(small).toHaveLength(2);
    for (const n of five) expect(visible(g, five, n).length === 2 || visible(g, five, n).length === 3).toBe(true);
  });

  it('majorities ring: every node sees a majority, and no two see the same majority (5 nodes)', () => {
    fc.assert(fc.property(fc.integer(), (seed) => {
      const g = majoritiesRing(mulberry32(seed), five);
      const views = five.map((n) => visible(g, five, n).sort().join(','));
      for (const v of views) expect(v.split(',')).toHaveLength(3);
      expect(new Set(views).size).toBe(5);
    }), { numRuns: 50 });
  });

  it('bridge: one node sees everybody, the two sides never see each other', () => {
    fc.assert(fc.property(fc.integer(), (seed) => {
      const g = bridge(mulberry32(seed), five);
      const bridges = five.filter((n) => visible(g, five, n).length === 5);
      expect(bridges).toHaveLength(1);
      const rest = five.filter((n) => n !== bridges[0]);
      for (const n of rest) expect(visible(g, five, n)).toContain(bridges[0]);
      for (const n of rest) expect(visible(g, five, n).length).toBe(3);
    }), { numRuns: 50 });
  });

  it('round-trips through JSON', () => {
    const g = isolateNode(five, 'n1');
    expect(grudgeToJson(grudgeFromJson(grudgeToJson(g)))).toEqual(grudgeToJson(g));
  });
});
