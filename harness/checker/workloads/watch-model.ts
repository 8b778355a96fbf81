// What the watch checker knows about committed changes: for each path, the
// zxid and event type of every write known to have committed (ok writes with
// a zxid), and which paths may have changed at unknown zxids (indeterminate
// writes). A write to /a/b is a data change of /a/b and a child change of /a.
import type { Operation } from '../../history/types.ts';
import { clientOps, field } from './util.ts';

export type WatchKind = 'data' | 'child';
export type EventType = 'NodeCreated' | 'NodeDeleted' | 'NodeDataChanged' | 'NodeChildrenChanged';

export interface Change {
  zxid: number;
  type: EventType;
  path: string;
}

export const WRITE_FS = ['create', 'delete', 'setData'] as const;
const TYPE_OF: Record<string, EventType> = { create: 'NodeCreated', delete: 'NodeDeleted', setData: 'NodeDataChanged' };

/** The watch kinds an event of this type fires. */
export function kindsOf(type: string): WatchKind[] {
  if (type === 'NodeDeleted') return ['data', 'child'];
  if (type === 'NodeChildrenChanged') return ['child'];
  return ['data'];
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export class ChangeLog {
  private readonly byPath = new Map<string, Change[]>();
  readonly byZxid = new Map<number, Change[]>();
  /** Paths (and parents, for child watches) that may have changed at unknown zxids. */
  readonly uncertain = new Set<string>();

  constructor(operations: readonly Operation[]) {
    for (const o of clientOps(operations, ...WRITE_FS)) {
      const path = field(o.output, 'path') ?? field(o.input, 'path');
      if (typeof path !== 'string' || o.status === 'fail') continue;
      if (o.status !== 'ok' || o.zxid === undefined) {
        this.uncertain.add(path);
        this.uncertain.add(parentOf(path));
        continue;
      }
      this.add({ zxid: o.zxid, type: TYPE_OF[o.f]!, path });
      if (o.f !== 'setData') this.add({ zxid: o.zxid, type: 'NodeChildrenChanged', path: parentOf(path) });
    }
    for (const list of this.byPath.values()) list.sort((a, b) => a.zxid - b.zxid);
  }

  private add(c: Change): void {
    if (!this.byPath.has(c.path)) this.byPath.set(c.path, []);
    this.byPath.get(c.path)!.push(c);
    if (!this.byZxid.has(c.zxid)) this.byZxid.set(c.zxid, []);
    this.byZxid.get(c.zxid)!.push(c);
  }

  /** The first known change after `zxid` that fires a watch of this kind on `path`. */
  firstAfter(path: string, kind: WatchKind, zxid: number): Change | undefined {
    return this.byPath.get(path)?.find((c) => c.zxid > zxid && kindsOf(c.type).includes(kind));
  }
}
