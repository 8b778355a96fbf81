// Reading txn log files from a log directory (`<dataLogDir>/version-2`).
import { joinPath, type Disk } from './disk.ts';
import { LOG_PREFIX, logFilesAfter, sortByZxid, type NamedFile } from './file-names.ts';
import { scanLog, type LogRecord, type LogScan } from './log-scan.ts';

export interface LogEntry {
  zxid: number;
  /** TxnHeader + txn record (+ optional TxnDigest), as appended. */
  txn: Uint8Array;
}

/** The log files in `logDir`, oldest first. */
export async function listLogFiles(disk: Disk, logDir: string): Promise<NamedFile[]> {
  return sortByZxid(await disk.list(logDir), LOG_PREFIX);
}

export async function scanLogFile(disk: Disk, logDir: string, file: NamedFile, maxTxnBytes: number): Promise<LogScan> {
  const path = joinPath(logDir, file.name);
  return scanLog(await disk.read(path), path, maxTxnBytes);
}

/**
 * Every logged txn with zxid >= `fromZxid` (and <= `toZxid`), in order. Reads
 * up to where each file's records stop; damage raises CORRUPT_LOG.
 */
export async function* readLog(
  disk: Disk, logDir: string, fromZxid: number, maxTxnBytes: number, toZxid = Number.MAX_SAFE_INTEGER,
): AsyncGenerator<LogEntry> {
  for (const file of logFilesAfter(await listLogFiles(disk, logDir), fromZxid)) {
    if (file.zxid > toZxid) return;
    const scan = await scanLogFile(disk, logDir, file, maxTxnBytes);
    for (const r of scan.records) {
      if (r.zxid > toZxid) return;
      if (r.zxid >= fromZxid) yield entryOf(r);
    }
  }
}

/** The zxid of the newest record in the log (0 if there is none). */
export async function findLastLoggedZxid(disk: Disk, logDir: string, maxTxnBytes: number): Promise<number> {
  const files = await listLogFiles(disk, logDir);
  for (let i = files.length - 1; i >= 0; i--) {
    const scan = await scanLogFile(disk, logDir, files[i]!, maxTxnBytes);
    const last = scan.records[scan.records.length - 1];
    if (last) return last.zxid;
  }
  return 0;
}

function entryOf(r: LogRecord): LogEntry {
  return { zxid: r.zxid, txn: r.txn.slice() }; // a copy: do not pin the whole file buffer
}
