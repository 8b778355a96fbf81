// Node cache: the current data and Stat of one znode, kept up to date by a
// data/exist watch that is re-armed by every read.
//
// Guarantees:
// - After each change the server reports, the cache re-reads the node; reads
//   are answered in order, so the cache ends at the node's latest state once
//   changes stop (and `onChange` has been called for each read that differed).
// - Watches survive reconnection (the client replays them); after a
//   reconnection the node is read again anyway.
//
// Does NOT guarantee:
// - Seeing every intermediate version: several quick changes may collapse
//   into one re-read (ZooKeeper watches are one-shot).
// - Freshness: the cache lags the ensemble by at least one round trip, and
//   while disconnected it keeps the last state it saw. It stops (state
//   `closed`) when the session ends.
import { Code } from '../../server/wire/index.ts';
import type { Stat, ZooKeeperClient } from '../index.ts';
import type { WatchedEvent } from '../watch-registry.ts';
import { hasCode, retrying, sessionIsOver } from './support.ts';

const RECIPE = 'NodeCache';

export interface NodeSnapshot {
  data: Uint8Array;
  stat: Stat;
}

export class NodeCache {
  private snapshot: NodeSnapshot | null = null;
  private closed = false;
  private readonly listeners = new Set<(s: NodeSnapshot | null) => void>();
  private offSession: (() => void) | undefined;
  private readonly watcher = (e: WatchedEvent) => { if (e.type !== 'None') this.kick(); };
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly zk: ZooKeeperClient, readonly path: string) {}

  /** The node's last known data and Stat; null if it did not exist at the last read. */
  get current(): NodeSnapshot | null {
    return this.snapshot;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onChange(listener: (s: NodeSnapshot | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the node once (resolving when the cache is primed) and keeps it current from then on. */
  async start(): Promise<void> {
    this.offSession = this.zk.onSessionEvent((e) => {
      if (e.state === 'SyncConnected') this.kick();
      if (e.state === 'Expired' || e.state === 'Closed' || e.state === 'AuthFailed') this.close();
    });
    await this.refresh();
  }

  close(): void {
    this.closed = true;
    this.offSession?.();
  }

  /** Re-reads after the refresh in progress (reads are chained so their results apply in order). */
  private kick(): void {
    this.refreshing = this.refreshing.then(() => this.refresh()).catch(() => {
      if (sessionIsOver(this.zk)) this.close();
    });
  }

  private async refresh(): Promise<void> {
    if (this.closed) return;
    const { zk } = this;
    try {
      const { data, stat } = await retrying(zk, RECIPE, () => zk.getData(this.path, { watch: this.watcher }));
      this.apply({ data: data ?? new Uint8Array(0), stat });
    } catch (e) {
      if (!hasCode(e, Code.NONODE)) throw e;
      const { stat } = await retrying(zk, RECIPE, () => zk.exists(this.path, { watch: this.watcher }));
      if (stat === null) this.apply(null);
      else this.kick();
    }
  }

  private apply(next: NodeSnapshot | null): void {
    const before = this.snapshot;
    const same = before === null || next === null ? before === next
      : before.stat.mzxid === next.stat.mzxid && before.stat.czxid === next.stat.czxid;
    this.snapshot = next;
    if (!same) for (const l of [...this.listeners]) l(next);
  }
}
