/** Time in milliseconds, injected so the core never reads a global clock. */
export interface Clock {
  /** Wall-clock time: znode ctime/mtime, txn headers, TTL expiry (as ZooKeeper's currentWallTime). */
  nowMs(): number;
  /**
   * A monotonic clock (any origin) for session expiry, as ZooKeeper's currentElapsedTime: a jump of the
   * wall clock must not expire every session at once. Whole milliseconds, as the wall clock. Without it, the wall clock is used.
   */
  elapsedMs?(): number;
}
