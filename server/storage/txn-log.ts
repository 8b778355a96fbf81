// The txn log writer, in ZooKeeper's FileTxnLog format (see log-format.ts).
//
// append() buffers a txn; commit() writes everything appended so far and
// fsyncs it (group commit: callers that arrive while an fsync is running share
// the next one). A commit() promise resolves only after an fsync covering all
// entries appended before the call succeeded. If a write or fsync fails, the
// log is failed for good: pending and later commits reject with LOG_FAILED and
// append() refuses, until the log is reopened (after recovery) — never ack
// what could not be persisted.
//
// Files: `log.<hex zxid>` named after their first txn, a 16-byte FileHeader,
// then records; the file is extended with zeros ahead of the writes in steps
// of preAllocSizeBytes (FilePadding). A new file starts after rollLog() and
// after every open (ZooKeeper never appends to a file from a previous run).
import { joinPath, type Disk } from './disk.ts';
import { StorageError, invariant } from './errors.ts';
import { makeLogName, versionDir } from './file-names.ts';
import {
  DEFAULT_MAX_TXN_BYTES, FILE_HEADER_BYTES, TXNLOG_DBID, TXNLOG_MAGIC, encodeFileHeader, encodeLogRecord, hex,
  zxidOfTxn,
} from './log-format.ts';
import { findLastLoggedZxid, listLogFiles, readLog, scanLogFile, type LogEntry } from './log-reader.ts';
import { describeEnd } from './log-scan.ts';
import { allocBytes } from '../wire/index.ts';

export const DEFAULT_PREALLOC_SIZE_BYTES = 64 * 1024 * 1024;
/** FilePadding grows the file when the write position comes this close to its end. */
const PAD_THRESHOLD_BYTES = 4096;

export interface TxnLogOptions {
  /** The data log dir; files go in its `version-2` subdirectory. */
  dataLogDir: string;
  preAllocSizeBytes?: number;
  maxTxnBytes?: number;
}

interface Pending {
  zxid: number;
  record: Uint8Array;
  startsFile: boolean;
}

interface OpenFile {
  path: string;
  positionBytes: number;
  sizeBytes: number;
}

export class TxnLog {
  private pending: Pending[] = [];
  private appendedCount = 0;
  /** Appended entries written to a file: fsynced (durableCount) or not (writeUnsynced, a planted bug). */
  private writtenCount = 0;
  private durableCount = 0;
  private writtenZxid: number;
  /** Files holding written but not yet fsynced bytes, and whether a new file's directory entry is unsynced. */
  private readonly unsyncedPaths = new Set<string>();
  private unsyncedDir = false;
  private rollRequested = true;
  private current: OpenFile | null = null;
  private flushing: Promise<void> | null = null;
  private failure: StorageError | null = null;
  private appendedZxid: number;
  private loggedZxid: number;

  private constructor(
    private readonly disk: Disk,
    readonly logDir: string,
    private readonly preAllocSizeBytes: number,
    private readonly maxTxnBytes: number,
    lastLoggedZxid: number,
  ) {
    this.appendedZxid = lastLoggedZxid;
    this.writtenZxid = lastLoggedZxid;
    this.loggedZxid = lastLoggedZxid;
  }

  /** Opens the log after recovery: a torn tail left unrepaired is an error. */
  static async open(disk: Disk, options: TxnLogOptions): Promise<TxnLog> {
    const logDir = versionDir(options.dataLogDir);
    const preAlloc = options.preAllocSizeBytes ?? DEFAULT_PREALLOC_SIZE_BYTES;
    const maxTxnBytes = options.maxTxnBytes ?? DEFAULT_MAX_TXN_BYTES;
    invariant(Number.isSafeInteger(preAlloc) && preAlloc >= 0, `bad preAllocSizeBytes ${preAlloc}`);
    await disk.mkdirp(logDir);
    await requireCleanTail(disk, logDir, maxTxnBytes);
    const last = await findLastLoggedZxid(disk, logDir, maxTxnBytes);
    return new TxnLog(disk, logDir, preAlloc, maxTxnBytes, last);
  }

  /** Highest zxid appended (durable or not). */
  get lastAppendedZxid(): number {
    return this.appendedZxid;
  }

  /** Highest zxid known durable (fsynced). */
  get lastLoggedZxid(): number {
    return this.loggedZxid;
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  /** Buffers one txn (TxnHeader + record [+ TxnDigest]); returns its zxid. Durable only after commit(). */
  append(txn: Uint8Array): number {
    if (this.failure) throw this.failure;
    if (txn.length > this.maxTxnBytes) {
      throw new StorageError('BAD_ENTRY', `txn of ${txn.length} bytes exceeds ${this.maxTxnBytes}`);
    }
    const zxid = zxidOfTxn(txn);
    if (zxid <= this.appendedZxid) invariant(false, `zxid ${hex(zxid)} appended after ${hex(this.appendedZxid)}`);
    this.pending.push({ zxid, record: encodeLogRecord(txn), startsFile: this.rollRequested });
    this.rollRequested = false;
    this.appendedZxid = zxid;
    this.appendedCount++;
    return zxid;
  }

  /** The next append starts a new log file (done after each snapshot trigger). */
  rollLog(): void {
    this.rollRequested = true;
  }

  /** Resolves once everything appended before this call is fsynced; rejects with LOG_FAILED otherwise. */
  async commit(): Promise<void> {
    const target = this.appendedCount;
    while (this.durableCount < target) {
      if (this.failure) throw this.failure;
      this.flushing ??= this.flush(true).finally(() => {
        this.flushing = null;
      });
      await this.flushing;
    }
  }

  /**
   * PLANTED BUG ack-before-fsync only: writes everything appended so far to
   * its file with plain writes (no O_DSYNC, no fsync) and resolves. The
   * bytes become durable at the next commit(); lastLoggedZxid does not move.
   */
  async writeUnsynced(): Promise<void> {
    const target = this.appendedCount;
    while (this.writtenCount < target) {
      if (this.failure) throw this.failure;
      this.flushing ??= this.flush(false).finally(() => {
        this.flushing = null;
      });
      await this.flushing;
    }
  }

  /** Written bytes not yet fsynced (writeUnsynced). */
  get hasUnsyncedWrites(): boolean {
    return this.writtenCount > this.durableCount;
  }

  /** Logged txns with zxid >= fromZxid that are durable, in order. */
  readFrom(fromZxid: number): AsyncGenerator<LogEntry> {
    return readLog(this.disk, this.logDir, fromZxid, this.maxTxnBytes, this.loggedZxid);
  }

  /** Waits for an in-flight flush; afterwards append() refuses. Unflushed appends are dropped. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    this.failure ??= new StorageError('LOG_FAILED', 'the txn log is closed');
  }

  /** Writes the pending entries; `sync`: then fsyncs them and any earlier unsynced writes. */
  private async flush(sync: boolean): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    invariant(batch.length > 0 || (sync && this.hasUnsyncedWrites), 'flush with nothing pending');
    try {
      let runStart = 0;
      while (runStart < batch.length) {
        let runEnd = runStart + 1;
        while (runEnd < batch.length && !batch[runEnd]!.startsFile) runEnd++;
        await this.writeRun(runStart === 0 && runEnd === batch.length ? batch : batch.slice(runStart, runEnd), sync);
        runStart = runEnd;
      }
      if (sync) await this.syncUnsynced();
    } catch (err) {
      const upTo = batch.at(-1)?.zxid ?? this.writtenZxid;
      this.failure = new StorageError('LOG_FAILED', `cannot persist txns up to ${hex(upTo)}: ${String(err)}`, {
        cause: err,
      });
      throw this.failure;
    }
    this.writtenCount += batch.length;
    if (batch.length > 0) this.writtenZxid = batch.at(-1)!.zxid;
    if (!sync) return;
    this.durableCount = this.writtenCount;
    this.loggedZxid = this.writtenZxid;
  }

  private async syncUnsynced(): Promise<void> {
    for (const path of this.unsyncedPaths) await this.disk.fsync(path);
    if (this.unsyncedDir) await this.disk.fsyncDir(this.logDir);
    this.unsyncedPaths.clear();
    this.unsyncedDir = false;
  }

  /**
   * Writes entries that go to one file, and fsyncs that file (and the
   * directory if the file is new); without `sync` (a planted bug) the file
   * and directory are only noted for the next fsync.
   */
  private async writeRun(run: Pending[], sync = true): Promise<void> {
    const first = run[0]!;
    const isNewFile = first.startsFile || this.current === null;
    if (isNewFile) this.current = await this.createFile(first.zxid);
    const file = this.current!;
    const bytes = run.length === 1 ? first.record : concat(run.map((p) => p.record));
    const endBytes = file.positionBytes + bytes.length;
    const paddedBytes = paddedFileSize(endBytes, file.sizeBytes, this.preAllocSizeBytes);
    if (!sync) {
      if (paddedBytes !== file.sizeBytes) await this.disk.truncate(file.path, paddedBytes);
      await this.disk.write(file.path, file.positionBytes, bytes);
      file.positionBytes = endBytes;
      file.sizeBytes = Math.max(paddedBytes, endBytes);
      this.unsyncedPaths.add(file.path);
      if (isNewFile) this.unsyncedDir = true;
      return;
    }
    if (!isNewFile && paddedBytes === file.sizeBytes && this.disk.writeDurable) {
      // Inside the preallocated region: one durable write, no separate fsync.
      await this.disk.writeDurable(file.path, file.positionBytes, bytes);
      file.positionBytes = endBytes;
      return;
    }
    if (paddedBytes !== file.sizeBytes) {
      await this.disk.truncate(file.path, paddedBytes);
      file.sizeBytes = paddedBytes;
    }
    await this.disk.write(file.path, file.positionBytes, bytes);
    file.positionBytes = endBytes;
    file.sizeBytes = Math.max(file.sizeBytes, endBytes);
    await this.disk.fsync(file.path);
    if (isNewFile) await this.disk.fsyncDir(this.logDir);
  }

  private async createFile(firstZxid: number): Promise<OpenFile> {
    const path = joinPath(this.logDir, makeLogName(firstZxid));
    // A header-only file from an earlier run may hold this name: start it over.
    if (await this.disk.exists(path)) await this.disk.truncate(path, 0);
    await this.disk.write(path, 0, encodeFileHeader(TXNLOG_MAGIC, TXNLOG_DBID));
    return { path, positionBytes: FILE_HEADER_BYTES, sizeBytes: FILE_HEADER_BYTES };
  }

  /**
   * Cuts the log right after the record for `zxid` (keeping every record <= zxid)
   * and deletes later files: Zab's TRUNC. Refuses to cut below `committedZxid`.
   * Pending appends are committed first. Returns the new last logged zxid.
   */
  async truncate(zxid: number, options: { committedZxid?: number; dropTarget?: boolean } = {}): Promise<number> {
    if (options.committedZxid !== undefined && zxid < options.committedZxid) {
      throw new StorageError(
        'TRUNCATE_BELOW_COMMITTED',
        `asked to truncate to ${hex(zxid)}, below committed ${hex(options.committedZxid)}`,
      );
    }
    await this.commit();
    if (this.failure) throw this.failure;
    await truncateLogFiles(this.disk, this.logDir, zxid, this.maxTxnBytes, options.dropTarget === true);
    this.current = null;
    this.rollRequested = true;
    this.loggedZxid = await findLastLoggedZxid(this.disk, this.logDir, this.maxTxnBytes);
    this.appendedZxid = this.loggedZxid;
    this.writtenZxid = this.loggedZxid;
    return this.loggedZxid;
  }
}

/** FilePadding.calculateFileSizeWithPadding: the file size to have before writing up to `endBytes`. */
export function paddedFileSize(endBytes: number, sizeBytes: number, preAllocSizeBytes: number): number {
  if (preAllocSizeBytes <= 0 || endBytes + PAD_THRESHOLD_BYTES < sizeBytes) return sizeBytes;
  if (endBytes > sizeBytes) {
    const grown = endBytes + preAllocSizeBytes;
    return grown - (grown % preAllocSizeBytes);
  }
  return sizeBytes + preAllocSizeBytes;
}

/**
 * Removes every record with zxid > `zxid`: later files first (so a crash midway
 * never leaves a hole), then cuts the file holding `zxid`, fsyncing each step.
 */
export async function truncateLogFiles(
  disk: Disk, logDir: string, zxid: number, maxTxnBytes: number, dropTarget = false,
): Promise<void> {
  const files = await listLogFiles(disk, logDir);
  const later = files.filter((f) => f.zxid > zxid).reverse();
  for (const f of later) await disk.remove(joinPath(logDir, f.name));
  if (later.length > 0) await disk.fsyncDir(logDir);
  const holder = files.filter((f) => f.zxid <= zxid).at(-1);
  if (!holder) return;
  const scan = await scanLogFile(disk, logDir, holder, maxTxnBytes);
  // dropTarget: PLANTED BUG trunc-off-by-one (ZOOKEEPER-1156), the cut lands before zxid's record.
  const keep = scan.records.filter((r) => (dropTarget ? r.zxid < zxid : r.zxid <= zxid)).at(-1);
  const cutBytes = keep ? keep.endBytes : FILE_HEADER_BYTES;
  const path = joinPath(logDir, holder.name);
  await disk.truncate(path, Math.min(cutBytes, await disk.size(path)));
  await disk.fsync(path);
}

async function requireCleanTail(disk: Disk, logDir: string, maxTxnBytes: number): Promise<void> {
  const newest = (await listLogFiles(disk, logDir)).at(-1);
  if (!newest) return;
  const scan = await scanLogFile(disk, logDir, newest, maxTxnBytes);
  if (scan.header === 'torn' || scan.end.kind === 'torn') {
    throw new StorageError(
      'CORRUPT_LOG',
      `${joinPath(logDir, newest.name)}: ${describeEnd(scan.end)} not repaired; run recovery before opening the log`,
    );
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = allocBytes(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
