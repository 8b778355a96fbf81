// The leader's discovery and broadcast, driven one learner message at a time.
import { describe, expect, it } from 'vitest';
import { zabConfig, type ZabConfig } from './config.ts';
import { ZabDatabase } from './database.ts';
import type { Effect } from './effects.ts';
import { Leader } from './leader.ts';
import { EpochProposal } from './leader-discovery.ts';
import { encodeInt, encodeLearnerInfo, packet, PacketType, type ZabPacket } from './packets.ts';
import { QuorumVerifier } from './quorum.ts';
import type { RoleContext } from './role.ts';
import { makeZxid, MAX_COUNTER } from './zxid.ts';

function setup(overrides: Partial<ZabConfig> = {}, db0 = { acceptedEpoch: 1, currentEpoch: 1, lastZxid: makeZxid(1, 3) }) {
  const config = zabConfig(3, [1, 2, 3], [4], overrides);
  const db = new ZabDatabase(500);
  const log = [1, 2, 3].map((c) => ({ zxid: makeZxid(1, c), data: new Uint8Array([c]) })).filter((t) => t.zxid <= db0.lastZxid);
  db.load({ acceptedEpoch: db0.acceptedEpoch, currentEpoch: db0.currentEpoch, lastLoggedZxid: db0.lastZxid, committedLog: log }, true);
  let token = 0;
  const established: number[] = [];
  const ctx: RoleContext = { config, db, newToken: () => ++token, noteEpochEstablished: (e) => established.push(e), updateElectionVote: () => undefined };
  const leader = new Leader(ctx);
  const all: Effect[] = [...leader.start().effects];
  const info = (sid: number, acceptedEpoch: number, type: 11 | 16 = PacketType.FOLLOWERINFO) =>
    leader.onLearnerPacket(sid, packet(type, makeZxid(acceptedEpoch, 0), encodeLearnerInfo({ serverid: sid, protocolVersion: 0x10000, configVersion: 0 })));
  const from = (sid: number, p: ZabPacket) => leader.onLearnerPacket(sid, p);
  return { leader, db, all, info, from, established };
}

const disk = (effects: Effect[]) => effects.filter((e) => 'token' in e);
const sentTo = (effects: Effect[], to: number) => effects.flatMap((e) => (e.kind === 'send' && e.to === to ? [e.packet] : []));
const tok = (e: Effect | undefined): number => (e && 'token' in e ? e.token : -1);

describe('getEpochToPropose', () => {
  it('proposes one more than the largest acceptedEpoch, with >= (ZOOKEEPER-1343)', () => {
    const p = new EpochProposal(3, new QuorumVerifier([1, 2, 3]));
    expect(p.offer(3, 3)).toBe(false);
    expect(p.epoch).toBe(4);
    expect(p.offer(1, 4)).toBe(true); // a follower already accepted 4: the new epoch must be 5
    expect(p.epoch).toBe(5);
    expect(p.offer(2, 9)).toBe(false); // decided: later learners do not move it
    expect(p.epoch).toBe(5);
  });
});

function throughEpoch() {
  const t = setup();
  const s = t.info(1, 1);
  const [write] = disk(s.effects);
  expect(write).toMatchObject({ kind: 'writeAcceptedEpoch', epoch: 2 });
  expect(sentTo(s.effects, 1)).toEqual([]); // LEADERINFO only once acceptedEpoch is durable
  const d = t.leader.onDiskDone(tok(write));
  expect(sentTo(d.effects, 1)).toEqual([packet(PacketType.LEADERINFO, makeZxid(2, 0), encodeInt(0x10000))]);
  expect(t.db.acceptedEpoch).toBe(2);
  return t;
}

describe('Leader discovery', () => {
  it('refuses a follower that is ahead of it (waitForEpochAck)', () => {
    const t = throughEpoch();
    const s = t.from(1, packet(PacketType.ACKEPOCH, makeZxid(1, 5), encodeInt(1)));
    expect(s.effects).toContainEqual({ kind: 'closeLearner', sid: 1, reason: 'FOLLOWER_IS_AHEAD' });
    expect(disk(s.effects)).toEqual([]);
  });

  it('does not count ACKEPOCH -1; a counted one completes the quorum and currentEpoch is persisted', () => {
    const t = throughEpoch();
    t.info(2, 2);
    const notCounted = t.from(2, packet(PacketType.ACKEPOCH, makeZxid(1, 1), encodeInt(-1)));
    expect(disk(notCounted.effects)).toEqual([]);
    const s = t.from(1, packet(PacketType.ACKEPOCH, makeZxid(1, 2), encodeInt(1)));
    expect(disk(s.effects)).toEqual([expect.objectContaining({ kind: 'writeCurrentEpoch', epoch: 2 })]);
    // Both waiting learners are synced: DIFF for 1 (in the log), DIFF(empty) for 2 ... each followed by NEWLEADER.
    expect(sentTo(s.effects, 1).map((p) => p.type)).toEqual([PacketType.DIFF, PacketType.PROPOSAL, PacketType.COMMIT, PacketType.NEWLEADER]);
    expect(sentTo(s.effects, 2).at(-1)).toEqual(packet(PacketType.NEWLEADER, makeZxid(2, 0), null));
  });

  it('is established only with a NEWLEADER ACK quorum and its own currentEpoch durable; a proposal ACK is not a NEWLEADER ACK', () => {
    const t = throughEpoch();
    const s = t.from(1, packet(PacketType.ACKEPOCH, makeZxid(1, 3), encodeInt(1)));
    const currentEpochToken = tok(disk(s.effects)[0]);
    const early = t.from(1, packet(PacketType.ACK, makeZxid(1, 3)));
    expect(early.effects).toContainEqual(expect.objectContaining({ kind: 'log', level: 'warn' }));
    expect(t.leader.phase).toBe('SYNCHRONIZATION');
    t.leader.onDiskDone(currentEpochToken);
    expect(t.leader.phase).toBe('SYNCHRONIZATION'); // 1's ACK did not count (ZOOKEEPER-4685 behaviour)
    t.info(2, 1);
    t.from(2, packet(PacketType.ACKEPOCH, makeZxid(1, 3), encodeInt(1)));
    const est = t.from(2, packet(PacketType.ACK, makeZxid(2, 0)));
    expect(t.leader.phase).toBe('BROADCAST');
    expect(t.established).toEqual([2]);
    expect(est.effects).toContainEqual({ kind: 'serving', serving: true });
    expect(sentTo(est.effects, 1)).toEqual([packet(PacketType.UPTODATE, -1)]);
    expect(sentTo(est.effects, 2)).toEqual([packet(PacketType.UPTODATE, -1)]);
  });

  it('gives up and steps down when no quorum arrives within initLimit', () => {
    const t = setup();
    expect(t.all).toContainEqual({ kind: 'setTimer', name: 'leader.phase', delayMs: 10 * 2000 });
    const s = t.leader.onTimer('leader.phase');
    expect(s.exit).toMatch(/timeout in DISCOVERY/);
  });
});

function established(overrides: Partial<ZabConfig> = {}) {
  const t = setup(overrides);
  const w = t.info(1, 1);
  t.leader.onDiskDone(tok(disk(w.effects)[0]));
  const s = t.from(1, packet(PacketType.ACKEPOCH, makeZxid(1, 3), encodeInt(1)));
  t.leader.onDiskDone(tok(disk(s.effects)[0]));
  t.from(1, packet(PacketType.ACK, makeZxid(2, 0)));
  t.info(4, 1, PacketType.OBSERVERINFO);
  t.from(4, packet(PacketType.ACKEPOCH, makeZxid(1, 3), encodeInt(-1)));
  t.from(4, packet(PacketType.ACK, makeZxid(2, 0)));
  expect(t.leader.phase).toBe('BROADCAST');
  return t;
}

describe('Leader broadcast', () => {
  it('sends PROPOSAL to followers only, commits on a quorum, then COMMIT to followers and INFORM to observers', () => {
    const t = established();
    const z = t.leader.nextZxid()!;
    expect(z).toBe(makeZxid(2, 1));
    const p = t.leader.propose({ zxid: z, data: new Uint8Array([7]) });
    expect(sentTo(p.effects, 1)).toEqual([packet(PacketType.PROPOSAL, z, new Uint8Array([7]))]);
    expect(sentTo(p.effects, 4)).toEqual([]);
    const own = t.leader.onDiskDone(tok(disk(p.effects)[0]));
    expect(own.effects).toEqual([]); // 1 of 3
    const observerAck = t.from(4, packet(PacketType.ACK, z));
    expect(observerAck.effects).toEqual([]); // observers never vote
    const c = t.from(1, packet(PacketType.ACK, z));
    expect(sentTo(c.effects, 1)).toEqual([packet(PacketType.COMMIT, z)]);
    expect(sentTo(c.effects, 4)).toEqual([packet(PacketType.INFORM, z, new Uint8Array([7]))]);
    expect(c.effects).toContainEqual({ kind: 'applyCommitted', txn: { zxid: z, data: new Uint8Array([7]) } });
    expect(t.from(1, packet(PacketType.ACK, z)).effects).toEqual([]); // already committed: ignored
  });

  it('forces a re-election instead of letting the zxid counter roll over (ZOOKEEPER-1277)', () => {
    const t = established({ testingInitialZxidCounter: MAX_COUNTER - 1 });
    const z = t.leader.nextZxid()!;
    expect(z).toBe(makeZxid(2, MAX_COUNTER));
    expect(t.leader.propose({ zxid: z, data: new Uint8Array(0) }).exit).toMatch(/rolled over/);
  });

  it('pings learners every half tick and piggybacked touches reach the session tracker', () => {
    const t = established();
    const tick = t.leader.onTimer('leader.tick');
    expect(sentTo(tick.effects, 1)).toEqual([packet(PacketType.PING, makeZxid(2, 0))]);
    const reply = t.from(1, packet(PacketType.PING, makeZxid(2, 0), new Uint8Array(12)));
    expect(reply.effects).toEqual([{ kind: 'sessionTouches', from: 1, data: new Uint8Array(12) }]);
  });
});

describe('SYNC goes only to the connection that forwarded the sync', () => {
  const syncRequest = () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setInt32(12, 9); // REQUEST: sessionId, cxid, type 9 (sync)
    return packet(PacketType.REQUEST, -1, data);
  };

  it('a learner that re-registered while its sync was parked gets no SYNC before its DIFF/TRUNC/SNAP; a synced learner does', () => {
    const t = established();
    const z = t.leader.nextZxid()!;
    const p = t.leader.propose({ zxid: z, data: new Uint8Array([7]) });
    t.leader.onDiskDone(tok(disk(p.effects)[0])); // 1 of 3: outstanding
    expect(t.from(1, syncRequest()).effects).toEqual([]); // parked until z commits
    // Learner 1's connection drops and it registers again: a new handler, in discovery.
    t.leader.onLearnerDisconnected(1);
    expect(sentTo(t.info(1, 2).effects, 1).map((x) => x.type)).toEqual([PacketType.LEADERINFO]);
    // Learner 2 joins, is synced (z forwarded), and forwards a sync of its own.
    t.info(2, 1);
    t.from(2, packet(PacketType.ACKEPOCH, makeZxid(1, 3), encodeInt(1)));
    t.from(2, packet(PacketType.ACK, makeZxid(2, 0)));
    expect(t.from(2, syncRequest()).effects).toEqual([]);
    const c = t.from(2, packet(PacketType.ACK, z));
    expect(c.effects).toContainEqual(expect.objectContaining({ kind: 'applyCommitted' }));
    expect(sentTo(c.effects, 2)).toEqual([packet(PacketType.COMMIT, z), packet(PacketType.SYNC, 0)]);
    expect(sentTo(c.effects, 1)).toEqual([]); // no SYNC (7) where LEADERINFO's follower expects DIFF/TRUNC/SNAP
  });

  it('a REVALIDATE answer is not sent to a learner that re-registered meanwhile', () => {
    const t = established();
    t.leader.onLearnerDisconnected(1);
    t.info(1, 2);
    expect(t.leader.onRevalidateReply(1, new Uint8Array(9)).effects).toEqual([]);
  });
});
