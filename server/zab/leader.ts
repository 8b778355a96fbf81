// The leader (Leader + LearnerHandler): discovery (new epoch from a quorum
// of FOLLOWERINFO, a quorum of ACKEPOCH), synchronization (DIFF/TRUNC/SNAP
// per learner, a quorum of NEWLEADER ACKs) and broadcast (PROPOSAL, quorum
// ACKs, COMMIT strictly in zxid order, INFORM to observers, PING and the
// syncLimit step-down, SYNC).
import { bugOn } from './config.ts';
import type { Effect } from './effects.ts';
import { invariant } from './invariants.ts';
import { EpochAcks, EpochProposal, NewLeaderAcks, type StateSummary } from './leader-discovery.ts';
import { forwardOutstanding, newHandler, syncPackets, type LearnerHandler } from './learner-handler.ts';
import {
  decodeInt, decodeLearnerInfo, encodeInt, packet, PacketType, requestTypeOf, ZAB_PROTOCOL_VERSION, type ZabPacket,
} from './packets.ts';
import { stepOf, type RoleContext, type RoleStep } from './role.ts';
import { decideSync, type SyncPlan } from './sync-decision.ts';
import type { Txn } from './txn.ts';
import { counterOf, epochOf, makeZxid, MAX_COUNTER, zxidHex, type Zxid } from './zxid.ts';

const OPCODE_SYNC = 9;

type LeaderPhase = 'DISCOVERY' | 'SYNCHRONIZATION' | 'BROADCAST' | 'SHUTDOWN';

interface Proposal {
  readonly txn: Txn;
  readonly acks: Set<number>;
}

type DiskWait = { readonly what: 'acceptedEpoch' } | { readonly what: 'currentEpoch' } | { readonly what: 'logged'; readonly zxid: Zxid };

export class Leader {
  phase: LeaderPhase = 'DISCOVERY';
  private readonly handlers = new Map<number, LearnerHandler>();
  private readonly epochProposal: EpochProposal;
  private epochAcks: EpochAcks | null = null;
  private newLeaderAcks: NewLeaderAcks | null = null;
  private acceptedEpochPersisted = false;
  private currentEpochPersisted = false;
  private readonly summary: StateSummary;
  private newLeaderZxid: Zxid = -1;
  private readonly outstanding = new Map<Zxid, Proposal>();
  private lastProposed: Zxid = -1;
  private lastCommitted: Zxid = -1;
  /** Forwarded syncs parked until a zxid commits, with the handler (the connection) that forwarded each. */
  private readonly pendingSyncs = new Map<Zxid, LearnerHandler[]>();
  private readonly diskWaits = new Map<number, DiskWait>();
  private tick = 0;
  private tickSkip = true;

  constructor(private readonly ctx: RoleContext) {
    this.epochProposal = new EpochProposal(ctx.config.myId, ctx.config.verifier, bugOn(ctx.config, 'equal-epoch-proposal'));
    this.summary = { currentEpoch: ctx.db.currentEpoch, lastZxid: ctx.db.lastProcessedZxid };
  }

  get epoch(): number {
    return this.epochProposal.epoch;
  }

  /** The zxid the next proposal must carry, or null when not broadcasting (or the counter is exhausted). */
  nextZxid(): Zxid | null {
    if (this.phase !== 'BROADCAST') return null;
    return this.lastProposed + 1;
  }

  start(): RoleStep {
    const effects: Effect[] = [
      { kind: 'stateChanged', state: 'LEADING', leader: this.ctx.config.myId, epoch: this.ctx.db.currentEpoch },
      this.phaseTimer(),
    ];
    effects.push(...this.offerEpoch(this.ctx.config.myId, this.ctx.db.acceptedEpoch));
    return stepOf(effects);
  }

  private phaseTimer(): Effect {
    return { kind: 'setTimer', name: 'leader.phase', delayMs: this.ctx.config.initLimit * this.ctx.config.tickTimeMs };
  }

  // ---------------------------------------------------------------- discovery

  private offerEpoch(sid: number, lastAcceptedEpoch: number): Effect[] {
    if (!this.epochProposal.offer(sid, lastAcceptedEpoch)) return [];
    const epoch = this.epochProposal.epoch;
    invariant(epoch > this.ctx.db.acceptedEpoch, 'EPOCH_ESTABLISHED_TWICE',
      () => `proposing epoch ${epoch} not above acceptedEpoch ${this.ctx.db.acceptedEpoch}`);
    // The trace the harness checks (harness/checker/discovery): the epoch, and the promises it was chosen above.
    const offers = [...this.epochProposal.offered].map(([s, e]) => `${s}:${e}`).join(' ');
    const decided: Effect = { kind: 'log', level: 'info', message: `proposing epoch ${epoch} (acceptedEpoch by server: ${offers})` };
    if (bugOn(this.ctx.config, 'accepted-epoch-not-persisted')) {
      // PLANTED BUG (ZOOKEEPER-1291): the promise is kept in memory only; LEADERINFO goes out at once.
      return [decided, { kind: 'log', level: 'warn', message: `planted bug: acceptedEpoch ${epoch} not persisted before proposing it` },
        ...this.onAcceptedEpochPersisted().effects];
    }
    const token = this.ctx.newToken();
    this.diskWaits.set(token, { what: 'acceptedEpoch' });
    return [decided, { kind: 'writeAcceptedEpoch', token, epoch }];
  }

  /** acceptedEpoch persisted: send LEADERINFO to waiting learners, then count my own ACKEPOCH. */
  private onAcceptedEpochPersisted(): RoleStep {
    const epoch = this.epochProposal.epoch;
    this.ctx.db.setAcceptedEpoch(epoch);
    this.acceptedEpochPersisted = true;
    this.newLeaderZxid = makeZxid(epoch, 0);
    this.lastProposed = this.newLeaderZxid;
    this.epochAcks = new EpochAcks(this.ctx.config.myId, this.ctx.config.verifier, this.summary);
    this.newLeaderAcks = new NewLeaderAcks(this.newLeaderZxid, this.ctx.config.verifier);
    const effects: Effect[] = [this.phaseTimer()];
    for (const h of this.handlers.values()) if (h.stage === 'awaitEpoch') effects.push(...this.sendLeaderInfo(h));
    const self = this.epochAcks.offer(this.ctx.config.myId, this.summary);
    invariant(self === 'counted', 'BAD_STATE', () => `leader's own ACKEPOCH was ${self}`);
    effects.push(...this.afterEpochAck());
    return stepOf(effects);
  }

  private sendLeaderInfo(h: LearnerHandler): Effect[] {
    h.stage = 'awaitEpochAck';
    return [{ kind: 'send', to: h.sid, packet: packet(PacketType.LEADERINFO, this.newLeaderZxid, encodeInt(ZAB_PROTOCOL_VERSION)) }];
  }

  private onLearnerInfo(from: number, p: ZabPacket): RoleStep {
    const { verifier } = this.ctx.config;
    const info = decodeLearnerInfo(p.data);
    const isParticipant = p.type === PacketType.FOLLOWERINFO;
    const known = isParticipant ? verifier.isVoter(from) : verifier.isObserver(from);
    if (info.serverid !== from || !known || info.protocolVersion < ZAB_PROTOCOL_VERSION) {
      return stepOf([{ kind: 'closeLearner', sid: from, reason: 'BAD_LEARNER_INFO' }]);
    }
    const h = newHandler(from, isParticipant, this.tick + this.ctx.config.initLimit + this.ctx.config.syncLimit);
    this.handlers.set(from, h);
    const effects = this.offerEpoch(from, epochOf(p.zxid));
    if (this.acceptedEpochPersisted && h.stage === 'awaitEpoch') effects.push(...this.sendLeaderInfo(h));
    return stepOf(effects);
  }

  private onAckEpoch(h: LearnerHandler, p: ZabPacket): RoleStep {
    h.peerLastZxid = p.zxid;
    h.stage = 'awaitElection';
    const acks = this.epochAcks!;
    if (acks.electionFinished) return stepOf(this.syncLearner(h));
    const result = acks.offer(h.sid, { currentEpoch: decodeInt(p.data, 'ACKEPOCH'), lastZxid: p.zxid });
    if (result === 'followerIsAhead') {
      this.handlers.delete(h.sid);
      return stepOf([{ kind: 'closeLearner', sid: h.sid, reason: 'FOLLOWER_IS_AHEAD' }]);
    }
    return stepOf(this.afterEpochAck());
  }

  /** Once a quorum acked the epoch: persist currentEpoch and sync every waiting learner. */
  private afterEpochAck(): Effect[] {
    if (!this.epochAcks!.electionFinished || this.phase !== 'DISCOVERY') return [];
    this.phase = 'SYNCHRONIZATION';
    const epoch = this.epochProposal.epoch;
    invariant(epoch > this.ctx.db.currentEpoch, 'EPOCH_ESTABLISHED_TWICE',
      () => `epoch ${epoch} not above currentEpoch ${this.ctx.db.currentEpoch}`);
    const token = this.ctx.newToken();
    this.diskWaits.set(token, { what: 'currentEpoch' });
    const effects: Effect[] = [this.phaseTimer()];
    if (bugOn(this.ctx.config, 'accepted-epoch-not-persisted')) {
      // The promise reaches the disk only now, just before currentEpoch (no one waits for it):
      // the startup check acceptedEpoch >= currentEpoch still holds after a restart.
      effects.push({ kind: 'writeAcceptedEpoch', token: this.ctx.newToken(), epoch });
    }
    effects.push({ kind: 'writeCurrentEpoch', token, epoch });
    for (const h of this.handlers.values()) if (h.stage === 'awaitElection') effects.push(...this.syncLearner(h));
    return effects;
  }

  // ---------------------------------------------------------- synchronization

  private syncLearner(h: LearnerHandler): Effect[] {
    const { snapshotSizeFactor } = this.ctx.config;
    const plan = decideSync({
      peerLastZxid: h.peerLastZxid, committedLog: this.ctx.db.committedLog, lastProcessedZxid: this.ctx.db.lastProcessedZxid,
      txnLogSyncEnabled: snapshotSizeFactor >= 0, plantedBugs: this.ctx.config.plantedBugs,
    });
    if (plan.needsTxnLog !== true) return this.sendSync(h, plan);
    // The learner stays out of the forwarding set until the read answers.
    h.stage = 'awaitTxnLog';
    h.txnLogToken = this.ctx.newToken();
    return [{
      kind: 'readTxnLog', token: h.txnLogToken, fromZxid: h.peerLastZxid, snapshotSizeFactor,
    }];
  }

  /** The on-disk read for a learner in 'awaitTxnLog' answered: decide again with what it found. */
  onTxnLogRead(token: number, txns: readonly Txn[] | null): RoleStep {
    const h = [...this.handlers.values()].find((x) => x.stage === 'awaitTxnLog' && x.txnLogToken === token);
    if (h === undefined || this.phase === 'SHUTDOWN') return stepOf([]);
    h.txnLogToken = null;
    const plan = decideSync({
      peerLastZxid: h.peerLastZxid, committedLog: this.ctx.db.committedLog, lastProcessedZxid: this.ctx.db.lastProcessedZxid,
      txnLogSyncEnabled: true, txnLog: txns, plantedBugs: this.ctx.config.plantedBugs,
    });
    invariant(plan.needsTxnLog !== true, 'BAD_STATE', () => `learner ${h.sid} asked to read the txn log twice`);
    const found = txns === null ? 'not usable' : `${txns.length} txns`;
    return stepOf([{ kind: 'log', level: 'info', message: `sync ${h.sid}: on-disk txn log from ${zxidHex(h.peerLastZxid)}: ${found}` },
      ...this.sendSync(h, plan)]);
  }

  /**
   * Queues the sync packets, the outstanding proposals and NEWLEADER, and
   * (by the stage change, in the same step) adds the learner to the
   * forwarding set: every commit after this step reaches it by
   * sendToLearners, every one before is in the plan (ZooKeeper does this
   * under the leader's lock in startForwarding).
   */
  private sendSync(h: LearnerHandler, plan: SyncPlan): Effect[] {
    const lastInMemory = this.ctx.db.committedLog.at(-1)?.zxid ?? -1;
    invariant(plan.kind === 'SNAP' || plan.syncedToZxid >= lastInMemory, 'SYNC_GAP',
      () => `sync ${h.sid} up to ${zxidHex(plan.syncedToZxid)} but ${zxidHex(lastInMemory)} is committed`);
    h.syncPlan = plan;
    h.stage = 'awaitNewLeaderAck';
    const effects = syncPackets(h.sid, plan);
    if (this.lastProposed > plan.syncedToZxid) {
      effects.push(...forwardOutstanding(h, [...this.outstanding.values()].map((x) => x.txn), plan.syncedToZxid));
    }
    const fromLog = plan.txnsFromLog === undefined ? '' : ` (${plan.txnsFromLog} from the txn log)`;
    effects.push({ kind: 'send', to: h.sid, packet: packet(PacketType.NEWLEADER, this.newLeaderZxid, this.ctx.config.configBytes) },
      { kind: 'log', level: 'info', message: `sync ${h.sid}: ${plan.kind} ${zxidHex(plan.zxid)} +${plan.txns.length} txns${fromLog}` });
    return effects;
  }

  private onNewLeaderAck(h: LearnerHandler, p: ZabPacket): RoleStep {
    const counted = this.newLeaderAcks!.offer(h.sid, p.zxid);
    const effects: Effect[] = counted ? [] : [{ kind: 'log', level: 'warn',
      message: `NEWLEADER ACK from ${h.sid} has zxid ${zxidHex(p.zxid)}, expected ${zxidHex(this.newLeaderZxid)}` }];
    h.stage = 'awaitStartup';
    if (this.phase === 'BROADCAST') effects.push(...this.sendUpToDate(h));
    else effects.push(...this.maybeEstablish());
    return stepOf(effects);
  }

  private onCurrentEpochPersisted(): RoleStep {
    this.ctx.db.setCurrentEpoch(this.epochProposal.epoch);
    this.currentEpochPersisted = true;
    this.newLeaderAcks!.offer(this.ctx.config.myId, this.newLeaderZxid);
    return stepOf(this.maybeEstablish());
  }

  /** startZkServer: the NEWLEADER quorum formed and my own currentEpoch is durable. */
  private maybeEstablish(): Effect[] {
    if (this.phase !== 'SYNCHRONIZATION' || !this.currentEpochPersisted || !this.newLeaderAcks!.quorumFormed) return [];
    const epoch = this.epochProposal.epoch;
    this.ctx.noteEpochEstablished(epoch);
    this.phase = 'BROADCAST';
    this.lastCommitted = this.newLeaderZxid;
    this.ctx.db.establishEpoch(this.newLeaderZxid);
    this.ctx.updateElectionVote(epoch);
    const initialCounter = this.ctx.config.testingInitialZxidCounter;
    if (initialCounter !== undefined) this.lastProposed = this.lastCommitted = makeZxid(epoch, initialCounter);
    const effects: Effect[] = [
      { kind: 'cancelTimer', name: 'leader.phase' },
      { kind: 'stateChanged', state: 'LEADING', leader: this.ctx.config.myId, epoch },
      { kind: 'serving', serving: true },
      { kind: 'setTimer', name: 'leader.tick', delayMs: this.ctx.config.tickTimeMs / 2 },
    ];
    for (const h of this.handlers.values()) if (h.stage === 'awaitStartup') effects.push(...this.sendUpToDate(h));
    return effects;
  }

  private sendUpToDate(h: LearnerHandler): Effect[] {
    h.stage = 'broadcast';
    return [{ kind: 'send', to: h.sid, packet: packet(PacketType.UPTODATE, -1) }];
  }

  // ---------------------------------------------------------------- broadcast

  propose(txn: Txn): RoleStep {
    invariant(this.phase === 'BROADCAST', 'BAD_STATE', () => `propose in phase ${this.phase}`);
    invariant(txn.zxid === this.lastProposed + 1 && epochOf(txn.zxid) === this.epoch, 'ZXID_REGRESSED',
      () => `proposal ${zxidHex(txn.zxid)} after ${zxidHex(this.lastProposed)}`);
    if (counterOf(txn.zxid) === MAX_COUNTER) {
      return this.shutdown('zxid lower 32 bits have rolled over, forcing re-election');
    }
    this.outstanding.set(txn.zxid, { txn, acks: new Set() });
    this.lastProposed = txn.zxid;
    const effects: Effect[] = [];
    // One packet object for every follower: the io layer encodes it once.
    this.sendToLearners(effects, true, packet(PacketType.PROPOSAL, txn.zxid, txn.data));
    const token = this.ctx.newToken();
    this.diskWaits.set(token, { what: 'logged', zxid: txn.zxid });
    effects.push({ kind: 'persistTxns', token, txns: [txn] });
    return stepOf(effects);
  }

  /**
   * Sends `p` to every learner in broadcast (or about to be) of one kind:
   * followers (`participants`) or observers. A plain loop, not a generator:
   * it runs for every proposal and commit.
   */
  private sendToLearners(effects: Effect[], participants: boolean, p: ZabPacket): void {
    for (const h of this.handlers.values()) {
      if (h.isParticipant !== participants) continue;
      if (h.stage === 'awaitNewLeaderAck' || h.stage === 'awaitStartup' || h.stage === 'broadcast') {
        effects.push({ kind: 'send', to: h.sid, packet: p });
      }
    }
  }

  private processAck(sid: number, zxid: Zxid): Effect[] {
    if (counterOf(zxid) === 0) return []; // the post-UPTODATE ACK of NEWLEADER
    if (this.outstanding.size === 0 || this.lastCommitted >= zxid) return [];
    const p = this.outstanding.get(zxid);
    if (p === undefined) return [];
    p.acks.add(sid);
    return this.tryToCommit(zxid);
  }

  /** Commits `zxid` and any following proposals that already have a quorum, strictly in order. */
  private tryToCommit(from: Zxid): Effect[] {
    const effects: Effect[] = [];
    for (let zxid = from; ; zxid++) {
      const p = this.outstanding.get(zxid);
      if (p === undefined || this.outstanding.has(zxid - 1)) break;
      if (!this.hasCommitQuorum(p.acks)) break;
      effects.push(...this.commit(p));
    }
    return effects;
  }

  /**
   * A voter quorum of ACKs. PLANTED BUG commit-without-quorum: floor(n/2)
   * voters' ACKs are enough, one short of a majority (the leader's own ACK
   * alone in a 3-node ensemble).
   */
  private hasCommitQuorum(acks: ReadonlySet<number>): boolean {
    const { verifier } = this.ctx.config;
    if (!bugOn(this.ctx.config, 'commit-without-quorum')) return verifier.containsQuorum(acks);
    let voters = 0;
    for (const sid of acks) if (verifier.isVoter(sid)) voters++;
    return voters >= Math.max(1, Math.floor(verifier.voters.length / 2));
  }

  private commit(p: Proposal): Effect[] {
    const zxid = p.txn.zxid;
    invariant(zxid === this.lastCommitted + 1, 'COMMIT_OUT_OF_ORDER',
      () => `committing ${zxidHex(zxid)} after ${zxidHex(this.lastCommitted)}`);
    invariant(this.ctx.config.verifier.containsQuorum(p.acks) || bugOn(this.ctx.config, 'commit-without-quorum'),
      'COMMIT_WITHOUT_QUORUM', () => `committing ${zxidHex(zxid)} with acks from ${[...p.acks].join(',')}`);
    this.outstanding.delete(zxid);
    this.lastCommitted = zxid;
    this.ctx.db.applyCommitted(p.txn);
    const effects: Effect[] = [];
    this.sendToLearners(effects, true, packet(PacketType.COMMIT, zxid));
    this.sendToLearners(effects, false, packet(PacketType.INFORM, zxid, p.txn.data));
    effects.push({ kind: 'applyCommitted', txn: p.txn });
    for (const h of this.pendingSyncs.get(zxid) ?? []) effects.push(...this.releaseSync(h));
    this.pendingSyncs.delete(zxid);
    return effects;
  }

  /**
   * SYNC to the learner that forwarded the sync, on the connection it came
   * by (ZooKeeper queues it on that LearnerHandler). A learner that has
   * since disconnected and registered again is in discovery or sync on a
   * new handler: a SYNC there would come before DIFF/TRUNC/SNAP, so the
   * parked sync is dropped with the old connection.
   */
  private releaseSync(h: LearnerHandler): Effect[] {
    if (this.handlers.get(h.sid) !== h || h.stage !== 'broadcast') return [];
    return [this.syncPacket(h.sid)];
  }

  private syncPacket(to: number): Effect {
    return { kind: 'send', to, packet: packet(PacketType.SYNC, 0) };
  }

  /** processSync: answer at once if nothing is outstanding, else when lastProposed commits. */
  private processSync(h: LearnerHandler): Effect[] {
    if (this.outstanding.size === 0) return [this.syncPacket(h.sid)];
    const waiting = this.pendingSyncs.get(this.lastProposed) ?? [];
    waiting.push(h);
    this.pendingSyncs.set(this.lastProposed, waiting);
    return [];
  }

  // ------------------------------------------------------------------- events

  onLearnerPacket(from: number, p: ZabPacket): RoleStep {
    if (this.phase === 'SHUTDOWN') return stepOf([]);
    if (p.type === PacketType.FOLLOWERINFO || p.type === PacketType.OBSERVERINFO) return this.onLearnerInfo(from, p);
    const h = this.handlers.get(from);
    if (h === undefined) return stepOf([{ kind: 'closeLearner', sid: from, reason: 'NO_LEARNER_INFO' }]);
    h.tickOfNextAckDeadline = this.tick + this.ctx.config.syncLimit;
    if (h.stage === 'awaitEpochAck' && p.type === PacketType.ACKEPOCH) return this.onAckEpoch(h, p);
    if (h.stage === 'awaitNewLeaderAck' && p.type === PacketType.ACK) return this.onNewLeaderAck(h, p);
    if (h.stage === 'broadcast') return stepOf(this.onBroadcastPacket(h, p));
    this.handlers.delete(from);
    return stepOf([{ kind: 'closeLearner', sid: from, reason: `UNEXPECTED_PACKET type ${p.type} in ${h.stage}` }]);
  }

  private onBroadcastPacket(h: LearnerHandler, p: ZabPacket): Effect[] {
    switch (p.type) {
      case PacketType.ACK:
        return h.isParticipant ? this.processAck(h.sid, p.zxid) : [];
      case PacketType.PING:
        return [{ kind: 'sessionTouches', from: h.sid, data: p.data }];
      case PacketType.REVALIDATE:
        return [{ kind: 'revalidateSession', from: h.sid, data: p.data }];
      case PacketType.REQUEST:
        if (requestTypeOf(p.data) === OPCODE_SYNC) return this.processSync(h);
        return [{ kind: 'learnerRequest', from: h.sid, data: p.data! }];
      default:
        return [{ kind: 'log', level: 'warn', message: `unexpected packet type ${p.type} from ${h.sid}` }];
    }
  }

  onLearnerDisconnected(sid: number): RoleStep {
    this.handlers.delete(sid);
    return stepOf([]);
  }

  onRevalidateReply(to: number, data: Uint8Array): RoleStep {
    // Only to a learner in broadcast: one that registered again since it asked is in its handshake.
    if (this.handlers.get(to)?.stage !== 'broadcast') return stepOf([]);
    return stepOf([{ kind: 'send', to, packet: packet(PacketType.REVALIDATE, 0, data) }]);
  }

  onDiskDone(token: number): RoleStep {
    const wait = this.diskWaits.get(token);
    if (wait === undefined || this.phase === 'SHUTDOWN') return stepOf([]);
    this.diskWaits.delete(token);
    if (wait.what === 'acceptedEpoch') return this.onAcceptedEpochPersisted();
    if (wait.what === 'currentEpoch') return this.onCurrentEpochPersisted();
    this.ctx.db.noteLogged(wait.zxid);
    return stepOf(this.processAck(this.ctx.config.myId, wait.zxid));
  }

  onTimer(name: 'leader.phase' | 'leader.tick'): RoleStep {
    if (this.phase === 'SHUTDOWN') return stepOf([]);
    if (name === 'leader.phase') {
      if (this.phase === 'BROADCAST') return stepOf([]);
      return this.shutdown(`timeout in ${this.phase}: no quorum within initLimit`);
    }
    return this.onTick();
  }

  /** Every tickTime/2: ping learners; every other wakeup require a synced quorum. */
  private onTick(): RoleStep {
    if (this.phase !== 'BROADCAST') return stepOf([]);
    if (!this.tickSkip) {
      this.tick += 1;
      const synced = [this.ctx.config.myId];
      for (const h of this.handlers.values()) if (this.tick <= h.tickOfNextAckDeadline) synced.push(h.sid);
      if (!this.ctx.config.verifier.containsQuorum(synced)) {
        return this.shutdown(`Not sufficient followers synced, only synced with sids: [ ${synced.join(',')} ]`);
      }
    }
    this.tickSkip = !this.tickSkip;
    const effects: Effect[] = [{ kind: 'setTimer', name: 'leader.tick', delayMs: this.ctx.config.tickTimeMs / 2 }];
    for (const h of this.handlers.values()) {
      if (h.stage !== 'awaitEpoch' && h.stage !== 'awaitEpochAck' && h.stage !== 'awaitElection' && h.stage !== 'awaitTxnLog') {
        effects.push({ kind: 'send', to: h.sid, packet: packet(PacketType.PING, this.lastProposed) });
      }
    }
    return stepOf(effects);
  }

  shutdown(reason: string): RoleStep {
    if (this.phase === 'SHUTDOWN') return stepOf([]);
    this.phase = 'SHUTDOWN';
    const effects: Effect[] = [
      { kind: 'cancelTimer', name: 'leader.phase' },
      { kind: 'cancelTimer', name: 'leader.tick' },
      { kind: 'serving', serving: false },
      { kind: 'log', level: 'warn', message: `leader shutdown: ${reason}` },
    ];
    for (const sid of this.handlers.keys()) effects.push({ kind: 'closeLearner', sid, reason: 'leader shutdown' });
    this.handlers.clear();
    return stepOf(effects, reason);
  }
}
