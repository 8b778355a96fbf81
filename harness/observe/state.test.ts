import { describe, expect, it } from 'vitest';
import { StateTracker, stateOf } from './state.ts';
import { leaderTerms, summarizeClusterState } from './summary.ts';
import type { ClusterStateRecord } from './types.ts';

const up = (mode: 'leader' | 'follower', zxid: bigint) => ({ running: true, paused: false, srvr: { mode, zxid } });

describe('stateOf', () => {
  it('down, paused, not serving, serving with zxid and epoch', () => {
    expect(stateOf({ running: false, paused: false })).toEqual({ mode: 'down' });
    expect(stateOf({ running: true, paused: true })).toEqual({ mode: 'paused' });
    expect(stateOf({ running: true, paused: false })).toEqual({ mode: 'not-serving' });
    expect(stateOf(up('leader', 0x300000005n))).toEqual({ mode: 'leader', zxid: '0x300000005', epoch: 3 });
  });
});

describe('StateTracker', () => {
  it('records only changes of mode or epoch, not of zxid alone', () => {
    const t = new StateTracker();
    expect(t.observe('n1', up('follower', 0x100000001n), 1)).toMatchObject({ mode: 'follower', epoch: 1, timeNs: 1 });
    expect(t.observe('n1', up('follower', 0x100000009n), 2)).toBeUndefined();
    expect(t.observe('n1', { running: true, paused: false }, 3)).toMatchObject({ mode: 'not-serving' });
    expect(t.observe('n1', up('follower', 0x200000000n), 4)).toMatchObject({ mode: 'follower', epoch: 2 });
    expect(t.observe('n2', up('leader', 0x200000000n), 4)).toMatchObject({ node: 'n2', mode: 'leader' });
  });

  it('records zxid changes when asked', () => {
    const t = new StateTracker({ recordZxidChanges: true });
    t.observe('n1', up('follower', 0x100000001n), 1);
    expect(t.observe('n1', up('follower', 0x100000002n), 2)).toMatchObject({ zxid: '0x100000002' });
  });
});

describe('summarizeClusterState', () => {
  const line = 'x';
  const records: ClusterStateRecord[] = [
    { timeNs: 1, node: 'n1', kind: 'state', mode: 'leader', zxid: '0x100000000', epoch: 1 },
    { timeNs: 1, node: 'n2', kind: 'state', mode: 'follower', zxid: '0x100000000', epoch: 1 },
    { timeNs: 1, node: 'n1', kind: 'election', phase: 'decided', role: 'leading', leaderSid: 1, line },
    { timeNs: 5, node: 'n1', kind: 'state', mode: 'down' },
    { timeNs: 6, node: 'n2', kind: 'election', phase: 'looking', line },
    { timeNs: 7, node: 'n2', kind: 'election', phase: 'decided', role: 'leading', leaderSid: 2, line },
    { timeNs: 8, node: 'n2', kind: 'state', mode: 'leader', zxid: '0x200000000', epoch: 2 },
    { timeNs: 9, node: 'n1', kind: 'state', mode: 'not-serving' },
    { timeNs: 10, node: 'n1', kind: 'sync', side: 'learner', sync: 'DIFF', zxid: '0x100000000', line },
    { timeNs: 10, node: 'n2', kind: 'sync', side: 'leader', sync: 'DIFF', zxid: '0x100000000', peerSid: 1, peer: 'n1', line },
    { timeNs: 11, node: 'n1', kind: 'state', mode: 'follower', zxid: '0x200000000', epoch: 2 },
    { timeNs: 12, node: 'n2', kind: 'snapshot', zxid: '0x200000010', line },
  ];

  it('counts elections, syncs by side, snapshots, and gives leader terms', () => {
    const s = summarizeClusterState(records);
    expect(s.elections).toBe(2);
    expect(s.syncs).toEqual({ DIFF: 1, TRUNC: 0, SNAP: 0 });
    expect(s.leaderSideSyncs).toEqual({ DIFF: 1, TRUNC: 0, SNAP: 0 });
    expect(s.snapshots).toBe(1);
    expect(s.leaders).toEqual([{ node: 'n1', epoch: 1, fromNs: 1, toNs: 5 }, { node: 'n2', epoch: 2, fromNs: 8, toNs: null }]);
    expect(s.perNode.n1).toMatchObject({ downs: 1, lastMode: 'follower', syncs: { DIFF: 1 } });
    expect(s.perNode.n2).toMatchObject({ lookings: 1, elections: 1 });
  });

  it('without log records, counts the leader epochs the polls saw', () => {
    const s = summarizeClusterState(records.filter((r) => r.kind === 'state'));
    expect(s.elections).toBe(2);
  });

  it('a leader paused and resumed in the same epoch is two terms, one election', () => {
    const paused: ClusterStateRecord[] = [
      { timeNs: 1, node: 'n1', kind: 'state', mode: 'leader', zxid: '0x100000000', epoch: 1 },
      { timeNs: 2, node: 'n1', kind: 'state', mode: 'paused' },
      { timeNs: 3, node: 'n1', kind: 'state', mode: 'leader', zxid: '0x100000004', epoch: 1 },
    ];
    expect(leaderTerms(paused)).toHaveLength(2);
    expect(summarizeClusterState(paused).elections).toBe(1);
  });
});
