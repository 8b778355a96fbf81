// WatchManager as in ZooKeeper 3.6+: one instance for data watches (getData,
// exists, persistent, persistent-recursive) and one for child watches
// (getChildren, persistent). A watcher is a connection id. Standard watches
// are one-shot; persistent ones stay; recursive ones also fire for every
// descendant, except for NodeChildrenChanged. A connection may hold a
// standard and a persistent watch on the same path at once (as ZooKeeper
// 3.9 tracks them; 3.8 let the later registration overwrite the mode).
import { EventType } from '../wire/opcodes.ts';
import { parentOf } from './path.ts';

export type WatcherId = number;
export type WatcherMode = 'standard' | 'persistent' | 'persistentRecursive';

const BIT: Record<WatcherMode, number> = { standard: 1, persistent: 2, persistentRecursive: 4 };

const NO_WATCHERS: ReadonlySet<WatcherId> = new Set<WatcherId>();

export class WatchManager {
  /** path -> watcher -> bitmask of modes. */
  private readonly table = new Map<string, Map<WatcherId, number>>();
  private readonly byWatcher = new Map<WatcherId, Set<string>>();
  private recursiveCount = 0;

  addWatch(path: string, watcher: WatcherId, mode: WatcherMode = 'standard'): void {
    let watchers = this.table.get(path);
    if (!watchers) this.table.set(path, (watchers = new Map()));
    const before = watchers.get(watcher) ?? 0;
    const after = before | BIT[mode];
    if (after === before) return;
    if (mode === 'persistentRecursive') this.recursiveCount++;
    watchers.set(watcher, after);
    let paths = this.byWatcher.get(watcher);
    if (!paths) this.byWatcher.set(watcher, (paths = new Set()));
    paths.add(path);
  }

  /** Clears the given mode bits of one registration; drops it when none are left. */
  private clearBits(path: string, watcher: WatcherId, bits: number): void {
    const watchers = this.table.get(path);
    const mask = watchers?.get(watcher);
    if (!watchers || mask === undefined) return;
    const removed = mask & bits;
    if (removed & BIT.persistentRecursive) this.recursiveCount--;
    const left = mask & ~bits;
    if (left !== 0) {
      watchers.set(watcher, left);
      return;
    }
    watchers.delete(watcher);
    if (watchers.size === 0) this.table.delete(path);
    const paths = this.byWatcher.get(watcher);
    paths?.delete(path);
    if (paths?.size === 0) this.byWatcher.delete(watcher);
  }

  /** The watchers to notify of `type` at `path`; one-shot watches are consumed. */
  trigger(path: string, type: number, suppress?: ReadonlySet<WatcherId>): ReadonlySet<WatcherId> {
    // Most writes touch unwatched paths: answer those without allocating.
    if (this.recursiveCount === 0 && !this.table.has(path)) return NO_WATCHERS;
    const fired = new Set<WatcherId>();
    const childEvent = type === EventType.NodeChildrenChanged;
    for (const [watcher, mask] of [...(this.table.get(path) ?? [])]) {
      const matching = mask & (childEvent ? BIT.standard | BIT.persistent : ~0);
      if (matching === 0) continue;
      fired.add(watcher);
      if (mask & BIT.standard) this.clearBits(path, watcher, BIT.standard);
    }
    if (this.recursiveCount > 0 && !childEvent && path !== '/') {
      for (let p = parentOf(path); ; p = parentOf(p)) {
        for (const [watcher, mask] of this.table.get(p) ?? []) {
          if (mask & BIT.persistentRecursive) fired.add(watcher);
        }
        if (p === '/') break;
      }
    }
    if (suppress) for (const w of suppress) fired.delete(w);
    return fired;
  }

  private bitsOf(modes: ReadonlySet<WatcherMode>): number {
    let bits = 0;
    for (const m of modes) bits |= BIT[m];
    return bits;
  }

  /** Removes `watcher`'s watches on `path` of the given kinds; true when one was there. */
  removeWatch(path: string, watcher: WatcherId, modes: ReadonlySet<WatcherMode>): boolean {
    const bits = this.bitsOf(modes);
    const mask = this.table.get(path)?.get(watcher) ?? 0;
    if ((mask & bits) === 0) return false;
    this.clearBits(path, watcher, bits);
    return true;
  }

  hasWatch(path: string, watcher: WatcherId, modes: ReadonlySet<WatcherMode>): boolean {
    return ((this.table.get(path)?.get(watcher) ?? 0) & this.bitsOf(modes)) !== 0;
  }

  removeWatcher(watcher: WatcherId): void {
    for (const path of [...(this.byWatcher.get(watcher) ?? [])]) this.clearBits(path, watcher, ~0);
  }

  /** Number of (path, watcher) registrations. */
  get size(): number {
    let n = 0;
    for (const w of this.table.values()) n += w.size;
    return n;
  }

  pathsOf(watcher: WatcherId): string[] {
    return [...(this.byWatcher.get(watcher) ?? [])];
  }

  watchersOf(path: string): WatcherId[] {
    return [...(this.table.get(path)?.keys() ?? [])];
  }

  paths(): string[] {
    return [...this.table.keys()];
  }
}
