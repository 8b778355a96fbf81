// Everything the Zab core asks the outside world to do. The I/O binding
// (server/io) or the simulator (server/sim) executes effects in order.
//
// Disk contract: disk effects (persistTxns, truncateLog, takeSnapshot,
// writeAcceptedEpoch, writeCurrentEpoch, reloadDatabase, fastForwardDatabase) run in the order
// emitted, one at a time. Those with a `token` are answered by a
// `diskDone { token }` event once durable (fsync / atomic rename done). A
// failed disk write is fatal: the server must stop, never continue.
import type { LoadedDatabase } from './events.ts';
import type { Notification } from './notification.ts';
import type { ZabPacket } from './packets.ts';
import type { Txn } from './txn.ts';
import type { Zxid } from './zxid.ts';

export type PeerStateName = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

export type Effect =
  // ---- network
  | { readonly kind: 'sendNotification'; readonly to: number; readonly notification: Notification }
  | { readonly kind: 'send'; readonly to: number; readonly packet: ZabPacket }
  /** SNAP(zxid) followed by the serialized data tree, which must be exactly at `zxid`, then "BenWasHere". */
  | { readonly kind: 'sendSnapshot'; readonly to: number; readonly zxid: Zxid }
  | { readonly kind: 'connectToLeader'; readonly leader: number }
  | { readonly kind: 'closeLearner'; readonly sid: number; readonly reason: string }
  /** Learner: close the connection to the leader (the role ended). */
  | { readonly kind: 'disconnectLeader'; readonly leader: number }
  // ---- disk (see the contract above)
  /**
   * Append to the txn log and fsync. `writtenOnly` (PLANTED BUG
   * ack-before-fsync only): answer diskDone once the bytes are written,
   * before any fsync (the fsync comes later, batched).
   */
  | {
    readonly kind: 'persistTxns'; readonly token: number; readonly txns: readonly Txn[]; readonly writtenOnly?: boolean;
    /**
     * PLANTED BUG stale-election-zxid only: a txn at or below the log's last
     * zxid is already there (the server advertised less than it logged):
     * skip it, as ZooKeeper's FileTxnLog appends it again with a warning.
     */
    readonly skipLogged?: boolean;
    /**
     * PLANTED BUGS newleader-ack-before-sync / epoch-before-txns only: wait
     * this long before writing (the writes queued behind wait too), widening
     * the real window in which a crash finds the txns not yet on disk.
     */
    readonly widenWindowMs?: number;
  }
  /**
   * Cut the txn log after `zxid` and reload the data tree from snapshot + log.
   * `dropTarget` (PLANTED BUG trunc-off-by-one, ZOOKEEPER-1156): cut before
   * `zxid`'s record instead, losing it.
   */
  | { readonly kind: 'truncateLog'; readonly token: number; readonly zxid: Zxid; readonly dropTarget?: boolean }
  /** Replace the in-memory data tree with a snapshot received from the leader (not yet durable). */
  | { readonly kind: 'loadSnapshot'; readonly zxid: Zxid; readonly snapshot: Uint8Array }
  /** Write a snapshot of the in-memory tree at `zxid`; log entries above `zxid` are discarded. */
  | { readonly kind: 'takeSnapshot'; readonly token: number; readonly zxid: Zxid }
  | { readonly kind: 'writeAcceptedEpoch'; readonly token: number; readonly epoch: number }
  | { readonly kind: 'writeCurrentEpoch'; readonly token: number; readonly epoch: number }
  /** Drop memory and reload snapshot + whole txn log; answered by `databaseLoaded`. */
  | { readonly kind: 'reloadDatabase' }
  /**
   * Keep the in-memory tree and apply `txns` (logged beyond it, committed or
   * not) once every disk write queued before has run: the tree then holds
   * what a reload would give. Answered by `databaseLoaded` with `database`
   * (or with what a full reload gives, when the log does not end where
   * expected).
   */
  | { readonly kind: 'fastForwardDatabase'; readonly txns: readonly Txn[]; readonly database: LoadedDatabase }
  /**
   * Leader, not a disk write (not ordered with the effects above, must not
   * wait behind them): read the txns after fromZxid from the on-disk txn log
   * to its end, reading a file only while it is not being truncated.
   * Answered by `txnLogRead { token }` with those txns, or null when the log
   * does not hold fromZxid (a txn with that zxid, not below the newest
   * snapshot's zxid: older files may hold proposals abandoned by a SNAP),
   * the read fails, or the txns' bytes exceed snapshotSizeFactor x the
   * newest snapshot's size (ZKDatabase.calculateTxnLogSizeLimit). The core
   * uses only the committed ones.
   */
  | { readonly kind: 'readTxnLog'; readonly token: number; readonly fromZxid: Zxid; readonly snapshotSizeFactor: number }
  // ---- state machine and clients
  /** Apply a committed txn to the data tree; emitted strictly in zxid order. */
  | { readonly kind: 'applyCommitted'; readonly txn: Txn }
  | { readonly kind: 'stateChanged'; readonly state: PeerStateName; readonly leader: number | null; readonly epoch: number }
  /** Clients may now be served (leader after the NEWLEADER quorum, learner on UPTODATE) or not. */
  | { readonly kind: 'serving'; readonly serving: boolean }
  /** Leader: a request forwarded by a learner (REQUEST data), for the request processor. */
  | { readonly kind: 'learnerRequest'; readonly from: number; readonly data: Uint8Array }
  /** Leader: session touches from a learner's PING reply. */
  | { readonly kind: 'sessionTouches'; readonly from: number; readonly data: Uint8Array | null }
  /** Leader: REVALIDATE from a learner, to be answered with a `revalidateReply` event. */
  | { readonly kind: 'revalidateSession'; readonly from: number; readonly data: Uint8Array | null }
  /** Learner: the leader's REVALIDATE answer. */
  | { readonly kind: 'revalidateResult'; readonly data: Uint8Array | null }
  /** Learner: a SYNC arrived; release the oldest pending client sync (after the commits before it). */
  | { readonly kind: 'syncReleased' }
  // ---- timers
  | { readonly kind: 'setTimer'; readonly name: TimerName; readonly delayMs: number }
  | { readonly kind: 'cancelTimer'; readonly name: TimerName }
  // ---- diagnostics
  | { readonly kind: 'log'; readonly level: 'info' | 'warn'; readonly message: string };

export type TimerName = 'fle.poll' | 'fle.finalize' | 'leader.phase' | 'leader.tick' | 'learner.read';

export type EffectOf<K extends Effect['kind']> = Extract<Effect, { kind: K }>;
