// Keeping the in-memory database across an election (ZOOKEEPER-2678): when a
// role ends, ZooKeeper 3.8 does not reload snapshot + log; it keeps the data
// tree and "fast-forwards" it (ZKDatabase.fastForwardDataBase) by applying
// the txns logged beyond the tree's lastProcessedZxid, committed or not —
// exactly what a full reload would replay. Here the same txns are known
// without reading the log back: this tracker watches the effect stream of the
// roles (persistTxns, applyCommitted, loadSnapshot, takeSnapshot,
// truncateLog, epoch writes) and knows, at any moment, whether
//   tree + loggedAhead == snapshot + whole log (once queued writes drain),
// and which txns `loggedAhead` holds. When that cannot be vouched for (a
// SNAP not yet snapshotted, txns applied before being logged as DIFF does
// before NEWLEADER, a TRUNC in flight, anything out of order), it answers
// with the reason and the peer does the full reload instead.
import type { Effect } from './effects.ts';
import type { LoadedDatabase } from './events.ts';
import type { Txn } from './txn.ts';
import { zxidHex, type Zxid } from './zxid.ts';

/** What the peer needs to know about its database when the role ends: the fields of a loaded one. */
export type DatabaseView = LoadedDatabase;

export type FastForwardPlan =
  | { readonly ok: true; readonly txns: readonly Txn[]; readonly database: LoadedDatabase }
  | { readonly ok: false; readonly reason: string };

export class FastForwardTracker {
  /** Highest zxid applied to the in-memory tree (or the snapshot / TRUNC point it was reset to). */
  private treeZxid: Zxid = 0;
  /** Highest zxid the log + snapshot will hold once the queued disk writes have run. */
  private lastLoggedZxid: Zxid = 0;
  /** Logged (persist emitted), not applied, above treeZxid, ascending. */
  private loggedAhead: Txn[] = [];
  /** Applied to the tree but neither logged nor covered by a snapshot yet. */
  private readonly appliedUnlogged = new Set<Zxid>();
  private treeReplaced = false;
  private truncate: { token: number; touched: boolean } | null = null;
  private acceptedEpoch = 0;
  private currentEpoch = 0;
  private uncertain: string | null = null;

  /** The tree was just loaded from disk (start, full reload, fast-forward done). */
  reset(db: DatabaseView): void {
    this.treeZxid = db.lastLoggedZxid;
    this.lastLoggedZxid = db.lastLoggedZxid;
    this.loggedAhead = [];
    this.appliedUnlogged.clear();
    this.treeReplaced = false;
    this.truncate = null;
    this.acceptedEpoch = db.acceptedEpoch;
    this.currentEpoch = db.currentEpoch;
    this.uncertain = null;
  }

  observe(e: Effect): void {
    switch (e.kind) {
      case 'persistTxns': return this.onPersist(e.txns);
      case 'applyCommitted': return this.onApply(e.txn);
      case 'loadSnapshot':
        this.touch();
        this.treeReplaced = true;
        this.treeZxid = e.zxid;
        this.loggedAhead = [];
        this.appliedUnlogged.clear();
        return;
      case 'takeSnapshot':
        // The tree is captured when the effect runs; the log above zxid is discarded.
        this.touch();
        this.treeReplaced = false;
        this.appliedUnlogged.clear();
        this.loggedAhead = [];
        this.treeZxid = Math.max(this.treeZxid, e.zxid);
        this.lastLoggedZxid = e.zxid;
        return;
      case 'truncateLog':
        this.truncate = { token: e.token, touched: false };
        this.treeZxid = e.zxid;
        this.lastLoggedZxid = e.zxid;
        this.loggedAhead = [];
        this.appliedUnlogged.clear();
        this.treeReplaced = false;
        return;
      case 'writeAcceptedEpoch':
        this.acceptedEpoch = Math.max(this.acceptedEpoch, e.epoch);
        return;
      case 'writeCurrentEpoch':
        this.currentEpoch = Math.max(this.currentEpoch, e.epoch);
        return;
      default:
        return;
    }
  }

  /** A disk effect completed; a TRUNC is trusted only if nothing touched the tree while it ran. */
  onDiskDone(token: number): void {
    if (this.truncate === null || this.truncate.token !== token) return;
    if (this.truncate.touched) this.markUncertain('the tree changed while a TRUNC was in flight');
    this.truncate = null;
  }

  /** The fast-forward that gives what a full reload would, or why there is none. */
  plan(db: DatabaseView, commitLogCount: number): FastForwardPlan {
    if (this.uncertain !== null) return { ok: false, reason: this.uncertain };
    if (this.truncate !== null) return { ok: false, reason: 'a TRUNC is still in flight' };
    if (this.treeReplaced) return { ok: false, reason: 'a SNAP was loaded but not yet snapshotted' };
    if (this.appliedUnlogged.size > 0) {
      return { ok: false, reason: `${this.appliedUnlogged.size} txns applied but not logged (sync before NEWLEADER)` };
    }
    const lastLoggedZxid = Math.max(this.lastLoggedZxid, db.lastLoggedZxid);
    const txns = [...this.loggedAhead];
    return {
      ok: true, txns,
      database: {
        acceptedEpoch: Math.max(this.acceptedEpoch, db.acceptedEpoch),
        currentEpoch: Math.max(this.currentEpoch, db.currentEpoch),
        lastLoggedZxid,
        committedLog: [...db.committedLog, ...txns].slice(-commitLogCount),
      },
    };
  }

  private onPersist(txns: readonly Txn[]): void {
    this.touch();
    for (const t of txns) {
      if (this.appliedUnlogged.delete(t.zxid)) {
        // DIFF: committed during sync, applied at once, logged at NEWLEADER.
      } else if (t.zxid > this.treeZxid && t.zxid > (this.loggedAhead.at(-1)?.zxid ?? -1)) {
        this.loggedAhead.push(t);
      } else {
        this.markUncertain(`logged ${zxidHex(t.zxid)} at or below the tree (${zxidHex(this.treeZxid)})`);
      }
      this.lastLoggedZxid = Math.max(this.lastLoggedZxid, t.zxid);
    }
  }

  private onApply(txn: Txn): void {
    this.touch();
    if (txn.zxid <= this.treeZxid) this.markUncertain(`applied ${zxidHex(txn.zxid)} after ${zxidHex(this.treeZxid)}`);
    const head = this.loggedAhead[0];
    if (head !== undefined && head.zxid === txn.zxid) {
      this.loggedAhead.shift();
      if (!sameBytes(head.data, txn.data)) this.markUncertain(`applied ${zxidHex(txn.zxid)} differs from the logged txn`);
    } else if (head !== undefined && head.zxid < txn.zxid) {
      this.markUncertain(`applied ${zxidHex(txn.zxid)} past the logged ${zxidHex(head.zxid)}`);
    } else {
      this.appliedUnlogged.add(txn.zxid);
    }
    this.treeZxid = txn.zxid;
  }

  private touch(): void {
    if (this.truncate !== null) this.truncate.touched = true;
  }

  private markUncertain(reason: string): void {
    this.uncertain ??= reason;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
