// Runs the Zab core's disk effects one at a time, in the order emitted (the
// contract in server/zab/effects.ts), and answers each with `diskDone` once
// durable. Consecutive persistTxns share one fsync (group commit); their
// answers still go out in order. Any failure is fatal: the executor stops
// and reports it, and nothing queued after it runs. reloadDatabase runs
// after every log write queued before it (ZOOKEEPER-4712: drained, never
// applied later), then reloads snapshot + whole log into the host's tree;
// fastForward, after the same drain, keeps the host's tree and applies the
// txns the core knows were logged beyond it (ZooKeeper's
// fastForwardDataBase), falling back to the full reload if the log does not
// end where the core expects. Txn log reads for a learner's DIFF run beside
// this queue (they never wait behind writes), kept out only while the log is
// truncated (TruncationGate).
import type { Disk } from '../../storage/disk.ts';
import { writeEpoch, type EpochFile } from '../../storage/epoch-files.ts';
import { zxidOfTxn } from '../../storage/log-format.ts';
import { removeSnapshotsAfter, writeSnapshot } from '../../storage/snapshot.ts';
import type { TxnLog } from '../../storage/txn-log.ts';
import type { LoadedDatabase, ZabEvent } from '../../zab/events.ts';
import type { Txn } from '../../zab/txn.ts';
import { zxidHex, type Zxid } from '../../zab/zxid.ts';
import { loadDatabase, type StorageDirs } from './database-loader.ts';
import { check } from './errors.ts';
import type { TreeSink } from './host.ts';
import { TruncationGate } from './truncation-gate.ts';
import { readTxnLogAfter, type TxnLogRead } from './txn-log-reader.ts';

export type DiskOp =
  /** `writtenOnly`: PLANTED BUG ack-before-fsync, answered once written; fsynced later. */
  | {
    readonly kind: 'persist'; readonly token: number; readonly txns: readonly Txn[];
    /** Planted bugs only: see persistTxns in server/zab/effects.ts. */
    readonly writtenOnly?: boolean; readonly skipLogged?: boolean; readonly widenWindowMs?: number;
  }
  /** The deferred fsync of writtenOnly persists. */
  | { readonly kind: 'sync' }
  /** `dropTarget`: PLANTED BUG trunc-off-by-one, the cut loses zxid's own record. */
  | { readonly kind: 'truncate'; readonly token: number; readonly zxid: Zxid; readonly dropTarget?: boolean }
  /** takeSnapshot (token set, log above zxid discarded) or a periodic snapshot (token null). */
  | { readonly kind: 'snapshot'; readonly token: number | null; readonly zxid: Zxid; readonly body: Uint8Array }
  | { readonly kind: 'epoch'; readonly token: number; readonly file: EpochFile; readonly epoch: number }
  | { readonly kind: 'reload' }
  | { readonly kind: 'fastForward'; readonly txns: readonly Txn[]; readonly database: LoadedDatabase };

export interface DiskExecutorContext {
  readonly disk: Disk;
  readonly dirs: StorageDirs;
  readonly txnLog: TxnLog;
  readonly tree: TreeSink;
  readonly commitLogCount: number;
  readonly log: (msg: string) => void;
  /** diskDone and databaseLoaded events for the peer. */
  readonly onEvent: (e: ZabEvent) => void;
  readonly onFatal: (reason: string) => void;
  /** PLANTED BUG ack-before-fsync: how long written-only txns wait for their fsync (default 1000 ms). */
  readonly unsyncedFsyncDelayMs?: number;
}

export class DiskExecutor {
  private readonly queue: DiskOp[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly gate = new TruncationGate();
  private deferredSync: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly ctx: DiskExecutorContext) {}

  /** The txns after `fromZxid` from the txn log, read beside the queued writes but never during a truncation. */
  readTxnLog(fromZxid: Zxid, snapshotSizeFactor: number): Promise<TxnLogRead> {
    return this.gate.shared(() => readTxnLogAfter(this.ctx.disk, this.ctx.dirs, fromZxid, snapshotSizeFactor));
  }

  get queuedOps(): number {
    return this.queue.length;
  }

  enqueue(op: DiskOp): void {
    if (this.stopped) return;
    this.queue.push(op);
    this.running ??= this.run().finally(() => { this.running = null; });
  }

  /** No new ops; waits for the one in progress (queued ones are dropped: never acknowledged). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    if (this.deferredSync !== null) clearTimeout(this.deferredSync);
    this.deferredSync = null;
    await this.running;
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const batch = this.takeBatch();
      let events: ZabEvent[];
      try {
        events = await this.execute(batch);
      } catch (e) {
        this.stopped = true;
        this.queue.length = 0;
        this.ctx.onFatal(`disk failure in ${batch[0]!.kind}: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      if (this.stopped) return;
      for (const event of events) this.ctx.onEvent(event);
    }
  }

  /** The head op, plus the persists right behind it when it is a persist. */
  private takeBatch(): DiskOp[] {
    const batch = [this.queue.shift()!];
    while (batch[0]!.kind === 'persist' && this.queue[0]?.kind === 'persist') batch.push(this.queue.shift()!);
    return batch;
  }

  private async execute(batch: DiskOp[]): Promise<ZabEvent[]> {
    const op = batch[0]!;
    // Written-only txns (a planted bug) are fsynced at the latest before any other kind of disk op.
    if (op.kind !== 'persist' && this.ctx.txnLog.hasUnsyncedWrites) await this.ctx.txnLog.commit();
    switch (op.kind) {
      case 'persist': return this.persist(batch as Extract<DiskOp, { kind: 'persist' }>[]);
      case 'sync': return [];
      case 'truncate': return this.gate.exclusive(() => this.truncate(op.token, op.zxid, op.dropTarget === true));
      case 'snapshot': return op.token === null ? this.snapshot(op) : this.gate.exclusive(() => this.snapshot(op));
      case 'epoch':
        await writeEpoch(this.ctx.disk, this.ctx.dirs.dataDir, op.file, op.epoch);
        return [{ type: 'diskDone', token: op.token }];
      case 'reload':
        return [{ type: 'databaseLoaded', database: await this.reload() }];
      case 'fastForward':
        return [{ type: 'databaseLoaded', database: await this.fastForward(op) }];
    }
  }

  private async persist(ops: Extract<DiskOp, { kind: 'persist' }>[]): Promise<ZabEvent[]> {
    const waitMs = Math.max(0, ...ops.map((op) => op.widenWindowMs ?? 0));
    if (waitMs > 0) {
      // A planted bug widens its window: the write (and every op queued behind it) waits.
      this.ctx.log(`WARN planted bug: synced txns up to ${zxidHex(ops.at(-1)!.txns.at(-1)?.zxid ?? -1)} wait ${waitMs} ms before the log`);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      if (this.stopped) return [];
    }
    for (const op of ops) {
      for (const txn of op.txns) {
        check(zxidOfTxn(txn.data) === txn.zxid,
          () => `txn ${zxidHex(txn.zxid)} carries TxnHeader zxid ${zxidHex(zxidOfTxn(txn.data))}`);
        if (op.skipLogged === true && txn.zxid <= this.ctx.txnLog.lastAppendedZxid) {
          this.ctx.log(`WARN planted bug: txn ${zxidHex(txn.zxid)} is already in the log (ends at ${zxidHex(this.ctx.txnLog.lastAppendedZxid)})`);
          continue;
        }
        this.ctx.txnLog.append(txn.data);
      }
    }
    if (ops.every((op) => op.writtenOnly === true)) {
      // PLANTED BUG ack-before-fsync: answered once written; the fsync comes later.
      await this.ctx.txnLog.writeUnsynced();
      this.scheduleDeferredSync();
    } else {
      await this.ctx.txnLog.commit();
    }
    return ops.map((op) => ({ type: 'diskDone', token: op.token }));
  }

  private scheduleDeferredSync(): void {
    if (this.deferredSync !== null || this.stopped) return;
    this.deferredSync = setTimeout(() => {
      this.deferredSync = null;
      this.enqueue({ kind: 'sync' });
    }, this.ctx.unsyncedFsyncDelayMs ?? 1000);
  }

  /** TRUNC: no snapshot past zxid, the log cut after zxid, then the tree reloaded from disk. */
  private async truncate(token: number, zxid: Zxid, dropTarget = false): Promise<ZabEvent[]> {
    for (const line of await removeSnapshotsAfter(this.ctx.disk, this.ctx.dirs.dataDir, zxid)) this.ctx.log(line);
    const last = await this.ctx.txnLog.truncate(zxid, dropTarget ? { dropTarget } : {});
    this.ctx.log(`truncated the txn log to ${zxidHex(zxid)} (last logged now ${zxidHex(last)})`);
    const db = await this.reload();
    if (db.lastLoggedZxid !== zxid) {
      this.ctx.log(`WARN after TRUNC to ${zxidHex(zxid)} the database ends at ${zxidHex(db.lastLoggedZxid)}`);
    }
    return [{ type: 'diskDone', token }];
  }

  /**
   * takeSnapshot: snapshots and log entries above zxid belong to an abandoned
   * history; they go first (a crash midway leaves an older consistent prefix),
   * then the snapshot is written. A periodic snapshot only rolls the log.
   */
  private async snapshot(op: Extract<DiskOp, { kind: 'snapshot' }>): Promise<ZabEvent[]> {
    const { disk, dirs, txnLog } = this.ctx;
    if (op.token !== null) {
      for (const line of await removeSnapshotsAfter(disk, dirs.dataDir, op.zxid)) this.ctx.log(line);
      if (txnLog.lastLoggedZxid > op.zxid) {
        this.ctx.log(`discarding logged txns above ${zxidHex(op.zxid)} (up to ${zxidHex(txnLog.lastLoggedZxid)})`);
        await txnLog.truncate(op.zxid);
      }
    }
    txnLog.rollLog();
    await writeSnapshot(disk, dirs.dataDir, op.zxid, op.body);
    this.ctx.log(`snapshot taken at ${zxidHex(op.zxid)}`);
    return op.token === null ? [] : [{ type: 'diskDone', token: op.token }];
  }

  /** The queued writes have run: the log must end at the last txn to apply (or below a snapshot-only end). */
  private async fastForward(op: Extract<DiskOp, { kind: 'fastForward' }>): Promise<LoadedDatabase> {
    const logEnd = this.ctx.txnLog.lastLoggedZxid;
    const expected = op.database.lastLoggedZxid;
    const lastTxn = op.txns.at(-1)?.zxid;
    const matches = lastTxn !== undefined ? logEnd === lastTxn && lastTxn === expected : logEnd <= expected;
    if (!matches) {
      this.ctx.log(`WARN fast-forward expected the log to end at ${zxidHex(expected)}, it ends at ${zxidHex(logEnd)}: full reload`);
      return this.reload();
    }
    for (const txn of op.txns) this.ctx.tree.applyCommitted(txn.zxid, txn.data);
    this.ctx.log(`fast-forwarded the in-memory database by ${op.txns.length} logged txns to ${zxidHex(expected)}` +
      ` (acceptedEpoch ${op.database.acceptedEpoch}, currentEpoch ${op.database.currentEpoch})`);
    return op.database;
  }

  private reload(): Promise<LoadedDatabase> {
    return loadDatabase(this.ctx.disk, this.ctx.dirs, this.ctx.tree, this.ctx.commitLogCount, this.ctx.log);
  }
}
