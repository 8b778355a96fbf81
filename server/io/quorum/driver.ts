// QuorumPeerDriver: runs one pure ZabPeer (server/zab) on real sockets, disk
// and timers. Every event — a notification, a packet, a timer, a disk
// completion, a call from the host — goes through one queue and one
// `peer.handle()` at a time; the effects it returns are executed in order
// before the next event (a host call made while effects run is queued, not
// nested). Disk effects go to the DiskExecutor; state-machine effects to the
// host; any failure of the disk, or a broken invariant, stops the driver and
// resolves `failed` with one line.
import { NodeDisk } from '../disk.ts';
import { watchFaultsFile } from '../faults-file.ts';
import { FaultyDisk } from '../../storage/faulty-disk.ts';
import { zxidOfTxn } from '../../storage/log-format.ts';
import { TxnLog } from '../../storage/txn-log.ts';
import { zabConfig } from '../../zab/config.ts';
import type { Effect, EffectOf, PeerStateName, TimerName } from '../../zab/effects.ts';
import type { ZabEvent } from '../../zab/events.ts';
import { PacketType } from '../../zab/packets.ts';
import { ZabPeer } from '../../zab/peer.ts';
import { counterOf, zxidHex } from '../../zab/zxid.ts';
import { loadDatabase, type StorageDirs } from './database-loader.ts';
import { DiskExecutor } from './disk-executor.ts';
import { QuorumError, check } from './errors.ts';
import type { QuorumHost, QuorumState, TreeSink } from './host.ts';
import { QUORUM_DEFAULTS, type QuorumDriverOptions } from './options.ts';
import { encodeSnapStream } from './packet-stream.ts';
import { NamedTimers } from './timers.ts';
import { Transports } from './transports.ts';

type Status = 'new' | 'starting' | 'running' | 'stopped';

export class QuorumPeerDriver {
  readonly failed: Promise<string>;
  readonly disk: FaultyDisk;
  private resolveFailed: (reason: string) => void = () => {};
  private readonly peer: ZabPeer;
  private readonly timers: NamedTimers;
  private readonly tree: TrackedTree;
  private readonly transports: Transports;
  private readonly events: ZabEvent[] = [];
  private draining = false;
  private status: Status = 'new';
  private role: QuorumState = 'LOOKING';
  private leader: number | null = null;
  private isServing = false;
  private queuedProposeZxid: number | null = null;
  private txnLog: TxnLog | null = null;
  private executor: DiskExecutor | null = null;
  private stopFaults: () => void = () => {};
  private ownDisk: NodeDisk | null = null;
  private txnsSinceSnapshot = 0;
  private readonly snapEveryTxns: number;
  /** Leader: learners sent UPTODATE (synced), and forwarded syncs not yet answered. */
  private readonly synced = new Set<number>();
  /** Per learner: forwarded syncs not yet answered (a learner's are dropped with its connection). */
  private readonly pendingSyncsBySid = new Map<number, number>();

  constructor(private readonly options: QuorumDriverOptions, private readonly host: QuorumHost) {
    const voters = options.servers.filter((s) => s.type === 'participant').map((s) => s.id);
    const observers = options.servers.filter((s) => s.type === 'observer').map((s) => s.id);
    this.peer = new ZabPeer(zabConfig(options.myId, voters, observers, {
      tickTimeMs: options.tickTimeMs, initLimit: options.initLimit, syncLimit: options.syncLimit,
      commitLogCount: options.commitLogCount ?? QUORUM_DEFAULTS.commitLogCount,
      snapshotSizeFactor: options.snapshotSizeFactor ?? QUORUM_DEFAULTS.snapshotSizeFactor, ...options.zab,
      ...(options.plantedBugs !== undefined && options.plantedBugs.size > 0 ? { plantedBugs: options.plantedBugs } : {}),
    }));
    this.failed = new Promise((resolve) => { this.resolveFailed = resolve; });
    if (options.disk === undefined) this.ownDisk = new NodeDisk();
    this.disk = options.disk ?? new FaultyDisk(this.ownDisk!, (ms) => new Promise((r) => setTimeout(r, ms)));
    this.timers = new NamedTimers((name) => this.deliver({ type: 'timer', name }));
    this.tree = new TrackedTree(host);
    this.transports = new Transports(options, (e) => this.deliver(e));
    const snapCount = Math.max(2, options.snapCount ?? QUORUM_DEFAULTS.snapCount);
    this.snapEveryTxns = Math.floor(snapCount / 2) + Math.floor(Math.random() * Math.floor(snapCount / 2));
  }

  // ------------------------------------------------------------- lifecycle

  /** Recovers the database into the host's tree, opens the log, binds both ports, starts the election. */
  async start(): Promise<void> {
    if (this.status !== 'new') throw new QuorumError('NOT_STARTED', `start() called when ${this.status}`);
    this.status = 'starting';
    const o = this.options;
    if (o.disk === undefined) this.stopFaults = watchFaultsFile(this.disk, o.log);
    try {
      const database = await loadDatabase(this.disk, this.dirs(), this.tree, this.commitLogCount(), o.log);
      this.txnLog = await TxnLog.open(this.disk, { dataLogDir: o.dataLogDir, preAllocSizeBytes: o.preAllocSizeBytes });
      this.executor = new DiskExecutor({
        disk: this.disk, dirs: this.dirs(), txnLog: this.txnLog, tree: this.tree, commitLogCount: this.commitLogCount(),
        log: o.log, onEvent: (e) => this.deliver(e), onFatal: (reason) => this.fatal(reason),
      });
      await this.transports.listen();
      if (this.status !== 'starting') throw new QuorumError('NOT_STARTED', 'stopped while starting');
      this.status = 'running';
      o.log(`quorum peer ${o.myId} started: ${this.transports.describe()}`);
      this.deliver({ type: 'start', database });
    } catch (e) {
      this.status = 'starting';
      await this.stop();
      throw e;
    }
  }

  /** Closes sockets and timers, waits for the disk write in progress; queued disk work is dropped. */
  async stop(): Promise<void> {
    if (this.status === 'stopped') return;
    this.status = 'stopped';
    this.events.length = 0;
    this.timers.cancelAll();
    this.stopFaults();
    if (this.isServing) this.host.serving(false);
    this.isServing = false;
    await this.transports.stop();
    await this.executor?.stop();
    await this.txnLog?.close().catch(() => undefined);
    await this.ownDisk?.close().catch(() => undefined);
  }

  private fatal(reason: string): void {
    if (this.status === 'stopped') return;
    this.options.log(`FATAL: quorum peer ${this.options.myId} stops: ${reason}`);
    this.resolveFailed(reason);
    void this.stop();
  }

  private dirs(): StorageDirs {
    return { dataDir: this.options.dataDir, dataLogDir: this.options.dataLogDir, trustEmptySnapshot: this.options.trustEmptySnapshot };
  }

  private commitLogCount(): number {
    return this.options.commitLogCount ?? QUORUM_DEFAULTS.commitLogCount;
  }

  // ------------------------------------------------------------ host calls

  /** The zxid the next proposal must carry, or null when this server cannot propose. */
  nextZxid(): number | null {
    if (this.status !== 'running') return null;
    const base = this.peer.nextZxid();
    if (base === null) return null;
    return this.queuedProposeZxid !== null && this.queuedProposeZxid >= base ? this.queuedProposeZxid + 1 : base;
  }

  /** Leader: proposes a txn (TxnHeader + record) at `zxid`, which must be nextZxid(). */
  propose(zxid: number, data: Uint8Array): void {
    const expected = this.nextZxid();
    if (expected === null) throw new QuorumError('NOT_LEADING', `cannot propose ${zxidHex(zxid)}: not an established leader`);
    if (zxid !== expected) throw new QuorumError('BAD_ZXID', `proposal ${zxidHex(zxid)}, expected ${zxidHex(expected)}`);
    const headerZxid = zxidOfTxn(data);
    if (headerZxid !== zxid) throw new QuorumError('BAD_ZXID', `proposal ${zxidHex(zxid)} has TxnHeader zxid ${zxidHex(headerZxid)}`);
    this.queuedProposeZxid = zxid;
    this.deliver({ type: 'propose', txn: { zxid, data } });
  }

  /** Learner: forwards a client request (REQUEST data) to the leader. */
  forwardRequest(data: Uint8Array): void {
    this.deliver({ type: 'forwardRequest', data });
  }

  touchSession(sessionId: bigint, timeoutMs: number): void {
    this.deliver({ type: 'touchSession', sessionId, timeoutMs });
  }

  revalidate(data: Uint8Array): void {
    this.deliver({ type: 'revalidate', data });
  }

  revalidateReply(to: number, data: Uint8Array): void {
    this.deliver({ type: 'revalidateReply', to, data });
  }

  // ------------------------------------------------------------- accessors

  get state(): QuorumState {
    return this.role;
  }

  get leaderId(): number | null {
    return this.leader;
  }

  get serving(): boolean {
    return this.isServing;
  }

  get running(): boolean {
    return this.status === 'running';
  }

  /** lastProcessedZxid as Zab sees it (the new epoch's marker on a fresh leader). */
  get lastZxid(): number {
    return this.peer.db.lastProcessedZxid;
  }

  get lastLoggedZxid(): number {
    return this.peer.db.lastLoggedZxid;
  }

  get currentEpoch(): number {
    return this.peer.db.currentEpoch;
  }

  get acceptedEpoch(): number {
    return this.peer.db.acceptedEpoch;
  }

  /** Leader: connected learners (zk_learners). */
  get learnerCount(): number {
    return this.transports.learners.learnerCount;
  }

  /** Leader: participants that were sent UPTODATE and are still connected (zk_synced_followers). */
  get syncedFollowerCount(): number {
    return [...this.synced].filter((sid) => this.peer.config.verifier.isVoter(sid)).length;
  }

  get syncedObserverCount(): number {
    return [...this.synced].filter((sid) => this.peer.config.verifier.isObserver(sid)).length;
  }

  /** Leader: forwarded syncs waiting for their SYNC (zk_pending_syncs). */
  get pendingSyncs(): number {
    let n = 0;
    for (const count of this.pendingSyncsBySid.values()) n += count;
    return n;
  }

  /** Sids with an open election connection. */
  get electionPeers(): number[] {
    return this.transports.election.connectedPeers();
  }

  // ------------------------------------------------------------ event loop

  private deliver(event: ZabEvent): void {
    if (this.status !== 'running') return;
    this.events.push(event);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let e = this.events.shift(); e !== undefined; e = this.events.shift()) {
        this.noteIncoming(e);
        const effects = this.peer.handle(e);
        if (e.type === 'propose' && e.txn.zxid === this.queuedProposeZxid) this.queuedProposeZxid = null;
        for (const effect of effects) {
          if (this.status !== 'running') return;
          this.execute(effect);
        }
      }
    } catch (err) {
      this.fatal(err instanceof Error ? err.message : String(err));
    } finally {
      this.draining = false;
    }
  }

  private noteIncoming(e: ZabEvent): void {
    if (e.type === 'learnerDisconnected') {
      this.synced.delete(e.sid);
      this.pendingSyncsBySid.delete(e.sid);
    }
    if (e.type === 'learnerPacket' && e.packet.type === PacketType.REQUEST && this.synced.has(e.from)) {
      const data = e.packet.data;
      if (data !== null && data.byteLength >= 16 && new DataView(data.buffer, data.byteOffset).getInt32(12) === 9) {
        this.pendingSyncsBySid.set(e.from, (this.pendingSyncsBySid.get(e.from) ?? 0) + 1);
      }
    }
  }

  private execute(e: Effect): void {
    switch (e.kind) {
      case 'sendNotification': return this.transports.election.send(e.to, e.notification);
      case 'send': return this.send(e);
      case 'sendSnapshot': return this.sendSnapshot(e);
      case 'connectToLeader': return this.transports.connectToLeader(e.leader, this.options.initLimit * this.options.tickTimeMs);
      case 'closeLearner':
        this.synced.delete(e.sid);
        this.pendingSyncsBySid.delete(e.sid);
        this.options.log(`closing learner ${e.sid}: ${e.reason}`);
        return this.transports.learners.close(e.sid);
      case 'disconnectLeader': return this.transports.leaderLink.disconnect();
      case 'setTimer': return this.timers.set(e.name, e.delayMs);
      case 'cancelTimer': return this.timers.cancel(e.name);
      case 'log': return this.options.log(`${e.level === 'warn' ? 'WARN ' : ''}${e.message}`);
      default: return this.executeLocal(e);
    }
  }

  private send(e: EffectOf<'send'>): void {
    if (this.role !== 'LEADING') return this.transports.leaderLink.send(e.to, e.packet);
    if (e.packet.type === PacketType.UPTODATE) {
      this.synced.add(e.to);
      this.transports.learners.markSynced(e.to);
    }
    if (e.packet.type === PacketType.SYNC) {
      const left = (this.pendingSyncsBySid.get(e.to) ?? 0) - 1;
      if (left > 0) this.pendingSyncsBySid.set(e.to, left);
      else this.pendingSyncsBySid.delete(e.to);
    }
    this.transports.learners.send(e.to, e.packet);
  }

  /** SNAP + the host's tree, which must be exactly at zxid (or below a new epoch's marker). */
  private sendSnapshot(e: EffectOf<'sendSnapshot'>): void {
    const snap = this.tree.snapshotTree();
    check(snap.zxid === e.zxid || (counterOf(e.zxid) === 0 && snap.zxid < e.zxid),
      () => `SNAP at ${zxidHex(e.zxid)} but the tree is at ${zxidHex(snap.zxid)}`);
    this.transports.learners.sendSnapStream(e.to, encodeSnapStream(e.zxid, snap.body));
  }

  private executeLocal(e: Effect): void {
    const executor = this.executor!;
    switch (e.kind) {
      case 'persistTxns':
        executor.enqueue(e.writtenOnly === true || e.skipLogged === true || e.widenWindowMs !== undefined
          ? { kind: 'persist', token: e.token, txns: e.txns, writtenOnly: e.writtenOnly, skipLogged: e.skipLogged, widenWindowMs: e.widenWindowMs }
          : { kind: 'persist', token: e.token, txns: e.txns });
        return this.maybePeriodicSnapshot(e.txns.length);
      case 'truncateLog':
        return executor.enqueue(e.dropTarget === true
          ? { kind: 'truncate', token: e.token, zxid: e.zxid, dropTarget: true } : { kind: 'truncate', token: e.token, zxid: e.zxid });
      case 'loadSnapshot': return this.tree.resetTree(e.zxid, e.snapshot);
      case 'takeSnapshot': {
        const snap = this.tree.snapshotTree();
        check(snap.zxid <= e.zxid, () => `takeSnapshot at ${zxidHex(e.zxid)} but the tree is at ${zxidHex(snap.zxid)}`);
        return executor.enqueue({ kind: 'snapshot', token: e.token, zxid: e.zxid, body: snap.body });
      }
      case 'writeAcceptedEpoch': return executor.enqueue({ kind: 'epoch', token: e.token, file: 'acceptedEpoch', epoch: e.epoch });
      case 'writeCurrentEpoch': return executor.enqueue({ kind: 'epoch', token: e.token, file: 'currentEpoch', epoch: e.epoch });
      case 'reloadDatabase': return executor.enqueue({ kind: 'reload' });
      case 'fastForwardDatabase': return executor.enqueue({ kind: 'fastForward', txns: e.txns, database: e.database });
      case 'readTxnLog': return this.readTxnLog(e);
      default: return this.executeHost(e);
    }
  }

  private maybePeriodicSnapshot(txns: number): void {
    if (!this.isServing) return;
    this.txnsSinceSnapshot += txns;
    if (this.txnsSinceSnapshot < this.snapEveryTxns) return;
    this.txnsSinceSnapshot = 0;
    const snap = this.tree.snapshotTree();
    this.executor!.enqueue({ kind: 'snapshot', token: null, zxid: snap.zxid, body: snap.body });
  }

  /** Leader: the on-disk txn log read for a lagging learner, answered by `txnLogRead` (null on any failure). */
  private readTxnLog(e: EffectOf<'readTxnLog'>): void {
    const answer = (txns: Extract<ZabEvent, { type: 'txnLogRead' }>['txns'], line: string) => {
      this.options.log(line);
      if (this.status === 'running') this.deliver({ type: 'txnLogRead', token: e.token, txns });
    };
    this.executor!.readTxnLog(e.fromZxid, e.snapshotSizeFactor).then(
      (read) => answer(read.txns, read.summary),
      (err: unknown) => answer(null, `WARN txn log read after ${zxidHex(e.fromZxid)} failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private executeHost(e: Effect): void {
    switch (e.kind) {
      case 'applyCommitted': return this.tree.applyCommitted(e.txn.zxid, e.txn.data);
      case 'stateChanged': return this.onStateChanged(e.state, e.leader, e.epoch);
      case 'serving':
        this.isServing = e.serving;
        return this.host.serving(e.serving);
      case 'learnerRequest': return this.host.learnerRequest(e.from, e.data);
      case 'sessionTouches': return this.host.sessionTouches(e.from, e.data);
      case 'revalidateSession': return this.host.revalidateSession(e.from, e.data);
      case 'revalidateResult': return this.host.revalidateResult(e.data);
      case 'syncReleased': return this.host.syncReleased();
      default: return;
    }
  }

  private onStateChanged(state: PeerStateName, leader: number | null, epoch: number): void {
    if (this.role === 'LEADING' && state !== 'LEADING') {
      this.synced.clear();
      this.pendingSyncsBySid.clear();
    }
    this.role = state;
    this.leader = leader;
    this.transports.learners.setRole(state === 'LEADING' ? 'leading' : state === 'LOOKING' ? 'looking' : 'following');
    this.host.stateChanged(state, leader, epoch);
  }

  /** Names of the timers armed now (for tests and diagnostics). */
  get armedTimers(): TimerName[] {
    return this.timers.pending;
  }
}

/** The host's tree, with the driver's check that applies go strictly up in zxid. */
class TrackedTree implements TreeSink {
  appliedZxid = -1;

  constructor(private readonly host: QuorumHost) {}

  applyCommitted(zxid: number, data: Uint8Array): void {
    check(zxid > this.appliedZxid, () => `applying ${zxidHex(zxid)} after ${zxidHex(this.appliedZxid)}`);
    this.host.applyCommitted(zxid, data);
    this.appliedZxid = zxid;
  }

  resetTree(zxid: number, body: Uint8Array | null): void {
    this.host.resetTree(zxid, body);
    this.appliedZxid = zxid;
  }

  snapshotTree(): { zxid: number; body: Uint8Array } {
    return this.host.snapshotTree();
  }
}
