// Case 5 of LearnerHandler.syncFollower: a learner older than the leader's
// in-memory committed log is DIFFed from the on-disk txn log when it can be.
import { describe, expect, it } from 'vitest';
import { decideSync } from './sync-decision.ts';
import type { Txn } from './txn.ts';
import { makeZxid } from './zxid.ts';

const t = (e: number, c: number): Txn => ({ zxid: makeZxid(e, c), data: new Uint8Array([c]) });
const range = (e: number, from: number, to: number): Txn[] => {
  const out: Txn[] = [];
  for (let c = from; c <= to; c++) out.push(t(e, c));
  return out;
};
const zx = (txns: readonly Txn[]) => txns.map((x) => x.zxid);
// In memory: (1,10)..(1,14); on disk: (1,1)..(1,14).
const committedLog = range(1, 10, 14);
const base = { committedLog, lastProcessedZxid: makeZxid(1, 14), txnLogSyncEnabled: true };

describe('decideSync case 5: peer older than the committed log', () => {
  it('asks to read the txn log first (no packets yet), and only when enabled', () => {
    const plan = decideSync({ ...base, peerLastZxid: makeZxid(1, 3) });
    expect(plan.needsTxnLog).toBe(true);
    expect(decideSync({ ...base, peerLastZxid: makeZxid(1, 3), txnLogSyncEnabled: false }).kind).toBe('SNAP');
    expect(decideSync({ ...base, peerLastZxid: makeZxid(1, 3), txnLogSyncEnabled: false }).needsTxnLog).toBeUndefined();
  });

  it('covered: DIFF with the on-disk txns after the peer, then the committed log, no gap and no duplicate', () => {
    const plan = decideSync({ ...base, peerLastZxid: makeZxid(1, 3), txnLog: range(1, 4, 14) });
    expect(plan.kind).toBe('DIFF');
    expect(plan.zxid).toBe(makeZxid(1, 14));
    expect(zx(plan.txns)).toEqual(zx(range(1, 4, 14)));
    expect(plan.txnsFromLog).toBe(7); // (1,4)..(1,10): up to minCommittedLog
    expect(plan.syncedToZxid).toBe(makeZxid(1, 14));
  });

  it('the disk read may stop at minCommittedLog exactly (boundary): still a DIFF', () => {
    const plan = decideSync({ ...base, peerLastZxid: makeZxid(1, 3), txnLog: range(1, 4, 10) });
    expect(zx(plan.txns)).toEqual(zx(range(1, 4, 14)));
  });

  it('the peer one below minCommittedLog: DIFF of the whole committed log', () => {
    const plan = decideSync({ ...base, peerLastZxid: makeZxid(1, 9), txnLog: range(1, 10, 12) });
    expect(plan.kind).toBe('DIFF');
    expect(zx(plan.txns)).toEqual(zx(committedLog));
  });

  it('a txn log read that goes backwards is a broken invariant, not a sync', () => {
    expect(() => decideSync({ ...base, peerLastZxid: makeZxid(1, 3), txnLog: [t(1, 5), t(1, 4)] })).toThrow(/ZXID_REGRESSED/);
    expect(() => decideSync({ ...base, peerLastZxid: makeZxid(1, 3), txnLog: range(1, 3, 12) })).toThrow(/ZXID_REGRESSED/);
  });

  it('a gap: the disk read ends before minCommittedLog -> SNAP', () => {
    const plan = decideSync({ ...base, peerLastZxid: makeZxid(1, 3), txnLog: range(1, 4, 8) });
    expect(plan.kind).toBe('SNAP');
  });

  it('not covered, over the size limit or unreadable (null) -> SNAP', () => {
    const plan = decideSync({ ...base, peerLastZxid: makeZxid(1, 3), txnLog: null });
    expect(plan).toEqual({ kind: 'SNAP', zxid: makeZxid(1, 14), txns: [], syncedToZxid: makeZxid(1, 14) });
  });

  it('uncommitted proposals at the end of the leader\'s log are never sent as committed', () => {
    const plan = decideSync({ ...base, peerLastZxid: makeZxid(1, 3), txnLog: range(1, 4, 20) });
    expect(zx(plan.txns)).toEqual(zx(range(1, 4, 14)));
  });

  it('across epochs: on-disk txns of an older epoch then the committed log', () => {
    const log = range(2, 1, 3);
    const plan = decideSync({
      committedLog: log, lastProcessedZxid: makeZxid(2, 3), txnLogSyncEnabled: true,
      peerLastZxid: makeZxid(1, 2), txnLog: [...range(1, 3, 6), ...range(2, 1, 2)],
    });
    expect(plan.kind).toBe('DIFF');
    expect(zx(plan.txns)).toEqual(zx([...range(1, 3, 6), ...range(2, 1, 3)]));
  });

  it('TRUNC and in-memory DIFF are unchanged by the option', () => {
    expect(decideSync({ ...base, peerLastZxid: makeZxid(1, 20) }).kind).toBe('TRUNC');
    const plan = decideSync({ ...base, peerLastZxid: makeZxid(1, 12) });
    expect(plan.needsTxnLog).toBeUndefined();
    expect(zx(plan.txns)).toEqual(zx(range(1, 13, 14)));
  });
});
