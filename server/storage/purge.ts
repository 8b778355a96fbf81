// Autopurge (PurgeTxnLog / DatadirCleanupManager): keep the newest
// `snapRetainCount` valid snapshots (at least 3) and the log files needed to
// replay from the oldest of them; delete older snapshots and logs.
import { joinPath, type Disk } from './disk.ts';
import { invariant } from './errors.ts';
import { SNAPSHOT_PREFIX, logFilesAfter, sortByZxid, versionDir } from './file-names.ts';
import { listLogFiles } from './log-reader.ts';
import { TMP_SUFFIX, decodeSnapshot, listSnapshots } from './snapshot.ts';

export const MIN_SNAP_RETAIN_COUNT = 3;

export interface PurgeOptions {
  dataDir: string;
  dataLogDir: string;
  /** Snapshots to keep; values below 3 are raised to 3, as ZooKeeper does. */
  snapRetainCount: number;
}

export interface PurgeResult {
  /** zxid of the oldest snapshot kept (null: fewer valid snapshots than needed to purge anything). */
  oldestRetainedZxid: number | null;
  removed: string[];
}

export async function purge(disk: Disk, options: PurgeOptions): Promise<PurgeResult> {
  invariant(Number.isSafeInteger(options.snapRetainCount), `bad snapRetainCount ${options.snapRetainCount}`);
  const retain = Math.max(MIN_SNAP_RETAIN_COUNT, options.snapRetainCount);
  const kept = await newestValidSnapshotZxids(disk, options.dataDir, retain);
  if (kept.length === 0) return { oldestRetainedZxid: null, removed: [] };
  const leastZxid = kept.at(-1)!;
  const snapDir = versionDir(options.dataDir);
  const logDir = versionDir(options.dataLogDir);
  const removed: string[] = [];
  if (await disk.exists(logDir)) {
    const logs = await listLogFiles(disk, logDir);
    const needed = new Set(logFilesAfter(logs, leastZxid).map((f) => f.name));
    const stale = logs.filter((f) => !needed.has(f.name) && f.zxid < leastZxid);
    await removeAll(disk, logDir, stale.map((f) => f.name), removed);
  }
  const snapshots = (await listSnapshots(disk, options.dataDir)).filter((f) => f.zxid < leastZxid);
  const leftovers = sortByZxid(
    (await disk.list(snapDir)).filter((n) => n.endsWith(TMP_SUFFIX)).map((n) => n.slice(0, -TMP_SUFFIX.length)),
    SNAPSHOT_PREFIX,
  ).filter((f) => f.zxid < leastZxid);
  await removeAll(disk, snapDir, [...snapshots.map((f) => f.name), ...leftovers.map((f) => f.name + TMP_SUFFIX)], removed);
  return { oldestRetainedZxid: leastZxid, removed };
}

/** zxids of the newest `count` snapshots that pass their checksum, newest first. */
async function newestValidSnapshotZxids(disk: Disk, dataDir: string, count: number): Promise<number[]> {
  const dir = versionDir(dataDir);
  const zxids: number[] = [];
  for (const f of (await listSnapshots(disk, dataDir)).reverse()) {
    if ('body' in decodeSnapshot(await disk.read(joinPath(dir, f.name)))) zxids.push(f.zxid);
    if (zxids.length === count) break;
  }
  return zxids;
}

async function removeAll(disk: Disk, dir: string, names: string[], removed: string[]): Promise<void> {
  for (const name of names) {
    await disk.remove(joinPath(dir, name));
    removed.push(joinPath(dir, name));
  }
  if (names.length > 0) await disk.fsyncDir(dir);
}
