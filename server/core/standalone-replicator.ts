// The standalone server's replicator: a txn is committed once the local txn
// log has fsynced it. Txns are applied in zxid order as durability advances.
import { Code, KeeperError } from '../wire/errors.ts';
import type { Txn } from '../tree/txn.ts';
import type { Replicator } from './replicator.ts';

export interface TxnSink {
  /** Appends a txn to the log; the io layer reports durability through onDurable(zxid). */
  append(zxid: number, bytes: Uint8Array): void;
}

export class StandaloneReplicator implements Replicator {
  private readonly pending: Txn[] = [];
  private apply: (txn: Txn) => void = () => {};

  constructor(private lastZxid: number, private readonly sink: TxnSink) {}

  bind(apply: (txn: Txn) => void): void {
    this.apply = apply;
  }

  nextZxid(): number | null {
    const zxid = this.lastZxid + 1;
    // The counter (low 32 bits) must not wrap into the epoch (ZOOKEEPER-1277).
    if (zxid % 0x100000000 === 0) throw new KeeperError(Code.SYSTEMERROR);
    return zxid;
  }

  propose(txn: Txn, bytes: Uint8Array): void {
    if (txn.hdr.zxid !== this.lastZxid + 1) throw new Error(`proposal ${txn.hdr.zxid} after ${this.lastZxid}`);
    this.lastZxid = txn.hdr.zxid;
    this.pending.push(txn);
    this.sink.append(txn.hdr.zxid, bytes);
  }

  /** Everything up to `zxid` is on disk. */
  onDurable(zxid: number): void {
    while (this.pending.length > 0 && this.pending[0]!.hdr.zxid <= zxid) this.apply(this.pending.shift()!);
  }

  get outstanding(): number {
    return this.pending.length;
  }

  forward(): void { throw new Error('a standalone server forwards nothing'); }
  touchSession(): void {}
  revalidate(): void { throw new Error('a standalone server revalidates locally'); }
  revalidateReply(): void {}
}
