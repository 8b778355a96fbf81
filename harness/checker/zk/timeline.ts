// The commit order as far as the history shows it: every ok write with a
// zxid, per path, in zxid order. Each read is mapped to the interval of
// positions (zxids) at which the state it returned was current: from the
// node's mzxid up to just before the next known write to that path.
import type { Operation } from '../../history/types.ts';
import { field } from '../workloads/util.ts';

export const WRITE_FS = new Set(['create', 'delete', 'setData']);
export const READ_FS = new Set(['getData', 'exists']);

export function pathOf(o: Operation): string | undefined {
  const p = field(o.output, 'path') ?? field(o.input, 'path');
  return typeof p === 'string' ? p : undefined;
}

export interface ReadView {
  op: Operation;
  path: string;
  /** Earliest and latest commit positions at which the returned state was current. */
  lo: number;
  hi: number;
  /** The node's mzxid, when the read returned one. */
  mzxid?: number;
}

export class CommitTimeline {
  readonly writesByPath = new Map<string, Operation[]>();
  readonly writeAt = new Map<number, Operation>();
  /** Paths that may have changed at unknown zxids (indeterminate writes, or ok writes without a zxid). */
  readonly uncertain = new Set<string>();

  constructor(ops: readonly Operation[]) {
    for (const o of ops) {
      const path = pathOf(o);
      if (!WRITE_FS.has(o.f) || path === undefined || o.status === 'fail') continue;
      if (o.status !== 'ok' || o.zxid === undefined) {
        this.uncertain.add(path);
        continue;
      }
      if (!this.writesByPath.has(path)) this.writesByPath.set(path, []);
      this.writesByPath.get(path)!.push(o);
      this.writeAt.set(o.zxid, o);
    }
    for (const ws of this.writesByPath.values()) ws.sort((a, b) => a.zxid! - b.zxid!);
  }

  private readonly views = new Map<Operation, ReadView | null>();

  /** The first known write to `path` after position `zxid` (binary search). */
  nextWrite(path: string, zxid: number): Operation | undefined {
    const ws = this.writesByPath.get(path) ?? [];
    let lo = 0, hi = ws.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ws[mid]!.zxid! > zxid) hi = mid;
      else lo = mid + 1;
    }
    return ws[lo];
  }

  /** Where a read's result fits in the commit order; null when the history cannot tell. Memoised. */
  view(o: Operation): ReadView | null {
    let v = this.views.get(o);
    if (v === undefined) this.views.set(o, (v = this.computeView(o)));
    return v;
  }

  private computeView(o: Operation): ReadView | null {
    const path = pathOf(o);
    if (path === undefined || o.status !== 'ok' || !READ_FS.has(o.f)) return null;
    const stat = field(o.output, 'stat');
    if (o.output === null || stat === null) return this.absentView(o, path);
    const mzxid = field(stat, 'mzxid');
    if (typeof mzxid !== 'number') return null;
    const next = this.nextWrite(path, mzxid);
    return { op: o, path, lo: mzxid, hi: next ? next.zxid! - 1 : Infinity, mzxid };
  }

  /** An absent node: current after the last known delete, or before the first create. */
  private absentView(o: Operation, path: string): ReadView | null {
    if (this.uncertain.has(path)) return null;
    const ws = this.writesByPath.get(path) ?? [];
    const last = ws.at(-1);
    if (last === undefined || last.f === 'delete') return { op: o, path, lo: 0, hi: Infinity };
    let lastCreate = ws.length - 1;
    while (lastCreate > 0 && ws[lastCreate]!.f !== 'create') lastCreate--;
    return { op: o, path, lo: 0, hi: ws[lastCreate]!.zxid! - 1 };
  }
}
