import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../generator/rng.ts';
import { ZxidMemory } from './context.ts';
import { outboundCut } from './partition.ts';
import { chooseTargets, complementOf, majoritySize, resolveTargets, targetSpecOf, type TargetView } from './targets.ts';

const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
const view = (leader: string | undefined, zxids: Record<string, number> = {}): TargetView =>
  ({ leader, zxids: new Map(Object.entries(zxids).map(([n, z]) => [n, BigInt(z)])) });

describe('chooseTargets', () => {
  it('sizes one / minority / majority / all as Jepsen does', () => {
    const r = mulberry32(1);
    expect(chooseTargets('one', five, r)).toHaveLength(1);
    expect(chooseTargets('minority', five, r)).toHaveLength(2);
    expect(chooseTargets('majority', five, r)).toHaveLength(3);
    expect(chooseTargets('all', five, r)).toEqual(five);
    expect(chooseTargets('minority', ['n1', 'n2', 'n3'], r)).toHaveLength(1);
    expect(majoritySize(4)).toBe(3);
  });

  it('is the same for the same seed', () => {
    expect(chooseTargets('majority', five, mulberry32(9))).toEqual(chooseTargets('majority', five, mulberry32(9)));
  });

  it('targets the leader and the followers, and refuses when there is no leader', () => {
    expect(chooseTargets('leader', five, mulberry32(1), view('n4'))).toEqual(['n4']);
    expect(chooseTargets('followers', five, mulberry32(1), view('n4'))).toEqual(['n1', 'n2', 'n3', 'n5']);
    expect(() => chooseTargets('leader', five, mulberry32(1), view(undefined))).toThrow(/no leader/);
    expect(() => chooseTargets('followers', five, mulberry32(1))).toThrow(/no leader/);
  });

  it('leader-minority is a minority that always holds the leader', () => {
    for (let seed = 0; seed < 20; seed++) {
      const t = chooseTargets('leader-minority', five, mulberry32(seed), view('n3'));
      expect(t).toHaveLength(2);
      expect(t).toContain('n3');
    }
    expect(chooseTargets('leader-minority', ['n1', 'n2', 'n3'], mulberry32(1), view('n2'))).toEqual(['n2']);
  });

  it('highest-zxid picks the node with the newest zxid; most-lagging the follower with the oldest', () => {
    const v = view('n2', { n1: 0x100000005, n2: 0x100000009, n3: 0x100000009, n4: 0x100000002, n5: 0x100000004 });
    expect(chooseTargets('highest-zxid', five, mulberry32(1), v)).toEqual(['n3']); // tie n2/n3: the later name
    expect(chooseTargets('most-lagging', five, mulberry32(1), v)).toEqual(['n4']);
    // The leader is never the most lagging follower; a node never seen counts as the oldest.
    expect(chooseTargets('most-lagging', five, mulberry32(1), view('n4', { n1: 5, n2: 6, n3: 7, n4: 1 }))).toEqual(['n5']);
  });

  it('takes explicit lists and refuses unknown nodes', () => {
    expect(chooseTargets(['n3', 'n1'], five, mulberry32(1))).toEqual(['n1', 'n3']);
    expect(() => chooseTargets(['n9'], five, mulberry32(1))).toThrow(/unknown node/);
    expect(complementOf(['n2', 'n4'], five)).toEqual(['n1', 'n3', 'n5']);
  });
});

describe('resolveTargets', () => {
  const ctx = (leader: string | undefined, zxids?: Record<string, number>) => ({
    nodes: five, random: mulberry32(3), leader: async () => leader,
    ...(zxids ? { zxids: async () => view(leader, zxids).zxids } : {}),
  });

  it('asks for what the spec needs and takes the complement when told', async () => {
    expect(await resolveTargets({ target: 'leader', complement: true }, 'one', ctx('n1'))).toEqual(['n2', 'n3', 'n4', 'n5']);
    expect(await resolveTargets({ target: 'highest-zxid', complement: true }, 'one', ctx('n1', { n1: 3, n2: 9, n3: 1 })))
      .toEqual(['n1', 'n3', 'n4', 'n5']);
    await expect(resolveTargets({ target: 'highest-zxid' }, 'one', ctx('n1'))).rejects.toThrow(/needs node zxids/);
  });
});

describe('targetSpecOf', () => {
  it('reads nodes or target from an op value, else the fallback', () => {
    expect(targetSpecOf({ nodes: ['n2'] }, 'one')).toEqual(['n2']);
    expect(targetSpecOf({ target: 'majority' }, 'one')).toBe('majority');
    expect(targetSpecOf({ target: 'leader-minority' }, 'one')).toBe('leader-minority');
    expect(targetSpecOf(null, 'all')).toBe('all');
    expect(() => targetSpecOf({ target: 'most' }, 'one')).toThrow(RangeError);
  });
});

describe('ZxidMemory', () => {
  it('keeps the last zxid of a node that stopped answering', () => {
    const m = new ZxidMemory();
    m.observe(new Map([['n1', { zxid: 7n }], ['n2', { zxid: 9n }]]));
    const now = m.observe(new Map([['n1', { zxid: 8n }], ['n2', undefined]]));
    expect([...now]).toEqual([['n1', 8n], ['n2', 9n]]);
  });
});

describe('outboundCut', () => {
  it('makes every other node drop what the senders send, and nothing else', () => {
    const g = outboundCut(['n1', 'n2', 'n3'], ['n2']);
    expect([...g].map(([n, s]) => [n, [...s]])).toEqual([['n1', ['n2']], ['n3', ['n2']]]);
    expect(g.has('n2')).toBe(false);
  });
});
