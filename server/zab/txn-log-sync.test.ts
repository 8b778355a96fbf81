// A learner older than the leader's committed log, in the simulated cluster:
// DIFF from the on-disk txn log when it covers the learner, SNAP otherwise,
// and commits made while the read is in flight reach the learner once.
import { describe, expect, it } from 'vitest';
import { PacketType } from './packets.ts';
import { SimCluster } from './testkit.ts';

/** Reads the leader asked for since the follower's restart (a fresh ensemble's first sync reads too: an empty log). */
function readsSinceRestart(c: SimCluster, leader: number, before: number): number {
  return c.effectsOf(leader, 'readTxnLog').length - before;
}

function laggingFollower(overrides = {}): { c: SimCluster; leader: number; follower: number; reads: number } {
  const c = new SimCluster([1, 2, 3], [], { commitLogCount: 3, ...overrides });
  c.start(1, 2, 3);
  if (!c.runUntil(() => c.stable(), 20_000)) throw new Error('no stable ensemble');
  commit(c, ['a']);
  const leader = c.leaders()[0]!.sid;
  const follower = [1, 2, 3].find((s) => s !== leader)!;
  c.crash(follower);
  commit(c, ['b', 'c', 'd', 'e', 'f', 'g']);
  return { c, leader, follower, reads: c.effectsOf(leader, 'readTxnLog').length };
}

function commit(c: SimCluster, texts: string[]): void {
  const leader = c.leaders()[0]!.sid;
  const before = c.node(leader).applied.length;
  for (const t of texts) c.propose(t);
  if (!c.runUntil(() => c.node(leader).applied.length === before + texts.length, 5000)) throw new Error('no commit');
}

function syncKind(c: SimCluster, follower: number): string {
  if (c.received(follower, PacketType.SNAP).length > 0) return 'SNAP';
  if (c.received(follower, PacketType.DIFF).length > 0) return 'DIFF';
  return 'none';
}

/** Every PROPOSAL and COMMIT the follower received since its restart names a distinct zxid. */
function expectEachOnce(c: SimCluster, follower: number): void {
  for (const type of [PacketType.PROPOSAL, PacketType.COMMIT]) {
    const zxids = c.received(follower, type).map((p) => p.zxid);
    expect(new Set(zxids).size).toBe(zxids.length);
  }
}

describe('sync from the on-disk txn log (zookeeper.snapshotSizeFactor)', () => {
  it('a follower older than the committed log is DIFFed from the txn log and ends identical to the leader', () => {
    const { c, leader, follower, reads } = laggingFollower();
    c.start(follower);
    expect(c.runUntil(() => c.stable(), 30_000)).toBe(true);
    expect(readsSinceRestart(c, leader, reads)).toBe(1);
    expect(syncKind(c, follower)).toBe('DIFF');
    expect(c.effectsOf(follower, 'loadSnapshot')).toHaveLength(0);
    expect(c.received(follower, PacketType.PROPOSAL).map((p) => p.zxid)).toEqual(c.node(leader).applied.slice(1).map((t) => t.zxid));
    expectEachOnce(c, follower);
    commit(c, ['h']);
    expect(c.runUntil(() => c.appliedTexts(follower).length === 8, 5000)).toBe(true);
    expect(c.appliedTexts(follower)).toEqual(c.appliedTexts(leader));
    expect(c.appliedTexts(follower)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('proposals committed while the read is in flight arrive exactly once, in order', () => {
    const { c, leader, follower, reads } = laggingFollower();
    c.holdTxnLogReads = true;
    c.start(follower);
    expect(c.runUntil(() => readsSinceRestart(c, leader, reads) === 1, 30_000)).toBe(true);
    commit(c, ['x1', 'x2', 'x3', 'x4']); // more than commitLogCount: the committed log moves on meanwhile
    c.propose('y'); // and one left outstanding when the read answers
    expect(c.received(follower, PacketType.PROPOSAL)).toHaveLength(0);
    c.releaseTxnLogReads();
    const done = () => c.stable() && c.appliedTexts(leader).at(-1) === 'y' && c.appliedTexts(follower).at(-1) === 'y';
    expect(c.runUntil(done, 30_000)).toBe(true);
    expect(syncKind(c, follower)).toBe('DIFF');
    expectEachOnce(c, follower);
    const zxids = c.received(follower, PacketType.PROPOSAL).map((p) => p.zxid);
    expect(zxids).toEqual([...zxids].sort((a, b) => a - b));
    expect(c.appliedTexts(follower)).toEqual(c.appliedTexts(leader));
    expect(c.appliedTexts(leader).slice(-5)).toEqual(['x1', 'x2', 'x3', 'x4', 'y']);
  });

  it('a purged log (learner\'s zxid only in a snapshot) gives SNAP', () => {
    const { c, leader, follower, reads } = laggingFollower();
    const disk = c.node(leader).disk;
    disk.logStartZxid = disk.txns[2]!.zxid;
    c.start(follower);
    expect(c.runUntil(() => c.stable(), 30_000)).toBe(true);
    expect(readsSinceRestart(c, leader, reads)).toBe(1);
    expect(syncKind(c, follower)).toBe('SNAP');
    expect(c.appliedTexts(follower)).toEqual(c.appliedTexts(leader));
  });

  it('txns over snapshotSizeFactor x the snapshot size give SNAP; under it, DIFF', () => {
    for (const [factor, kind] of [[0.5, 'SNAP'], [2, 'DIFF']] as const) {
      const { c, leader, follower, reads } = laggingFollower({ snapshotSizeFactor: factor });
      const disk = c.node(leader).disk;
      disk.snapshotZxid = disk.txns.at(-1)!.zxid; // a 7-byte snapshot (a..g); the read from 'a' is 7 bytes too
      c.start(follower);
      expect(c.runUntil(() => c.stable(), 30_000)).toBe(true);
      expect(readsSinceRestart(c, leader, reads)).toBe(1);
      expect(syncKind(c, follower)).toBe(kind);
      expect(c.appliedTexts(follower)).toEqual(c.appliedTexts(leader));
    }
  });

  it('a negative snapshotSizeFactor never reads the log', () => {
    const { c, leader, follower, reads } = laggingFollower({ snapshotSizeFactor: -1 });
    c.start(follower);
    expect(c.runUntil(() => c.stable(), 30_000)).toBe(true);
    expect(readsSinceRestart(c, leader, reads)).toBe(0);
    expect(syncKind(c, follower)).toBe('SNAP');
  });
});
