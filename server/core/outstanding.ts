// Outstanding changes (ZooKeeper's outstandingChanges / ChangeRecord): the
// leader and the standalone server validate each new write against the data
// tree as it will be once every write already proposed is applied. An entry
// is dropped when the txn that made it has been applied to the tree.
import type { ACL } from '../wire/records.ts';

export interface NodeView {
  version: number;
  aversion: number;
  /** Stored cversion: the number of child creates (the sequence counter). */
  cversion: number;
  childCount: number;
  owner: bigint;
  acl: ACL[];
}

interface Change {
  zxid: number;
  /** null: the node is deleted. */
  view: NodeView | null;
}

export class Overlay {
  private readonly changes = new Map<string, Change>();

  constructor(private readonly parent: Overlay | null = null) {}

  /** The pending view of `path`: a NodeView, null when pending deletion, undefined when unchanged. */
  lookup(path: string): NodeView | null | undefined {
    const c = this.changes.get(path);
    if (c !== undefined) return c.view;
    return this.parent?.lookup(path);
  }

  set(path: string, view: NodeView | null, zxid = 0): void {
    this.changes.set(path, { zxid, view });
  }

  /** Moves this (scratch) overlay's changes into `target`, tagged with the txn's zxid. */
  commitInto(target: Overlay, zxid: number): void {
    this.changes.forEach((c, path) => target.set(path, c.view, zxid));
  }

  /** The tree now reflects every txn up to `zxid`: forget changes it made. */
  appliedUpTo(zxid: number): void {
    // forEach, not for-of over entries: this runs once per applied txn and must not allocate per entry.
    this.changes.forEach((c, path, changes) => {
      if (c.zxid <= zxid) changes.delete(path);
    });
  }

  clear(): void {
    this.changes.clear();
  }

  get size(): number {
    return this.changes.size;
  }

  /** Paths of pending (not yet applied) ephemeral creates owned by `sessionId`. */
  pendingEphemerals(sessionId: bigint): string[] {
    const out: string[] = [];
    for (const [path, c] of this.changes) if (c.view !== null && c.view.owner === sessionId) out.push(path);
    return out;
  }

  /** Paths pending deletion. */
  pendingDeletes(): Set<string> {
    const out = new Set<string>();
    for (const [path, c] of this.changes) if (c.view === null) out.add(path);
    return out;
  }
}
