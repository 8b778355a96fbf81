// The leader's choice of DIFF, TRUNC or SNAP for one learner
// (LearnerHandler.syncFollower + queueCommittedProposals), as a pure function
// of the learner's last zxid and the leader's committed log.
// A learner older than the in-memory committedLog (case 5) is first offered
// the on-disk txn log (txnLogSyncEnabled): `needsTxnLog` says to read it, and
// the txns read after the peer's zxid come back as `txnLog`; they must reach
// minCommittedLog, else SNAP.
import type { PlantedBugSet } from '../bugs/catalog.ts';
import { invariant } from './invariants.ts';
import type { Txn } from './txn.ts';
import { epochOf, isNewEpochZxid, zxidHex, type Zxid } from './zxid.ts';

export interface SyncInput {
  readonly peerLastZxid: Zxid;
  /** Ascending committed txns held in memory (minCommittedLog..maxCommittedLog). */
  readonly committedLog: readonly Txn[];
  readonly lastProcessedZxid: Zxid;
  readonly forceSnapSync?: boolean;
  /** zookeeper.snapshotSizeFactor >= 0: case 5 may use the on-disk txn log. */
  readonly txnLogSyncEnabled?: boolean;
  /**
   * Case 5 only: the txns after peerLastZxid read from the on-disk log,
   * ascending; null when the log does not hold peerLastZxid, the read failed
   * or went over the size limit. Absent: not read yet.
   */
  readonly txnLog?: readonly Txn[] | null;
  /** Planted bugs: 'diff-not-trunc' (ZOOKEEPER-1154) sends DIFF wherever TRUNC was due. */
  readonly plantedBugs?: PlantedBugSet;
}

export interface SyncPlan {
  readonly kind: 'DIFF' | 'TRUNC' | 'SNAP';
  /** DIFF/TRUNC packet zxid; for SNAP the zxid the snapshot is at. */
  readonly zxid: Zxid;
  /** Sent as PROPOSAL + COMMIT pairs after the DIFF/TRUNC packet. */
  readonly txns: readonly Txn[];
  /** What the learner will hold once these are applied; startForwarding sends what is newer. */
  readonly syncedToZxid: Zxid;
  /** Case 5 with txnLogSyncEnabled and no `txnLog` given: read the on-disk log, then decide again. */
  readonly needsTxnLog?: boolean;
  /** How many of `txns` came from the on-disk log. */
  readonly txnsFromLog?: number;
}

function snap(lastProcessedZxid: Zxid): SyncPlan {
  return { kind: 'SNAP', zxid: lastProcessedZxid, txns: [], syncedToZxid: lastProcessedZxid };
}

export function decideSync(input: SyncInput): SyncPlan {
  const { peerLastZxid, committedLog, lastProcessedZxid } = input;
  const first = committedLog[0];
  const last = committedLog[committedLog.length - 1];
  const minCommitted = first?.zxid ?? lastProcessedZxid;
  const maxCommitted = last?.zxid ?? lastProcessedZxid;
  if (input.forceSnapSync) return snap(lastProcessedZxid);
  if (lastProcessedZxid === peerLastZxid) {
    return { kind: 'DIFF', zxid: peerLastZxid, txns: [], syncedToZxid: peerLastZxid };
  }
  const diffNotTrunc = input.plantedBugs?.has('diff-not-trunc') === true;
  if (peerLastZxid > maxCommitted && !isNewEpochZxid(peerLastZxid)) {
    // PLANTED BUG diff-not-trunc: an empty DIFF leaves the peer's extra txns in place.
    if (diffNotTrunc) return { kind: 'DIFF', zxid: maxCommitted, txns: [], syncedToZxid: maxCommitted };
    return { kind: 'TRUNC', zxid: maxCommitted, txns: [], syncedToZxid: maxCommitted };
  }
  if (minCommitted <= peerLastZxid && peerLastZxid <= maxCommitted) {
    return queueCommittedProposals(committedLog, peerLastZxid, maxCommitted, diffNotTrunc) ?? snap(lastProcessedZxid);
  }
  if (peerLastZxid < minCommitted && input.txnLogSyncEnabled === true) {
    if (input.txnLog === undefined) return { ...snap(lastProcessedZxid), needsTxnLog: true };
    if (input.txnLog !== null) return diffFromTxnLog(input.txnLog, committedLog, peerLastZxid, minCommitted, maxCommitted) ?? snap(lastProcessedZxid);
  }
  return snap(lastProcessedZxid);
}

/**
 * Case 5 (getProposalsFromTxnLog + two queueCommittedProposals): the on-disk
 * txns after the peer's zxid up to minCommittedLog, then the committed log
 * from there. null (SNAP) when the log ends before minCommittedLog (a gap).
 */
function diffFromTxnLog(
  txnLog: readonly Txn[], committedLog: readonly Txn[], peerLastZxid: Zxid, minCommitted: Zxid, maxCommitted: Zxid,
): SyncPlan | null {
  const txns: Txn[] = [];
  let queuedZxid = peerLastZxid;
  for (const txn of txnLog) {
    if (txn.zxid > minCommitted) break;
    invariant(txn.zxid > queuedZxid, 'ZXID_REGRESSED', () => `txn log read not ascending after ${zxidHex(queuedZxid)}`);
    txns.push(txn);
    queuedZxid = txn.zxid;
  }
  if (queuedZxid < minCommitted) return null;
  const txnsFromLog = txns.length;
  for (const txn of committedLog) {
    if (txn.zxid <= queuedZxid) continue;
    txns.push(txn);
    queuedZxid = txn.zxid;
  }
  return { kind: 'DIFF', zxid: maxCommitted, txns, syncedToZxid: queuedZxid, txnsFromLog };
}

/**
 * Walks the committed log from the peer's zxid; null means "give up, SNAP".
 * `diffNotTrunc` (PLANTED BUG, ZOOKEEPER-1154): the code before that fix —
 * a peer inside [min, max] gets DIFF even when its zxid is not in the
 * leader's history, so it keeps the txns the leader never had.
 */
function queueCommittedProposals(log: readonly Txn[], peerLastZxid: Zxid, maxCommitted: Zxid, diffNotTrunc = false): SyncPlan | null {
  const peerIsNewEpoch = isNewEpochZxid(peerLastZxid);
  let op: { kind: 'DIFF' | 'TRUNC'; zxid: Zxid } | null = null;
  let previousZxid: Zxid = -1;
  let queuedZxid = peerLastZxid;
  const txns: Txn[] = [];
  for (const txn of log) {
    if (txn.zxid < peerLastZxid) {
      previousZxid = txn.zxid;
      continue;
    }
    if (op === null) {
      if (txn.zxid === peerLastZxid || peerIsNewEpoch || diffNotTrunc) {
        op = { kind: 'DIFF', zxid: maxCommitted };
      } else {
        // The peer holds txns this leader never had: cut them, unless that
        // would cross an epoch boundary.
        if (epochOf(txn.zxid) !== epochOf(peerLastZxid)) return null;
        invariant(previousZxid >= 0, 'BAD_STATE', () => 'TRUNC point before the committed log');
        op = { kind: 'TRUNC', zxid: previousZxid };
        queuedZxid = previousZxid;
      }
    }
    if (txn.zxid <= queuedZxid) continue;
    txns.push(txn);
    queuedZxid = txn.zxid;
  }
  if (op === null) return peerIsNewEpoch ? { kind: 'DIFF', zxid: maxCommitted, txns, syncedToZxid: queuedZxid } : null;
  return { kind: op.kind, zxid: op.zxid, txns, syncedToZxid: queuedZxid };
}
