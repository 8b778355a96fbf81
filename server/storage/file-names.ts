// ZooKeeper's on-disk names (persistence/Util.java): files live in
// `<dir>/version-2/`; a txn log is `log.<hex zxid of its first txn>`, a
// snapshot `snapshot.<hex last processed zxid>` (lowercase hex, no padding).
import { joinPath } from './disk.ts';

export const VERSION_DIR = 'version-2';
export const LOG_PREFIX = 'log';
export const SNAPSHOT_PREFIX = 'snapshot';

export interface NamedFile {
  name: string;
  zxid: number;
}

export function versionDir(dir: string): string {
  return joinPath(dir, VERSION_DIR);
}

export function makeLogName(zxid: number): string {
  return `${LOG_PREFIX}.${zxid.toString(16)}`;
}

export function makeSnapshotName(zxid: number): string {
  return `${SNAPSHOT_PREFIX}.${zxid.toString(16)}`;
}

/** The zxid in `<prefix>.<hex>`, or null if the name is not exactly that (e.g. a `.tmp` file). */
export function zxidFromName(name: string, prefix: string): number | null {
  if (!name.startsWith(`${prefix}.`)) return null;
  const hex = name.slice(prefix.length + 1);
  if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) return null;
  const zxid = Number.parseInt(hex, 16);
  return Number.isSafeInteger(zxid) ? zxid : null;
}

/** The files named `<prefix>.<hex>` among `names`, sorted by zxid ascending. */
export function sortByZxid(names: readonly string[], prefix: string): NamedFile[] {
  const files: NamedFile[] = [];
  for (const name of names) {
    const zxid = zxidFromName(name, prefix);
    if (zxid !== null) files.push({ name, zxid });
  }
  return files.sort((a, b) => a.zxid - b.zxid);
}

/**
 * The log files needed to replay every txn after `snapZxid` (Util.getLogFiles):
 * the newest file starting at or before `snapZxid`, and every later one.
 * `logs` must be sorted ascending.
 */
export function logFilesAfter(logs: readonly NamedFile[], snapZxid: number): NamedFile[] {
  let base = -1;
  for (const f of logs) if (f.zxid <= snapZxid) base = f.zxid;
  return logs.filter((f) => f.zxid >= base);
}
