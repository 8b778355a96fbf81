import { describe, expect, it } from 'vitest';
import { completeGrudge, grudgeFromJson, isolateNode } from './grudge.ts';
import { linkStateOf } from './link-state.ts';
import { CLIENT } from './types.ts';

const nodes = ['n1', 'n2', 'n3'];

describe('linkStateOf', () => {
  it('cuts both directions of links across a symmetric partition, and nothing else', () => {
    const g = isolateNode(nodes, 'n1');
    const across = linkStateOf({ from: 'n2', to: 'n1' }, g, undefined, 'blackhole');
    expect([across.drop, across.forward.blocked, across.backward.blocked]).toEqual([false, true, true]);
    const inside = linkStateOf({ from: 'n2', to: 'n3' }, g, undefined, 'blackhole');
    expect([inside.forward.blocked, inside.backward.blocked]).toEqual([false, false]);
  });

  it('cuts one direction for a one-way grudge: n1 hears nothing from n2, n2 still hears n1', () => {
    const g = grudgeFromJson({ n1: ['n2'] });
    const n2ToN1 = linkStateOf({ from: 'n2', to: 'n1' }, g, undefined, 'blackhole');
    expect([n2ToN1.forward.blocked, n2ToN1.backward.blocked]).toEqual([true, false]);
    const n1ToN2 = linkStateOf({ from: 'n1', to: 'n2' }, g, undefined, 'blackhole');
    expect([n1ToN2.forward.blocked, n1ToN2.backward.blocked]).toEqual([false, true]);
  });

  it('never cuts client links with a grudge', () => {
    const s = linkStateOf({ from: CLIENT, to: 'n1' }, completeGrudge([['n1'], ['n2', 'n3']]), undefined, 'drop');
    expect([s.drop, s.forward.blocked, s.backward.blocked]).toEqual([false, false, false]);
  });

  it('resets instead of holding with the drop style', () => {
    expect(linkStateOf({ from: 'n2', to: 'n1' }, isolateNode(nodes, 'n1'), undefined, 'drop').drop).toBe(true);
  });

  it('applies link faults in both directions, on top of a grudge', () => {
    const delayed = linkStateOf({ from: CLIENT, to: 'n2' }, new Map(), { kind: 'delay', delayMs: 40, jitterMs: 10 }, 'blackhole');
    expect(delayed.forward).toEqual({ blocked: false, delayMs: 40, jitterMs: 10, bytesPerSecond: 0, firstPacketOnly: false });
    expect(delayed.backward).toEqual(delayed.forward);
    const slowCut = linkStateOf({ from: 'n2', to: 'n1' }, grudgeFromJson({ n1: ['n2'] }), { kind: 'bandwidth', bytesPerSecond: 100 }, 'blackhole');
    expect(slowCut.forward).toEqual({ blocked: true, delayMs: 0, jitterMs: 0, bytesPerSecond: 100, firstPacketOnly: false });
    expect(slowCut.backward.blocked).toBe(false);
    expect(linkStateOf({ from: 'n1', to: 'n2' }, new Map(), { kind: 'drop' }, 'blackhole').drop).toBe(true);
    expect(linkStateOf({ from: 'n1', to: 'n2' }, new Map(), { kind: 'blackhole' }, 'blackhole').forward.blocked).toBe(true);
  });

  it('stall-discovery cuts the leader\'s replies after their first packet, not the learner\'s bytes; a grudge still blocks', () => {
    const stalled = linkStateOf({ from: 'n1', to: 'n2' }, new Map(), { kind: 'stall-discovery' }, 'blackhole');
    expect(stalled.backward).toMatchObject({ firstPacketOnly: true, blocked: false });
    expect(stalled.forward.firstPacketOnly).toBe(false);
    expect(linkStateOf({ from: 'n1', to: 'n2' }, grudgeFromJson({ n1: ['n2'] }), { kind: 'stall-discovery' }, 'blackhole').backward.blocked).toBe(true);
  });
});
