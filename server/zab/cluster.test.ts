// Scripted message orders between 3 to 5 simulated peers (see testkit.ts).
import { describe, expect, it } from 'vitest';
import { PacketType } from './packets.ts';
import { commitEverywhere, diskAt, historyOf, SimCluster, stableCluster, txnData } from './testkit.ts';
import { makeZxid } from './zxid.ts';

const history = historyOf;
const disk = diskAt;



describe('elections with differing epochs and zxids', () => {
  it('within one epoch the highest zxid leads; the others are DIFF-synced to it', () => {
    const c = new SimCluster([1, 2, 3]);
    c.setDisk(1, disk(1, history(1, 1, 5)));
    c.setDisk(2, disk(1, history(1, 1, 3)));
    c.setDisk(3, disk(1, history(1, 1, 4)));
    c.start(1, 2, 3);
    expect(c.runUntil(() => c.stable(), 10_000)).toBe(true);
    expect(c.leaders().map((n) => n.sid)).toEqual([1]);
    expect(c.received(2, PacketType.DIFF)).toHaveLength(1);
    expect(c.received(2, PacketType.PROPOSAL).map((p) => p.zxid)).toEqual([makeZxid(1, 4), makeZxid(1, 5)]);
    expect(c.received(3, PacketType.PROPOSAL).map((p) => p.zxid)).toEqual([makeZxid(1, 5)]);
    for (const s of [1, 2, 3]) expect(c.node(s).disk).toMatchObject({ acceptedEpoch: 2, currentEpoch: 2 });
    for (const s of [2, 3]) expect(c.node(s).disk.txns.map((t) => t.zxid)).toEqual(history(1, 1, 5).map((t) => t.zxid));
  });

  it('a higher currentEpoch beats a higher zxid; the server ahead in the old epoch is TRUNCated', () => {
    const c = new SimCluster([1, 2, 3]);
    c.setDisk(1, disk(2, history(1, 1, 3)));
    c.setDisk(2, disk(1, history(1, 1, 5)));
    c.setDisk(3, disk(1, history(1, 1, 3)));
    c.start(1, 2, 3);
    expect(c.runUntil(() => c.stable(), 10_000)).toBe(true);
    expect(c.leaders().map((n) => n.sid)).toEqual([1]);
    expect(c.received(2, PacketType.TRUNC).map((p) => p.zxid)).toEqual([makeZxid(1, 3)]);
    expect(c.node(2).disk.txns.map((t) => t.zxid)).toEqual(history(1, 1, 3).map((t) => t.zxid));
    expect(c.node(1).disk.currentEpoch).toBe(3);
  });
});

describe('NEWLEADER persistence order on a DIFF-synced follower (ZOOKEEPER-4643/4646)', () => {
  it('its disk never holds the new currentEpoch without the synced txns, and they are durable before its ACK', () => {
    const c = new SimCluster([1, 2, 3]);
    c.setDisk(1, disk(1, history(1, 1, 2)));
    c.setDisk(2, disk(1, history(1, 1, 1)));
    c.setDisk(3, disk(1, history(1, 1, 2)));
    c.start(1, 2, 3);
    const synced = history(1, 1, 2).map((t) => t.zxid);
    let ackSeenWithTxnsDurable = false;
    const ok = c.runUntil(() => {
      const d = c.node(2).disk;
      const hasTxns = synced.every((z) => d.txns.some((t) => t.zxid === z));
      if (d.currentEpoch === 2 && !hasTxns) throw new Error('currentEpoch persisted before the synced txns');
      const acked = c.node(2).effects.some((e) => e.kind === 'send' && e.packet.type === PacketType.ACK);
      if (acked && !ackSeenWithTxnsDurable) {
        expect(hasTxns && d.currentEpoch === 2).toBe(true);
        ackSeenWithTxnsDurable = true;
      }
      return c.stable();
    }, 10_000);
    expect(ok).toBe(true);
    expect(ackSeenWithTxnsDurable).toBe(true);
    expect(c.received(2, PacketType.DIFF)).toHaveLength(1);
  });
});

describe('a former leader with proposals no quorum acked', () => {
  function isolatedLeaderWithOrphan() {
    const c = stableCluster([1, 2, 3]);
    commitEverywhere(c, ['a']);
    const old = c.leaders()[0]!.sid;
    const rest = [1, 2, 3].filter((s) => s !== old);
    c.partition([old], rest);
    const orphan = c.proposeOn(old, 'orphan');
    const done = c.runUntil(() => c.node(old).role === 'LOOKING' && c.leaders().length === 1, 60_000);
    expect(done).toBe(true);
    expect(c.node(old).disk.txns.map((t) => t.zxid)).toContain(orphan);
    return { c, old, rest, orphan };
  }

  it('is TRUNCated when it rejoins a leader with no newer txns, and the orphan is gone everywhere', () => {
    const { c, old, orphan } = isolatedLeaderWithOrphan();
    c.heal();
    expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
    expect(c.received(old, PacketType.TRUNC).at(-1)!.zxid).toBe(orphan - 1);
    expect(c.node(old).disk.txns.map((t) => t.zxid)).not.toContain(orphan);
    commitEverywhere(c, ['b']);
    for (const s of [1, 2, 3]) expect(c.appliedTexts(s)).toEqual(['a', 'b']);
  });

  it('gets SNAP instead when the new leader already has txns of its new epoch', () => {
    const { c, old, rest, orphan } = isolatedLeaderWithOrphan();
    commitEverywhere(c, ['c'], rest);
    c.heal();
    expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
    expect(c.effectsOf(old, 'loadSnapshot')).toHaveLength(1);
    expect(c.node(old).disk.txns.map((t) => t.zxid)).not.toContain(orphan);
    for (const s of [1, 2, 3]) expect(c.appliedTexts(s)).toEqual(['a', 'c']);
  });
});

describe('a learner far behind', () => {
  it('gets SNAP when it is older than the leader\'s committed log (txn log sync off), and its disk ends up complete', () => {
    const c = stableCluster([1, 2, 3], [], { commitLogCount: 3, snapshotSizeFactor: -1 });
    commitEverywhere(c, ['a']);
    const follower = [1, 2, 3].find((s) => c.node(s).role === 'FOLLOWING')!;
    c.crash(follower);
    commitEverywhere(c, ['b', 'c', 'd', 'e', 'f']);
    c.start(follower);
    expect(c.runUntil(() => c.stable(), 30_000)).toBe(true);
    expect(c.effectsOf(follower, 'loadSnapshot')).toHaveLength(1);
    expect(c.effectsOf(follower, 'takeSnapshot')).toHaveLength(1);
    expect(c.node(follower).disk.txns.map((t) => new TextDecoder().decode(t.data))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    commitEverywhere(c, ['g']);
    expect(c.appliedTexts(follower)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });
});

describe('quorum of ACKs', () => {
  it('nothing commits while only a minority has fsynced; the COMMIT follows the quorum ACK', () => {
    const c = stableCluster([1, 2, 3, 4, 5]);
    const leader = c.leaders()[0]!.sid;
    const followers = [1, 2, 3, 4, 5].filter((s) => s !== leader);
    for (const s of followers.slice(0, 3)) c.node(s).diskPaused = true;
    const zxid = c.propose('x');
    c.runFor(1500);
    expect([...c.nodes.values()].every((n) => n.applied.length === 0)).toBe(true);
    expect(c.received(leader, PacketType.ACK).filter((p) => p.zxid === zxid)).toHaveLength(1);
    expect(c.received(followers[3]!, PacketType.COMMIT)).toHaveLength(0);
    c.node(followers[0]!).diskPaused = false;
    expect(c.runUntil(() => c.node(leader).applied.length === 1, 1000)).toBe(true);
    const acks = c.received(leader, PacketType.ACK).filter((p) => p.zxid === zxid);
    expect(acks).toHaveLength(2); // + the leader's own = 3 of 5
    for (const s of followers.slice(1, 3)) c.node(s).diskPaused = false;
    expect(c.runUntil(() => [1, 2, 3, 4, 5].every((s) => c.appliedTexts(s).join() === 'x'), 2000)).toBe(true);
  });

  it('commits strictly in zxid order even when a later proposal reaches its quorum first', () => {
    const c = stableCluster([1, 2, 3]);
    const leader = c.leaders()[0]!.sid;
    const [f1, f2] = [1, 2, 3].filter((s) => s !== leader);
    // Drop f1's ACK of the first proposal and f2's ACK of the second.
    const z1 = makeZxid(c.node(leader).peer.leaderRole!.epoch, 1);
    // The followers' ACKs of p1 are slow; their ACKs of p2 are not.
    c.holdFilters.push(({ from, event }) => event.type === 'learnerPacket' && event.packet.type === PacketType.ACK
      && (from === f1 || from === f2) && event.packet.zxid === z1);
    c.node(leader).diskPaused = true;
    c.propose('p1');
    c.propose('p2');
    c.runFor(500);
    // p2 has ACKs from both followers (a quorum), p1 none: nothing may commit.
    expect(c.received(leader, PacketType.ACK).map((p) => p.zxid).filter((z) => z > z1 - 1)).toEqual([z1 + 1, z1 + 1]);
    expect(c.node(leader).applied).toHaveLength(0);
    c.node(leader).diskPaused = false; // the leader's own ACKs: p1 has 1 of 3
    c.runFor(500);
    expect(c.node(leader).applied).toHaveLength(0);
    c.releaseHeld();
    expect(c.runUntil(() => [1, 2, 3].every((s) => c.appliedTexts(s).join() === 'p1,p2'), 1000)).toBe(true);
    const commits = c.received(f1!, PacketType.COMMIT).map((p) => p.zxid);
    expect(commits).toEqual([z1, z1 + 1]);
  });
});

describe('epoch fencing', () => {
  it('a follower refuses a PROPOSAL from an older epoch', () => {
    const c = stableCluster([1, 2, 3]);
    const leader = c.leaders()[0]!.sid;
    c.crash(leader);
    c.start(leader);
    expect(c.runUntil(() => c.stable(), 30_000)).toBe(true);
    const newLeader = c.leaders()[0]!.sid;
    const epoch = c.node(newLeader).peer.leaderRole!.epoch;
    expect(epoch).toBe(2);
    const follower = [1, 2, 3].find((s) => s !== newLeader)!;
    const before = c.effectsOf(follower, 'persistTxns').length;
    c.inject(follower, { type: 'leaderPacket', from: newLeader, packet: { type: PacketType.PROPOSAL, zxid: makeZxid(1, 99), data: txnData('stale') } });
    c.runFor(100);
    expect(c.effectsOf(follower, 'persistTxns')).toHaveLength(before);
    expect(c.effectsOf(follower, 'log').some((l) => l.message.startsWith('refused'))).toBe(true);
  });

  it('an isolated old leader cannot commit: its proposal is never applied anywhere', () => {
    const c = stableCluster([1, 2, 3]);
    const old = c.leaders()[0]!.sid;
    c.partition([old], [1, 2, 3].filter((s) => s !== old));
    const lost = c.proposeOn(old, 'lost');
    c.runFor(30_000);
    // Logged on the old leader only; never committed (no applyCommitted of it on any server).
    expect(c.node(old).disk.txns.map((t) => t.zxid)).toContain(lost);
    expect(c.committed.has(lost)).toBe(false);
    expect(c.leaders().map((n) => n.sid)).not.toContain(old);
  });
});

describe('observers', () => {
  it('get INFORM, never ACK, and do not count towards a quorum', () => {
    const c = stableCluster([1, 2, 3], [4]);
    commitEverywhere(c, ['a', 'b']);
    const leader = c.leaders()[0]!.sid;
    expect(c.received(4, PacketType.INFORM).map((p) => p.zxid)).toHaveLength(2);
    expect(c.received(4, PacketType.PROPOSAL)).toHaveLength(0);
    expect(c.received(leader, PacketType.ACK).length).toBeGreaterThan(0);
    expect(c.node(4).effects.filter((e) => e.kind === 'send' && e.packet.type === PacketType.ACK && (e.packet.zxid % 2 ** 32) !== 0)).toHaveLength(0);
    expect(c.appliedTexts(4)).toEqual(['a', 'b']);
    // Two voters down: the remaining voter and the observer are no quorum.
    for (const s of [1, 2, 3].filter((x) => x !== leader)) c.crash(s);
    c.runFor(60_000);
    expect(c.leaders()).toHaveLength(0);
    expect(c.node(4).serving).toBe(false);
  });
});

describe('membership over time', () => {
  it('a late joiner joins the established leader (empty disk: SNAP, its zxid 0 is no txn in the leader log)', () => {
    const c = new SimCluster([1, 2, 3]);
    c.start(1, 2);
    expect(c.runUntil(() => c.stable(), 10_000)).toBe(true);
    commitEverywhere(c, ['a', 'b']);
    c.start(3);
    expect(c.runUntil(() => c.stable(), 10_000)).toBe(true);
    expect(c.leaders()[0]!.sid).toBe(2);
    expect(c.effectsOf(3, 'loadSnapshot')).toHaveLength(1);
    expect(c.appliedTexts(3)).toEqual(['a', 'b']);
    expect(c.node(3).events.filter((e) => e.type === 'notification' && e.notification.state !== 0).length).toBeGreaterThan(0);
    expect(c.node(2).peer.leaderRole!.epoch).toBe(1);
  });

  it('the leader steps down within syncLimit when it loses its synced quorum', () => {
    const c = stableCluster([1, 2, 3], [], { tickTimeMs: 2000, syncLimit: 5 });
    const leader = c.leaders()[0]!.sid;
    const t0 = c.nowMs;
    c.partition([leader], [1, 2, 3].filter((s) => s !== leader));
    expect(c.runUntil(() => c.node(leader).role === 'LOOKING', 30_000)).toBe(true);
    const elapsed = c.nowMs - t0;
    expect(elapsed).toBeGreaterThanOrEqual(5 * 2000);
    expect(elapsed).toBeLessThanOrEqual(7 * 2000);
    expect(c.effectsOf(leader, 'log').some((l) => l.message.includes('Not sufficient followers synced'))).toBe(true);
  });

  it('all servers crash and restart: every committed txn survives', () => {
    const c = stableCluster([1, 2, 3]);
    commitEverywhere(c, ['a', 'b', 'c']);
    for (const s of [1, 2, 3]) c.crash(s);
    c.start(1, 2, 3);
    expect(c.runUntil(() => c.stable(), 30_000)).toBe(true);
    commitEverywhere(c, ['d']);
    for (const s of [1, 2, 3]) expect(c.appliedTexts(s)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('SYNC', () => {
  it('is released only after the proposals outstanding at the leader commit, behind their COMMIT', () => {
    const c = stableCluster([1, 2, 3]);
    const leader = c.leaders()[0]!.sid;
    const follower = [1, 2, 3].find((s) => s !== leader)!;
    for (const s of [1, 2, 3]) c.node(s).diskPaused = true;
    c.propose('w');
    c.runFor(10);
    const syncRequest = new Uint8Array(20);
    new DataView(syncRequest.buffer).setInt32(12, 9);
    c.inject(follower, { type: 'forwardRequest', data: syncRequest });
    c.runFor(500);
    expect(c.effectsOf(follower, 'syncReleased')).toHaveLength(0);
    for (const s of [1, 2, 3]) c.node(s).diskPaused = false;
    expect(c.runUntil(() => c.effectsOf(follower, 'syncReleased').length === 1, 2000)).toBe(true);
    const kinds = c.node(follower).effects.map((e) => e.kind).filter((k) => k === 'applyCommitted' || k === 'syncReleased');
    expect(kinds).toEqual(['applyCommitted', 'syncReleased']);
    // With nothing outstanding the SYNC comes back at once.
    c.inject(follower, { type: 'forwardRequest', data: syncRequest });
    expect(c.runUntil(() => c.effectsOf(follower, 'syncReleased').length === 2, 100)).toBe(true);
  });
});
