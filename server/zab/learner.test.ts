// The learner's handshake and the NEWLEADER ordering, one message at a time.
import { describe, expect, it } from 'vitest';
import { zabConfig } from './config.ts';
import { ZabDatabase } from './database.ts';
import type { Effect } from './effects.ts';
import { InvariantViolation } from './invariants.ts';
import { Learner } from './learner.ts';
import { decodeInt, encodeInt, packet, PacketType, type ZabPacket } from './packets.ts';
import type { RoleContext } from './role.ts';
import { makeZxid } from './zxid.ts';

const data = (s: string) => new TextEncoder().encode(s);

function setup(opts: { acceptedEpoch: number; currentEpoch: number; lastZxid: number; observer?: boolean }) {
  const config = zabConfig(opts.observer ? 4 : 2, [1, 2, 3], [4]);
  const db = new ZabDatabase(500);
  const log = [];
  for (let c = 1; c <= (opts.lastZxid % 2 ** 32); c++) log.push({ zxid: makeZxid(Math.floor(opts.lastZxid / 2 ** 32), c), data: data(`t${c}`) });
  db.load({ acceptedEpoch: opts.acceptedEpoch, currentEpoch: opts.currentEpoch, lastLoggedZxid: opts.lastZxid, committedLog: log }, true);
  let token = 0;
  const votes: number[] = [];
  const ctx: RoleContext = {
    config, db, newToken: () => ++token, noteEpochEstablished: () => undefined, updateElectionVote: (e) => votes.push(e),
  };
  const learner = new Learner(ctx, 1, opts.observer ?? false);
  learner.start();
  learner.onLeaderConnected();
  const feed = (p: ZabPacket, snapshot?: Uint8Array) => learner.onLeaderPacket(p, snapshot);
  return { learner, db, feed, votes };
}

const important = (effects: Effect[]) => effects.filter((e) => e.kind !== 'setTimer' && e.kind !== 'log');
const sent = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'send' ? [e.packet] : []));
const tokenOf = (effects: Effect[]) => {
  const e = effects.find((x) => 'token' in x);
  if (e === undefined || !('token' in e)) throw new Error('no disk effect');
  return e.token;
};

describe('Learner discovery', () => {
  it('persists the new acceptedEpoch before ACKEPOCH, which carries its currentEpoch and last zxid', () => {
    const { learner, db, feed } = setup({ acceptedEpoch: 2, currentEpoch: 2, lastZxid: makeZxid(2, 3) });
    const s1 = feed(packet(PacketType.LEADERINFO, makeZxid(3, 0), encodeInt(0x10000)));
    expect(important(s1.effects)).toEqual([{ kind: 'writeAcceptedEpoch', token: 1, epoch: 3 }]);
    expect(db.acceptedEpoch).toBe(2);
    const s2 = learner.onDiskDone(1);
    const [ack] = sent(s2.effects);
    expect(ack).toMatchObject({ type: PacketType.ACKEPOCH, zxid: makeZxid(2, 3) });
    expect(decodeInt(ack!.data, 'ACKEPOCH')).toBe(2);
    expect(db.acceptedEpoch).toBe(3);
  });

  it('answers ACKEPOCH -1 at once when the epoch was already accepted', () => {
    const { feed } = setup({ acceptedEpoch: 3, currentEpoch: 2, lastZxid: makeZxid(2, 3) });
    const s = feed(packet(PacketType.LEADERINFO, makeZxid(3, 0), encodeInt(0x10000)));
    expect(decodeInt(sent(s.effects)[0]!.data, 'ACKEPOCH')).toBe(-1);
  });

  it('refuses a leader whose epoch is older than its acceptedEpoch (epoch fencing)', () => {
    const { feed } = setup({ acceptedEpoch: 4, currentEpoch: 3, lastZxid: makeZxid(3, 1) });
    const s = feed(packet(PacketType.LEADERINFO, makeZxid(3, 0), encodeInt(0x10000)));
    expect(s.exit).toMatch(/less than accepted epoch/);
    expect(sent(s.effects)).toEqual([]);
  });
});

describe('Learner NEWLEADER ordering (DIFF)', () => {
  function diffSynced() {
    const t = setup({ acceptedEpoch: 1, currentEpoch: 1, lastZxid: makeZxid(1, 2) });
    t.feed(packet(PacketType.LEADERINFO, makeZxid(2, 0), encodeInt(0x10000)));
    t.learner.onDiskDone(1);
    t.feed(packet(PacketType.DIFF, makeZxid(1, 4)));
    t.feed(packet(PacketType.PROPOSAL, makeZxid(1, 3), data('t3')));
    t.feed(packet(PacketType.COMMIT, makeZxid(1, 3)));
    t.feed(packet(PacketType.PROPOSAL, makeZxid(1, 4), data('t4')));
    t.feed(packet(PacketType.COMMIT, makeZxid(1, 4)));
    t.feed(packet(PacketType.PROPOSAL, makeZxid(2, 1), data('u1'))); // forwarded, not yet committed
    return t;
  }

  it('logs+fsyncs the committed synced txns, then persists currentEpoch, then ACKs, each after the previous completes', () => {
    const { learner, db, feed } = diffSynced();
    const s1 = feed(packet(PacketType.NEWLEADER, makeZxid(2, 0)));
    const e1 = important(s1.effects);
    expect(e1[0]).toMatchObject({ kind: 'persistTxns', txns: [{ zxid: makeZxid(1, 3) }, { zxid: makeZxid(1, 4) }] });
    expect(e1.slice(1).map((e) => e.kind)).toEqual(['applyCommitted', 'applyCommitted']);
    expect(sent(s1.effects)).toEqual([]);
    expect(db.currentEpoch).toBe(1);
    // UPTODATE arrives while the fsync is pending: it must wait behind the ACK.
    expect(important(feed(packet(PacketType.UPTODATE, -1)).effects)).toEqual([]);
    const s2 = learner.onDiskDone(tokenOf(e1));
    expect(important(s2.effects)).toEqual([{ kind: 'writeCurrentEpoch', token: tokenOf(important(s2.effects)), epoch: 2 }]);
    expect(db.lastLoggedZxid).toBe(makeZxid(1, 4));
    const s3 = learner.onDiskDone(tokenOf(important(s2.effects)));
    const packets = sent(s3.effects);
    expect(packets[0]).toMatchObject({ type: PacketType.ACK, zxid: makeZxid(2, 0) });
    expect(db.currentEpoch).toBe(2);
    // Then the buffered UPTODATE: serving, ACK again, and the pending proposal is logged (ACKed after its fsync).
    expect(packets[1]).toMatchObject({ type: PacketType.ACK, zxid: makeZxid(2, 0) });
    expect(s3.effects).toContainEqual({ kind: 'serving', serving: true });
    const log = s3.effects.find((e) => e.kind === 'persistTxns');
    expect(log).toMatchObject({ txns: [{ zxid: makeZxid(2, 1) }] });
    expect(sent(learner.onDiskDone(tokenOf([log!])).effects)).toEqual([packet(PacketType.ACK, makeZxid(2, 1))]);
  });

  it('never ACKs NEWLEADER if the fsync of the synced txns does not complete', () => {
    const { learner, feed } = diffSynced();
    const s1 = feed(packet(PacketType.NEWLEADER, makeZxid(2, 0)));
    const later = [feed(packet(PacketType.UPTODATE, -1)), learner.onDiskDone(999)];
    for (const s of [s1, ...later]) expect(sent(s.effects)).toEqual([]);
  });

  it('in broadcast ACKs a proposal only after its fsync and applies COMMITs strictly in order', () => {
    const { learner, feed } = diffSynced();
    const a = feed(packet(PacketType.NEWLEADER, makeZxid(2, 0)));
    const b = learner.onDiskDone(tokenOf(important(a.effects)));
    learner.onDiskDone(tokenOf(important(b.effects)));
    feed(packet(PacketType.UPTODATE, -1));
    const p2 = feed(packet(PacketType.PROPOSAL, makeZxid(2, 2), data('u2')));
    expect(sent(p2.effects)).toEqual([]);
    expect(() => feed(packet(PacketType.COMMIT, makeZxid(2, 2)))).toThrow(InvariantViolation);
  });
});

describe('Learner TRUNC and SNAP', () => {
  it('TRUNC cuts the log (and blocks until done), then snapshots at NEWLEADER before persisting currentEpoch', () => {
    const t = setup({ acceptedEpoch: 1, currentEpoch: 1, lastZxid: makeZxid(1, 5) });
    t.feed(packet(PacketType.LEADERINFO, makeZxid(2, 0), encodeInt(0x10000)));
    t.learner.onDiskDone(1);
    const s = t.feed(packet(PacketType.TRUNC, makeZxid(1, 3)));
    expect(important(s.effects)).toEqual([{ kind: 'truncateLog', token: 2, zxid: makeZxid(1, 3) }]);
    t.feed(packet(PacketType.NEWLEADER, makeZxid(2, 0)));
    const done = t.learner.onDiskDone(2);
    expect(t.db.lastLoggedZxid).toBe(makeZxid(1, 3));
    expect(important(done.effects)).toEqual([{ kind: 'takeSnapshot', token: 3, zxid: makeZxid(1, 3) }]);
    expect(important(t.learner.onDiskDone(3).effects)).toEqual([{ kind: 'writeCurrentEpoch', token: 4, epoch: 2 }]);
  });

  it('refuses a TRUNC below a zxid it saw committed', () => {
    const t = setup({ acceptedEpoch: 1, currentEpoch: 1, lastZxid: makeZxid(1, 5) });
    t.db.noteCommitted(makeZxid(1, 4));
    t.feed(packet(PacketType.LEADERINFO, makeZxid(2, 0), encodeInt(0x10000)));
    t.learner.onDiskDone(1);
    expect(() => t.feed(packet(PacketType.TRUNC, makeZxid(1, 3)))).toThrow(/TRUNCATE_BELOW_COMMITTED/);
  });

  it('SNAP loads the leader\'s tree; committed txns before NEWLEADER are applied in memory, then snapshotted', () => {
    const t = setup({ acceptedEpoch: 1, currentEpoch: 1, lastZxid: makeZxid(1, 1) });
    t.feed(packet(PacketType.LEADERINFO, makeZxid(2, 0), encodeInt(0x10000)));
    t.learner.onDiskDone(1);
    const s = t.feed(packet(PacketType.SNAP, makeZxid(1, 9)), new Uint8Array([1]));
    expect(important(s.effects)).toEqual([{ kind: 'loadSnapshot', zxid: makeZxid(1, 9), snapshot: new Uint8Array([1]) }]);
    t.feed(packet(PacketType.PROPOSAL, makeZxid(1, 10), data('x')));
    const c = t.feed(packet(PacketType.COMMIT, makeZxid(1, 10)));
    expect(important(c.effects)).toEqual([{ kind: 'applyCommitted', txn: { zxid: makeZxid(1, 10), data: data('x') } }]);
    const n = t.feed(packet(PacketType.NEWLEADER, makeZxid(2, 0)));
    expect(important(n.effects)).toEqual([{ kind: 'takeSnapshot', token: 2, zxid: makeZxid(1, 10) }]);
  });
});
