// Votes of FastLeaderElection and their order (totalOrderPredicate) and
// equality (Vote.equals), as in ZooKeeper 3.x.
import type { Zxid } from './zxid.ts';

/** QuorumPeer.ServerState, with the wire numbers of the notification `state` field. */
export const ServerState = { LOOKING: 0, FOLLOWING: 1, LEADING: 2, OBSERVING: 3 } as const;
export type ServerState = (typeof ServerState)[keyof typeof ServerState];

export function serverStateName(s: ServerState): string {
  return ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'][s] ?? `UNKNOWN(${s})`;
}

/**
 * Java's Long.MIN_VALUE, used by non-voters for their proposed id, zxid and
 * epoch. It does not fit a safe integer; the notification codec maps it to
 * this sentinel and back.
 */
export const NON_VOTER = Number.MIN_SAFE_INTEGER;

/** Version of the notification format this core sends (FastLeaderElection.Notification.CURRENTVERSION). */
export const NOTIFICATION_VERSION = 0x2;

export interface Vote {
  readonly leader: number;
  readonly zxid: Zxid;
  readonly electionEpoch: number;
  readonly peerEpoch: number;
  readonly state: ServerState;
  readonly version: number;
}

export interface Candidate {
  readonly leader: number;
  readonly zxid: Zxid;
  readonly peerEpoch: number;
}

/**
 * True iff `next` beats `current`: higher peer epoch, then higher zxid, then
 * higher server id. A candidate with zero weight (not a voter) never wins.
 */
export function totalOrderPredicate(next: Candidate, current: Candidate, weight: (sid: number) => number): boolean {
  if (weight(next.leader) === 0) return false;
  if (next.peerEpoch !== current.peerEpoch) return next.peerEpoch > current.peerEpoch;
  if (next.zxid !== current.zxid) return next.zxid > current.zxid;
  return next.leader > current.leader;
}

/**
 * Vote.equals: while either side is LOOKING every field must match; between
 * servers out of election only the leader id and peer epoch are compared
 * (only the id when exactly one side predates version 1; ZOOKEEPER-1805/1732).
 */
export function votesEqual(a: Vote, b: Vote): boolean {
  if (a.state === ServerState.LOOKING || b.state === ServerState.LOOKING) {
    return a.leader === b.leader && a.zxid === b.zxid
      && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
  }
  if ((a.version > 0) !== (b.version > 0)) return a.leader === b.leader;
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
}
