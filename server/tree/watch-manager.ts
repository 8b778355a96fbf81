// WatchManager as in ZooKeeper 3.6+: one instance for data watches (getData,
// exists, persistent, persistent-recursive) and one for child watches
// (getChildren, persistent). A watcher is a connection id. Standard watches
// are one-shot; persistent ones stay; recursive ones also fire for every
// descendant, except for NodeChildrenChanged.
import { EventType } from '../wire/opcodes.ts';
import { parentOf } from './path.ts';

export type WatcherId = number;
export type WatcherMode = 'standard' | 'persistent' | 'persistentRecursive';

export class WatchManager {
  private readonly table = new Map<string, Map<WatcherId, WatcherMode>>();
  private readonly byWatcher = new Map<WatcherId, Set<string>>();
  private recursiveCount = 0;

  addWatch(path: string, watcher: WatcherId, mode: WatcherMode = 'standard'): void {
    let watchers = this.table.get(path);
    if (!watchers) this.table.set(path, (watchers = new Map()));
    const previous = watchers.get(watcher);
    // A standard registration never downgrades a persistent one.
    if (previous !== undefined && previous !== 'standard' && mode === 'standard') return;
    if (previous === 'persistentRecursive') this.recursiveCount--;
    if (mode === 'persistentRecursive') this.recursiveCount++;
    watchers.set(watcher, mode);
    let paths = this.byWatcher.get(watcher);
    if (!paths) this.byWatcher.set(watcher, (paths = new Set()));
    paths.add(path);
  }

  private removeEntry(path: string, watcher: WatcherId): void {
    const watchers = this.table.get(path);
    const mode = watchers?.get(watcher);
    if (!watchers || mode === undefined) return;
    if (mode === 'persistentRecursive') this.recursiveCount--;
    watchers.delete(watcher);
    if (watchers.size === 0) this.table.delete(path);
    const paths = this.byWatcher.get(watcher);
    paths?.delete(path);
    if (paths?.size === 0) this.byWatcher.delete(watcher);
  }

  /** The watchers to notify of `type` at `path`; one-shot watches are consumed. */
  trigger(path: string, type: number, suppress?: ReadonlySet<WatcherId>): Set<WatcherId> {
    const fired = new Set<WatcherId>();
    const own = this.table.get(path);
    if (own) {
      for (const [watcher, mode] of [...own]) {
        if (mode === 'persistentRecursive' && type === EventType.NodeChildrenChanged) continue;
        fired.add(watcher);
        if (mode === 'standard') this.removeEntry(path, watcher);
      }
    }
    if (this.recursiveCount > 0 && type !== EventType.NodeChildrenChanged && path !== '/') {
      for (let p = parentOf(path); ; p = parentOf(p)) {
        for (const [watcher, mode] of this.table.get(p) ?? []) {
          if (mode === 'persistentRecursive') fired.add(watcher);
        }
        if (p === '/') break;
      }
    }
    if (suppress) for (const w of suppress) fired.delete(w);
    return fired;
  }

  /** Removes `watcher`'s watches on `path` of the given kinds; true when one was there. */
  removeWatch(path: string, watcher: WatcherId, modes: ReadonlySet<WatcherMode>): boolean {
    const mode = this.table.get(path)?.get(watcher);
    if (mode === undefined || !modes.has(mode)) return false;
    this.removeEntry(path, watcher);
    return true;
  }

  hasWatch(path: string, watcher: WatcherId, modes: ReadonlySet<WatcherMode>): boolean {
    const mode = this.table.get(path)?.get(watcher);
    return mode !== undefined && modes.has(mode);
  }

  removeWatcher(watcher: WatcherId): void {
    for (const path of [...(this.byWatcher.get(watcher) ?? [])]) this.removeEntry(path, watcher);
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
