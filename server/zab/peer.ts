// One Zab server (QuorumPeer): runs the election while LOOKING, then the
// leader or learner role, and goes back to LOOKING when that role ends. Its
// database is then brought to what snapshot + whole log hold: by
// fast-forwarding the in-memory tree with the txns logged beyond it (as
// ZooKeeper 3.8 does; fast-forward.ts), or, when that cannot be vouched for,
// by reloading it from disk. `handle(event)` returns the effects.
import { bugOn, isParticipant, type ZabConfig } from './config.ts';
import { ZabDatabase } from './database.ts';
import type { Effect, TimerName } from './effects.ts';
import { FastLeaderElection, type ElectionOutcome, type ElectionStep } from './election.ts';
import { FastForwardTracker } from './fast-forward.ts';
import type { LoadedDatabase, ZabEvent } from './events.ts';
import { invariant } from './invariants.ts';
import { Leader } from './leader.ts';
import { Learner } from './learner.ts';
import type { Notification } from './notification.ts';
import { PacketType, packetTypeName } from './packets.ts';
import type { RoleContext, RoleStep } from './role.ts';
import { NOTIFICATION_VERSION, ServerState, serverStateName, type Vote } from './vote.ts';
import { zxidHex, type Zxid } from './zxid.ts';

type Role =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'reloading'; readonly buffered: { from: number; n: Notification }[] }
  | { readonly kind: 'looking' }
  | { readonly kind: 'leading'; readonly leader: Leader }
  | { readonly kind: 'learning'; readonly learner: Learner };

export class ZabPeer {
  readonly db: ZabDatabase;
  private readonly election: FastLeaderElection;
  private role: Role = { kind: 'stopped' };
  private currentVote: Vote;
  private tokenCounter = 0;
  private readonly establishedEpochs = new Set<number>();
  private readonly ctx: RoleContext;
  private readonly tracker = new FastForwardTracker();
  /**
   * The latest LOOKING notification from each voter answered while this
   * server had a role. It is also handed to the next election round, as if
   * the network had delivered it then: a voter that noticed the leader's
   * death a moment earlier sends its vote once and, while its vote stands,
   * does not repeat it until its poll timeout (200 ms and more) — so without
   * this the round would wait for that timeout.
   */
  private readonly lookingDuringRole = new Map<number, Notification>();

  constructor(readonly config: ZabConfig) {
    this.db = new ZabDatabase(config.commitLogCount, (config.plantedBugs?.size ?? 0) > 0);
    this.election = new FastLeaderElection(config);
    this.currentVote = { leader: config.myId, zxid: -1, electionEpoch: 0, peerEpoch: 0, state: ServerState.LOOKING, version: NOTIFICATION_VERSION };
    this.ctx = {
      config, db: this.db,
      newToken: () => ++this.tokenCounter,
      noteEpochEstablished: (epoch) => {
        invariant(!this.establishedEpochs.has(epoch), 'EPOCH_ESTABLISHED_TWICE', () => `epoch ${epoch} established twice`);
        this.establishedEpochs.add(epoch);
      },
      updateElectionVote: (epoch) => {
        this.currentVote = { ...this.currentVote, peerEpoch: epoch };
      },
    };
  }

  get state(): 'STOPPED' | 'LOOKING' | 'LEADING' | 'FOLLOWING' | 'OBSERVING' {
    switch (this.role.kind) {
      case 'stopped': return 'STOPPED';
      case 'leading': return 'LEADING';
      case 'learning': return this.role.learner.isObserver ? 'OBSERVING' : 'FOLLOWING';
      default: return 'LOOKING';
    }
  }

  get leaderRole(): Leader | null {
    return this.role.kind === 'leading' ? this.role.leader : null;
  }

  get learnerRole(): Learner | null {
    return this.role.kind === 'learning' ? this.role.learner : null;
  }

  get logicalclock(): number {
    return this.election.logicalclock;
  }

  /** The leader's next zxid to propose, or null when this server cannot propose now. */
  nextZxid(): Zxid | null {
    return this.leaderRole?.nextZxid() ?? null;
  }

  handle(event: ZabEvent): Effect[] {
    switch (event.type) {
      case 'start': return this.onStart(event.database);
      case 'databaseLoaded': return this.onDatabaseLoaded(event.database);
      case 'notification': return this.onNotification(event.from, event.notification);
      case 'timer': return this.onTimer(event.name);
      case 'diskDone': return this.onDiskDone(event.token);
      default: return this.routeWithTrace(event);
    }
  }

  private onStart(database: LoadedDatabase): Effect[] {
    invariant(this.role.kind === 'stopped', 'BAD_STATE', () => 'started twice');
    this.db.load(database, true);
    this.tracker.reset(this.db);
    this.currentVote = { ...this.currentVote, zxid: this.db.lastLoggedZxid, peerEpoch: this.db.currentEpoch };
    this.role = { kind: 'looking' };
    return this.electionStep(this.election.start(this.electionInit()));
  }

  private electionInit(): { lastLoggedZxid: Zxid; currentEpoch: number } {
    return { lastLoggedZxid: this.db.lastLoggedZxid, currentEpoch: this.db.currentEpoch };
  }

  private onDatabaseLoaded(database: LoadedDatabase): Effect[] {
    if (this.role.kind !== 'reloading') return [];
    const buffered = this.role.buffered;
    this.db.load(database, false);
    this.tracker.reset(this.db);
    this.role = { kind: 'looking' };
    const effects = this.electionStep(this.election.start(this.electionInit()));
    for (const { from, n } of buffered) effects.push(...this.onNotification(from, n));
    return effects;
  }

  private goLooking(reason: string): Effect[] {
    const buffered = [...this.lookingDuringRole].map(([from, n]) => ({ from, n }));
    this.lookingDuringRole.clear();
    this.role = { kind: 'reloading', buffered };
    const effects: Effect[] = [
      { kind: 'stateChanged', state: 'LOOKING', leader: null, epoch: this.db.currentEpoch },
      { kind: 'log', level: 'info', message: `LOOKING: ${reason}` },
    ];
    if (bugOn(this.config, 'stale-election-zxid')) return [...effects, ...this.keepStaleDatabase()];
    const plan = this.tracker.plan(this.db, this.config.commitLogCount);
    if (plan.ok) {
      effects.push({ kind: 'fastForwardDatabase', txns: plan.txns, database: plan.database });
    } else {
      effects.push({ kind: 'log', level: 'info', message: `reloading the database from disk: ${plan.reason}` },
        { kind: 'reloadDatabase' });
    }
    return effects;
  }

  /**
   * PLANTED BUG stale-election-zxid (ZOOKEEPER-2845): the role ended, and the
   * in-memory database is kept as it is — neither reloaded nor fast-forwarded
   * with the txns logged beyond it — and its lastProcessedZxid is what this
   * server now advertises and reports in ACKEPOCH, though its log holds more.
   */
  private keepStaleDatabase(): Effect[] {
    const buffered = this.role.kind === 'reloading' ? this.role.buffered : [];
    const stale = this.db.lastProcessedZxid;
    const logged = this.db.lastLoggedZxid;
    this.db.forgetLoggedBeyondTree();
    this.tracker.reset(this.db);
    this.role = { kind: 'looking' };
    const effects: Effect[] = [{ kind: 'log', level: 'warn',
      message: `planted bug: kept the in-memory database at ${zxidHex(stale)} (log ends at ${zxidHex(logged)})` }];
    effects.push(...this.electionStep(this.election.start(this.electionInit())));
    for (const { from, n } of buffered) effects.push(...this.onNotification(from, n));
    return effects;
  }

  private electionStep(step: ElectionStep): Effect[] {
    if (step.outcome === null) return step.effects;
    return [...step.effects, ...this.onDecided(step.outcome)];
  }

  private onDecided(outcome: ElectionOutcome): Effect[] {
    this.currentVote = outcome.vote;
    const decided: Effect = {
      kind: 'log', level: 'info',
      message: `election round ${outcome.vote.electionEpoch} decided: ${serverStateName(outcome.state)} leader ${outcome.vote.leader} ` +
        `(zxid ${zxidHex(outcome.vote.zxid)}, peerEpoch ${outcome.vote.peerEpoch}; votes ${outcome.basis})`,
    };
    if (outcome.state === ServerState.LEADING) {
      const leader = new Leader(this.ctx);
      this.role = { kind: 'leading', leader };
      return [decided, ...this.roleStep(leader.start())];
    }
    const learner = new Learner(this.ctx, outcome.vote.leader, outcome.state === ServerState.OBSERVING);
    this.role = { kind: 'learning', learner };
    return [decided, ...this.roleStep(learner.start())];
  }

  private roleStep(step: RoleStep): Effect[] {
    if (bugOn(this.config, 'stale-election-zxid')) markSkipLogged(step.effects);
    for (const e of step.effects) this.tracker.observe(e);
    const effects = step.effects.some(isHandshakeSend) ? step.effects.flatMap((e) => [...traceHandshake(e), e]) : step.effects;
    if (step.exit === null) return effects;
    return [...effects, ...this.goLooking(step.exit)];
  }

  private myServerState(): ServerState {
    switch (this.state) {
      case 'LEADING': return ServerState.LEADING;
      case 'FOLLOWING': return ServerState.FOLLOWING;
      case 'OBSERVING': return ServerState.OBSERVING;
      default: return ServerState.LOOKING;
    }
  }

  /** WorkerReceiver: non-voters, and LOOKING peers while I am not looking, get my current vote. */
  private onNotification(from: number, n: Notification): Effect[] {
    if (this.role.kind === 'stopped') return [];
    const looking = this.role.kind === 'looking' || this.role.kind === 'reloading';
    if (!this.config.verifier.isVoter(from)) {
      return [this.replyCurrentVote(from, looking ? this.election.logicalclock : this.currentVote.electionEpoch)];
    }
    if (this.role.kind === 'reloading') {
      this.role.buffered.push({ from, n });
      return [];
    }
    if (this.role.kind === 'looking') return [this.noteNotification(from, n), ...this.electionStep(this.election.onNotification(from, n))];
    if (n.state !== ServerState.LOOKING) {
      this.lookingDuringRole.delete(from); // its latest word is no longer a LOOKING vote
      return [];
    }
    this.lookingDuringRole.set(from, n);
    return [this.replyCurrentVote(from, this.currentVote.electionEpoch)];
  }

  /** FastLeaderElection's INFO line for each notification taken while LOOKING. */
  private noteNotification(from: number, n: Notification): Effect {
    return {
      kind: 'log', level: 'info',
      message: `notification from ${from}: ${serverStateName(n.state)} leader ${n.leader} zxid ${zxidHex(n.zxid)} ` +
        `round ${n.electionEpoch} peerEpoch ${n.peerEpoch} (my round ${this.election.logicalclock})`,
    };
  }

  private replyCurrentVote(to: number, electionEpoch: number): Effect {
    const v = this.currentVote;
    return {
      kind: 'sendNotification', to,
      notification: {
        state: this.myServerState(), leader: v.leader, zxid: v.zxid, electionEpoch,
        peerEpoch: v.peerEpoch, version: NOTIFICATION_VERSION, config: this.config.configBytes,
      },
    };
  }

  private onTimer(name: TimerName): Effect[] {
    if (name === 'fle.poll' || name === 'fle.finalize') {
      return this.role.kind === 'looking' ? this.electionStep(this.election.onTimer(name)) : [];
    }
    if (name === 'leader.phase' || name === 'leader.tick') {
      return this.role.kind === 'leading' ? this.roleStep(this.role.leader.onTimer(name)) : [];
    }
    if (this.role.kind !== 'learning') return [];
    return this.roleStep(this.role.learner.abandon('read timeout: no packet from the leader'));
  }

  private onDiskDone(token: number): Effect[] {
    this.tracker.onDiskDone(token);
    if (this.role.kind === 'leading') return this.roleStep(this.role.leader.onDiskDone(token));
    if (this.role.kind === 'learning') return this.roleStep(this.role.learner.onDiskDone(token));
    return [];
  }

  private routeWithTrace(event: ZabEvent): Effect[] {
    const trace = traceHandshake(event);
    const effects = this.routeToRole(event);
    return trace.length === 0 ? effects : [...trace, ...effects];
  }

  private routeToRole(event: ZabEvent): Effect[] {
    const leader = this.leaderRole;
    const learner = this.learnerRole;
    switch (event.type) {
      case 'learnerPacket':
        if (leader === null) return [{ kind: 'closeLearner', sid: event.from, reason: 'not leading' }];
        return this.roleStep(leader.onLearnerPacket(event.from, event.packet));
      case 'learnerDisconnected':
        return leader ? this.roleStep(leader.onLearnerDisconnected(event.sid)) : [];
      case 'revalidateReply':
        return leader ? this.roleStep(leader.onRevalidateReply(event.to, event.data)) : [];
      case 'txnLogRead':
        return leader ? this.roleStep(leader.onTxnLogRead(event.token, event.txns)) : [];
      case 'propose':
        if (leader === null || leader.nextZxid() === null) {
          return [{ kind: 'log', level: 'warn', message: 'propose dropped: not an established leader' }];
        }
        return this.roleStep(leader.propose(event.txn));
      default:
        return this.routeToLearner(event, learner);
    }
  }

  private routeToLearner(event: ZabEvent, learner: Learner | null): Effect[] {
    if (learner === null) return [];
    switch (event.type) {
      case 'leaderConnected':
        return event.leader === learner.leader ? this.roleStep(learner.onLeaderConnected()) : [];
      case 'leaderPacket':
        return event.from === learner.leader ? this.roleStep(learner.onLeaderPacket(event.packet, event.snapshot)) : [];
      case 'leaderDisconnected':
        return event.leader === learner.leader ? this.roleStep(learner.abandon('leader connection lost')) : [];
      case 'forwardRequest':
        return this.roleStep(learner.forwardRequest(event.data));
      case 'revalidate':
        return this.roleStep(learner.revalidate(event.data));
      case 'touchSession':
        learner.touchSession(event.sessionId, event.timeoutMs);
        return [];
      default:
        return [];
    }
  }

  /** Whether this server would be counted by a quorum (participants only). */
  get isParticipant(): boolean {
    return isParticipant(this.config);
  }
}

/** Planted bug stale-election-zxid: the log may already hold txns the leader re-sends (see `skipLogged`). */
function markSkipLogged(effects: Effect[]): void {
  for (let i = 0; i < effects.length; i++) {
    const e = effects[i]!;
    if (e.kind === 'persistTxns') effects[i] = { ...e, skipLogged: true };
  }
}

/** Discovery / sync packets, for a failover's timeline in the log (a few per learner and epoch). */
const HANDSHAKE = new Set<number>([
  PacketType.FOLLOWERINFO, PacketType.OBSERVERINFO, PacketType.LEADERINFO, PacketType.ACKEPOCH,
  PacketType.NEWLEADER, PacketType.UPTODATE,
]);

function isHandshakeSend(e: Effect): e is Extract<Effect, { kind: 'send' }> {
  return e.kind === 'send' && HANDSHAKE.has(e.packet.type);
}

function traceHandshake(x: ZabEvent | Effect): Effect[] {
  if ('type' in x) {
    if (x.type === 'leaderConnected') return [logLine(`connected to leader ${x.leader}`)];
    if ((x.type === 'learnerPacket' || x.type === 'leaderPacket') && HANDSHAKE.has(x.packet.type)) {
      return [logLine(`<- ${packetTypeName(x.packet.type)} ${zxidHex(x.packet.zxid)} from ${x.from}${handshakeDetail(x.packet)}`)];
    }
    return [];
  }
  if (isHandshakeSend(x)) return [logLine(`-> ${packetTypeName(x.packet.type)} ${zxidHex(x.packet.zxid)} to ${x.to}${handshakeDetail(x.packet)}`)];
  return [];
}

/** ACKEPOCH carries the learner's currentEpoch, or -1 when it had already accepted the leader's epoch (no new promise). */
function handshakeDetail(p: { type: number; data: Uint8Array | null }): string {
  if (p.type !== PacketType.ACKEPOCH || p.data === null || p.data.length < 4) return '';
  return ` currentEpoch ${new DataView(p.data.buffer, p.data.byteOffset, 4).getInt32(0)}`;
}

function logLine(message: string): Effect {
  return { kind: 'log', level: 'info', message };
}
