// server/storage: ZooKeeper's on-disk formats over a Disk interface.
//   disk.ts          the Disk interface (real one: server/io/disk.ts)
//   mem-disk.ts      in-memory Disk that models crashes (lost unsynced writes, torn writes)
//   faulty-disk.ts   wrapper injecting slow / failing fsyncs at run time
//   txn-log.ts       FileTxnLog format, group commit, rollLog, truncate (TRUNC)
//   snapshot.ts      FileSnap layout, atomic write, newest-valid search
//   recovery.ts      snapshot + log replay; torn tail repaired, corruption refused
//   epoch-files.ts   acceptedEpoch / currentEpoch with ZooKeeper's start-up rules
//   purge.ts         autopurge (snapRetainCount)
export * from './disk.ts';
export * from './errors.ts';
export { MemDisk, loseAllUnsynced, type CrashPolicy, type CrashOutcome, type PendingOp } from './mem-disk.ts';
export { FaultyDisk, type DiskFaults, type Sleep } from './faulty-disk.ts';
export { adler32, adler32Update } from './adler32.ts';
export { VERSION_DIR, makeLogName, makeSnapshotName, versionDir, zxidFromName } from './file-names.ts';
export { DEFAULT_MAX_TXN_BYTES, encodeLogRecord, zxidOfTxn } from './log-format.ts';
export { readLog, type LogEntry } from './log-reader.ts';
export { DEFAULT_PREALLOC_SIZE_BYTES, TxnLog, truncateLogFiles, type TxnLogOptions } from './txn-log.ts';
export {
  decodeSnapshot, encodeSnapshot, findNewestValidSnapshot, listSnapshots, removeSnapshotsAfter, writeSnapshot,
  type Snapshot, type SnapshotSearch,
} from './snapshot.ts';
export { recover, type RecoveryOptions, type RecoveryResult } from './recovery.ts';
export {
  ACCEPTED_EPOCH_FILE, CURRENT_EPOCH_FILE, epochOfZxid, loadEpochs, readEpoch, writeEpoch, type EpochFile, type Epochs,
} from './epoch-files.ts';
export { MIN_SNAP_RETAIN_COUNT, purge, type PurgeOptions, type PurgeResult } from './purge.ts';
