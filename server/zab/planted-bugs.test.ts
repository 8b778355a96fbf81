// Each planted bug (server/bugs/catalog.ts, docs/planted-bugs.md) on the
// deterministic test kit: the same schedule with the bug off shows the
// correct behaviour, with the bug on the buggy decision and its effect.
import { describe, expect, it } from 'vitest';
import { zabConfig, type ZabConfig } from './config.ts';
import { ZabDatabase } from './database.ts';
import type { Effect } from './effects.ts';
import { EpochProposal } from './leader-discovery.ts';
import { Learner } from './learner.ts';
import { encodeInt, packet, PacketType, type ZabPacket } from './packets.ts';
import { QuorumVerifier } from './quorum.ts';
import type { RoleContext } from './role.ts';
import { commitEverywhere, diskAt, historyOf, SimCluster, stableCluster, txnAt } from './testkit.ts';
import type { Txn } from './txn.ts';
import { epochOf, makeZxid } from './zxid.ts';

const txn = txnAt;
const history = historyOf;
const disk = diskAt;
const bugs = (...names: string[]): Partial<ZabConfig> => ({ plantedBugs: new Set(names) });
const zxids = (txns: readonly Txn[]) => txns.map((t) => t.zxid);

const stable3 = (overrides: Partial<ZabConfig> = {}): SimCluster => stableCluster([1, 2, 3], [], overrides);


/** The leader logs a proposal alone (cut off from both followers), and the others elect a new leader. */
function isolatedLeaderWithOrphan(overrides: Partial<ZabConfig>) {
  const c = stable3(overrides);
  commitEverywhere(c, ['a']);
  const old = c.leaders()[0]!.sid;
  const rest = [1, 2, 3].filter((s) => s !== old);
  c.partition([old], rest);
  const orphan = c.proposeOn(old, 'orphan');
  expect(c.runUntil(() => c.node(old).role === 'LOOKING' && c.leaders().length === 1, 60_000)).toBe(true);
  expect(zxids(c.node(old).disk.txns)).toContain(orphan);
  return { c, old, rest, orphan };
}

/**
 * Rejoins the old leader, commits 'b', restarts it (it replays its log):
 * the sync packets it got when rejoining, and what it holds after the restart.
 */
function rejoinAndRestart(c: SimCluster, old: number): { truncs: number[]; diffs: number; texts: string[] } {
  c.heal();
  expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
  commitEverywhere(c, ['b']);
  const truncs = c.received(old, PacketType.TRUNC).map((p) => p.zxid);
  const diffs = c.received(old, PacketType.DIFF).length;
  c.runFor(500); // its log write of 'b' is durable before the restart
  c.restart(old);
  expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
  return { truncs, diffs, texts: c.appliedTexts(old) };
}

describe('diff-not-trunc (ZOOKEEPER-1154)', () => {
  it('off: the old leader is TRUNCated and the orphan is gone', () => {
    const { c, old, orphan } = isolatedLeaderWithOrphan({});
    expect(rejoinAndRestart(c, old)).toMatchObject({ truncs: [orphan - 1], texts: ['a', 'b'] });
  });

  it('on: the old leader gets DIFF instead, keeps the txn no quorum acked, and serves it after a restart', () => {
    const { c, old, rest, orphan } = isolatedLeaderWithOrphan(bugs('diff-not-trunc'));
    const r = rejoinAndRestart(c, old);
    expect(r).toMatchObject({ truncs: [], texts: ['a', 'orphan', 'b'] });
    expect(r.diffs).toBeGreaterThan(0);
    expect(zxids(c.node(old).disk.txns)).toContain(orphan);
    for (const s of rest) expect(c.appliedTexts(s)).toEqual(['a', 'b']);
  });
});

describe('stale-election-zxid (ZOOKEEPER-2845)', () => {
  it('on: a follower that logged a txn but missed its COMMIT gets it again by DIFF; its log keeps one copy', () => {
    const c = stable3(bugs('stale-election-zxid'));
    commitEverywhere(c, ['a']);
    const leader = c.leaders()[0]!.sid;
    const [f, g] = [1, 2, 3].filter((s) => s !== leader) as [number, number];
    c.dropFilters.push((d) => d.to === f && d.event.type === 'leaderPacket' && d.event.packet.type === PacketType.COMMIT);
    c.propose('x');
    expect(c.runUntil(() => c.appliedTexts(g).includes('x') && c.node(f).disk.txns.length === 2, 5000)).toBe(true);
    expect(c.appliedTexts(f)).toEqual(['a']);
    c.crash(leader);
    c.dropFilters.length = 0;
    expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
    expect(c.node(f).disk.txns.map((t) => t.zxid)).toEqual([makeZxid(1, 1), makeZxid(1, 2)]);
    expect(c.appliedTexts(f)).toEqual(['a', 'x']);
  });

  it('off: going LOOKING the old leader advertises its logged zxid (fast-forward) and is TRUNCated', () => {
    const { c, old, orphan } = isolatedLeaderWithOrphan({});
    expect(c.effectsOf(old, 'fastForwardDatabase').length + c.effectsOf(old, 'reloadDatabase').length).toBeGreaterThan(0);
    expect(rejoinAndRestart(c, old)).toMatchObject({ truncs: [orphan - 1], texts: ['a', 'b'] });
  });

  it('on: it keeps its in-memory zxid (below its log), gets DIFF instead of TRUNC, and the orphan reappears after a restart', () => {
    const { c, old, rest, orphan } = isolatedLeaderWithOrphan(bugs('stale-election-zxid'));
    expect(c.effectsOf(old, 'fastForwardDatabase')).toEqual([]);
    expect(c.effectsOf(old, 'reloadDatabase')).toEqual([]);
    expect(c.node(old).peer.db.lastLoggedZxid).toBe(orphan - 1); // advertised, though the log holds orphan
    const r = rejoinAndRestart(c, old);
    expect(r).toMatchObject({ truncs: [], texts: ['a', 'orphan', 'b'] });
    expect(r.diffs).toBeGreaterThan(0);
    for (const s of rest) expect(c.appliedTexts(s)).toEqual(['a', 'b']);
  });
});

/**
 * ZOOKEEPER-4646 / 4643 schedule: 1 and 3 hold (1,1..2) (committed in epoch 1),
 * 2 holds (1,1); 3 is down. 1 leads epoch 2 and DIFF-syncs (1,2) to 2; 2
 * crashes at `crashWhen`, 1 crashes too; 2 and 3 restart. Returns what 3
 * holds once they are stable (2 wins with its currentEpoch 2 when it lacks
 * (1,2), and TRUNCs 3).
 */
function newLeaderCrash(overrides: Partial<ZabConfig>, crashWhen: (c: SimCluster) => boolean) {
  const c = new SimCluster([1, 2, 3], [], overrides);
  c.setDisk(1, disk(1, history(1, 1, 2)));
  c.setDisk(2, disk(1, history(1, 1, 1)));
  c.setDisk(3, disk(1, history(1, 1, 2)));
  c.start(1, 2);
  expect(c.runUntil(() => crashWhen(c), 20_000)).toBe(true);
  const node2AtCrash = { currentEpoch: c.node(2).disk.currentEpoch, zxids: zxids(c.node(2).disk.txns) };
  c.crash(2);
  c.crash(1);
  c.start(2, 3);
  expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
  return { c, node2AtCrash, leader: c.leaders()[0]!.sid, node3: zxids(c.node(3).disk.txns) };
}

const ackedNewLeader = (c: SimCluster) => c.node(2).effects.some((e) => e.kind === 'send' && e.packet.type === PacketType.ACK
  && e.packet.zxid === makeZxid(2, 0));
const epochWritten = (c: SimCluster) => c.node(2).disk.currentEpoch === 2;

describe('newleader-ack-before-sync (ZOOKEEPER-3911/4646)', () => {
  it('off: when the follower ACKs NEWLEADER its synced txn is durable; nothing is lost', () => {
    const r = newLeaderCrash({}, ackedNewLeader);
    expect(r.node2AtCrash).toEqual({ currentEpoch: 2, zxids: zxids(history(1, 1, 2)) });
    expect(r.node3).toContain(makeZxid(1, 2));
  });

  it('on: it ACKs NEWLEADER with currentEpoch 2 but without the txn; after the crash it leads and TRUNCs the committed txn away', () => {
    const r = newLeaderCrash(bugs('newleader-ack-before-sync'), ackedNewLeader);
    expect(r.node2AtCrash).toEqual({ currentEpoch: 2, zxids: [makeZxid(1, 1)] });
    expect(r.leader).toBe(2);
    expect(r.c.received(3, PacketType.TRUNC).map((p) => p.zxid)).toEqual([makeZxid(1, 1)]);
    expect(r.node3).not.toContain(makeZxid(1, 2));
  });
});

describe('planted NEWLEADER bugs widen their window', () => {
  const widened = (overrides: Partial<ZabConfig>) => {
    const c = new SimCluster([1, 2, 3], [], overrides);
    c.setDisk(1, disk(1, history(1, 1, 2)));
    c.setDisk(2, disk(1, history(1, 1, 1)));
    c.start(1, 2);
    expect(c.runUntil(() => c.stable(), 20_000)).toBe(true);
    return c.effectsOf(2, 'persistTxns').map((e) => e.widenWindowMs ?? 0);
  };

  it('off: no write of node 2 waits; on: the synced txn\'s write waits 500 ms (after the ACK, or after currentEpoch)', () => {
    expect(widened({})).toEqual([0]);
    expect(widened(bugs('newleader-ack-before-sync'))).toEqual([500]);
    expect(widened(bugs('epoch-before-txns'))).toEqual([500]);
  });
});

describe('epoch-before-txns (ZOOKEEPER-4643/4785)', () => {
  it('off: currentEpoch 2 is never on disk without the synced txn', () => {
    const r = newLeaderCrash({}, epochWritten);
    expect(r.node2AtCrash.zxids).toEqual(zxids(history(1, 1, 2)));
    expect(r.node3).toContain(makeZxid(1, 2));
  });

  it('on: a crash right after the currentEpoch write lets the server without the txn win and TRUNC it away', () => {
    const r = newLeaderCrash(bugs('epoch-before-txns'), epochWritten);
    expect(r.node2AtCrash).toEqual({ currentEpoch: 2, zxids: [makeZxid(1, 1)] });
    expect(r.leader).toBe(2);
    expect(r.node3).not.toContain(makeZxid(1, 2));
  });

  it('on: the NEWLEADER effects put writeCurrentEpoch before persistTxns (off: after)', () => {
    const order = (overrides: Partial<ZabConfig>) => {
      const c = new SimCluster([1, 2, 3], [], overrides);
      c.setDisk(1, disk(1, history(1, 1, 2)));
      c.setDisk(2, disk(1, history(1, 1, 1)));
      c.start(1, 2);
      expect(c.runUntil(() => c.stable(), 20_000)).toBe(true);
      return c.node(2).effects.filter((e) => e.kind === 'persistTxns' || e.kind === 'writeCurrentEpoch').map((e) => e.kind);
    };
    expect(order({})).toEqual(['persistTxns', 'writeCurrentEpoch']);
    expect(order(bugs('epoch-before-txns'))).toEqual(['writeCurrentEpoch', 'persistTxns']);
  });
});

describe('equal-epoch-proposal (ZOOKEEPER-1343)', () => {
  it('getEpochToPropose: a learner that accepted epoch 2 forces 3 (off) / is offered 2 again (on)', () => {
    for (const [bug, expected] of [[false, 3], [true, 2]] as const) {
      const p = new EpochProposal(1, new QuorumVerifier([1, 2, 3]), bug);
      p.offer(1, 1);
      expect(p.offer(2, 2)).toBe(true);
      expect(p.epoch).toBe(expected);
    }
  });

  it('cluster: the leader proposes an epoch a follower already accepted', () => {
    const run = (overrides: Partial<ZabConfig>) => {
      const c = new SimCluster([1, 2, 3], [], overrides);
      c.setDisk(1, disk(1, history(1, 1, 3)));
      c.setDisk(2, disk(1, history(1, 1, 2), 2)); // promised epoch 2 to a leader that never established it
      c.start(1, 2);
      expect(c.runUntil(() => c.received(2, PacketType.LEADERINFO).length > 0, 20_000)).toBe(true);
      c.runFor(1000);
      return { epochs: c.received(2, PacketType.LEADERINFO).map((p) => epochOf(p.zxid)), stable: c.stable() };
    };
    expect(run({})).toEqual({ epochs: [3], stable: true });
    // The follower answers ACKEPOCH -1 (not counted): these two alone cannot establish epoch 2.
    expect(run(bugs('equal-epoch-proposal'))).toMatchObject({ epochs: [2], stable: false });
  });
});

describe('accepted-epoch-not-persisted (ZOOKEEPER-1291)', () => {
  /** 1 and 2 up; NEWLEADER is held back so the new epoch stays a promise. */
  function promised(overrides: Partial<ZabConfig>) {
    const c = new SimCluster([1, 2, 3], [], overrides);
    c.setDisk(1, disk(1, history(1, 1, 3))); // 1 leads
    c.setDisk(2, disk(1, history(1, 1, 2)));
    c.holdFilters.push((d) => d.event.type === 'leaderPacket' && d.event.packet.type === PacketType.NEWLEADER);
    c.start(1, 2);
    c.runUntil(() => c.node(1).events.some((e) => e.type === 'learnerPacket' && e.packet.type === PacketType.ACKEPOCH), 20_000);
    c.runFor(100);
    return c;
  }

  it('off: both leader and follower have acceptedEpoch 2 on disk once the follower sent ACKEPOCH', () => {
    const c = promised({});
    expect([c.node(1).disk.acceptedEpoch, c.node(2).disk.acceptedEpoch]).toEqual([2, 2]);
  });

  it('on: the promise is only in memory; a restart forgets it and re-registers with acceptedEpoch 1', () => {
    const c = promised(bugs('accepted-epoch-not-persisted'));
    expect(c.node(2).peer.db.acceptedEpoch).toBe(2);
    expect(c.node(2).disk.acceptedEpoch).toBe(1);
    // The leader wrote its promise only with its currentEpoch, after the ACKEPOCH quorum, not before LEADERINFO.
    const leaderWrites = c.node(1).effects.filter((e) => e.kind === 'writeAcceptedEpoch' || e.kind === 'writeCurrentEpoch'
      || (e.kind === 'send' && e.packet.type === PacketType.LEADERINFO)).map((e) => e.kind === 'send' ? 'LEADERINFO' : e.kind);
    expect(leaderWrites).toEqual(['LEADERINFO', 'writeAcceptedEpoch', 'writeCurrentEpoch']);
    c.restart(2);
    c.runUntil(() => c.received(1, PacketType.FOLLOWERINFO).length >= 2, 20_000);
    expect(epochOf(c.received(1, PacketType.FOLLOWERINFO).at(-1)!.zxid)).toBe(1);
  });

  it('on: once the epoch is adopted acceptedEpoch is written before currentEpoch, so a restart still starts', () => {
    const c = new SimCluster([1, 2, 3], [], bugs('accepted-epoch-not-persisted'));
    c.start(1, 2, 3);
    expect(c.runUntil(() => c.stable(), 20_000)).toBe(true);
    for (const s of [1, 2, 3]) expect(c.node(s).disk.acceptedEpoch).toBeGreaterThanOrEqual(c.node(s).disk.currentEpoch);
    c.restart(2);
    expect(c.runUntil(() => c.stable(), 20_000)).toBe(true);
  });
});

describe('commit-without-quorum', () => {
  function leaderAlone(overrides: Partial<ZabConfig>) {
    const c = stable3(overrides);
    commitEverywhere(c, ['a']);
    const leader = c.leaders()[0]!.sid;
    c.partition([leader], [1, 2, 3].filter((s) => s !== leader));
    c.proposeOn(leader, 'alone');
    c.runFor(500);
    return c.appliedTexts(leader);
  }

  it('off: a proposal only the leader logged is not committed', () => {
    expect(leaderAlone({})).toEqual(['a']);
  });

  it('on: the leader commits it with its own ACK, 1 of 3', () => {
    expect(leaderAlone(bugs('commit-without-quorum'))).toEqual(['a', 'alone']);
  });
});

describe('ack-before-fsync', () => {
  /** 'x' commits with the leader's and follower F's ACKs (G never sees it); F and the leader crash; F and G restart. */
  function lostWrite(overrides: Partial<ZabConfig>) {
    const c = stable3(overrides);
    commitEverywhere(c, ['a']);
    const leader = c.leaders()[0]!.sid;
    const [f, g] = [1, 2, 3].filter((s) => s !== leader) as [number, number];
    c.dropFilters.push((d) => d.to === g && d.event.type === 'leaderPacket');
    c.propose('x');
    expect(c.runUntil(() => c.appliedTexts(leader).includes('x'), 5000)).toBe(true); // the client is told ok
    const fPersist = c.effectsOf(f, 'persistTxns').at(-1)!;
    c.crash(f);
    c.crash(leader);
    c.dropFilters.length = 0;
    c.start(f);
    expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
    return { writtenOnly: fPersist.writtenOnly === true, f: c.appliedTexts(f), g: c.appliedTexts(g) };
  }

  it('off: the follower ACKed after fsync, so the committed write survives its crash', () => {
    expect(lostWrite({})).toEqual({ writtenOnly: false, f: ['a', 'x'], g: ['a', 'x'] });
  });

  it('on: the follower ACKed a written-only txn; the crash loses it and the committed write is gone', () => {
    expect(lostWrite(bugs('ack-before-fsync'))).toEqual({ writtenOnly: true, f: ['a'], g: ['a'] });
  });
});

describe('read-uncommitted', () => {
  function proposalWithoutCommit(overrides: Partial<ZabConfig>) {
    const c = stable3(overrides);
    commitEverywhere(c, ['a']);
    const leader = c.leaders()[0]!.sid;
    // No ACK reaches the leader: 'u' is never committed.
    c.dropFilters.push((d) => d.event.type === 'learnerPacket' && d.event.packet.type === PacketType.ACK);
    c.propose('u');
    c.runFor(200);
    return { leader: c.appliedTexts(leader), followers: [1, 2, 3].filter((s) => s !== leader).map((s) => c.appliedTexts(s)) };
  }

  it('off: followers apply only at COMMIT', () => {
    expect(proposalWithoutCommit({})).toEqual({ leader: ['a'], followers: [['a'], ['a']] });
  });

  it('on: followers apply on PROPOSAL, so reads on them see a write that never committed', () => {
    expect(proposalWithoutCommit(bugs('read-uncommitted'))).toEqual({ leader: ['a'], followers: [['a', 'u'], ['a', 'u']] });
  });

  it('on: a COMMIT that follows does not apply the txn twice', () => {
    const c = stable3(bugs('read-uncommitted'));
    commitEverywhere(c, ['a', 'b']);
    for (const s of [1, 2, 3]) expect(c.appliedTexts(s)).toEqual(['a', 'b']);
  });
});

describe('old-epoch-proposal', () => {
  /** A follower of leader 1 in epoch 3, in broadcast after an empty DIFF. */
  function follower(overrides: Partial<ZabConfig>, acceptedEpoch = 2) {
    const config = zabConfig(2, [1, 2, 3], [], overrides);
    const db = new ZabDatabase(500);
    db.load({ acceptedEpoch, currentEpoch: 2, lastLoggedZxid: makeZxid(2, 1), committedLog: [txn(2, 1)] }, true);
    let token = 0;
    const ctx: RoleContext = { config, db, newToken: () => ++token, noteEpochEstablished: () => undefined, updateElectionVote: () => undefined };
    const learner = new Learner(ctx, 1, false);
    learner.start();
    learner.onLeaderConnected();
    const feed = (p: ZabPacket): Effect[] => learner.onLeaderPacket(p).effects;
    const done = (effects: Effect[]): Effect[] => {
      const e = effects.find((x) => 'token' in x);
      return e !== undefined && 'token' in e ? learner.onDiskDone(e.token).effects : [];
    };
    return { learner, feed, done };
  }

  function inBroadcast(overrides: Partial<ZabConfig>) {
    const t = follower(overrides);
    t.done(t.feed(packet(PacketType.LEADERINFO, makeZxid(3, 0), encodeInt(0x10000))));
    t.feed(packet(PacketType.DIFF, makeZxid(2, 1)));
    t.done(t.feed(packet(PacketType.NEWLEADER, makeZxid(3, 0))));
    t.feed(packet(PacketType.UPTODATE, -1));
    expect(t.learner.stage).toBe('broadcast');
    return t;
  }

  const proposalOf = (epoch: number, counter: number) => packet(PacketType.PROPOSAL, makeZxid(epoch, counter), txn(epoch, counter).data);

  it('off: a PROPOSAL of epoch 2 while following epoch 3 is refused', () => {
    const t = inBroadcast({});
    expect(t.feed(proposalOf(2, 5)).some((e) => e.kind === 'persistTxns')).toBe(false);
    expect(t.feed(proposalOf(3, 1)).some((e) => e.kind === 'persistTxns')).toBe(true);
  });

  it('on: it is logged (and ACKed once durable)', () => {
    const t = inBroadcast(bugs('old-epoch-proposal'));
    const effects = t.feed(proposalOf(2, 5));
    expect(effects.filter((e) => e.kind === 'persistTxns').map((e) => e.kind === 'persistTxns' && e.txns[0]!.zxid)).toEqual([makeZxid(2, 5)]);
    expect(t.done(effects)).toContainEqual({ kind: 'send', to: 1, packet: packet(PacketType.ACK, makeZxid(2, 5)) });
  });

  it('off: a leader of an epoch below acceptedEpoch is refused; on: followed (ACKEPOCH -1)', () => {
    const off = follower({}, 4);
    off.feed(packet(PacketType.LEADERINFO, makeZxid(3, 0), encodeInt(0x10000)));
    expect(off.learner.stage).toBe('done');
    const on = follower(bugs('old-epoch-proposal'), 4);
    const sent = on.feed(packet(PacketType.LEADERINFO, makeZxid(3, 0), encodeInt(0x10000)))
      .flatMap((e) => (e.kind === 'send' ? [e.packet] : []));
    expect(sent).toEqual([packet(PacketType.ACKEPOCH, makeZxid(2, 1), encodeInt(-1))]);
  });
});

describe('trunc-off-by-one (ZOOKEEPER-1156)', () => {
  function truncated(overrides: Partial<ZabConfig>) {
    const { c, old, rest, orphan } = isolatedLeaderWithOrphan(overrides);
    c.heal();
    expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
    expect(c.received(old, PacketType.TRUNC).map((p) => p.zxid)).toEqual([orphan - 1]); // keep 'a', cut the orphan
    commitEverywhere(c, ['b']);
    return { old: c.appliedTexts(old), oldLog: zxids(c.node(old).disk.txns), rest: rest.map((s) => c.appliedTexts(s)) };
  }

  it('off: TRUNC keeps the target txn', () => {
    const r = truncated({});
    expect(r.old).toEqual(['a', 'b']);
    expect(r.oldLog).toContain(makeZxid(1, 1));
  });

  it('on: the cut lands before the target: the learner loses the committed txn a', () => {
    const r = truncated(bugs('trunc-off-by-one'));
    expect(r.old).toEqual(['b']);
    expect(r.oldLog).not.toContain(makeZxid(1, 1));
    expect(r.rest).toEqual([['a', 'b'], ['a', 'b']]);
  });
});
