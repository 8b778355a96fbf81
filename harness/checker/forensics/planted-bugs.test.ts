// The forensics checker on the disks the Zab engine leaves in the
// deterministic test kit (server/zab/testkit.ts), with planted bugs off
// (valid) and on (invalid): the same schedules as server/zab/planted-bugs.test.ts.
import { describe, expect, it } from 'vitest';
import { PacketType } from '../../../server/zab/packets.ts';
import { SimCluster, txnData, txnText, type SimDisk } from '../../../server/zab/testkit.ts';
import type { Txn } from '../../../server/zab/txn.ts';
import { makeZxid } from '../../../server/zab/zxid.ts';
import { logFile, nodeInput, setDataTxn } from './build-logs.ts';
import { checkForensicsInput } from './check.ts';
import type { AckedWrite, ForensicsDetails, ForensicsNodeInput, SyncEvent } from './types.ts';

const bugs = (...names: string[]) => (names.length > 0 ? { plantedBugs: new Set(names) } : {});

/** A node's SimDisk as the files ZooKeeper would have: one log of its durable txns, its snapshot name, its epochs. */
function filesOf(c: SimCluster, sid: number): ForensicsNodeInput {
  const d: SimDisk = c.node(sid).disk;
  const logFiles = d.txns.length === 0 ? {} : { [`log.${d.txns[0]!.zxid.toString(16)}`]: logFile(d.txns.map((t) => setDataTxn(t.zxid, txnText(t)))) };
  const snapshotNames = ['snapshot.0', ...(d.snapshotZxid ? [`snapshot.${d.snapshotZxid.toString(16)}`] : [])];
  return nodeInput(`n${sid}`, logFiles, { snapshotNames, acceptedEpoch: d.acceptedEpoch, currentEpoch: d.currentEpoch });
}

function check(c: SimCluster, writes: AckedWrite[], syncs: SyncEvent[] = []) {
  const r = checkForensicsInput({ nodes: [1, 2, 3].map((s) => filesOf(c, s)), writes, syncEvents: syncs });
  return { verdict: r.verdict, kinds: [...new Set((r.details as ForensicsDetails).findings.map((f) => f.kind))].sort() };
}

const write = (zxid: number, opId: number, completeTimeNs: number): AckedWrite => ({ opId, f: 'write', zxid, completeTimeNs });

function commitEverywhere(c: SimCluster, text: string): number {
  const before = [1, 2, 3].map((s) => c.node(s).applied.length);
  const zxid = c.propose(text);
  if (!c.runUntil(() => [1, 2, 3].every((s, i) => c.node(s).applied.length === before[i]! + 1), 5000)) throw new Error('not committed');
  return zxid;
}

/** The leader logs 'orphan' cut off from both followers; they elect a new leader; all rejoin, commit 'b', restart the old leader. */
function orphanSchedule(bug?: string) {
  const c = new SimCluster([1, 2, 3], [], bugs(...(bug ? [bug] : [])));
  c.start(1, 2, 3);
  expect(c.runUntil(() => c.stable(), 20_000)).toBe(true);
  const a = commitEverywhere(c, 'a');
  const old = c.leaders()[0]!.sid;
  c.partition([old], [1, 2, 3].filter((s) => s !== old));
  c.proposeOn(old, 'orphan');
  expect(c.runUntil(() => c.node(old).role === 'LOOKING' && c.leaders().length === 1, 60_000)).toBe(true);
  c.heal();
  expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
  const b = commitEverywhere(c, 'b');
  c.runFor(500);
  c.restart(old);
  expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
  return { c, writes: [write(a, 0, 1), write(b, 1, 2)] };
}

/** 1 and 3 hold (1,1..2), committed; 2 holds (1,1). 1 leads epoch 2 and syncs 2, which crashes once currentEpoch 2 is on disk; 2 and 3 restart. */
function newLeaderCrashSchedule(bug?: string) {
  const c = new SimCluster([1, 2, 3], [], bugs(...(bug ? [bug] : [])));
  const txn = (n: number): Txn => ({ zxid: makeZxid(1, n), data: txnData(`t1.${n}`) });
  c.setDisk(1, { acceptedEpoch: 1, currentEpoch: 1, txns: [txn(1), txn(2)] });
  c.setDisk(2, { acceptedEpoch: 1, currentEpoch: 1, txns: [txn(1)] });
  c.setDisk(3, { acceptedEpoch: 1, currentEpoch: 1, txns: [txn(1), txn(2)] });
  c.start(1, 2);
  expect(c.runUntil(() => c.node(2).disk.currentEpoch === 2, 20_000)).toBe(true);
  c.crash(2);
  c.crash(1);
  c.start(2, 3);
  expect(c.runUntil(() => c.stable(), 60_000)).toBe(true);
  // The cluster observer's view: each TRUNC node 3 got, after (1,2) was acknowledged (at 1 ns).
  const syncs = c.received(3, PacketType.TRUNC).map((p): SyncEvent => ({ node: 'n3', kind: 'TRUNC', zxid: p.zxid, timeNs: 10 }));
  return { c, writes: [write(makeZxid(1, 2), 0, 1)], syncs };
}

describe('forensics on the Zab engine\'s disks', () => {
  it('diff-not-trunc off: the orphan is truncated; valid', () => {
    const { c, writes } = orphanSchedule();
    expect(check(c, writes)).toEqual({ verdict: 'valid', kinds: [] });
  });

  it('diff-not-trunc on (ZOOKEEPER-1154): the old leader keeps the orphan into epoch 2: divergent-history', () => {
    const { c, writes } = orphanSchedule('diff-not-trunc');
    expect(check(c, writes)).toEqual({ verdict: 'invalid', kinds: ['divergent-history'] });
  });

  it('stale-election-zxid on (ZOOKEEPER-2845): the same orphan survives: divergent-history', () => {
    const { c, writes } = orphanSchedule('stale-election-zxid');
    expect(check(c, writes)).toEqual({ verdict: 'invalid', kinds: ['divergent-history'] });
  });

  it('epoch-before-txns off: (1,2) stays on a majority; valid', () => {
    const { c, writes, syncs } = newLeaderCrashSchedule();
    expect(check(c, writes, syncs).verdict).toBe('valid');
  });

  it('epoch-before-txns on (ZOOKEEPER-4643): the new leader TRUNCs the committed (1,2) away', () => {
    const { c, writes, syncs } = newLeaderCrashSchedule('epoch-before-txns');
    expect(syncs.map((s) => s.zxid)).toEqual([makeZxid(1, 1)]);
    const r = check(c, writes, syncs);
    expect(r.verdict).toBe('invalid');
    expect(r.kinds).toContain('trunc-erased-acked');
    expect(r.kinds).toContain('acked-write-not-on-quorum');
  });
});
