// The leader's on-disk txn log read for a learner older than its in-memory
// committed log (ZKDatabase.getProposalsFromTxnLog with
// calculateTxnLogSizeLimit): the txns after the learner's zxid, provided the
// log holds a txn with exactly that zxid, and that zxid is not below the
// newest snapshot (older log files may hold proposals a SNAP abandoned), and
// the records to send weigh at most snapshotSizeFactor x the newest
// snapshot file. Read-only; the caller keeps truncation out meanwhile.
import { joinPath, type Disk } from '../../storage/disk.ts';
import { versionDir } from '../../storage/file-names.ts';
import { DEFAULT_MAX_TXN_BYTES, RECORD_OVERHEAD_BYTES } from '../../storage/log-format.ts';
import { readLog } from '../../storage/log-reader.ts';
import { listSnapshots } from '../../storage/snapshot.ts';
import type { Txn } from '../../zab/txn.ts';
import { zxidHex, type Zxid } from '../../zab/zxid.ts';
import type { StorageDirs } from './database-loader.ts';

export interface TxnLogRead {
  /** The txns after fromZxid, ascending; null when the log cannot be used. */
  readonly txns: Txn[] | null;
  /** Record bytes of `txns` (what the limit is checked against). */
  readonly bytes: number;
  /** One line for the server log. */
  readonly summary: string;
}

function unusable(fromZxid: Zxid, why: string): TxnLogRead {
  return { txns: null, bytes: 0, summary: `txn log read after ${zxidHex(fromZxid)}: ${why}` };
}

export async function readTxnLogAfter(disk: Disk, dirs: StorageDirs, fromZxid: Zxid, snapshotSizeFactor: number): Promise<TxnLogRead> {
  if (snapshotSizeFactor < 0) return unusable(fromZxid, 'disabled (snapshotSizeFactor < 0)');
  const newest = (await listSnapshots(disk, dirs.dataDir)).at(-1);
  if (newest !== undefined && fromZxid < newest.zxid) {
    return unusable(fromZxid, `older than the newest snapshot ${zxidHex(newest.zxid)}`);
  }
  const limitBytes = newest === undefined ? Infinity
    : snapshotSizeFactor * await disk.size(joinPath(versionDir(dirs.dataDir), newest.name));
  const txns: Txn[] = [];
  let bytes = 0;
  let found = false;
  for await (const entry of readLog(disk, versionDir(dirs.dataLogDir), fromZxid, dirs.maxTxnBytes ?? DEFAULT_MAX_TXN_BYTES)) {
    if (!found) {
      if (entry.zxid !== fromZxid) break;
      found = true;
      continue;
    }
    const previous = txns.at(-1)?.zxid ?? fromZxid;
    if (entry.zxid <= previous) return unusable(fromZxid, `zxid ${zxidHex(entry.zxid)} after ${zxidHex(previous)}: not ascending`);
    bytes += entry.txn.byteLength + RECORD_OVERHEAD_BYTES;
    if (bytes > limitBytes) return unusable(fromZxid, `over ${Math.floor(limitBytes)} bytes (snapshotSizeFactor x snapshot size)`);
    txns.push({ zxid: entry.zxid, data: entry.txn });
  }
  if (!found) return unusable(fromZxid, 'no txn with that zxid in the log');
  return { txns, bytes, summary: `txn log read after ${zxidHex(fromZxid)}: ${txns.length} txns, ${bytes} bytes` };
}
