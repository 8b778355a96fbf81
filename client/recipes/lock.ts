// Exclusive lock (ZooKeeper's lock recipe).
//
// Guarantees:
// - While the lock node of a holder exists, no other participant is granted
//   the lock: participants are ordered by their ephemeral-sequential nodes
//   and each proceeds only when every earlier node is gone.
// - A release or a holder's session expiry wakes exactly the next waiter
//   (each waiter watches only its predecessor: no herd effect).
// - A create whose reply was lost is found again by its protected name, so a
//   connection loss never leaves an orphan node that would block the lock
//   for the rest of the session.
// - Fair: waiters are served in the order their nodes were created.
//
// Does NOT guarantee:
// - That the holder still holds it: ZooKeeper frees the lock when the
//   holder's session expires, and the holder learns of that only after the
//   fact (`holdState` goes `suspended` on disconnection, `lost` once the
//   client hears of the expiry, which may be long after another participant
//   got the lock). Anything the lock protects must be fenced (e.g. with the
//   lock node's czxid or a version check) if that matters.
// - Re-entrancy: a second acquire on the same handle is refused.
import type { ZooKeeperClient } from '../index.ts';
import { EXCLUSIVE, LockHandle, type LockHandleOptions } from './lock-engine.ts';

export class ExclusiveLock extends LockHandle {
  constructor(zk: ZooKeeperClient, lockPath: string, opts: LockHandleOptions = {}) {
    super(zk, lockPath, EXCLUSIVE, opts);
  }
}
