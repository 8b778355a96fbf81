// Shared (read/write) lock (ZooKeeper's shared-lock recipe): `read-` and
// `write-` ephemeral-sequential nodes under one lock path.
//
// Guarantees:
// - Any number of readers may hold the lock together; a writer holds it
//   alone: a reader waits for the nearest earlier writer only, a writer for
//   the nearest earlier node of either kind (no herd effect: a release wakes
//   only the participants that watched that node).
// - Fair by creation order: a writer is not starved by a stream of later
//   readers (they queue behind it).
// - Lost creates are found again by their protected name (as the exclusive lock).
//
// Does NOT guarantee:
// - That a holder still holds it: as for the exclusive lock, the holder
//   learns of its session's expiry only after the fact (`holdState`).
// - Upgrade from read to write (that would deadlock two readers): release
//   the read lock, then acquire the write lock.
import type { ZooKeeperClient } from '../index.ts';
import { LockHandle, READ, WRITE, type LockHandleOptions } from './lock-engine.ts';

export class ReadWriteLock {
  constructor(private readonly zk: ZooKeeperClient, readonly lockPath: string,
    private readonly opts: LockHandleOptions = {}) {}

  /** A new read participant (one handle per concurrent hold). */
  readLock(): LockHandle {
    return new LockHandle(this.zk, this.lockPath, READ, this.opts);
  }

  /** A new write participant. */
  writeLock(): LockHandle {
    return new LockHandle(this.zk, this.lockPath, WRITE, this.opts);
  }
}
