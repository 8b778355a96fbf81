// Tree cache: the data and Stat of every znode under a root, kept up to date
// by one persistent recursive watch (ZooKeeper 3.6+ addWatch).
//
// Guarantees:
// - Every create, change and delete under the root that the server reports
//   is followed by a re-read of that node; reads are answered in order, so
//   the cache converges to the tree's latest state once changes stop.
// - After a reconnection the whole tree is read again (a persistent watch is
//   restored without the events missed meanwhile), and nodes deleted while
//   away are dropped.
//
// Does NOT guarantee:
// - Every intermediate version, or an atomic view of the tree: the cache is
//   a set of per-node snapshots, each at its own zxid.
// - Working on servers without persistent watches (before 3.6).
// - Anything after the session ends: the cache closes and keeps its last state.
import { Code } from '../../server/wire/index.ts';
import type { ZooKeeperClient } from '../index.ts';
import type { WatchedEvent } from '../watch-registry.ts';
import type { NodeSnapshot } from './node-cache.ts';
import { hasCode, joinPath, retrying, sessionIsOver } from './support.ts';

const RECIPE = 'TreeCache';
/** Nodes of one level read at once while loading (within the client's request queue). */
const WALK_BATCH = 256;

export type TreeChange = { type: 'added' | 'updated' | 'removed'; path: string };

export class TreeCache {
  private readonly nodes = new Map<string, NodeSnapshot>();
  private readonly listeners = new Set<(c: TreeChange) => void>();
  private offSession: (() => void) | undefined;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly watcher = (e: WatchedEvent) => this.onEvent(e);

  constructor(private readonly zk: ZooKeeperClient, readonly rootPath: string) {}

  /** Snapshot of one node, or undefined if the cache does not have it. */
  get(path: string): NodeSnapshot | undefined {
    return this.nodes.get(path);
  }

  /** Every cached path, sorted. */
  paths(): string[] {
    return [...this.nodes.keys()].sort();
  }

  onChange(listener: (c: TreeChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sets the watch, then reads the whole tree; resolves when the cache is primed. */
  async start(): Promise<void> {
    const { zk } = this;
    this.offSession = zk.onSessionEvent((e) => {
      if (e.state === 'SyncConnected') this.enqueue(() => this.load());
      if (e.state === 'Expired' || e.state === 'Closed' || e.state === 'AuthFailed') this.close();
    });
    await retrying(zk, RECIPE, () => zk.addWatch(this.rootPath, 'persistentRecursive', this.watcher));
    this.enqueue(() => this.load());
    await this.chain;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.offSession?.();
    if (!sessionIsOver(this.zk)) {
      void this.zk.removeWatches(this.rootPath, 'PersistentRecursive', this.watcher).catch(() => {});
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(() => (this.closed ? undefined : work())).catch(() => {
      if (sessionIsOver(this.zk)) this.close();
    });
  }

  private onEvent(e: WatchedEvent): void {
    if (e.type === 'None' || e.path === null) return;
    const path = e.path;
    if (e.type === 'NodeDeleted') this.removeSubtree(path);
    else this.enqueue(async () => { await this.readNode(path); });
  }

  /** Reads the whole tree; drops cached nodes that the walk did not find. */
  private async load(): Promise<void> {
    const seen = new Set<string>();
    await this.walk(this.rootPath, seen);
    for (const path of [...this.nodes.keys()]) if (!seen.has(path)) this.removeSubtree(path);
  }

  /** Level by level, each level's nodes read in parallel batches: no recursion, so any depth. */
  private async walk(root: string, seen: Set<string>): Promise<void> {
    let level = [root];
    while (level.length > 0) {
      const next: string[] = [];
      for (let i = 0; i < level.length; i += WALK_BATCH) {
        const found = await Promise.all(level.slice(i, i + WALK_BATCH).map((p) => this.visit(p, seen)));
        for (const children of found) for (const c of children) next.push(c);
      }
      level = next;
    }
  }

  /** Reads one node into the cache; the paths of its children (none if it is gone). */
  private async visit(path: string, seen: Set<string>): Promise<string[]> {
    if (!(await this.readNode(path))) return [];
    seen.add(path);
    try {
      const { children } = await retrying(this.zk, RECIPE, () => this.zk.getChildren(path));
      return children.map((c) => joinPath(path, c));
    } catch (e) {
      if (hasCode(e, Code.NONODE)) return [];
      throw e;
    }
  }

  /** Reads one node into the cache; false if it does not exist (then it is dropped). */
  private async readNode(path: string): Promise<boolean> {
    try {
      const { data, stat } = await retrying(this.zk, RECIPE, () => this.zk.getData(path));
      const before = this.nodes.get(path);
      if (before !== undefined && before.stat.mzxid > stat.mzxid && before.stat.czxid === stat.czxid) return true;
      this.nodes.set(path, { data: data ?? new Uint8Array(0), stat });
      if (before === undefined) this.emit({ type: 'added', path });
      else if (before.stat.mzxid !== stat.mzxid || before.stat.czxid !== stat.czxid) this.emit({ type: 'updated', path });
      return true;
    } catch (e) {
      if (!hasCode(e, Code.NONODE)) throw e;
      this.removeSubtree(path);
      return false;
    }
  }

  private removeSubtree(path: string): void {
    for (const p of [...this.nodes.keys()]) {
      if (p === path || p.startsWith(path === '/' ? '/' : `${path}/`)) {
        this.nodes.delete(p);
        this.emit({ type: 'removed', path: p });
      }
    }
  }

  private emit(change: TreeChange): void {
    for (const l of [...this.listeners]) l(change);
  }
}
