// Watch requests that are not reads: setWatches / setWatches2 on reconnect
// (DataTree.setWatches), addWatch, removeWatches and checkWatches.
import { Code, KeeperError } from '../wire/errors.ts';
import { AddWatchMode, EventType, WatcherType } from '../wire/opcodes.ts';
import type { Infer } from '../wire/codec.ts';
import type * as R from '../wire/records.ts';
import type { DataTree } from '../tree/data-tree.ts';
import type { WatcherId, WatcherMode } from '../tree/watch-manager.ts';

export interface FiredEvent {
  type: number;
  path: string;
}

/** Re-arms watches after a reconnect; fires at once what changed since relativeZxid. */
export function setWatches(tree: DataTree, watcher: WatcherId, req: Infer<typeof R.SetWatches2>): FiredEvent[] {
  const fired: FiredEvent[] = [];
  const rel = req.relativeZxid;
  for (const path of req.dataWatches) {
    const node = tree.getNode(path);
    if (!node) fired.push({ type: EventType.NodeDeleted, path });
    else if (node.stat.mzxid > rel) fired.push({ type: EventType.NodeDataChanged, path });
    else tree.dataWatches.addWatch(path, watcher);
  }
  for (const path of req.existWatches) {
    if (tree.getNode(path)) fired.push({ type: EventType.NodeCreated, path });
    else tree.dataWatches.addWatch(path, watcher);
  }
  for (const path of req.childWatches) {
    const node = tree.getNode(path);
    if (!node) fired.push({ type: EventType.NodeDeleted, path });
    else if (node.stat.pzxid > rel) fired.push({ type: EventType.NodeChildrenChanged, path });
    else tree.childWatches.addWatch(path, watcher);
  }
  for (const path of req.persistentWatches) addWatch(tree, watcher, path, AddWatchMode.persistent);
  for (const path of req.persistentRecursiveWatches) addWatch(tree, watcher, path, AddWatchMode.persistentRecursive);
  return fired;
}

export function addWatch(tree: DataTree, watcher: WatcherId, path: string, mode: number): void {
  if (mode === AddWatchMode.persistentRecursive) {
    tree.dataWatches.addWatch(path, watcher, 'persistentRecursive');
  } else if (mode === AddWatchMode.persistent) {
    tree.dataWatches.addWatch(path, watcher, 'persistent');
    tree.childWatches.addWatch(path, watcher, 'persistent');
  } else {
    throw new KeeperError(Code.BADARGUMENTS, path);
  }
}

const STANDARD = new Set<WatcherMode>(['standard']);
const PERSISTENT = new Set<WatcherMode>(['persistent']);
const RECURSIVE = new Set<WatcherMode>(['persistentRecursive']);
const ALL = new Set<WatcherMode>(['standard', 'persistent', 'persistentRecursive']);

function kinds(type: number): { data: Set<WatcherMode> | null; child: Set<WatcherMode> | null } {
  switch (type) {
    case WatcherType.Children: return { data: null, child: STANDARD };
    case WatcherType.Data: return { data: STANDARD, child: null };
    case WatcherType.Any: return { data: ALL, child: ALL };
    case WatcherType.Persistent: return { data: PERSISTENT, child: PERSISTENT };
    case WatcherType.PersistentRecursive: return { data: RECURSIVE, child: null };
    default: throw new KeeperError(Code.BADARGUMENTS);
  }
}

/** removeWatches (remove = true) or checkWatches: NOWATCHER when there is none of that type. */
export function removeOrCheckWatches(tree: DataTree, watcher: WatcherId, path: string, type: number, remove: boolean): void {
  const k = kinds(type);
  const inData = k.data !== null && tree.dataWatches.hasWatch(path, watcher, k.data);
  const inChild = k.child !== null && tree.childWatches.hasWatch(path, watcher, k.child);
  if (!inData && !inChild) throw new KeeperError(Code.NOWATCHER, path);
  if (!remove) return;
  if (inData) tree.dataWatches.removeWatch(path, watcher, k.data!);
  if (inChild) tree.childWatches.removeWatch(path, watcher, k.child!);
}
