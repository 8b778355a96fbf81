// Group commit between the request pipeline and the txn log: appends go to the
// log at once; one commit (write + fsync) at a time covers everything appended
// before it started; when it succeeds the server is told which zxid is durable.
// A failed commit is final: the server stops acknowledging (it never acks what
// could not be persisted).
import type { TxnSink } from '../core/zk-server.ts';
import type { TxnLog } from '../storage/txn-log.ts';

export class LogSink implements TxnSink {
  private lastAppendedZxid = 0;
  private committing = false;
  private failed = false;
  private txnsSinceSnapshot = 0;

  constructor(
    private readonly log: TxnLog,
    private readonly onDurable: (zxid: number) => void,
    private readonly onFailure: (error: unknown) => void,
    private readonly onSnapshotDue: () => void,
    private readonly snapshotEveryTxns: number,
  ) {}

  append(zxid: number, bytes: Uint8Array): void {
    if (this.failed) throw new Error('txn log has failed; no further writes');
    this.log.append(bytes);
    this.lastAppendedZxid = zxid;
    if (++this.txnsSinceSnapshot >= this.snapshotEveryTxns) {
      this.txnsSinceSnapshot = 0;
      this.onSnapshotDue();
    }
    this.schedule();
  }

  rollLog(): void {
    this.log.rollLog();
  }

  private schedule(): void {
    if (this.committing || this.failed) return;
    this.committing = true;
    // Let every request already read from sockets append first: one fsync for all of them.
    setImmediate(() => void this.commitOnce());
  }

  private async commitOnce(): Promise<void> {
    const target = this.lastAppendedZxid;
    try {
      await this.log.commit();
    } catch (e) {
      this.failed = true;
      this.onFailure(e);
      return;
    }
    this.committing = false;
    this.onDurable(target);
    if (this.lastAppendedZxid > target) this.schedule();
  }

  /** Resolves when everything appended so far is durable (used at shutdown). */
  async drain(): Promise<void> {
    if (this.failed) return;
    await this.log.commit();
    this.onDurable(this.lastAppendedZxid);
  }
}
