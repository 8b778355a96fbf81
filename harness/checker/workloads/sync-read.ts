// sync + read: a `sync-read` op (sync(path), then getData on the same
// session) must reflect every write acknowledged before the op was invoked:
// its getData reply zxid (the server's last applied zxid) is at least the
// zxid of every ok write that completed before the invoke. ZooKeeper allows
// one exception (ZOOKEEPER-1675): a server cut off from the quorum, e.g. a
// deposed leader that has not noticed yet, may answer a sync at once. A stale
// sync-read is excused only when the node that served it was, during the op,
// cut off from a majority by a partition, or paused or killed (or shortly
// after such a pause or kill); otherwise it is a violation.
import type { Operation } from '../../history/types.ts';
import type { Checker, CheckInput } from '../compose.ts';
import { opFinding } from '../findings.ts';
import type { CheckResult, Finding } from '../types.ts';
import { ensembleOf, faultWindows, mayBeStaleAfterSync } from './faults.ts';
import { clientOps, completedBefore, field, firstFew, result } from './util.ts';

/** Ops whose ok reply zxid is the zxid of a write they made. */
export const WRITE_FS = new Set(['write', 'cas', 'create', 'setData', 'delete', 'enqueue', 'add', 'multi']);

interface StaleSyncRead {
  index: number;
  node?: string;
  path: unknown;
  readZxid: number;
  /** The newest write acknowledged before the invoke. */
  missedZxid: number;
  missedIndex: number;
  excusedBy?: string;
}

/** For each op, the newest ok write that completed before it was invoked (sweep over completions). */
function newestAckedBefore(ops: readonly Operation[]): (index: number) => Operation | undefined {
  const writes = ops.filter((o) => o.process !== 'nemesis' && WRITE_FS.has(o.f) && o.status === 'ok' && o.zxid !== undefined)
    .sort((a, b) => a.completeIndex - b.completeIndex);
  const best: Operation[] = [];
  writes.forEach((w, i) => best.push(i > 0 && best[i - 1]!.zxid! >= w.zxid! ? best[i - 1]! : w));
  return (index) => {
    const n = completedBefore(writes, index);
    return n === 0 ? undefined : best[n - 1];
  };
}

export function checkSyncRead(input: CheckInput): CheckResult {
  const reads = clientOps(input.operations, 'sync-read').filter((o) => o.status === 'ok' && o.zxid !== undefined);
  const newest = newestAckedBefore(input.operations);
  const windows = faultWindows(input.operations, ensembleOf(input.history.meta, input.history.events));
  const stale: StaleSyncRead[] = [];
  const findings: Finding[] = [];
  for (const r of reads) {
    const w = newest(r.invokeIndex);
    if (w === undefined || r.zxid! >= w.zxid!) continue;
    const s: StaleSyncRead = { index: r.invokeIndex, path: field(r.input, 'path') ?? r.key, readZxid: r.zxid!, missedZxid: w.zxid!,
      missedIndex: w.invokeIndex };
    if (r.node !== undefined) s.node = r.node;
    const fault = mayBeStaleAfterSync(windows, r);
    if (fault) s.excusedBy = `${r.node ?? 'its node'} ${fault.kind === 'partition' ? 'cut off from a majority' : `${fault.kind}ed`} during the op`;
    stale.push(s);
    findings.push(opFinding(fault ? 'stale-read-excused' : 'stale-read', `sync-read of ${JSON.stringify(s.path)} at zxid ${s.readZxid} ` +
      `behind the write at zxid ${s.missedZxid} acknowledged before it${s.excusedBy ? ` (excused: ${s.excusedBy})` : ''}`, [r, w],
      fault ? { severity: 'note' } : {}));
  }
  findings.sort((a, b) => (a.severity === 'note' ? 1 : 0) - (b.severity === 'note' ? 1 : 0));
  const bad = stale.filter((s) => s.excusedBy === undefined);
  const excused = stale.filter((s) => s.excusedBy !== undefined);
  const details = { syncReads: reads.length, stale: firstFew(bad), staleCount: bad.length, excused: firstFew(excused), excusedCount: excused.length };
  if (bad.length > 0) {
    const s = bad[0]!;
    return result('sync-read', 'invalid', `sync-read: ${bad.length} stale read(s) after sync; first: index ${s.index} on ` +
      `${s.node ?? '?'} read ${JSON.stringify(s.path)} at zxid ${s.readZxid}, behind the write at zxid ${s.missedZxid} ` +
      `(index ${s.missedIndex}) acknowledged before the sync`, details, findings);
  }
  return result('sync-read', 'valid', `sync-read: ${reads.length} sync-reads, each reflecting every write acknowledged before it` +
    (excused.length > 0 ? ` (${excused.length} stale on a node cut off, paused or killed: ZOOKEEPER-1675)` : ''), details, findings);
}

export const syncRead: Checker = { name: 'sync-read', check: (input) => checkSyncRead(input) };
