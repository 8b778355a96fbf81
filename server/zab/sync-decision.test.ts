import { describe, expect, it } from 'vitest';
import { decideSync } from './sync-decision.ts';
import type { Txn } from './txn.ts';
import { makeZxid } from './zxid.ts';

const t = (e: number, c: number): Txn => ({ zxid: makeZxid(e, c), data: new Uint8Array([c]) });
// Leader's committed log: (1,3)..(1,6) then (2,1)..(2,2).
const log = [t(1, 3), t(1, 4), t(1, 5), t(1, 6), t(2, 1), t(2, 2)];
const zx = (txns: readonly Txn[]) => txns.map((x) => x.zxid);

describe('decideSync (LearnerHandler.syncFollower)', () => {
  it('case 2: peer at the leader\'s last processed zxid gets an empty DIFF', () => {
    const plan = decideSync({ peerLastZxid: makeZxid(2, 2), committedLog: log, lastProcessedZxid: makeZxid(2, 2) });
    expect(plan).toEqual({ kind: 'DIFF', zxid: makeZxid(2, 2), txns: [], syncedToZxid: makeZxid(2, 2) });
  });

  it('case 3: peer beyond maxCommittedLog is TRUNCated to it', () => {
    const plan = decideSync({ peerLastZxid: makeZxid(2, 5), committedLog: log, lastProcessedZxid: makeZxid(3, 0) });
    expect(plan).toMatchObject({ kind: 'TRUNC', zxid: makeZxid(2, 2), txns: [] });
  });

  it('case 4: peer inside the log and in the leader\'s history gets DIFF of the later txns', () => {
    const plan = decideSync({ peerLastZxid: makeZxid(1, 4), committedLog: log, lastProcessedZxid: makeZxid(3, 0) });
    expect(plan.kind).toBe('DIFF');
    expect(plan.zxid).toBe(makeZxid(2, 2));
    expect(zx(plan.txns)).toEqual([makeZxid(1, 5), makeZxid(1, 6), makeZxid(2, 1), makeZxid(2, 2)]);
  });

  it('case 4: peer holding a txn the leader never had, same epoch, gets TRUNC to the previous entry then the rest', () => {
    const holey = [t(1, 3), t(1, 4), t(1, 6), t(2, 1)];
    const plan = decideSync({ peerLastZxid: makeZxid(1, 5), committedLog: holey, lastProcessedZxid: makeZxid(2, 1) });
    expect(plan.kind).toBe('TRUNC');
    expect(plan.zxid).toBe(makeZxid(1, 4));
    expect(zx(plan.txns)).toEqual([makeZxid(1, 6), makeZxid(2, 1)]);
  });

  it('case 4: the same divergence across an epoch boundary falls back to SNAP', () => {
    const plan = decideSync({ peerLastZxid: makeZxid(1, 7), committedLog: log, lastProcessedZxid: makeZxid(2, 2) });
    expect(plan).toEqual({ kind: 'SNAP', zxid: makeZxid(2, 2), txns: [], syncedToZxid: makeZxid(2, 2) });
  });

  it('case 4: a peer at a new-epoch zxid gets DIFF from the next entry', () => {
    const plan = decideSync({ peerLastZxid: makeZxid(2, 0), committedLog: log, lastProcessedZxid: makeZxid(2, 2) });
    expect(plan.kind).toBe('DIFF');
    expect(zx(plan.txns)).toEqual([makeZxid(2, 1), makeZxid(2, 2)]);
  });

  it('case 6: a peer older than minCommittedLog gets SNAP when txn-log sync is off (the default of decideSync)', () => {
    const plan = decideSync({ peerLastZxid: makeZxid(1, 1), committedLog: log, lastProcessedZxid: makeZxid(2, 2) });
    expect(plan.kind).toBe('SNAP');
  });

  it('an empty committed log uses lastProcessedZxid as both bounds; forceSnapSync wins', () => {
    expect(decideSync({ peerLastZxid: makeZxid(1, 9), committedLog: [], lastProcessedZxid: makeZxid(1, 5) }))
      .toMatchObject({ kind: 'TRUNC', zxid: makeZxid(1, 5) });
    expect(decideSync({ peerLastZxid: 0, committedLog: [], lastProcessedZxid: 0 })).toMatchObject({ kind: 'DIFF', zxid: 0 });
    expect(decideSync({ peerLastZxid: makeZxid(2, 2), committedLog: log, lastProcessedZxid: makeZxid(2, 2), forceSnapSync: true }).kind)
      .toBe('SNAP');
  });
});

describe('decideSync with the planted bug diff-not-trunc (ZOOKEEPER-1154)', () => {
  const bug = new Set(['diff-not-trunc']);

  it('case 3: a peer beyond maxCommittedLog gets an empty DIFF instead of TRUNC', () => {
    const input = { peerLastZxid: makeZxid(2, 5), committedLog: log, lastProcessedZxid: makeZxid(3, 0) };
    expect(decideSync(input).kind).toBe('TRUNC');
    expect(decideSync({ ...input, plantedBugs: bug })).toEqual({ kind: 'DIFF', zxid: makeZxid(2, 2), txns: [], syncedToZxid: makeZxid(2, 2) });
  });

  it('case 4: a peer holding a txn the leader never had gets DIFF and the later txns, keeping its own', () => {
    const holey = [t(1, 3), t(1, 4), t(1, 6), t(2, 1)];
    const input = { peerLastZxid: makeZxid(1, 5), committedLog: holey, lastProcessedZxid: makeZxid(2, 1) };
    expect(decideSync(input).kind).toBe('TRUNC');
    const plan = decideSync({ ...input, plantedBugs: bug });
    expect(plan.kind).toBe('DIFF');
    expect(zx(plan.txns)).toEqual([makeZxid(1, 6), makeZxid(2, 1)]);
  });

  it('case 4 across an epoch boundary: DIFF instead of the SNAP fallback', () => {
    const input = { peerLastZxid: makeZxid(1, 7), committedLog: log, lastProcessedZxid: makeZxid(2, 2) };
    expect(decideSync(input).kind).toBe('SNAP');
    const plan = decideSync({ ...input, plantedBugs: bug });
    expect(plan.kind).toBe('DIFF');
    expect(zx(plan.txns)).toEqual([makeZxid(2, 1), makeZxid(2, 2)]);
  });

  it('other bugs leave the decision alone', () => {
    const input = { peerLastZxid: makeZxid(2, 5), committedLog: log, lastProcessedZxid: makeZxid(3, 0), plantedBugs: new Set(['read-uncommitted']) };
    expect(decideSync(input).kind).toBe('TRUNC');
  });
});
