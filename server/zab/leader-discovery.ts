// The leader's three quorum waits of discovery and synchronization
// (Leader.getEpochToPropose, waitForEpochAck, waitForNewLeaderAck), as
// plain trackers: the leader feeds them and reads when each is complete.
import type { QuorumVerifier } from './quorum.ts';
import type { Zxid } from './zxid.ts';

/** getEpochToPropose: the new epoch exceeds every connecting participant's acceptedEpoch. */
export class EpochProposal {
  epoch = -1;
  waitingForNewEpoch = true;
  private readonly connecting = new Set<number>();
  /** The acceptedEpoch each server offered before the epoch was decided (the leader's own included). */
  readonly offered = new Map<number, number>();

  /** `equalEpochBug`: PLANTED BUG equal-epoch-proposal (ZOOKEEPER-1343), the comparison before that fix. */
  constructor(private readonly myId: number, private readonly verifier: QuorumVerifier, private readonly equalEpochBug = false) {}

  /** Returns true when this call completed the quorum (the leader must now persist acceptedEpoch). */
  offer(sid: number, lastAcceptedEpoch: number): boolean {
    if (!this.waitingForNewEpoch) return false;
    this.offered.set(sid, lastAcceptedEpoch);
    // '>=' (ZOOKEEPER-1343): never propose an epoch someone already accepted.
    // With the planted bug, '>': a learner that accepted exactly this epoch does not raise it.
    const raises = this.equalEpochBug ? lastAcceptedEpoch > this.epoch : lastAcceptedEpoch >= this.epoch;
    if (raises) this.epoch = lastAcceptedEpoch + 1;
    if (this.verifier.isVoter(sid)) this.connecting.add(sid);
    if (this.connecting.has(this.myId) && this.verifier.containsQuorum(this.connecting)) {
      this.waitingForNewEpoch = false;
      return true;
    }
    return false;
  }
}

/** The (currentEpoch, lastZxid) a server reports in ACKEPOCH (StateSummary). */
export interface StateSummary {
  readonly currentEpoch: number;
  readonly lastZxid: Zxid;
}

export function isMoreRecentThan(a: StateSummary, b: StateSummary): boolean {
  return a.currentEpoch > b.currentEpoch || (a.currentEpoch === b.currentEpoch && a.lastZxid > b.lastZxid);
}

export type EpochAckResult = 'counted' | 'notCounted' | 'followerIsAhead';

/** waitForEpochAck: a quorum of ACKEPOCH (leader included); a learner ahead of the leader is refused. */
export class EpochAcks {
  electionFinished = false;
  private readonly electing = new Set<number>();

  constructor(
    private readonly myId: number,
    private readonly verifier: QuorumVerifier,
    private readonly leaderSummary: StateSummary,
  ) {}

  offer(sid: number, summary: StateSummary): EpochAckResult {
    if (this.electionFinished) return 'notCounted';
    let result: EpochAckResult = 'notCounted';
    if (summary.currentEpoch !== -1) {
      if (isMoreRecentThan(summary, this.leaderSummary)) return 'followerIsAhead';
      if (summary.lastZxid !== -1 && this.verifier.isVoter(sid)) {
        this.electing.add(sid);
        result = 'counted';
      }
    }
    if (this.electing.has(this.myId) && this.verifier.containsQuorum(this.electing)) this.electionFinished = true;
    return result;
  }
}

/** waitForNewLeaderAck: a quorum of ACKs carrying exactly the NEWLEADER zxid. */
export class NewLeaderAcks {
  quorumFormed = false;
  private readonly acked = new Set<number>();

  constructor(private readonly newLeaderZxid: Zxid, private readonly verifier: QuorumVerifier) {}

  /** False when the zxid is not this epoch's NEWLEADER (the ack is then not counted). */
  offer(sid: number, zxid: Zxid): boolean {
    if (this.quorumFormed) return true;
    if (zxid !== this.newLeaderZxid) return false;
    this.acked.add(sid);
    if (this.verifier.containsQuorum(this.acked)) this.quorumFormed = true;
    return true;
  }

  get ackers(): readonly number[] {
    return [...this.acked];
  }
}
