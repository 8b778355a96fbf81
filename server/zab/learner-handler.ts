// The leader's record of one connected learner (LearnerHandler), and the
// packets that sync it: the DIFF/TRUNC/SNAP plan, startForwarding's
// outstanding proposals, then NEWLEADER.
import type { Effect } from './effects.ts';
import { packet, PacketType } from './packets.ts';
import type { SyncPlan } from './sync-decision.ts';
import type { Txn } from './txn.ts';
import type { Zxid } from './zxid.ts';

export type HandlerStage =
  | 'awaitEpoch'          // FOLLOWERINFO received, waiting for the epoch to be decided and persisted
  | 'awaitEpochAck'       // LEADERINFO sent
  | 'awaitElection'       // ACKEPOCH received, waiting for a quorum of them
  | 'awaitTxnLog'         // older than the committed log: waiting for the on-disk txn log read (not forwarded to)
  | 'awaitNewLeaderAck'   // sync packets and NEWLEADER sent
  | 'awaitStartup'        // NEWLEADER acked, waiting for the leader to be established
  | 'broadcast';          // UPTODATE sent

export interface LearnerHandler {
  readonly sid: number;
  readonly isParticipant: boolean;
  stage: HandlerStage;
  peerLastZxid: Zxid;
  /** Tick by which the next packet from this learner must arrive to count as synced. */
  tickOfNextAckDeadline: number;
  syncPlan: SyncPlan | null;
  /** Token of the readTxnLog effect this handler waits for, while in 'awaitTxnLog'. */
  txnLogToken: number | null;
}

export function newHandler(sid: number, isParticipant: boolean, deadlineTick: number): LearnerHandler {
  return { sid, isParticipant, stage: 'awaitEpoch', peerLastZxid: -1, tickOfNextAckDeadline: deadlineTick, syncPlan: null, txnLogToken: null };
}

/** The packets of a sync, in ZooKeeper's order (SNAP stream or DIFF/TRUNC + PROPOSAL/COMMIT pairs). */
export function syncPackets(to: number, plan: SyncPlan): Effect[] {
  if (plan.kind === 'SNAP') return [{ kind: 'sendSnapshot', to, zxid: plan.zxid }];
  const type = plan.kind === 'DIFF' ? PacketType.DIFF : PacketType.TRUNC;
  const effects: Effect[] = [{ kind: 'send', to, packet: packet(type, plan.zxid) }];
  for (const txn of plan.txns) effects.push(...proposalAndCommit(to, txn));
  return effects;
}

function proposalAndCommit(to: number, txn: Txn): Effect[] {
  return [
    { kind: 'send', to, packet: packet(PacketType.PROPOSAL, txn.zxid, txn.data) },
    { kind: 'send', to, packet: packet(PacketType.COMMIT, txn.zxid) },
  ];
}

/** startForwarding: outstanding proposals newer than the sync point, for participants only. */
export function forwardOutstanding(handler: LearnerHandler, outstanding: Iterable<Txn>, syncedTo: Zxid): Effect[] {
  if (!handler.isParticipant) return [];
  const effects: Effect[] = [];
  for (const txn of outstanding) {
    if (txn.zxid > syncedTo) effects.push({ kind: 'send', to: handler.sid, packet: packet(PacketType.PROPOSAL, txn.zxid, txn.data) });
  }
  return effects;
}
