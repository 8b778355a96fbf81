// The client writes a history saw acknowledged, with their txn's zxid. Only
// functions that send a write and return that write's reply zxid count: a
// read's zxid is the server's last processed zxid, not a txn of its own, and
// `dequeue` / `drain` (several requests) carry no zxid at all.
import type { Operation } from '../../history/types.ts';
import type { AckedWrite } from './types.ts';

/** Write functions of the workloads in harness/workload/ whose `ok` carries the write's zxid. */
export const WRITE_FS: ReadonlySet<string> = new Set([
  'write', 'cas', // register: setData
  'add', // set: create
  'enqueue', // queue: create sequential
  'acquire', 'release', // lock / election: create ephemeral sequential / delete
  'create', 'delete', 'setData', 'multi', // znode, watch and session workloads
]);

export function ackedWrites(operations: readonly Operation[]): AckedWrite[] {
  const out: AckedWrite[] = [];
  for (const op of operations) {
    if (op.status !== 'ok' || !WRITE_FS.has(op.f)) continue;
    if (op.zxid === undefined || !Number.isSafeInteger(op.zxid) || op.zxid <= 0) continue;
    const w: AckedWrite = { opId: op.id, f: op.f, zxid: op.zxid, completeTimeNs: op.completeTimeNs };
    if (op.node !== undefined) w.node = op.node;
    if (op.session !== undefined) w.session = op.session;
    out.push(w);
  }
  return out;
}
