import { describe, expect, it } from 'vitest';
import type { Operation } from '../../history/types.ts';
import { cutOffNodes, faultAround, faultWindows } from './faults.ts';
import { ELECTION_MARGIN_MS, EXPIRY_MARGIN_MS, expiryCertainByNs } from './sessions.ts';

const S = 1e9;
const nemesis = (i: number, f: string, input: unknown, output: unknown, fromS: number, toS: number): Operation => ({
  id: i, process: 'nemesis', f, input, output, status: 'ok', invokeIndex: 2 * i, completeIndex: 2 * i + 1,
  invokeTimeNs: fromS * S, completeTimeNs: toS * S });

describe('faults', () => {
  it('a node is cut off when it reaches fewer than a majority, itself included', () => {
    const isolate3 = { n1: ['n3'], n2: ['n3'], n3: ['n1', 'n2'] };
    expect([...cutOffNodes(isolate3, ['n1', 'n2', 'n3'])]).toEqual(['n3']);
    const ring = { n1: ['n3', 'n4'], n2: ['n4', 'n5'], n3: ['n1', 'n5'], n4: ['n1', 'n2'], n5: ['n2', 'n3'] };
    expect([...cutOffNodes(ring, ['n1', 'n2', 'n3', 'n4', 'n5'])]).toEqual([]);
    expect([...cutOffNodes({}, ['n1', 'n2', 'n3'])]).toEqual([]);
  });

  it('windows run from a fault to its end; an unknown grudge covers every node', () => {
    const ops = [nemesis(0, 'start-partition', { kind: 'halves' }, { grudge: { n1: ['n3'], n2: ['n3'], n3: ['n1', 'n2'] } }, 1, 2),
      nemesis(1, 'stop-partition', null, { healed: true }, 5, 6),
      nemesis(2, 'pause', { target: 'one' }, { paused: ['n2'] }, 7, 8), nemesis(3, 'resume', null, { resumed: ['n2'] }, 9, 10)];
    const w = faultWindows(ops, ['n1', 'n2', 'n3']);
    expect(w.map((x) => [x.kind, x.fromNs / S, x.untilNs / S, x.nodes === 'all' ? 'all' : [...x.nodes]]))
      .toEqual([['partition', 1, 6, ['n3']], ['pause', 7, 10, ['n2']]]);
    expect(faultAround(w, 'n3', 3 * S, 4 * S, 0)?.kind).toBe('partition');
    expect(faultAround(w, 'n1', 3 * S, 4 * S, 0)).toBeUndefined();
    expect(faultAround(w, 'n2', 11 * S, 12 * S, 5 * S)?.kind).toBe('pause');
    expect(faultAround(w, 'n2', 11 * S, 12 * S, 0)).toBeUndefined();
    const unknown = faultWindows([{ ...nemesis(0, 'start-partition', { kind: 'random-halves' }, undefined, 1, 2), status: 'info' }], ['n1']);
    expect(unknown[0]!.nodes).toBe('all');
    expect(unknown[0]!.untilNs).toBe(Infinity);
  });

  it('an abandoned session is certainly expired a timeout and margin after, pushed past faults under way', () => {
    const span = (6000 + EXPIRY_MARGIN_MS) / 1000;
    expect(expiryCertainByNs(2 * S, 6000, []) / S).toBe(2 + span);
    expect(expiryCertainByNs(2 * S, 6000, [[3 * S, 25 * S]]) / S).toBe(25 + span + ELECTION_MARGIN_MS / 1000);
    expect(expiryCertainByNs(2 * S, 6000, [[40 * S, 41 * S]]) / S).toBe(2 + span);
    expect(expiryCertainByNs(2 * S, 6000, [[3 * S, Infinity]])).toBe(Infinity);
  });
});
