// The client's watch table (ZooKeeper's ZKWatchManager rules, in client
// paths): one-shot data / exist / child watches, persistent and
// persistent-recursive watches. `materialize` says which watchers an event
// triggers and consumes the one-shot ones; `lists` feeds SetWatches on
// reconnect; `remove` backs removeWatches. Pure: no I/O, no timers.
import { EventType, KeeperState } from '../server/wire/index.ts';

export type EventTypeName = keyof typeof EventType;
export type KeeperStateName = keyof typeof KeeperState;

export interface WatchedEvent {
  type: EventTypeName;
  state: KeeperStateName;
  /** Client path (chroot stripped); null for session state events. */
  path: string | null;
  /** The notification's ReplyHeader zxid (-1 for local events and old servers). */
  zxid: number;
}

export type Watcher = (event: WatchedEvent) => void;
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';
export type WatcherTypeName = 'Children' | 'Data' | 'Any' | 'Persistent' | 'PersistentRecursive';

export const WATCH_KINDS: readonly WatchKind[] = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];

/** Which tables removeWatches(type) looks in (ZKWatchManager.removeWatcher). */
const kindsOfType: Record<WatcherTypeName, readonly WatchKind[]> = {
  Children: ['child'],
  Data: ['data', 'exist'],
  Persistent: ['persistent'],
  PersistentRecursive: ['persistentRecursive'],
  Any: WATCH_KINDS,
};

/** The local event a removed watcher receives. */
const removedEventOf: Record<WatchKind, EventTypeName> = {
  data: 'DataWatchRemoved', exist: 'DataWatchRemoved', child: 'ChildWatchRemoved',
  persistent: 'PersistentWatchRemoved', persistentRecursive: 'PersistentWatchRemoved',
};

export interface RemovedWatcher {
  watcher: Watcher;
  kind: WatchKind;
  event: EventTypeName;
}

export class WatchRegistry {
  private readonly tables: Record<WatchKind, Map<string, Set<Watcher>>> = {
    data: new Map(), exist: new Map(), child: new Map(), persistent: new Map(), persistentRecursive: new Map(),
  };

  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const table = this.tables[kind];
    let set = table.get(path);
    if (set === undefined) {
      set = new Set();
      table.set(path, set);
    }
    set.add(watcher);
  }

  /** Is there a watcher (this one, or any when omitted) of `type` on `path`? */
  contains(path: string, type: WatcherTypeName, watcher?: Watcher): boolean {
    return kindsOfType[type].some((kind) => {
      const set = this.tables[kind].get(path);
      if (set === undefined || set.size === 0) return false;
      return watcher === undefined || set.has(watcher);
    });
  }

  /** Removes this watcher (or all) of `type` on `path`; returns what was removed. */
  remove(path: string, type: WatcherTypeName, watcher?: Watcher): RemovedWatcher[] {
    const removed: RemovedWatcher[] = [];
    for (const kind of kindsOfType[type]) {
      const table = this.tables[kind];
      const set = table.get(path);
      if (set === undefined) continue;
      const victims = watcher === undefined ? [...set] : set.has(watcher) ? [watcher] : [];
      for (const w of victims) {
        set.delete(w);
        removed.push({ watcher: w, kind, event: removedEventOf[kind] });
      }
      if (set.size === 0) table.delete(path);
    }
    return removed;
  }

  /** The watchers a node event triggers; one-shot watches are consumed. */
  materialize(type: EventTypeName, path: string): Set<Watcher> {
    const result = new Set<Watcher>();
    switch (type) {
      case 'NodeCreated': case 'NodeDataChanged':
        this.take('data', path, result);
        this.take('exist', path, result);
        break;
      case 'NodeChildrenChanged':
        this.take('child', path, result);
        break;
      case 'NodeDeleted':
        this.take('data', path, result);
        this.take('exist', path, result);
        this.take('child', path, result);
        break;
      default:
        return result;
    }
    this.addPersistent(type, path, result);
    return result;
  }

  /** Every registered watcher (for session state events); `clear` empties the table. */
  all(clear: boolean): Set<Watcher> {
    const result = new Set<Watcher>();
    for (const kind of WATCH_KINDS) {
      for (const set of this.tables[kind].values()) for (const w of set) result.add(w);
      if (clear) this.tables[kind].clear();
    }
    return result;
  }

  /** Paths per kind, for SetWatches / SetWatches2 on reconnect. */
  lists(): Record<WatchKind, string[]> {
    const out = {} as Record<WatchKind, string[]>;
    for (const kind of WATCH_KINDS) out[kind] = [...this.tables[kind].keys()];
    return out;
  }

  get isEmpty(): boolean {
    return WATCH_KINDS.every((kind) => this.tables[kind].size === 0);
  }

  private take(kind: WatchKind, path: string, into: Set<Watcher>): void {
    const set = this.tables[kind].get(path);
    if (set === undefined) return;
    this.tables[kind].delete(path);
    for (const w of set) into.add(w);
  }

  private addPersistent(type: EventTypeName, path: string, into: Set<Watcher>): void {
    for (const w of this.tables.persistent.get(path) ?? []) into.add(w);
    // Recursive watches promise no child events (filtered client-side in ZooKeeper too).
    if (type === 'NodeChildrenChanged') return;
    for (const p of pathAndAncestors(path)) {
      for (const w of this.tables.persistentRecursive.get(p) ?? []) into.add(w);
    }
  }
}

/** '/a/b' -> ['/a/b', '/a', '/']. */
export function pathAndAncestors(path: string): string[] {
  const out = [path];
  let p = path;
  while (p !== '/' && p !== '') {
    const cut = p.lastIndexOf('/');
    p = cut <= 0 ? '/' : p.slice(0, cut);
    out.push(p);
  }
  return out;
}

const eventNames = new Map<number, EventTypeName>(
  Object.entries(EventType).map(([n, c]) => [c, n as EventTypeName]));
const stateNames = new Map<number, KeeperStateName>(
  Object.entries(KeeperState).map(([n, c]) => [c, n as KeeperStateName]));

export function eventTypeName(code: number): EventTypeName | undefined {
  return eventNames.get(code);
}

export function keeperStateName(code: number): KeeperStateName | undefined {
  return stateNames.get(code);
}
