// A tiny deterministic cluster for unit tests of the Zab core: peers, a FIFO
// network (through the real codecs), per-node FIFO disks whose writes become
// durable only when their completion is delivered, timers on a virtual
// clock, crashes, restarts and silent partitions. Pure: no I/O, no clock.
// It also checks cluster-wide invariants as it runs (agreement per zxid, at
// most one established leader per epoch).
import { JuteReader, JuteWriter } from '../wire/jute.ts';
import { zabConfig, type ZabConfig } from './config.ts';
import type { Effect, PeerStateName, TimerName } from './effects.ts';
import type { LoadedDatabase, ZabEvent } from './events.ts';
import { decodeNotification, encodeNotification } from './notification.ts';
import { decodePacket, encodePacket, PacketType, type ZabPacket } from './packets.ts';
import { ZabPeer } from './peer.ts';
import type { Txn } from './txn.ts';
import { makeZxid as makeZxidFor, zxidHex, type Zxid } from './zxid.ts';

export interface SimDisk {
  acceptedEpoch: number;
  currentEpoch: number;
  /** Durable txns (snapshot + log), ascending. */
  txns: Txn[];
  /** zxid of the newest snapshot (its file name); may be an epoch marker with no txn. */
  snapshotZxid?: Zxid;
  /** The newest snapshot's zxid as the txn log reader sees it: the log before it is not trusted (or purged). */
  logStartZxid?: Zxid;
  /** zxids in `txns` written but not fsynced (persistTxns writtenOnly: planted bug ack-before-fsync); lost by a crash. */
  unsynced?: Set<Zxid>;
}

export interface SimNode {
  readonly sid: number;
  peer: ZabPeer;
  up: boolean;
  disk: SimDisk;
  /** The in-memory tree: committed txns applied, in order. */
  applied: Txn[];
  serving: boolean;
  role: PeerStateName | 'DOWN';
  diskPaused: boolean;
  diskQueue: (() => ZabEvent | null)[];
  timers: Map<TimerName, number>;
  readonly effects: Effect[];
  readonly events: ZabEvent[];
}

type Delivery = { readonly to: number; readonly event: ZabEvent; readonly conn?: number; readonly from?: number };

interface Connection {
  readonly id: number;
  readonly learner: number;
  readonly leader: number;
}

export type Filter = (d: { from?: number; to: number; event: ZabEvent }) => boolean;

function encodeTxns(txns: readonly Txn[]): Uint8Array {
  const w = new JuteWriter();
  w.writeInt(txns.length);
  for (const t of txns) w.writeLong(t.zxid).writeBuffer(t.data);
  return w.toBytes();
}

function decodeTxns(bytes: Uint8Array): Txn[] {
  const r = new JuteReader(bytes);
  const n = r.readInt();
  const out: Txn[] = [];
  for (let i = 0; i < n; i++) out.push({ zxid: r.readLong(), data: r.readBuffer()!.slice() });
  return out;
}

export function txnData(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function txnText(txn: Txn): string {
  return new TextDecoder().decode(txn.data);
}

export class SimCluster {
  nowMs = 0;
  readonly nodes = new Map<number, SimNode>();
  private queue: Delivery[] = [];
  private connections = new Map<number, Connection>();
  private nextConnId = 1;
  private blocked = new Set<string>();
  private stalled: Delivery[] = [];
  /** Deliveries matching a filter are dropped (e.g. to script a lost message). */
  readonly dropFilters: Filter[] = [];
  /** Deliveries matching a filter are held back until `releaseHeld()` (a slow link). */
  readonly holdFilters: Filter[] = [];
  private held: Delivery[] = [];
  /** zxid -> data, for the agreement check. */
  readonly committed = new Map<Zxid, string>();
  readonly establishedEpochs = new Map<number, number>();
  /**
   * Election messages take this long when > 0 (default 0: delivered in queue
   * order at once). An observer in a later round than LOOKING voters trades
   * replies with them without end (as ZooKeeper's WorkerReceiver does); with
   * no latency that exchange never lets virtual time reach the finalize wait.
   */
  notificationLatencyMs = 0;
  readonly configs = new Map<number, ZabConfig>();

  constructor(voters: readonly number[], observers: readonly number[] = [], overrides: Partial<ZabConfig> = {}) {
    for (const sid of [...voters, ...observers]) {
      this.configs.set(sid, zabConfig(sid, voters, observers, overrides));
      const disk: SimDisk = { acceptedEpoch: 0, currentEpoch: 0, txns: [] };
      this.nodes.set(sid, this.freshNode(sid, disk));
    }
  }

  private freshNode(sid: number, disk: SimDisk): SimNode {
    return {
      sid, peer: new ZabPeer(this.configs.get(sid)!), up: false, disk, applied: [], serving: false, role: 'DOWN',
      diskPaused: false, diskQueue: [], timers: new Map(), effects: [], events: [],
    };
  }

  node(sid: number): SimNode {
    const n = this.nodes.get(sid);
    if (n === undefined) throw new RangeError(`no node ${sid}`);
    return n;
  }

  loadedDatabase(disk: SimDisk, commitLogCount = 500): LoadedDatabase {
    const last = disk.txns[disk.txns.length - 1];
    return {
      acceptedEpoch: disk.acceptedEpoch, currentEpoch: disk.currentEpoch,
      lastLoggedZxid: Math.max(last?.zxid ?? 0, disk.snapshotZxid ?? 0), committedLog: disk.txns.slice(-commitLogCount),
    };
  }

  start(...sids: number[]): void {
    for (const sid of sids) {
      const n = this.node(sid);
      n.up = true;
      n.applied = [...n.disk.txns];
      this.deliverNow(sid, { type: 'start', database: this.loadedDatabase(n.disk) });
    }
  }

  crash(sid: number): void {
    const old = this.node(sid);
    const unsynced = old.disk.unsynced;
    if (unsynced !== undefined && unsynced.size > 0) {
      // The page cache goes with the machine: written but unsynced txns are lost.
      old.disk.txns = old.disk.txns.filter((t) => !unsynced.has(t.zxid));
      unsynced.clear();
    }
    for (const c of [...this.connections.values()]) if (c.learner === sid || c.leader === sid) this.closeConnection(c);
    const fresh = this.freshNode(sid, old.disk);
    this.nodes.set(sid, fresh);
    this.queue = this.queue.filter((d) => d.to !== sid);
  }

  restart(sid: number): void {
    this.crash(sid);
    this.start(sid);
  }

  /**
   * Cuts the two groups apart: election messages between them are lost,
   * quorum connections stall (delivered after heal() if still open).
   */
  partition(groupA: readonly number[], groupB: readonly number[]): void {
    for (const a of groupA) for (const b of groupB) { this.blocked.add(`${a}-${b}`); this.blocked.add(`${b}-${a}`); }
  }

  heal(): void {
    this.blocked.clear();
    this.queue.unshift(...this.stalled);
    this.stalled = [];
  }

  private reachable(a: number, b: number): boolean {
    return !this.blocked.has(`${a}-${b}`) && this.node(a).up && this.node(b).up;
  }

  // -------------------------------------------------------------- scheduling

  private deliverNow(to: number, event: ZabEvent): void {
    const n = this.node(to);
    if (!n.up) return;
    n.events.push(event);
    const effects = n.peer.handle(event);
    for (const e of effects) this.execute(n, e);
  }

  private enqueue(d: Delivery): void {
    this.queue.push(d);
  }

  /** Stops holding and re-queues what was held, in its original order. */
  releaseHeld(): void {
    this.holdFilters.length = 0;
    this.queue.unshift(...this.held);
    this.held = [];
  }

  /** Delivers one queued message or disk completion; false when there is nothing to deliver. */
  step(): boolean {
    const d = this.queue.shift();
    if (d !== undefined) {
      if (d.conn !== undefined && !this.connections.has(d.conn)) return true;
      if (d.conn !== undefined && d.from !== undefined && this.blocked.has(`${d.from}-${d.to}`)) {
        // A TCP connection across a partition stalls; it does not lose messages.
        this.stalled.push(d);
        return true;
      }
      if (d.from !== undefined && !this.reachable(d.from, d.to)) return true;
      if (this.dropFilters.some((f) => f({ from: d.from, to: d.to, event: d.event }))) return true;
      if (this.holdFilters.some((f) => f({ from: d.from, to: d.to, event: d.event }))) {
        this.held.push(d);
        return true;
      }
      this.deliverNow(d.to, d.event);
      return true;
    }
    return this.releaseDisk();
  }

  private releaseDisk(): boolean {
    for (const n of this.nodes.values()) {
      if (!n.up || n.diskPaused || n.diskQueue.length === 0) continue;
      const op = n.diskQueue.shift()!;
      const event = op();
      if (event !== null) this.deliverNow(n.sid, event);
      return true;
    }
    return false;
  }

  private fireNextTimer(limitMs: number): boolean {
    let best: { n: SimNode; name: TimerName; at: number } | null = null;
    for (const n of this.nodes.values()) {
      if (!n.up) continue;
      for (const [name, at] of n.timers) if (best === null || at < best.at) best = { n, name, at };
    }
    this.scheduled.sort((a, b) => a.at - b.at);
    const first = this.scheduled[0];
    if (first !== undefined && first.at <= limitMs && (best === null || first.at <= best.at)) {
      this.scheduled.shift();
      this.nowMs = Math.max(this.nowMs, first.at);
      first.run();
      return true;
    }
    if (best === null || best.at > limitMs) return false;
    this.nowMs = Math.max(this.nowMs, best.at);
    best.n.timers.delete(best.name);
    this.deliverNow(best.n.sid, { type: 'timer', name: best.name });
    return true;
  }

  /** Runs until `done` holds (checked after every step) or virtual time passes `forMs`. */
  runUntil(done: () => boolean, forMs = 60_000, maxSteps = 200_000): boolean {
    const limit = this.nowMs + forMs;
    for (let i = 0; i < maxSteps; i++) {
      if (done()) return true;
      if (this.step()) continue;
      if (!this.fireNextTimer(limit)) {
        this.nowMs = limit;
        return done();
      }
    }
    throw new Error(`runUntil: no result after ${maxSteps} steps`);
  }

  /** Runs with messages, disks and timers for `forMs` of virtual time. */
  runFor(forMs: number): void {
    this.runUntil(() => false, forMs);
  }

  // ------------------------------------------------------------------ effects

  private execute(n: SimNode, e: Effect): void {
    n.effects.push(e);
    switch (e.kind) {
      case 'sendNotification': {
        const notification = decodeNotification(encodeNotification(e.notification));
        const d: Delivery = { from: n.sid, to: e.to, event: { type: 'notification', from: n.sid, notification } };
        if (this.notificationLatencyMs <= 0) return this.enqueue(d);
        this.scheduled.push({ at: this.nowMs + this.notificationLatencyMs, run: () => this.enqueue(d) });
        return;
      }
      case 'send': return this.sendPacket(n.sid, e.to, e.packet);
      case 'sendSnapshot': return this.sendSnapshot(n, e.to, e.zxid);
      case 'connectToLeader': return this.connect(n.sid, e.leader, 5);
      case 'closeLearner': return this.closeBetween(e.sid, n.sid);
      case 'disconnectLeader': return this.closeBetween(n.sid, e.leader);
      case 'setTimer': n.timers.set(e.name, this.nowMs + e.delayMs); return;
      case 'cancelTimer': n.timers.delete(e.name); return;
      case 'applyCommitted': return this.apply(n, e.txn);
      case 'readTxnLog': return this.readTxnLog(n, e);
      case 'stateChanged': n.role = e.state; return;
      case 'serving': return this.onServing(n, e.serving);
      default: return this.executeDisk(n, e);
    }
  }

  /** Txn log reads run beside the disk queue; while held, they wait for `releaseTxnLogReads()`. */
  holdTxnLogReads = false;
  private heldTxnLogReads: (() => void)[] = [];
  /** Txn log reads answered, and how many found the learner's zxid (a DIFF candidate). */
  readonly txnLogReads = { answered: 0, covered: 0 };

  releaseTxnLogReads(): void {
    const reads = this.heldTxnLogReads;
    this.heldTxnLogReads = [];
    for (const read of reads) read();
  }

  /**
   * Answers from the durable disk at the time the read runs: covered when
   * fromZxid is a txn at or after logStartZxid (as ZooKeeper: a txn with that zxid);
   * null when not covered or the txns after it weigh more than
   * snapshotSizeFactor x the snapshot's bytes (no limit without a snapshot).
   */
  private readTxnLog(n: SimNode, e: Extract<Effect, { kind: 'readTxnLog' }>): void {
    const peer = n.peer;
    const read = (): void => {
      if (!n.up || n.peer !== peer) return;
      const disk = n.disk;
      const logStart = disk.logStartZxid ?? 0;
      const covered = e.fromZxid >= logStart && disk.txns.some((t) => t.zxid === e.fromZxid);
      const txns = disk.txns.filter((t) => t.zxid > e.fromZxid);
      const bytes = txns.reduce((sum, t) => sum + t.data.length, 0);
      const snapshotBytes = disk.snapshotZxid === undefined ? null
        : disk.txns.filter((t) => t.zxid <= disk.snapshotZxid!).reduce((sum, t) => sum + t.data.length, 0);
      const over = snapshotBytes !== null && bytes > e.snapshotSizeFactor * snapshotBytes;
      this.txnLogReads.answered++;
      if (covered && !over) this.txnLogReads.covered++;
      this.deliverNow(n.sid, { type: 'txnLogRead', token: e.token, txns: covered && !over ? txns : null });
    };
    if (this.holdTxnLogReads) this.heldTxnLogReads.push(read);
    else this.scheduled.push({ at: this.nowMs + 1, run: read });
  }

  private executeDisk(n: SimNode, e: Effect): void {
    const disk = n.disk;
    const done = (token: number): ZabEvent => ({ type: 'diskDone', token });
    // Any disk op but a written-only persist fsyncs what was written before it.
    const synced = (): void => disk.unsynced?.clear();
    switch (e.kind) {
      case 'persistTxns':
        n.diskQueue.push(() => {
          if (e.writtenOnly !== true) synced();
          const end = disk.txns.at(-1)?.zxid ?? 0;
          disk.txns.push(...(e.skipLogged === true ? e.txns.filter((t) => t.zxid > end) : e.txns));
          if (e.writtenOnly === true) for (const t of e.txns) (disk.unsynced ??= new Set()).add(t.zxid);
          return done(e.token);
        });
        return;
      case 'truncateLog':
        n.diskQueue.push(() => {
          synced();
          disk.txns = disk.txns.filter((t) => (e.dropTarget === true ? t.zxid < e.zxid : t.zxid <= e.zxid));
          disk.snapshotZxid = Math.min(disk.snapshotZxid ?? 0, e.zxid);
          n.applied = [...disk.txns];
          return done(e.token);
        });
        return;
      case 'takeSnapshot':
        n.diskQueue.push(() => { synced(); disk.txns = [...n.applied]; disk.snapshotZxid = e.zxid; return done(e.token); });
        return;
      case 'writeAcceptedEpoch':
        n.diskQueue.push(() => { synced(); disk.acceptedEpoch = e.epoch; return done(e.token); });
        return;
      case 'writeCurrentEpoch':
        n.diskQueue.push(() => { synced(); disk.currentEpoch = e.epoch; return done(e.token); });
        return;
      case 'reloadDatabase':
        n.diskQueue.push(() => {
          n.applied = [...disk.txns];
          return { type: 'databaseLoaded', database: this.loadedDatabase(disk) };
        });
        return;
      case 'fastForwardDatabase':
        n.diskQueue.push(() => {
          n.applied = this.checkFastForward(n, e.txns, e.database);
          return { type: 'databaseLoaded', database: e.database };
        });
        return;
      case 'loadSnapshot':
        n.applied = decodeTxns(e.snapshot);
        return;
      default:
        return; // log, learnerRequest, sessionTouches, syncReleased...: recorded in n.effects only
    }
  }

  /**
   * Runs when the writes queued before it are durable: the tree plus `txns`
   * must be exactly what a reload of the disk gives, and the database view
   * the same, with a committedLog that is the tail of the durable history.
   */
  private checkFastForward(n: SimNode, txns: readonly Txn[], db: LoadedDatabase): Txn[] {
    const fast = [...n.applied, ...txns];
    const reload = this.loadedDatabase(n.disk);
    const show = (ts: readonly Txn[]) => ts.map((t) => `${zxidHex(t.zxid)}=${txnText(t)}`).join(',');
    const fail = (what: string) => new Error(`node ${n.sid}: fast-forward ${what} differs from a reload`);
    if (show(fast) !== show(n.disk.txns)) throw fail(`tree [${show(fast)}] vs [${show(n.disk.txns)}]:`);
    if (db.lastLoggedZxid !== reload.lastLoggedZxid) throw fail(`lastLoggedZxid ${zxidHex(db.lastLoggedZxid)}`);
    // Planted bug accepted-epoch-not-persisted: the promise lives in memory only, above the disk's.
    const promiseInMemory = this.configs.get(n.sid)?.plantedBugs?.has('accepted-epoch-not-persisted') === true
      && db.acceptedEpoch > reload.acceptedEpoch;
    if ((db.acceptedEpoch !== reload.acceptedEpoch && !promiseInMemory) || db.currentEpoch !== reload.currentEpoch) throw fail('epochs');
    const tail = show(n.disk.txns.slice(-db.committedLog.length));
    if (db.committedLog.length > 0 && show(db.committedLog) !== tail) throw fail(`committedLog [${show(db.committedLog)}]`);
    this.fastForwards.checked++;
    if (txns.length > 0) this.fastForwards.withLoggedTxns++;
    return fast;
  }

  /** Fast-forwards checked against a reload, and how many applied logged-but-uncommitted txns. */
  readonly fastForwards = { checked: 0, withLoggedTxns: 0 };

  private apply(n: SimNode, txn: Txn): void {
    const last = n.applied[n.applied.length - 1];
    if (last !== undefined && txn.zxid <= last.zxid) {
      throw new Error(`node ${n.sid} applied ${zxidHex(txn.zxid)} after ${zxidHex(last.zxid)}`);
    }
    n.applied.push(txn);
    const text = txnText(txn);
    const seen = this.committed.get(txn.zxid);
    if (seen !== undefined && seen !== text) {
      throw new Error(`agreement violated at ${zxidHex(txn.zxid)}: '${seen}' vs '${text}' on node ${n.sid}`);
    }
    this.committed.set(txn.zxid, text);
  }

  private onServing(n: SimNode, serving: boolean): void {
    n.serving = serving;
    const leader = n.peer.leaderRole;
    if (!serving || leader === null) return;
    const other = this.establishedEpochs.get(leader.epoch);
    if (other !== undefined) throw new Error(`epoch ${leader.epoch} established by ${other} and ${n.sid}`);
    this.establishedEpochs.set(leader.epoch, n.sid);
  }

  // -------------------------------------------------------------- connections

  private connect(learner: number, leader: number, attemptsLeft: number): void {
    const target = this.node(leader);
    if (this.reachable(learner, leader) && target.role === 'LEADING') {
      const conn: Connection = { id: this.nextConnId++, learner, leader };
      this.connections.set(conn.id, conn);
      this.enqueue({ to: learner, event: { type: 'leaderConnected', leader }, conn: conn.id });
      return;
    }
    if (attemptsLeft <= 1) {
      this.enqueue({ to: learner, event: { type: 'leaderDisconnected', leader } });
      return;
    }
    // Learner.connectToLeader retries about once a second.
    const peer = this.node(learner).peer;
    this.scheduled.push({
      at: this.nowMs + 1000,
      run: () => { if (this.node(learner).peer === peer && peer.learnerRole?.leader === leader) this.connect(learner, leader, attemptsLeft - 1); },
    });
  }

  private scheduled: { at: number; run: () => void }[] = [];

  private connectionBetween(learner: number, leader: number): Connection | undefined {
    for (const c of this.connections.values()) if (c.learner === learner && c.leader === leader) return c;
    return undefined;
  }

  private closeBetween(learner: number, leader: number): void {
    const c = this.connectionBetween(learner, leader);
    if (c !== undefined) this.closeConnection(c);
  }

  private closeConnection(c: Connection): void {
    this.connections.delete(c.id);
    this.enqueue({ to: c.leader, event: { type: 'learnerDisconnected', sid: c.learner } });
    this.enqueue({ to: c.learner, event: { type: 'leaderDisconnected', leader: c.leader } });
  }

  private sendPacket(from: number, to: number, p: ZabPacket): void {
    const sender = this.node(from);
    const decoded = decodePacket(encodePacket(p));
    if (sender.role === 'LEADING') {
      const c = this.connectionBetween(to, from);
      if (c === undefined) return;
      this.enqueue({ from, to, conn: c.id, event: { type: 'leaderPacket', from, packet: decoded } });
    } else {
      const c = this.connectionBetween(from, to);
      if (c === undefined) return;
      this.enqueue({ from, to, conn: c.id, event: { type: 'learnerPacket', from, packet: decoded } });
    }
  }

  private sendSnapshot(n: SimNode, to: number, zxid: Zxid): void {
    const last = n.applied[n.applied.length - 1]?.zxid ?? 0;
    if (last > zxid) throw new Error(`snapshot at ${zxidHex(zxid)} but tree is at ${zxidHex(last)}`);
    const c = this.connectionBetween(to, n.sid);
    if (c === undefined) return;
    const p: ZabPacket = { type: PacketType.SNAP, zxid, data: null };
    this.enqueue({ from: n.sid, to, conn: c.id, event: { type: 'leaderPacket', from: n.sid, packet: p, snapshot: encodeTxns(n.applied) } });
  }

  // ------------------------------------------------------------------ helpers

  leaders(): SimNode[] {
    return [...this.nodes.values()].filter((n) => n.up && n.role === 'LEADING' && n.serving);
  }

  /** True when one leader serves and every other up node follows/observes it, serving. */
  stable(): boolean {
    const up = [...this.nodes.values()].filter((n) => n.up);
    const leaders = this.leaders();
    if (leaders.length !== 1) return false;
    const leader = leaders[0]!.sid;
    return up.every((n) => n.serving && (n.sid === leader || n.peer.learnerRole?.leader === leader));
  }

  /** Proposes a txn on the only serving leader; returns its zxid. */
  propose(text: string): Zxid {
    const leaders = this.leaders();
    if (leaders.length !== 1) throw new Error(`${leaders.length} serving leaders`);
    return this.proposeOn(leaders[0]!.sid, text);
  }

  proposeOn(sid: number, text: string): Zxid {
    const zxid = this.node(sid).peer.nextZxid();
    if (zxid === null) throw new Error(`node ${sid} cannot propose`);
    this.deliverNow(sid, { type: 'propose', txn: { zxid, data: txnData(text) } });
    return zxid;
  }

  /** Packets of `type` that `sid` received, in order. */
  received(sid: number, type: number): ZabPacket[] {
    return this.node(sid).events.flatMap((e) =>
      (e.type === 'leaderPacket' || e.type === 'learnerPacket') && e.packet.type === type ? [e.packet] : []);
  }

  effectsOf<K extends Effect['kind']>(sid: number, kind: K): Extract<Effect, { kind: K }>[] {
    return this.node(sid).effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
  }

  /** Sets a node's disk before it starts (a history written by earlier runs). */
  setDisk(sid: number, disk: SimDisk): void {
    this.node(sid).disk = { ...disk, txns: [...disk.txns] };
  }

  /** Delivers an arbitrary event to a node at once (for scripted messages). */
  inject(to: number, event: ZabEvent): void {
    this.deliverNow(to, event);
  }

  appliedTexts(sid: number): string[] {
    return this.node(sid).applied.map(txnText);
  }
}

/** A started cluster that has elected a leader and synced every node (throws if not within 20 s simulated). */
export function stableCluster(voters: number[], observers: number[] = [], overrides: Partial<ZabConfig> = {}): SimCluster {
  const c = new SimCluster(voters, observers, overrides);
  c.start(...voters, ...observers);
  if (!c.runUntil(() => c.stable(), 20_000)) throw new Error('no stable ensemble');
  return c;
}

/** Proposes `texts` and runs until each of `sids` (default: every node up) has applied them all. */
export function commitEverywhere(c: SimCluster, texts: string[], sids?: number[]): void {
  const on = sids ?? [...c.nodes.values()].filter((n) => n.up).map((n) => n.sid);
  const before = new Map(on.map((sid) => [sid, c.node(sid).applied.length]));
  for (const t of texts) c.propose(t);
  const ok = c.runUntil(() => [...before].every(([sid, n]) => c.node(sid).applied.length === n + texts.length), 5000);
  if (!ok) throw new Error('not committed everywhere');
}

/** A txn at (epoch e, counter c) with a recognisable body. */
export const txnAt = (e: number, c: number, text = `t${e}.${c}`): Txn => ({ zxid: makeZxidFor(e, c), data: txnData(text) });

/** Txns (e, from) … (e, to). */
export function historyOf(e: number, from: number, to: number): Txn[] {
  const out: Txn[] = [];
  for (let c = from; c <= to; c++) out.push(txnAt(e, c));
  return out;
}

/** A node's disk at `epoch` holding `txns`. */
export const diskAt = (epoch: number, txns: Txn[], acceptedEpoch = epoch): SimDisk => ({ acceptedEpoch, currentEpoch: epoch, txns });
