// The view of the local database that Zab needs, with the safety invariants
// checked at each mutation: zxids never go backwards except through an
// explicit TRUNC or SNAP; no truncation below a zxid known to be committed;
// acceptedEpoch >= currentEpoch, and neither ever decreases.
import type { LoadedDatabase } from './events.ts';
import { invariant } from './invariants.ts';
import type { Txn } from './txn.ts';
import { epochOf, NO_ZXID, zxidHex, type Zxid } from './zxid.ts';

export class ZabDatabase {
  acceptedEpoch = 0;
  currentEpoch = 0;
  /** Highest zxid durably in snapshot + log (including uncommitted proposals). */
  lastLoggedZxid: Zxid = NO_ZXID;
  /** Highest zxid applied to the in-memory tree (or the new-epoch marker on a leader). */
  lastProcessedZxid: Zxid = NO_ZXID;
  /** Highest zxid this process has seen committed; survives reloads, not restarts. */
  knownCommittedZxid: Zxid = NO_ZXID;
  private log: Txn[] = [];

  /**
   * `relaxed`: the server runs with planted bugs, whose effects (a commit
   * without quorum, a txn lost to a bad TRUNC…) must reach the harness
   * rather than stop the server: TRUNCATE_BELOW_COMMITTED and a reload below
   * the last logged zxid are then not asserted (ZooKeeper asserts neither).
   */
  constructor(private readonly commitLogCount: number, readonly relaxed = false) {}

  /** Recovery result from storage, at start or after a role ends. */
  load(db: LoadedDatabase, isRestart: boolean): void {
    invariant(db.acceptedEpoch >= db.currentEpoch, 'ACCEPTED_EPOCH_BELOW_CURRENT',
      () => `acceptedEpoch ${db.acceptedEpoch} < currentEpoch ${db.currentEpoch}`);
    invariant(epochOf(db.lastLoggedZxid) <= db.currentEpoch, 'CURRENT_EPOCH_BELOW_LOG',
      () => `log reaches epoch ${epochOf(db.lastLoggedZxid)} above currentEpoch ${db.currentEpoch}`);
    if (!isRestart) {
      invariant(db.lastLoggedZxid >= this.lastLoggedZxid || this.relaxed, 'ZXID_REGRESSED',
        () => `reload lost durable txns: ${zxidHex(db.lastLoggedZxid)} < ${zxidHex(this.lastLoggedZxid)}`);
      invariant(db.acceptedEpoch >= this.acceptedEpoch && db.currentEpoch >= this.currentEpoch, 'EPOCH_REGRESSED',
        () => `reload lost epoch files`);
    }
    this.acceptedEpoch = db.acceptedEpoch;
    this.currentEpoch = db.currentEpoch;
    this.lastLoggedZxid = db.lastLoggedZxid;
    this.lastProcessedZxid = db.lastLoggedZxid;
    this.log = [...db.committedLog].slice(-this.commitLogCount);
    for (let i = 1; i < this.log.length; i++) {
      invariant(this.log[i]!.zxid > this.log[i - 1]!.zxid, 'ZXID_REGRESSED', () => 'committedLog not ascending');
    }
  }

  get committedLog(): readonly Txn[] {
    return this.log;
  }

  /** minCommittedLog / maxCommittedLog; both lastProcessedZxid when the log is empty. */
  committedLogBounds(): { min: Zxid; max: Zxid } {
    const first = this.log[0];
    const last = this.log[this.log.length - 1];
    if (first === undefined || last === undefined) return { min: this.lastProcessedZxid, max: this.lastProcessedZxid };
    return { min: first.zxid, max: last.zxid };
  }

  /** A txn became durable in the local log. */
  noteLogged(zxid: Zxid): void {
    invariant(zxid > this.lastLoggedZxid, 'ZXID_REGRESSED',
      () => `logged ${zxidHex(zxid)} after ${zxidHex(this.lastLoggedZxid)}`);
    this.lastLoggedZxid = zxid;
  }

  /** A committed txn was applied to the tree, strictly in zxid order. */
  applyCommitted(txn: Txn): void {
    invariant(txn.zxid > this.lastProcessedZxid, 'COMMIT_OUT_OF_ORDER',
      () => `applying ${zxidHex(txn.zxid)} after ${zxidHex(this.lastProcessedZxid)}`);
    this.lastProcessedZxid = txn.zxid;
    this.noteCommitted(txn.zxid);
    this.log.push(txn);
    if (this.log.length > this.commitLogCount) this.log.shift();
  }

  /**
   * PLANTED BUG read-uncommitted: a proposal applied to the tree before its
   * COMMIT (in zxid order, but not noted as committed: it may be truncated).
   */
  applyUncommitted(txn: Txn): void {
    invariant(txn.zxid > this.lastProcessedZxid, 'COMMIT_OUT_OF_ORDER',
      () => `applying ${zxidHex(txn.zxid)} after ${zxidHex(this.lastProcessedZxid)}`);
    this.lastProcessedZxid = txn.zxid;
    this.log.push(txn);
    if (this.log.length > this.commitLogCount) this.log.shift();
  }

  noteCommitted(zxid: Zxid): void {
    if (zxid > this.knownCommittedZxid) this.knownCommittedZxid = zxid;
  }

  /** TRUNC done: the log now ends at `zxid` and memory was reloaded from it. */
  truncatedTo(zxid: Zxid): void {
    invariant(zxid >= this.knownCommittedZxid || this.relaxed, 'TRUNCATE_BELOW_COMMITTED',
      () => `TRUNC to ${zxidHex(zxid)} below committed ${zxidHex(this.knownCommittedZxid)}`);
    invariant(zxid <= this.lastLoggedZxid, 'BAD_STATE',
      () => `TRUNC to ${zxidHex(zxid)} above last logged ${zxidHex(this.lastLoggedZxid)}`);
    this.lastLoggedZxid = zxid;
    this.lastProcessedZxid = zxid;
    this.log = this.log.filter((t) => t.zxid <= zxid);
  }

  /** SNAP received: the tree is replaced by the leader's at `zxid` (durable once snapshotted). */
  replacedBySnapshot(zxid: Zxid): void {
    invariant(zxid >= this.knownCommittedZxid || this.relaxed, 'TRUNCATE_BELOW_COMMITTED',
      () => `SNAP at ${zxidHex(zxid)} below committed ${zxidHex(this.knownCommittedZxid)}`);
    this.lastProcessedZxid = zxid;
    this.log = [];
  }

  /** takeSnapshot done: everything applied so far is durable, log beyond it discarded. */
  snapshotTaken(zxid: Zxid): void {
    invariant(zxid === this.lastProcessedZxid, 'BAD_STATE',
      () => `snapshot at ${zxidHex(zxid)} but tree at ${zxidHex(this.lastProcessedZxid)}`);
    this.lastLoggedZxid = zxid;
  }

  /**
   * PLANTED BUG stale-election-zxid: the in-memory view is kept across a
   * role change, so the last logged zxid reported is the tree's (lower than
   * the log's when a proposal was logged but never applied).
   */
  forgetLoggedBeyondTree(): void {
    if (this.lastProcessedZxid < this.lastLoggedZxid) this.lastLoggedZxid = this.lastProcessedZxid;
  }

  /** The leader's tree moves to the new epoch's marker (startZkServer). */
  establishEpoch(newEpochZxid: Zxid): void {
    invariant(newEpochZxid > this.lastProcessedZxid, 'ZXID_REGRESSED',
      () => `new epoch ${zxidHex(newEpochZxid)} not above ${zxidHex(this.lastProcessedZxid)}`);
    this.lastProcessedZxid = newEpochZxid;
  }

  setAcceptedEpoch(epoch: number): void {
    invariant(epoch >= this.acceptedEpoch, 'EPOCH_REGRESSED',
      () => `acceptedEpoch ${this.acceptedEpoch} -> ${epoch}`);
    this.acceptedEpoch = epoch;
  }

  setCurrentEpoch(epoch: number): void {
    invariant(epoch >= this.currentEpoch, 'EPOCH_REGRESSED', () => `currentEpoch ${this.currentEpoch} -> ${epoch}`);
    invariant(epoch <= this.acceptedEpoch, 'ACCEPTED_EPOCH_BELOW_CURRENT',
      () => `currentEpoch ${epoch} above acceptedEpoch ${this.acceptedEpoch}`);
    this.currentEpoch = epoch;
  }
}
