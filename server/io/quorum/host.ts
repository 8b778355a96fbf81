// What the quorum driver needs from the layer above (the request pipeline and
// its data tree). The driver calls these from its effect loop, in the order
// the Zab core emits them; the host answers through the driver's methods
// (propose, forwardRequest, touchSession, revalidate, revalidateReply).
// The host's tree is the one data tree: start-up and reload replay go
// through resetTree + applyCommitted too.

export type QuorumState = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

export interface QuorumHost {
  /** Apply a committed txn (TxnHeader + record bytes, server/tree/txn.ts decodeTxn) — strictly in zxid order. */
  applyCommitted(zxid: number, data: Uint8Array): void;
  /** The data tree serialized as a snapshot body (snapshot-codec.ts) at its lastProcessedZxid. */
  snapshotTree(): { zxid: number; body: Uint8Array };
  /** Replace the tree: a snapshot body at zxid, or null for an empty tree (then txns are replayed with applyCommitted). */
  resetTree(zxid: number, body: Uint8Array | null): void;
  stateChanged(state: QuorumState, leader: number | null, epoch: number): void;
  serving(serving: boolean): void;
  /** Leader: a forwarded client request (REQUEST data: long sessionId, int cxid, int type, request bytes). */
  learnerRequest(from: number, data: Uint8Array): void;
  /** Leader: session touches from a learner's PING reply ((long sessionId, int timeoutMs)*). */
  sessionTouches(from: number, data: Uint8Array | null): void;
  /** Leader: REVALIDATE from a learner; answer with driver.revalidateReply(from, data). */
  revalidateSession(from: number, data: Uint8Array | null): void;
  /** Learner: the leader's REVALIDATE answer. */
  revalidateResult(data: Uint8Array | null): void;
  /** Learner: a SYNC arrived; release the oldest pending client sync. */
  syncReleased(): void;
}

/** The part of the host that storage replay uses. */
export type TreeSink = Pick<QuorumHost, 'applyCommitted' | 'snapshotTree' | 'resetTree'>;
