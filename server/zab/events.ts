// Everything that can happen to the Zab core: messages, timer firings, disk
// completions and requests from the layer above. Time enters only as
// `nowMs` on events and as timer firings.
import type { Notification } from './notification.ts';
import type { ZabPacket } from './packets.ts';
import type { Txn } from './txn.ts';
import type { TimerName } from './effects.ts';
import type { Zxid } from './zxid.ts';

/** What the storage layer recovered: the database view Zab needs. */
export interface LoadedDatabase {
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  /** Highest zxid in snapshot + log, including logged-but-uncommitted proposals. */
  readonly lastLoggedZxid: Zxid;
  /** The most recent txns (ascending), at most commitLogCount, used to DIFF-sync learners. */
  readonly committedLog: readonly Txn[];
}

export type ZabEvent =
  | { readonly type: 'start'; readonly database: LoadedDatabase }
  | { readonly type: 'databaseLoaded'; readonly database: LoadedDatabase }
  | { readonly type: 'notification'; readonly from: number; readonly notification: Notification }
  | { readonly type: 'timer'; readonly name: TimerName }
  | { readonly type: 'diskDone'; readonly token: number }
  /** The answer to a `readTxnLog` effect: the txns after its fromZxid (null: not covered, over the size limit, or unreadable). */
  | { readonly type: 'txnLogRead'; readonly token: number; readonly txns: readonly Txn[] | null }
  // ---- leader side of the quorum port
  | { readonly type: 'learnerPacket'; readonly from: number; readonly packet: ZabPacket }
  | { readonly type: 'learnerDisconnected'; readonly sid: number }
  // ---- learner side
  | { readonly type: 'leaderConnected'; readonly leader: number }
  /** A packet from the leader; SNAP carries the snapshot bytes that followed it on the stream. */
  | { readonly type: 'leaderPacket'; readonly from: number; readonly packet: ZabPacket; readonly snapshot?: Uint8Array }
  | { readonly type: 'leaderDisconnected'; readonly leader: number }
  // ---- from the layer above
  /** Leader: propose a txn; `txn.zxid` must be the one `nextZxid()` returned. */
  | { readonly type: 'propose'; readonly txn: Txn }
  /** Learner: forward a client request (REQUEST data) to the leader; sync (type 9) included. */
  | { readonly type: 'forwardRequest'; readonly data: Uint8Array }
  /** Learner: a session seen alive, reported on the next PING reply. */
  | { readonly type: 'touchSession'; readonly sessionId: bigint; readonly timeoutMs: number }
  /** Learner: ask the leader to revalidate a session (REVALIDATE data). */
  | { readonly type: 'revalidate'; readonly data: Uint8Array }
  /** Leader: the answer to a `revalidateSession` effect. */
  | { readonly type: 'revalidateReply'; readonly to: number; readonly data: Uint8Array };
