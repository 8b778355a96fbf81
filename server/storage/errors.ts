// Typed storage errors with stable codes. Expected failures (a corrupt file, a
// missing snapshot, a failed fsync) are StorageErrors the caller can match on;
// broken invariants (a zxid going backwards) are StorageErrors with code
// 'INVARIANT' and are meant to crash the server.

export type StorageErrorCode =
  | 'CORRUPT_LOG' // a log record is damaged before the tail, or fails its checksum
  | 'CORRUPT_SNAPSHOT' // a snapshot cannot be parsed (used by callers decoding the body)
  | 'MISSING_SNAPSHOT' // logs exist but no valid snapshot does
  | 'LOG_FAILED' // a write or fsync of the log failed: the log refuses further work
  | 'TRUNCATE_BELOW_COMMITTED' // asked to truncate away a committed txn
  | 'BAD_ENTRY' // an appended txn cannot be read (no TxnHeader) or is too large
  | 'BAD_EPOCH' // epoch files contradict each other or the data
  | 'INVARIANT'; // a programming error: must crash

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message}`, options);
    this.name = 'StorageError';
  }
}

/** Crashes (throws INVARIANT) when an invariant does not hold. */
export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new StorageError('INVARIANT', message);
}
