import { describe, expect, it } from 'vitest';
import { SimCluster } from './testkit.ts';

describe('3-node ensemble from empty disks', () => {
  it('elects the highest sid, syncs everyone and commits proposals everywhere in order', () => {
    const c = new SimCluster([1, 2, 3]);
    c.start(1, 2, 3);
    expect(c.runUntil(() => c.stable(), 10_000)).toBe(true);
    expect(c.leaders().map((n) => n.sid)).toEqual([3]);
    c.propose('a');
    c.propose('b');
    expect(c.runUntil(() => [1, 2, 3].every((s) => c.appliedTexts(s).length === 2), 1000)).toBe(true);
    for (const s of [1, 2, 3]) expect(c.appliedTexts(s)).toEqual(['a', 'b']);
    for (const s of [1, 2, 3]) expect(c.node(s).disk.currentEpoch).toBe(1);
  });
});
