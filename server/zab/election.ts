// FastLeaderElection (lookForLeader) as an event-driven state machine:
// notifications and timer firings in, notifications to send and the decision
// out. One instance per peer; `logicalclock` survives between rounds.
import type { ZabConfig } from './config.ts';
import { isParticipant } from './config.ts';
import type { Effect } from './effects.ts';
import type { Notification } from './notification.ts';
import {
  NON_VOTER, NOTIFICATION_VERSION, ServerState, serverStateName, totalOrderPredicate, votesEqual, type Candidate, type Vote,
} from './vote.ts';
import { invariant } from './invariants.ts';
import type { Zxid } from './zxid.ts';

export interface ElectionInit {
  readonly lastLoggedZxid: Zxid;
  readonly currentEpoch: number;
}

export interface ElectionOutcome {
  readonly vote: Vote;
  readonly state: typeof ServerState.LEADING | typeof ServerState.FOLLOWING | typeof ServerState.OBSERVING;
  /** The votes the decision rested on, for the log: `sid:STATE->leader@round`. */
  readonly basis: string;
}

export interface ElectionStep {
  readonly effects: Effect[];
  readonly outcome: ElectionOutcome | null;
}

export class FastLeaderElection {
  logicalclock = 0;
  private initial: Candidate = { leader: NON_VOTER, zxid: NON_VOTER, peerEpoch: NON_VOTER };
  private proposal: Candidate = this.initial;
  private recvset = new Map<number, Vote>();
  private outOfElection = new Map<number, Vote>();
  private notTimeoutMs: number;
  private finalizing = false;
  private running = false;
  private readonly selfQueue: Notification[] = [];

  constructor(private readonly config: ZabConfig) {
    this.notTimeoutMs = config.minNotificationIntervalMs;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The vote this server currently proposes (FastLeaderElection.getVote). */
  get currentProposal(): Candidate {
    return this.proposal;
  }

  /** Starts a new round (lookForLeader): bump the logical clock, vote for myself, broadcast. */
  start(init: ElectionInit): ElectionStep {
    const participant = isParticipant(this.config);
    this.initial = participant
      ? { leader: this.config.myId, zxid: init.lastLoggedZxid, peerEpoch: init.currentEpoch }
      : { leader: NON_VOTER, zxid: NON_VOTER, peerEpoch: NON_VOTER };
    this.recvset = new Map();
    this.outOfElection = new Map();
    this.notTimeoutMs = this.config.minNotificationIntervalMs;
    this.finalizing = false;
    this.running = true;
    this.logicalclock += 1;
    this.proposal = this.initial;
    const effects = this.sendNotifications();
    effects.push({ kind: 'setTimer', name: 'fle.poll', delayMs: this.notTimeoutMs });
    return this.drainSelf({ effects, outcome: null });
  }

  /** Stops the round without a decision (e.g. shutdown). */
  stop(): Effect[] {
    this.running = false;
    this.finalizing = false;
    this.selfQueue.length = 0;
    return [{ kind: 'cancelTimer', name: 'fle.poll' }, { kind: 'cancelTimer', name: 'fle.finalize' }];
  }

  onTimer(name: 'fle.poll' | 'fle.finalize'): ElectionStep {
    if (!this.running) return { effects: [], outcome: null };
    if (name === 'fle.finalize') {
      if (!this.finalizing) return { effects: [], outcome: null };
      return this.decide(this.proposalVote(), [], this.recvset);
    }
    if (this.finalizing) return { effects: [], outcome: null };
    // No notification within notTimeout: re-send and back off (doubling up to the max).
    const effects = this.sendNotifications();
    this.notTimeoutMs = Math.min(this.notTimeoutMs * 2, this.config.maxNotificationIntervalMs);
    effects.push({ kind: 'setTimer', name: 'fle.poll', delayMs: this.notTimeoutMs });
    return this.drainSelf({ effects, outcome: null });
  }

  /** A notification from `from` while this server is LOOKING. */
  onNotification(from: number, n: Notification): ElectionStep {
    invariant(this.running, 'BAD_STATE', () => 'notification delivered to a stopped election');
    return this.drainSelf(this.handleOne(from, n));
  }

  private handleOne(from: number, n: Notification): ElectionStep {
    const effects: Effect[] = [];
    // WorkerReceiver: a LOOKING peer with an older round gets my vote back.
    if (n.state === ServerState.LOOKING && n.electionEpoch < this.logicalclock && from !== this.config.myId) {
      effects.push(this.notificationTo(from, this.proposal));
    }
    const verifier = this.config.verifier;
    if (!verifier.isVoter(from) || !verifier.isVoter(n.leader)) return { effects, outcome: null };
    const step = this.finalizing ? this.duringFinalize(from, n) : this.process(from, n);
    return { effects: [...effects, ...step.effects], outcome: step.outcome };
  }

  /** The finalize wait: a better vote resumes the election, anything else restarts the wait. */
  private duringFinalize(from: number, n: Notification): ElectionStep {
    if (this.beats(n, this.proposal)) {
      this.finalizing = false;
      const step = this.process(from, n);
      return { effects: [{ kind: 'cancelTimer', name: 'fle.finalize' }, ...step.effects], outcome: step.outcome };
    }
    return { effects: [{ kind: 'setTimer', name: 'fle.finalize', delayMs: this.config.finalizeWaitMs }], outcome: null };
  }

  private process(from: number, n: Notification): ElectionStep {
    switch (n.state) {
      case ServerState.LOOKING:
        return this.onLooking(from, n);
      case ServerState.FOLLOWING:
      case ServerState.LEADING:
        return this.onOutOfElection(from, n);
      default:
        return { effects: [{ kind: 'setTimer', name: 'fle.poll', delayMs: this.notTimeoutMs }], outcome: null };
    }
  }

  private beats(next: Candidate, current: Candidate): boolean {
    return totalOrderPredicate(next, current, (sid) => this.config.verifier.weight(sid));
  }

  private onLooking(from: number, n: Notification): ElectionStep {
    const effects: Effect[] = [];
    const rearm: Effect = { kind: 'setTimer', name: 'fle.poll', delayMs: this.notTimeoutMs };
    if (this.initial.zxid === -1 || n.zxid === -1) return { effects: [rearm], outcome: null };
    if (n.electionEpoch > this.logicalclock) {
      this.logicalclock = n.electionEpoch;
      this.recvset.clear();
      this.proposal = this.beats(n, this.initial) ? candidateOf(n) : this.initial;
      effects.push(...this.sendNotifications());
    } else if (n.electionEpoch < this.logicalclock) {
      return { effects: [rearm], outcome: null };
    } else if (this.beats(n, this.proposal)) {
      this.proposal = candidateOf(n);
      effects.push(...this.sendNotifications());
    }
    this.recvset.set(from, voteOf(n, ServerState.LOOKING));
    if (this.hasQuorum(this.recvset, this.proposalVote())) {
      this.finalizing = true;
      effects.push({ kind: 'cancelTimer', name: 'fle.poll' },
        { kind: 'setTimer', name: 'fle.finalize', delayMs: this.config.finalizeWaitMs });
      return { effects, outcome: null };
    }
    effects.push(rearm);
    return { effects, outcome: null };
  }

  /** FOLLOWING / LEADING notifications: join a leader a quorum already follows. */
  private onOutOfElection(from: number, n: Notification): ElectionStep {
    const vote = voteOf(n, n.state);
    if (n.electionEpoch === this.logicalclock) {
      this.recvset.set(from, vote);
      if (this.hasQuorum(this.recvset, vote) && this.checkLeader(this.recvset, n.leader, n.electionEpoch)) {
        return this.decide(vote, [], this.recvset);
      }
    }
    this.outOfElection.set(from, vote);
    if (this.hasQuorum(this.outOfElection, vote) && this.checkLeader(this.outOfElection, n.leader, n.electionEpoch)) {
      this.logicalclock = n.electionEpoch;
      return this.decide(vote, [], this.outOfElection);
    }
    return { effects: [{ kind: 'setTimer', name: 'fle.poll', delayMs: this.notTimeoutMs }], outcome: null };
  }

  /** The named leader must itself say LEADING, or be me in the same round. */
  private checkLeader(votes: Map<number, Vote>, leader: number, electionEpoch: number): boolean {
    if (leader !== this.config.myId) return votes.get(leader)?.state === ServerState.LEADING;
    return this.logicalclock === electionEpoch;
  }

  private hasQuorum(votes: Map<number, Vote>, vote: Vote): boolean {
    const agreeing: number[] = [];
    for (const [sid, v] of votes) if (votesEqual(vote, v)) agreeing.push(sid);
    return this.config.verifier.containsQuorum(agreeing);
  }

  private decide(vote: Vote, effects: Effect[], votes: Map<number, Vote>): ElectionStep {
    this.running = false;
    this.finalizing = false;
    this.selfQueue.length = 0;
    effects.push({ kind: 'cancelTimer', name: 'fle.poll' }, { kind: 'cancelTimer', name: 'fle.finalize' });
    const endVote: Vote = { ...vote, state: ServerState.LOOKING, version: NOTIFICATION_VERSION };
    const state = vote.leader === this.config.myId ? ServerState.LEADING
      : isParticipant(this.config) ? ServerState.FOLLOWING : ServerState.OBSERVING;
    return { effects, outcome: { vote: endVote, state, basis: describeVotes(votes) } };
  }

  private proposalVote(): Vote {
    return { ...this.proposal, electionEpoch: this.logicalclock, state: ServerState.LOOKING, version: NOTIFICATION_VERSION };
  }

  private notificationTo(to: number, c: Candidate): Effect {
    return {
      kind: 'sendNotification', to,
      notification: {
        state: ServerState.LOOKING, leader: c.leader, zxid: c.zxid, electionEpoch: this.logicalclock,
        peerEpoch: c.peerEpoch, version: NOTIFICATION_VERSION, config: this.config.configBytes,
      },
    };
  }

  /** To every voter; my own copy goes through my queue, as QuorumCnxManager does. */
  private sendNotifications(): Effect[] {
    const effects: Effect[] = [];
    for (const sid of this.config.verifier.voters) {
      const e = this.notificationTo(sid, this.proposal);
      if (sid === this.config.myId && e.kind === 'sendNotification') this.selfQueue.push(e.notification);
      else effects.push(e);
    }
    return effects;
  }

  private drainSelf(step: ElectionStep): ElectionStep {
    let current = step;
    while (this.running && current.outcome === null) {
      const n = this.selfQueue.shift();
      if (n === undefined) break;
      const next = this.handleOne(this.config.myId, n);
      current = { effects: [...current.effects, ...next.effects], outcome: next.outcome };
    }
    return current;
  }
}

function describeVotes(votes: Map<number, Vote>): string {
  return [...votes].map(([sid, v]) => `${sid}:${serverStateName(v.state)}->${v.leader}@${v.electionEpoch}`).join(' ');
}

function candidateOf(n: Notification): Candidate {
  return { leader: n.leader, zxid: n.zxid, peerEpoch: n.peerEpoch };
}

function voteOf(n: Notification, state: ServerState): Vote {
  return { leader: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch, state, version: n.version };
}
