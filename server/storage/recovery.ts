// Start-up recovery (FileTxnSnapLog.restore): the newest valid snapshot, then
// every logged txn with a zxid above the snapshot's, in order.
//
// Tolerated, repaired and reported (one warning line each):
//   - a torn tail: the last record of the log is partial (an append cut by a
//     crash). It was never fsynced, so never acknowledged: it is cut away;
//   - trailing log files holding no complete record (a crash while starting a
//     new file): removed;
//   - invalid snapshots: skipped in favour of older valid ones.
// Refused (StorageError), because going on would silently drop data:
//   - CORRUPT_LOG: a checksum failure, or a damaged record followed by valid
//     ones (in the same or a later file), zxids out of order, or a gap in an
//     epoch's zxid sequence;
//   - MISSING_SNAPSHOT: logs exist but no snapshot at all (ZooKeeper refuses
//     too, unless told to trust an empty database: trustEmptySnapshot);
//   - CORRUPT_SNAPSHOT: snapshot files exist but none is valid.
import { joinPath, type Disk } from './disk.ts';
import { StorageError } from './errors.ts';
import { logFilesAfter, versionDir, type NamedFile } from './file-names.ts';
import { DEFAULT_MAX_TXN_BYTES, hex } from './log-format.ts';
import { listLogFiles, scanLogFile, type LogEntry } from './log-reader.ts';
import { describeEnd, type LogScan } from './log-scan.ts';
import { findNewestValidSnapshot, listSnapshots, type Snapshot } from './snapshot.ts';

export interface RecoveryOptions {
  dataDir: string;
  dataLogDir: string;
  maxTxnBytes?: number;
  /** ZooKeeper's snapshot.trust.empty: replay logs onto an empty tree when no snapshot exists. */
  trustEmptySnapshot?: boolean;
}

export interface RecoveryResult {
  /** null: no snapshot (a fresh data dir, or trustEmptySnapshot). */
  snapshot: Snapshot | null;
  /** Logged txns after the snapshot, in zxid order. */
  entries: LogEntry[];
  /** The zxid of the last txn recovered (the snapshot's if no entry follows it; 0 if none). */
  lastZxid: number;
  /** Repairs made and files skipped, for the caller to log. */
  warnings: string[];
}

interface ScannedFile {
  file: NamedFile;
  path: string;
  scan: LogScan;
}

export async function recover(disk: Disk, options: RecoveryOptions): Promise<RecoveryResult> {
  const logDir = versionDir(options.dataLogDir);
  const maxTxnBytes = options.maxTxnBytes ?? DEFAULT_MAX_TXN_BYTES;
  const logs = (await disk.exists(logDir)) ? await listLogFiles(disk, logDir) : [];
  const warnings: string[] = [];
  const snapshot = await loadSnapshot(disk, options, logs.length > 0, warnings);
  const snapZxid = snapshot?.zxid ?? 0;
  const scanned: ScannedFile[] = [];
  for (const file of logFilesAfter(logs, snapZxid)) {
    const path = joinPath(logDir, file.name);
    scanned.push({ file, path, scan: await scanLogFile(disk, logDir, file, maxTxnBytes) });
  }
  checkOrder(scanned);
  await repairTail(disk, logDir, scanned, warnings);
  const entries: LogEntry[] = [];
  for (const { scan } of scanned) {
    // Copies, so the entries do not pin whole file buffers in memory.
    for (const r of scan.records) if (r.zxid > snapZxid) entries.push({ zxid: r.zxid, txn: r.txn.slice() });
  }
  checkContiguous(snapshot, entries);
  return { snapshot, entries, lastZxid: entries.at(-1)?.zxid ?? snapZxid, warnings };
}

async function loadSnapshot(
  disk: Disk, options: RecoveryOptions, logsExist: boolean, warnings: string[],
): Promise<Snapshot | null> {
  const { snapshot, skipped } = await findNewestValidSnapshot(disk, options.dataDir);
  warnings.push(...skipped);
  if (snapshot) return snapshot;
  if ((await listSnapshots(disk, options.dataDir)).length > 0) {
    throw new StorageError('CORRUPT_SNAPSHOT', `no valid snapshot in ${versionDir(options.dataDir)}: ${skipped.join('; ')}`);
  }
  if (logsExist && !options.trustEmptySnapshot) {
    throw new StorageError(
      'MISSING_SNAPSHOT',
      `no snapshot in ${versionDir(options.dataDir)} but txn logs exist in ${versionDir(options.dataLogDir)}; ` +
        'refusing to start with an empty database (set trustEmptySnapshot to override)',
    );
  }
  if (logsExist) warnings.push('no snapshot found: trusting an empty database and replaying every log');
  return null;
}

/** Records must only go up, within and across files, and each file must start with the zxid it is named after. */
function checkOrder(scanned: readonly ScannedFile[]): void {
  let previous: { zxid: number; path: string } | null = null;
  for (const { file, path, scan } of scanned) {
    const first = scan.records[0];
    if (!first) continue;
    if (first.zxid !== file.zxid) {
      throw new StorageError('CORRUPT_LOG', `${path} at offset ${first.offsetBytes}: first zxid ${hex(first.zxid)} does not match the file name`);
    }
    if (previous && first.zxid <= previous.zxid) {
      throw new StorageError('CORRUPT_LOG', `${path}: starts at ${hex(first.zxid)}, not after ${hex(previous.zxid)} in ${previous.path}`);
    }
    previous = { zxid: scan.records.at(-1)!.zxid, path };
  }
}

/**
 * The last file holding records may end torn: cut it after its last good
 * record. Later files hold no records: remove the torn ones. A torn end
 * anywhere before that is damage in the middle of the log: CORRUPT_LOG.
 */
async function repairTail(disk: Disk, logDir: string, scanned: readonly ScannedFile[], warnings: string[]): Promise<void> {
  let lastWithRecords = -1;
  scanned.forEach((s, i) => {
    if (s.scan.records.length > 0) lastWithRecords = i;
  });
  let removed = false;
  for (const [i, { path, scan }] of scanned.entries()) {
    if (scan.header === 'ok' && scan.end.kind !== 'torn') continue;
    if (i < lastWithRecords) {
      const later = scanned[lastWithRecords]!;
      throw new StorageError(
        'CORRUPT_LOG',
        `${path}: ${describeEnd(scan.end)}, but valid records follow in ${later.path}`,
      );
    }
    if (i > lastWithRecords || scan.header === 'torn') {
      await disk.remove(path);
      removed = true;
      warnings.push(`removed log file ${path} holding no complete record (${describeEnd(scan.end)})`);
      continue;
    }
    await disk.truncate(path, scan.validEndBytes);
    await disk.fsync(path);
    warnings.push(`truncated torn tail of ${path}: ${describeEnd(scan.end)}; kept ${scan.records.length} records`);
  }
  if (removed) await disk.fsyncDir(logDir);
}

/** Within one epoch zxids are consecutive: a jump means txns are missing (e.g. a lost log file). */
function checkContiguous(snapshot: Snapshot | null, entries: readonly LogEntry[]): void {
  let previous = snapshot?.zxid ?? null;
  for (const { zxid } of entries) {
    if (previous !== null && epochOf(zxid) === epochOf(previous) && zxid !== previous + 1) {
      throw new StorageError('CORRUPT_LOG', `txns missing: zxid ${hex(zxid)} follows ${hex(previous)} in the same epoch`);
    }
    previous = zxid;
  }
}

function epochOf(zxid: number): number {
  return Math.floor(zxid / 2 ** 32);
}
