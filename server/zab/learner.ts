// A follower or observer (Learner, Follower, Observer): register with the
// leader (FOLLOWERINFO / OBSERVERINFO, LEADERINFO, ACKEPOCH), sync (DIFF,
// TRUNC or SNAP, then NEWLEADER in ZooKeeper's fixed order: synced txns
// logged and fsynced, then currentEpoch persisted, then ACK; UPTODATE), then
// broadcast (PROPOSAL -> log -> ACK after fsync; COMMIT / INFORM -> apply in
// order; PING with session touches; SYNC).
import { bugOn } from './config.ts';
import type { Effect } from './effects.ts';
import { invariant } from './invariants.ts';
import {
  encodeInt, encodeLearnerInfo, encodeTouches, packet, PacketType, ZAB_PROTOCOL_VERSION,
  type SessionTouch, type ZabPacket,
} from './packets.ts';
import { stepOf, type RoleContext, type RoleStep } from './role.ts';
import type { Txn } from './txn.ts';
import { epochOf, makeZxid, zxidHex, type Zxid } from './zxid.ts';

type LearnerStage = 'connecting' | 'awaitLeaderInfo' | 'awaitSyncMode' | 'syncing' | 'broadcast' | 'done';

/** How long the planted NEWLEADER bugs let the synced txns wait before they are written (docs/planted-bugs.md). */
export const PLANTED_SYNC_LOG_DELAY_MS = 500;

/** What a blocking disk effect unblocks once it is durable. */
type Continuation =
  | { readonly then: 'sendAckEpoch'; readonly newEpoch: number; readonly ackData: number }
  | { readonly then: 'truncated'; readonly zxid: Zxid }
  | { readonly then: 'newLeaderSnapshotTaken'; readonly zxid: Zxid }
  | { readonly then: 'newLeaderTxnsLogged'; readonly zxids: readonly Zxid[]; readonly epochWritten?: boolean }
  | { readonly then: 'newLeaderEpochPersisted'; readonly txnsAfter?: readonly Txn[] };

export class Learner {
  stage: LearnerStage = 'connecting';
  private newEpoch = -1;
  private newLeaderZxid: Zxid = -1;
  private snapshotNeeded = true;
  private writeToTxnLog = false;
  private sawNewLeader = false;
  private lastQueued: Zxid = 0;
  private packetsNotLogged: Txn[] = [];
  private packetsCommitted: Zxid[] = [];
  /** Proposals logged (or being logged) in broadcast, awaiting COMMIT. */
  private readonly pendingTxns: Txn[] = [];
  private blockedOn: { readonly token: number; readonly continuation: Continuation } | null = null;
  private readonly inbox: ZabPacket[] = [];
  /** Broadcast-phase log writes: token -> zxid to ACK (followers) once durable. */
  private readonly loggedAcks = new Map<number, Zxid>();
  private touches = new Map<bigint, number>();
  /** PLANTED BUG read-uncommitted: proposals applied on PROPOSAL, before their COMMIT. */
  private readonly appliedEarly = new Set<Zxid>();

  constructor(private readonly ctx: RoleContext, readonly leader: number, readonly isObserver: boolean) {}

  private readTimer(limitTicks: number): Effect {
    return { kind: 'setTimer', name: 'learner.read', delayMs: limitTicks * this.ctx.config.tickTimeMs };
  }

  start(): RoleStep {
    return stepOf([
      { kind: 'stateChanged', state: this.isObserver ? 'OBSERVING' : 'FOLLOWING', leader: this.leader, epoch: this.ctx.db.currentEpoch },
      { kind: 'connectToLeader', leader: this.leader },
      this.readTimer(this.ctx.config.initLimit),
    ]);
  }

  /** registerWithLeader: FOLLOWERINFO / OBSERVERINFO with (acceptedEpoch, 0). */
  onLeaderConnected(): RoleStep {
    if (this.stage !== 'connecting') return stepOf([]);
    this.stage = 'awaitLeaderInfo';
    const { config, db } = this.ctx;
    const info = encodeLearnerInfo({ serverid: config.myId, protocolVersion: ZAB_PROTOCOL_VERSION, configVersion: config.configVersion });
    const type = this.isObserver ? PacketType.OBSERVERINFO : PacketType.FOLLOWERINFO;
    return stepOf([{ kind: 'send', to: this.leader, packet: packet(type, makeZxid(db.acceptedEpoch, 0), info) }]);
  }

  onLeaderPacket(p: ZabPacket, snapshot?: Uint8Array): RoleStep {
    if (this.stage === 'done') return stepOf([]);
    const timer = this.readTimer(this.sawNewLeaderAcked() ? this.ctx.config.syncLimit : this.ctx.config.initLimit);
    if (this.blockedOn !== null) {
      invariant(p.type !== PacketType.SNAP, 'BAD_STATE', () => 'SNAP while blocked');
      this.inbox.push(p);
      return stepOf([timer]);
    }
    const step = this.dispatch(p, snapshot);
    return stepOf([timer, ...step.effects], step.exit);
  }

  private sawNewLeaderAcked(): boolean {
    return this.sawNewLeader && this.blockedOn === null;
  }

  private dispatch(p: ZabPacket, snapshot?: Uint8Array): RoleStep {
    switch (this.stage) {
      case 'awaitLeaderInfo': return this.onLeaderInfo(p);
      case 'awaitSyncMode': return this.onSyncMode(p, snapshot);
      case 'syncing': return this.onSyncPacket(p);
      case 'broadcast': return this.onBroadcastPacket(p);
      default: return this.abandon(`unexpected ${p.type} while ${this.stage}`);
    }
  }

  abandon(reason: string): RoleStep {
    this.stage = 'done';
    return stepOf([{ kind: 'cancelTimer', name: 'learner.read' }, { kind: 'serving', serving: false },
      { kind: 'disconnectLeader', leader: this.leader },
      { kind: 'log', level: 'warn', message: `stop following ${this.leader}: ${reason}` }], reason);
  }

  private block(continuation: Continuation, effect: (token: number) => Effect): Effect[] {
    const token = this.ctx.newToken();
    this.blockedOn = { token, continuation };
    return [effect(token)];
  }

  // ---------------------------------------------------------------- discovery

  private onLeaderInfo(p: ZabPacket): RoleStep {
    if (p.type !== PacketType.LEADERINFO) return this.abandon(`first packet was ${p.type}, not LEADERINFO`);
    const newEpoch = epochOf(p.zxid);
    const { db } = this.ctx;
    this.newEpoch = newEpoch;
    this.newLeaderZxid = makeZxid(newEpoch, 0);
    if (newEpoch < db.acceptedEpoch) {
      if (!bugOn(this.ctx.config, 'old-epoch-proposal')) {
        return this.abandon(`leader's epoch ${newEpoch} is less than accepted epoch ${db.acceptedEpoch}`);
      }
      // PLANTED BUG old-epoch-proposal: no learner-side fencing; follow the older leader.
      this.stage = 'awaitSyncMode';
      return stepOf([{ kind: 'log', level: 'warn', message: `planted bug: following leader ${this.leader} of epoch ${newEpoch} below accepted epoch ${db.acceptedEpoch}` },
        this.ackEpoch(-1)]);
    }
    this.stage = 'awaitSyncMode';
    if (newEpoch === db.acceptedEpoch) return stepOf([this.ackEpoch(-1)]);
    // A new promise: persist acceptedEpoch before ACKEPOCH carries my currentEpoch.
    const ackData = db.currentEpoch;
    if (bugOn(this.ctx.config, 'accepted-epoch-not-persisted')) {
      // PLANTED BUG (ZOOKEEPER-1291): the promise is kept in memory only.
      db.setAcceptedEpoch(newEpoch);
      return stepOf([this.ackEpoch(ackData)]);
    }
    return stepOf(this.block({ then: 'sendAckEpoch', newEpoch, ackData },
      (token) => ({ kind: 'writeAcceptedEpoch', token, epoch: newEpoch })));
  }

  private ackEpoch(ackData: number): Effect {
    return { kind: 'send', to: this.leader, packet: packet(PacketType.ACKEPOCH, this.ctx.db.lastLoggedZxid, encodeInt(ackData)) };
  }

  // --------------------------------------------------------------------- sync

  private onSyncMode(p: ZabPacket, snapshot?: Uint8Array): RoleStep {
    const { db } = this.ctx;
    this.stage = 'syncing';
    switch (p.type) {
      case PacketType.DIFF:
        this.snapshotNeeded = false;
        this.writeToTxnLog = true;
        return stepOf([{ kind: 'log', level: 'info', message: `DIFF sync to ${zxidHex(p.zxid)}` }]);
      case PacketType.SNAP:
        if (snapshot === undefined) return this.abandon('SNAP without snapshot');
        db.replacedBySnapshot(p.zxid);
        return stepOf([{ kind: 'loadSnapshot', zxid: p.zxid, snapshot }]);
      case PacketType.TRUNC:
        invariant(p.zxid >= db.knownCommittedZxid || db.relaxed, 'TRUNCATE_BELOW_COMMITTED',
          () => `TRUNC to ${zxidHex(p.zxid)} below committed ${zxidHex(db.knownCommittedZxid)}`);
        return stepOf(this.block({ then: 'truncated', zxid: p.zxid }, (token) => (bugOn(this.ctx.config, 'trunc-off-by-one')
          ? { kind: 'truncateLog', token, zxid: p.zxid, dropTarget: true } : { kind: 'truncateLog', token, zxid: p.zxid })));
      default:
        return this.abandon(`expected DIFF, TRUNC or SNAP, got ${p.type}`);
    }
  }

  private onSyncPacket(p: ZabPacket): RoleStep {
    switch (p.type) {
      case PacketType.PROPOSAL:
        return stepOf(this.queueProposal({ zxid: p.zxid, data: p.data ?? new Uint8Array(0) }));
      case PacketType.COMMIT:
        return stepOf(this.syncCommit(p.zxid));
      case PacketType.INFORM:
        return stepOf(this.syncInform({ zxid: p.zxid, data: p.data ?? new Uint8Array(0) }));
      case PacketType.NEWLEADER:
        return stepOf(this.onNewLeader());
      case PacketType.UPTODATE:
        if (!this.sawNewLeader) return this.abandon('UPTODATE before NEWLEADER (pre-Zab 1.0 leader)');
        return stepOf(this.onUpToDate());
      default:
        return stepOf([]); // PING and others are ignored while syncing, as ZooKeeper does
    }
  }

  private continuity(zxid: Zxid): Effect[] {
    const warn: Effect[] = this.lastQueued !== 0 && zxid !== this.lastQueued + 1
      ? [{ kind: 'log', level: 'warn', message: `got zxid ${zxidHex(zxid)}, expected ${zxidHex(this.lastQueued + 1)}` }] : [];
    this.lastQueued = zxid;
    return warn;
  }

  private queueProposal(txn: Txn): Effect[] {
    const effects = this.continuity(txn.zxid);
    this.packetsNotLogged.push(txn);
    return effects;
  }

  /** COMMIT during sync: applied in memory at once when a snapshot will follow, else kept for NEWLEADER. */
  private syncCommit(zxid: Zxid): Effect[] {
    this.ctx.db.noteCommitted(zxid);
    if (this.writeToTxnLog) {
      this.packetsCommitted.push(zxid);
      return [];
    }
    const head = this.packetsNotLogged[0];
    if (head === undefined || head.zxid !== zxid) {
      return [{ kind: 'log', level: 'warn', message: `committing ${zxidHex(zxid)}, but next proposal is ${head ? zxidHex(head.zxid) : 'none'}` }];
    }
    this.packetsNotLogged.shift();
    this.ctx.db.applyCommitted(head);
    return [{ kind: 'applyCommitted', txn: head }];
  }

  private syncInform(txn: Txn): Effect[] {
    const effects = this.continuity(txn.zxid);
    this.ctx.db.noteCommitted(txn.zxid);
    if (!this.writeToTxnLog) {
      this.ctx.db.applyCommitted(txn);
      return [...effects, { kind: 'applyCommitted', txn }];
    }
    this.packetsNotLogged.push(txn);
    this.packetsCommitted.push(txn.zxid);
    return effects;
  }

  /**
   * NEWLEADER, in ZooKeeper's fixed order (ZOOKEEPER-3911/4643/4646): a
   * snapshot if SNAP/TRUNC; then the committed synced txns logged and
   * fsynced; then currentEpoch persisted; only then ACK. Each step waits for
   * the previous one's diskDone.
   */
  private onNewLeader(): Effect[] {
    this.sawNewLeader = true;
    if (this.snapshotNeeded) {
      const zxid = this.ctx.db.lastProcessedZxid;
      return this.block({ then: 'newLeaderSnapshotTaken', zxid }, (token) => ({ kind: 'takeSnapshot', token, zxid }));
    }
    return this.logCommittedForNewLeader();
  }

  private logCommittedForNewLeader(): Effect[] {
    this.writeToTxnLog = true;
    if (!this.isObserver && bugOn(this.ctx.config, 'newleader-ack-before-sync')) {
      // PLANTED BUG (ZOOKEEPER-3911/4646): the synced txns stay queued and are
      // logged after UPTODATE, like broadcast proposals; NEWLEADER is ACKed first.
      return this.persistNewEpoch();
    }
    const txns: Txn[] = [];
    if (!this.isObserver) {
      for (const zxid of this.packetsCommitted) {
        const head = this.packetsNotLogged[0];
        if (head === undefined || head.zxid !== zxid) continue;
        this.packetsNotLogged.shift();
        txns.push(head);
      }
      this.packetsCommitted = [];
    }
    if (txns.length === 0) return this.persistNewEpoch();
    // PLANTED BUG epoch-before-txns (ZOOKEEPER-4643/4785): currentEpoch first, the txns after it.
    if (bugOn(this.ctx.config, 'epoch-before-txns')) return this.persistNewEpoch(txns);
    return this.logSyncedTxns(txns, false);
  }

  /** Logs (and applies) the committed synced txns; once durable: currentEpoch, or the ACK when it was written first. */
  private logSyncedTxns(txns: readonly Txn[], epochWritten: boolean): Effect[] {
    const effects: Effect[] = this.block({ then: 'newLeaderTxnsLogged', zxids: txns.map((t) => t.zxid), epochWritten },
      (token) => (epochWritten ? { kind: 'persistTxns', token, txns, widenWindowMs: PLANTED_SYNC_LOG_DELAY_MS } : { kind: 'persistTxns', token, txns }));
    for (const txn of txns) {
      this.ctx.db.applyCommitted(txn);
      effects.push({ kind: 'applyCommitted', txn });
    }
    return effects;
  }

  private persistNewEpoch(txnsAfter?: readonly Txn[]): Effect[] {
    const epoch = this.newEpoch;
    const { db, config } = this.ctx;
    invariant(db.acceptedEpoch >= epoch, 'ACCEPTED_EPOCH_BELOW_CURRENT',
      () => `currentEpoch ${epoch} would exceed acceptedEpoch ${db.acceptedEpoch}`);
    if (epoch < db.currentEpoch && bugOn(config, 'old-epoch-proposal')) {
      // Following an older leader (planted bug): keep the newer currentEpoch, ACK at once.
      return this.resume({ then: 'newLeaderEpochPersisted', txnsAfter });
    }
    const effects: Effect[] = [];
    if (bugOn(config, 'accepted-epoch-not-persisted')) {
      // The in-memory promise reaches the disk just before currentEpoch (no one waits for it),
      // so a restart still finds acceptedEpoch >= currentEpoch.
      effects.push({ kind: 'writeAcceptedEpoch', token: this.ctx.newToken(), epoch: db.acceptedEpoch });
    }
    effects.push(...this.block({ then: 'newLeaderEpochPersisted', txnsAfter }, (token) => ({ kind: 'writeCurrentEpoch', token, epoch })));
    return effects;
  }

  private onUpToDate(): Effect[] {
    this.stage = 'broadcast';
    this.ctx.updateElectionVote(this.newEpoch);
    const effects: Effect[] = [
      { kind: 'stateChanged', state: this.isObserver ? 'OBSERVING' : 'FOLLOWING', leader: this.leader, epoch: this.newEpoch },
      { kind: 'serving', serving: true },
      { kind: 'send', to: this.leader, packet: packet(PacketType.ACK, this.newLeaderZxid) },
    ];
    const notLogged = this.packetsNotLogged;
    const committed = this.packetsCommitted;
    this.packetsNotLogged = [];
    this.packetsCommitted = [];
    if (this.isObserver) {
      for (const txn of notLogged) {
        if (committed[0] !== txn.zxid) continue;
        committed.shift();
        effects.push(...this.observerCommit(txn));
      }
      return effects;
    }
    const logged = notLogged.flatMap((txn) => this.logProposal(txn));
    if (bugOn(this.ctx.config, 'newleader-ack-before-sync')) widenFirstPersist(logged);
    for (const e of logged) effects.push(e); // not push(...): a DIFF may carry more txns than a call takes arguments
    for (const zxid of committed) effects.push(...this.followerCommit(zxid));
    return effects;
  }

  onDiskDone(token: number): RoleStep {
    const ack = this.loggedAcks.get(token);
    if (ack !== undefined) {
      this.loggedAcks.delete(token);
      this.ctx.db.noteLogged(ack);
      if (this.isObserver || this.stage === 'done') return stepOf([]);
      return stepOf([{ kind: 'send', to: this.leader, packet: packet(PacketType.ACK, ack) }]);
    }
    if (this.blockedOn === null || this.blockedOn.token !== token || this.stage === 'done') return stepOf([]);
    const { continuation } = this.blockedOn;
    this.blockedOn = null;
    const effects = this.resume(continuation);
    return this.drainInbox(effects);
  }

  private resume(c: Continuation): Effect[] {
    const { db } = this.ctx;
    switch (c.then) {
      case 'sendAckEpoch':
        db.setAcceptedEpoch(c.newEpoch);
        return [this.ackEpoch(c.ackData)];
      case 'truncated':
        db.truncatedTo(c.zxid);
        return [];
      case 'newLeaderSnapshotTaken':
        db.snapshotTaken(c.zxid);
        return this.logCommittedForNewLeader();
      case 'newLeaderTxnsLogged':
        for (const zxid of c.zxids) db.noteLogged(zxid);
        return c.epochWritten === true ? this.ackNewLeader() : this.persistNewEpoch();
      case 'newLeaderEpochPersisted':
        if (!(this.newEpoch < db.currentEpoch && bugOn(this.ctx.config, 'old-epoch-proposal'))) db.setCurrentEpoch(this.newEpoch);
        if (c.txnsAfter !== undefined) return this.logSyncedTxns(c.txnsAfter, true);
        return this.ackNewLeader();
    }
  }

  private ackNewLeader(): Effect[] {
    return [{ kind: 'send', to: this.leader, packet: packet(PacketType.ACK, this.newLeaderZxid) },
      this.readTimer(this.ctx.config.syncLimit)];
  }

  private drainInbox(effects: Effect[]): RoleStep {
    while (this.blockedOn === null && this.inbox.length > 0 && this.stage !== 'done') {
      const step = this.dispatch(this.inbox.shift()!);
      effects.push(...step.effects);
      if (step.exit !== null) return stepOf(effects, step.exit);
    }
    return stepOf(effects);
  }

  // ---------------------------------------------------------------- broadcast

  private onBroadcastPacket(p: ZabPacket): RoleStep {
    switch (p.type) {
      case PacketType.PROPOSAL:
        return stepOf(this.fenced(p) ?? [...this.continuity(p.zxid), ...this.logProposal({ zxid: p.zxid, data: p.data ?? new Uint8Array(0) })]);
      case PacketType.COMMIT:
        return stepOf(this.fenced(p) ?? this.followerCommit(p.zxid));
      case PacketType.INFORM:
        return stepOf(this.fenced(p) ?? [...this.continuity(p.zxid), ...this.observerCommit({ zxid: p.zxid, data: p.data ?? new Uint8Array(0) })]);
      case PacketType.PING:
        return stepOf([this.pingReply(p)]);
      case PacketType.SYNC:
        return stepOf([{ kind: 'syncReleased' }]);
      case PacketType.REVALIDATE:
        return stepOf([{ kind: 'revalidateResult', data: p.data }]);
      case PacketType.UPTODATE:
        return stepOf([]);
      default:
        return stepOf([{ kind: 'log', level: 'warn', message: `unexpected packet ${p.type} from leader` }]);
    }
  }

  /**
   * Epoch fencing: only this leader's epoch, and never a zxid at or below
   * what I already queued. PLANTED BUG old-epoch-proposal: an older epoch
   * passes too.
   */
  private fenced(p: ZabPacket): Effect[] | null {
    const epoch = epochOf(p.zxid);
    const epochOk = epoch === this.newEpoch || (epoch < this.newEpoch && bugOn(this.ctx.config, 'old-epoch-proposal'));
    if (epochOk && (p.type === PacketType.COMMIT || p.zxid > this.lastQueued)) return null;
    return [{ kind: 'log', level: 'warn', message: `refused ${p.type} ${zxidHex(p.zxid)} in epoch ${this.newEpoch}` }];
  }

  /**
   * A follower's PROPOSAL: logged, ACKed once durable. PLANTED BUG
   * ack-before-fsync: the write is answered before its fsync (see
   * `writtenOnly` in effects.ts). PLANTED BUG read-uncommitted: applied to
   * the tree at once, not at COMMIT.
   */
  private logProposal(txn: Txn): Effect[] {
    this.pendingTxns.push(txn);
    const token = this.ctx.newToken();
    this.loggedAcks.set(token, txn.zxid);
    const writtenOnly = !this.isObserver && bugOn(this.ctx.config, 'ack-before-fsync');
    const effects: Effect[] = [writtenOnly ? { kind: 'persistTxns', token, txns: [txn], writtenOnly } : { kind: 'persistTxns', token, txns: [txn] }];
    if (!this.isObserver && bugOn(this.ctx.config, 'read-uncommitted')) {
      this.ctx.db.applyUncommitted(txn);
      this.appliedEarly.add(txn.zxid);
      effects.push({ kind: 'applyCommitted', txn });
    }
    return effects;
  }

  private followerCommit(zxid: Zxid): Effect[] {
    const head = this.pendingTxns[0];
    if (head === undefined) return [{ kind: 'log', level: 'warn', message: `committing ${zxidHex(zxid)} without seeing txn` }];
    invariant(head.zxid === zxid, 'COMMIT_OUT_OF_ORDER',
      () => `committing ${zxidHex(zxid)}, but next pending txn is ${zxidHex(head.zxid)}`);
    this.pendingTxns.shift();
    if (this.appliedEarly.delete(zxid)) {
      this.ctx.db.noteCommitted(zxid);
      return [];
    }
    this.ctx.db.applyCommitted(head);
    return [{ kind: 'applyCommitted', txn: head }];
  }

  private observerCommit(txn: Txn): Effect[] {
    const token = this.ctx.newToken();
    this.loggedAcks.set(token, txn.zxid);
    this.ctx.db.noteCommitted(txn.zxid);
    this.ctx.db.applyCommitted(txn);
    return [{ kind: 'persistTxns', token, txns: [txn] }, { kind: 'applyCommitted', txn }];
  }

  private pingReply(p: ZabPacket): Effect {
    const touches: SessionTouch[] = [...this.touches].map(([sessionId, timeoutMs]) => ({ sessionId, timeoutMs }));
    this.touches = new Map();
    return { kind: 'send', to: this.leader, packet: packet(PacketType.PING, p.zxid, encodeTouches(touches)) };
  }

  // ------------------------------------------------------------ client side

  forwardRequest(data: Uint8Array): RoleStep {
    if (this.stage !== 'broadcast') return stepOf([{ kind: 'log', level: 'warn', message: 'request dropped: not synced' }]);
    return stepOf([{ kind: 'send', to: this.leader, packet: packet(PacketType.REQUEST, -1, data) }]);
  }

  revalidate(data: Uint8Array): RoleStep {
    if (this.stage !== 'broadcast') return stepOf([]);
    return stepOf([{ kind: 'send', to: this.leader, packet: packet(PacketType.REVALIDATE, -1, data) }]);
  }

  touchSession(sessionId: bigint, timeoutMs: number): void {
    this.touches.set(sessionId, timeoutMs);
  }
}

/** Planted bug newleader-ack-before-sync: the synced txns' first write waits (the rest queue behind it). */
function widenFirstPersist(effects: Effect[]): void {
  const i = effects.findIndex((e) => e.kind === 'persistTxns');
  const e = effects[i];
  if (e !== undefined && e.kind === 'persistTxns') effects[i] = { ...e, widenWindowMs: PLANTED_SYNC_LOG_DELAY_MS };
}
