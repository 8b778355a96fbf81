// The client request pipeline (ZooKeeperServer with its Prep, Commit and
// Final request processors), pure: connections, the replicator and the clock
// are passed in. One pipeline serves every role:
//   standalone / leader: preps writes against the tree plus the outstanding
//     changes, and proposes them (to the local txn log, or through Zab);
//   follower / observer: forwards writes to the leader.
// Every server applies committed txns to its tree in zxid order; a write's
// reply (and the watch events it fires) leaves when the server the client is
// connected to has applied it. Reads are served from the local tree, after
// the same session's earlier writes (per-session FIFO).
import { Code, KeeperError } from '../wire/errors.ts';
import { JuteReader, type JuteWriter } from '../wire/jute.ts';
import { KeeperState, OpCode, Xid } from '../wire/opcodes.ts';
import * as R from '../wire/records.ts';
import type { Id } from '../wire/records.ts';
import type { ConnectRequest } from '../wire/connect.ts';
import { encodeConnectResponse } from '../wire/connect.ts';
import { decodeBody, encodeRequest, type Request } from '../wire/requests.ts';
import { encodeReply, writeMultiResults, type MultiResult } from '../wire/responses.ts';
import { authenticate } from '../tree/acl.ts';
import type { DataTree, ProcessTxnResult, WatchEvent } from '../tree/data-tree.ts';
import { ephemeralKind, ttlOf } from '../tree/ephemeral-type.ts';
import { encodeTxn, type Txn, type TxnBody } from '../tree/txn.ts';
import type { Clock } from './clock.ts';
import { Overlay } from './outstanding.ts';
import { prepCloseSession, prepDeleteContainer, prepWrite, type PrepContext, type Prepared } from './prep.ts';
import { runRead, type BodyWriter } from './reads.ts';
import { decodeForwarded, decodeTouches, encodeForwarded, type Replicator } from './replicator.ts';
import { generatePassword, passwordMatches, SessionTracker } from './session-tracker.ts';
import { addWatch, removeOrCheckWatches, setWatches } from './watch-ops.ts';

export type { TxnSink } from './standalone-replicator.ts';

export interface Connection {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort?: number;
  /** Sends one frame body (the io layer adds the length prefix). */
  send(body: Uint8Array): void;
  close(reason: string): void;
}

export interface ServerOptions {
  tickTimeMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  extendedTypesEnabled: boolean;
  superDigest: string | null;
  containerCheckIntervalMs: number;
  /** The high byte of the session ids this server creates. */
  serverId: number;
}

/** 'read-only': a server without a quorum serving clients that asked for it (readonlymode.enabled). */
export type Role = 'standalone' | 'leader' | 'follower' | 'observer' | 'read-only' | 'down';

interface ConnState {
  conn: Connection;
  sessionId: bigint | null;
  timeoutMs: number;
  authIds: Id[];
  hasReadOnlyField: boolean;
  closed: boolean;
  /** Requests pipelined behind the ConnectRequest (same TCP write), answered in order once the session is established. */
  early: { xid: number; request: Request }[];
  stats: { received: number; sent: number; lastCxid: number; lastZxid: number; lastOpCode: number; establishedMs: number };
}

/** An entry of a session's FIFO: a write or sync waiting for its commit, or a read waiting behind one. */
interface Deferred {
  done: boolean;
  run?: () => void;
}

/** A write or sync entry: finish() marks it done and drains its session's queue (only that queue can move). */
interface Completion extends Deferred {
  sessionId: bigint;
}

interface PendingWrite {
  state: ConnState;
  xid: number;
  request: Request;
  entry: Completion;
}

export interface ServerStats {
  packetsReceived: number;
  packetsSent: number;
  latencyMinMs: number;
  latencyMaxMs: number;
  latencyTotalMs: number;
  latencyCount: number;
}

const WRITE_OPS = new Set<Request['op']>(['create', 'delete', 'setData', 'setACL', 'check']);
const CONTROL_OPS = new Set<Request['op']>(['ping', 'auth', 'setWatches', 'whoAmI', 'unimplemented']);
/**
 * At most this many requests may wait behind a ConnectRequest whose session is
 * not yet established (ZooKeeper stops reading the socket meanwhile; this
 * pipeline has no socket, so it bounds the queue: ZooKeeper's default
 * globalOutstandingLimit). One more closes the connection.
 */
export const MAX_REQUESTS_BEFORE_SESSION = 1000;


export class ZooKeeperServer {
  tracker: SessionTracker;
  readonly stats: ServerStats = { packetsReceived: 0, packetsSent: 0, latencyMinMs: 0, latencyMaxMs: 0, latencyTotalMs: 0, latencyCount: 0 };
  readonly outstanding = new Overlay();
  private readonly conns = new Map<number, ConnState>();
  private readonly bySession = new Map<bigint, ConnState>();
  /** Per session, its writes not yet applied, in proposal order (commits come back in that order). */
  private readonly pendingWrites = new Map<bigint, PendingWrite[]>();
  private readonly pendingConnects = new Map<bigint, { state: ConnState; req: ConnectRequest }>();
  private readonly sessionQueues = new Map<bigint, Deferred[]>();
  private readonly localSyncs: { zxid: number; entry: Completion }[] = [];
  private readonly learnerSyncs: Completion[] = [];
  private lastProposedZxid: number;
  private lastContainerCheckMs: number;
  private storageFailed = false;
  role: Role;

  constructor(public tree: DataTree, private readonly replicator: Replicator, private readonly clock: Clock,
    readonly options: ServerOptions, private readonly log: (msg: string) => void = () => {}, role: Role = 'standalone') {
    this.role = role;
    this.lastProposedZxid = tree.lastProcessedZxid;
    const now = clock.nowMs();
    const sessionNow = clock.elapsedMs?.() ?? now;
    this.lastContainerCheckMs = sessionNow;
    this.tracker = new SessionTracker(options.tickTimeMs, options.serverId, now);
    for (const [id, timeout] of tree.sessions) this.tracker.addSession(id, timeout, sessionNow);
  }

  // ---- accessors for the io layer and four-letter words

  get lastZxid(): number {
    return this.tree.lastProcessedZxid;
  }

  get isServing(): boolean {
    return this.role !== 'down' && !this.storageFailed;
  }

  /** The log (or the quorum peer) failed for good: this server will never serve again. */
  get hasFailed(): boolean {
    return this.storageFailed;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  get outstandingRequests(): number {
    let n = 0;
    for (const q of this.pendingWrites.values()) n += q.length;
    return n;
  }

  /** The oldest pending write of `sessionId` if the committed txn (sessionId, cxid) is it (CommitProcessor's match). */
  private takePending(sessionId: bigint, cxid: number): PendingWrite | undefined {
    const queue = this.pendingWrites.get(sessionId);
    const head = queue?.[0];
    if (!queue || !head || head.xid !== cxid) return undefined;
    queue.shift(); // an empty queue stays until its session ends: no Map churn per write
    return head;
  }

  sessionOfConnection(connId: number): bigint | null {
    return this.conns.get(connId)?.sessionId ?? null;
  }

  connections(): { id: number; remoteAddress: string; remotePort: number; sessionId: bigint | null; queued: number;
    received: number; sent: number; lastCxid: number; lastZxid: number; lastOpCode: number; establishedMs: number }[] {
    return [...this.conns.values()].map((s) => ({ id: s.conn.id, remoteAddress: s.conn.remoteAddress,
      remotePort: s.conn.remotePort ?? 0, sessionId: s.sessionId,
      queued: s.sessionId === null ? 0 : (this.sessionQueues.get(s.sessionId)?.length ?? 0), ...s.stats }));
  }

  private get preps(): boolean {
    return this.role === 'standalone' || this.role === 'leader';
  }

  // ---- role changes (driven by the quorum driver)

  /** The server stops serving (LOOKING, shutting down): every client connection is closed. */
  setRole(role: Role): void {
    if (role === this.role) return;
    this.log(`role ${this.role} -> ${role}`);
    const wasServing = this.isServing;
    this.role = role;
    if (wasServing) this.dropClients(`server role changed to ${role}`);
    if (role === 'leader') this.becomeLeader();
  }

  private becomeLeader(): void {
    this.tracker = new SessionTracker(this.options.tickTimeMs, this.options.serverId, this.clock.nowMs());
    const now = this.elapsedNowMs();
    for (const [id, timeout] of this.tree.sessions) this.tracker.addSession(id, timeout, now);
    this.lastProposedZxid = this.tree.lastProcessedZxid;
    this.outstanding.clear();
  }

  private dropClients(reason: string): void {
    for (const state of [...this.conns.values()]) this.closeConn(state, reason);
    this.pendingWrites.clear();
    this.pendingConnects.clear();
    this.sessionQueues.clear();
    this.localSyncs.length = 0;
    this.learnerSyncs.length = 0;
    this.outstanding.clear();
  }

  /** Replaces the data tree (recovery, TRUNC, SNAP); only while not serving clients. */
  resetTree(tree: DataTree): void {
    this.tree = tree;
    this.lastProposedZxid = tree.lastProcessedZxid;
    this.outstanding.clear();
  }

  /** The log can no longer be written: stop acknowledging anything. */
  onStorageFailure(reason: string): void {
    this.storageFailed = true;
    this.log(`storage failure, no longer serving: ${reason}`);
    this.dropClients('storage failure');
  }

  // ---- output

  private send(state: ConnState, body: Uint8Array): void {
    if (state.closed) return;
    state.conn.send(body);
    state.stats.sent++;
    this.stats.packetsSent++;
  }

  private closeConn(state: ConnState, reason: string): void {
    if (state.closed) return;
    state.closed = true;
    state.conn.close(reason);
    this.detach(state);
  }

  private detach(state: ConnState): void {
    this.conns.delete(state.conn.id);
    if (state.sessionId !== null && this.bySession.get(state.sessionId) === state) this.bySession.delete(state.sessionId);
    this.tree.dataWatches.removeWatcher(state.conn.id);
    this.tree.childWatches.removeWatcher(state.conn.id);
  }

  private reply(state: ConnState, xid: number, err: number, body?: BodyWriter, zxid = this.tree.lastProcessedZxid): void {
    state.stats.lastZxid = zxid;
    this.send(state, encodeReply(xid, zxid, err, body));
  }

  private notify(state: ConnState, type: number, path: string): void {
    // ZooKeeper 3.8 sends notifications with zxid -1 (3.9 sends the event's zxid).
    this.send(state, encodeReply(Xid.notification, -1, 0, (w) =>
      R.WatcherEvent.write(w, { type, state: KeeperState.SyncConnected, path })));
  }

  private dispatchEvents(events: WatchEvent[]): void {
    for (const ev of events) {
      for (const watcher of ev.watchers) {
        const state = this.conns.get(watcher);
        if (state) this.notify(state, ev.type, ev.path);
      }
    }
  }

  // ---- proposing (standalone / leader)

  private prepContext(sessionId: bigint, authIds: readonly Id[]): PrepContext {
    return { tree: this.tree, authIds, sessionId, extendedTypesEnabled: this.options.extendedTypesEnabled,
      outstanding: this.outstanding };
  }

  /** Preps and proposes one txn; a refused request becomes an ErrorTxn (it still takes a zxid). */
  private propose(clientId: bigint, cxid: number, prepare: () => Prepared): void {
    const zxid = this.replicator.nextZxid();
    if (zxid === null) throw new KeeperError(Code.CONNECTIONLOSS);
    let prepared: Prepared;
    try {
      prepared = prepare();
    } catch (e) {
      if (!(e instanceof KeeperError)) throw e;
      prepared = { body: { type: OpCode.error, rec: { err: e.code } }, changes: new Overlay() };
    }
    const body: TxnBody = prepared.body;
    const txn: Txn = { hdr: { clientId, cxid, zxid, time: this.clock.nowMs(), type: body.type }, body };
    prepared.changes.commitInto(this.outstanding, zxid);
    this.lastProposedZxid = zxid;
    this.replicator.propose(txn, encodeTxn(txn));
  }

  /** `via`: the server the request came through (this one, or the forwarding learner). */
  private proposeRequest(sessionId: bigint, cxid: number, request: Request, authIds: readonly Id[], via: number): void {
    this.propose(sessionId, cxid, () => {
      if (!this.tracker.isAlive(sessionId)) throw new KeeperError(Code.SESSIONEXPIRED);
      if (!this.tracker.isOwnedBy(sessionId, via)) throw new KeeperError(Code.SESSIONMOVED);
      if (request.op === 'unimplemented' && request.opcode === OpCode.reconfig) throw new KeeperError(Code.RECONFIGDISABLED);
      return prepWrite(this.prepContext(sessionId, authIds), request);
    });
  }

  private proposeCreateSession(sessionId: bigint, timeoutMs: number, via: number): void {
    this.tracker.addSession(sessionId, timeoutMs, this.elapsedNowMs());
    this.tracker.setOwner(sessionId, via);
    this.propose(sessionId, 0, () => ({ body: { type: OpCode.createSession, rec: { timeOut: timeoutMs } }, changes: new Overlay() }));
  }

  private proposeCloseSession(sessionId: bigint, cxid: number): void {
    this.tracker.setClosing(sessionId);
    this.propose(sessionId, cxid, () => prepCloseSession(this.prepContext(sessionId, []), sessionId));
  }

  // ---- applying committed txns (every role)

  applyCommitted(txn: Txn): void {
    const { result, events } = this.tree.processTxn(txn);
    this.outstanding.appliedUpTo(txn.hdr.zxid);
    this.dispatchEvents(events);
    const { clientId, cxid, type } = txn.hdr;
    if (type === OpCode.createSession) this.sessionCreated(clientId, txn);
    else if (type === OpCode.closeSession) this.sessionClosed(clientId, cxid);
    else this.completeWrite(clientId, cxid, result, txn.hdr.zxid);
    while (this.localSyncs.length > 0 && this.localSyncs[0]!.zxid <= txn.hdr.zxid) this.finish(this.localSyncs.shift()!.entry);
  }

  private sessionCreated(sessionId: bigint, txn: Txn): void {
    if (txn.body.type === OpCode.createSession && this.preps) {
      this.tracker.addSession(sessionId, txn.body.rec.timeOut, this.elapsedNowMs());
    }
    const pending = this.pendingConnects.get(sessionId);
    if (!pending) return;
    this.pendingConnects.delete(sessionId);
    this.establish(pending.state, pending.req, sessionId);
  }

  private sessionClosed(sessionId: bigint, cxid: number): void {
    if (this.preps) this.tracker.remove(sessionId);
    const pending = this.takePending(sessionId, cxid);
    const state = pending?.state ?? this.bySession.get(sessionId);
    if (pending) this.reply(pending.state, pending.xid, 0);
    this.sessionQueues.delete(sessionId);
    this.pendingWrites.delete(sessionId);
    if (state) this.closeConn(state, pending ? 'client closed session' : 'session expired');
  }

  private completeWrite(sessionId: bigint, cxid: number, result: ProcessTxnResult, zxid: number): void {
    const pending = this.takePending(sessionId, cxid);
    if (!pending) return;
    if (result.err !== 0) this.reply(pending.state, pending.xid, result.err, undefined, zxid);
    else this.reply(pending.state, pending.xid, 0, writeReplyBody(pending.request, result, this.tree), zxid);
    this.finish(pending.entry);
  }

  /** Marks a FIFO entry done and runs whatever of its session's queue can now run. */
  private finish(entry: Completion): void {
    entry.done = true;
    const queue = this.sessionQueues.get(entry.sessionId);
    if (!queue) return;
    while (queue.length > 0 && (queue[0]!.done || queue[0]!.run)) {
      const head = queue.shift()!;
      head.run?.();
    }
  }

  private enqueue(sessionId: bigint, entry: Deferred): void {
    let queue = this.sessionQueues.get(sessionId);
    if (!queue) this.sessionQueues.set(sessionId, (queue = []));
    queue.push(entry);
  }

  // ---- the leader's side of learner traffic

  learnerRequest(data: Uint8Array, from: number): void {
    if (this.role !== 'leader') return;
    const f = decodeForwarded(data);
    try {
      if (f.type === OpCode.createSession) {
        this.proposeCreateSession(f.sessionId, new JuteReader(f.body).readInt(), from);
      } else if (f.type === OpCode.closeSession) {
        this.proposeCloseSession(f.sessionId, f.cxid);
      } else {
        this.proposeRequest(f.sessionId, f.cxid, decodeBody(f.type, new JuteReader(f.body)), f.authIds, from);
      }
    } catch (e) {
      this.log(`dropping a forwarded request of type ${f.type}: ${String(e)}`);
    }
  }

  sessionTouches(data: Uint8Array | null): void {
    const now = this.elapsedNowMs();
    for (const t of decodeTouches(data)) this.tracker.touch(t.sessionId, t.timeoutMs, now);
  }

  /** Leader: is this session alive? Touches it when so (REVALIDATE). */
  revalidateSession(sessionId: bigint, timeoutMs: number, from: number): boolean {
    const valid = this.tracker.touch(sessionId, timeoutMs, this.elapsedNowMs());
    if (valid) this.tracker.setOwner(sessionId, from);
    return valid;
  }

  /** Learner: the leader's REVALIDATE answer for a pending reconnect. */
  revalidateResult(sessionId: bigint, valid: boolean): void {
    const pending = this.pendingConnects.get(sessionId);
    if (!pending) return;
    this.pendingConnects.delete(sessionId);
    this.finishReopen(pending.state, pending.req, valid);
  }

  /** Learner: the leader's SYNC came back; release the oldest pending sync. */
  syncReleased(): void {
    const entry = this.learnerSyncs.shift();
    if (entry) this.finish(entry);
  }

  // ---- connections and sessions

  onConnect(conn: Connection, req: ConnectRequest): void {
    const timeoutMs = Math.min(Math.max(req.timeOut, this.options.minSessionTimeoutMs), this.options.maxSessionTimeoutMs);
    const state: ConnState = { conn, sessionId: null, timeoutMs, authIds: [{ scheme: 'ip', id: conn.remoteAddress }],
      hasReadOnlyField: req.hasReadOnlyField, closed: false, early: [],
      stats: { received: 1, sent: 0, lastCxid: -1, lastZxid: -1, lastOpCode: Number.NaN, establishedMs: this.clock.nowMs() } };
    this.conns.set(conn.id, state);
    this.stats.packetsReceived++;
    if (!this.isServing) return this.closeConn(state, 'ZooKeeperServer not running');
    if (req.lastZxidSeen > this.tree.lastProcessedZxid) {
      this.log(`Refusing session request for client ${conn.remoteAddress} as it has seen zxid 0x${req.lastZxidSeen.toString(16)} our last zxid is 0x${this.tree.lastProcessedZxid.toString(16)} client must try another server`);
      return this.closeConn(state, 'client zxid ahead');
    }
    if (this.role === 'read-only') return this.connectReadOnly(state, req);
    if (req.sessionId === 0n) return this.createSession(state, req);
    this.reopenSession(state, req);
  }

  /**
   * ReadOnlyZooKeeperServer: only clients that allow it; sessions are local to
   * this server (no txn), and end when the server regains a quorum.
   */
  private connectReadOnly(state: ConnState, req: ConnectRequest): void {
    if (!req.readOnly) return this.closeConn(state, 'not a read-only client');
    let id = req.sessionId;
    if (id === 0n) id = this.tracker.createSession(state.timeoutMs, this.elapsedNowMs());
    else if (!passwordMatches(id, req.passwd)) return this.finishReopen(state, req, false, id);
    const previous = this.bySession.get(id);
    if (previous && previous !== state) this.closeConn(previous, 'client reconnected');
    this.establish(state, req, id);
  }

  private createSession(state: ConnState, req: ConnectRequest): void {
    const id = this.tracker.createSession(state.timeoutMs, this.elapsedNowMs());
    this.pendingConnects.set(id, { state, req });
    if (this.preps) return this.proposeCreateSession(id, state.timeoutMs, this.options.serverId);
    this.tracker.remove(id);
    const body = new Uint8Array(4);
    new DataView(body.buffer).setInt32(0, state.timeoutMs);
    this.replicator.forward(encodeForwarded({ sessionId: id, cxid: 0, type: OpCode.createSession, body, authIds: [] }));
  }

  private reopenSession(state: ConnState, req: ConnectRequest): void {
    const id = req.sessionId;
    // Like ZooKeeper, close the session's current connection before checking the password.
    const previous = this.bySession.get(id);
    if (previous && previous !== state) this.closeConn(previous, 'client reconnected');
    if (!passwordMatches(id, req.passwd)) return this.finishReopen(state, req, false, id);
    if (this.preps) {
      const valid = this.tracker.touch(id, state.timeoutMs, this.elapsedNowMs());
      if (valid) this.tracker.setOwner(id, this.options.serverId);
      return this.finishReopen(state, req, valid, id);
    }
    this.pendingConnects.set(id, { state, req });
    this.replicator.revalidate(id, state.timeoutMs);
  }

  private finishReopen(state: ConnState, req: ConnectRequest, valid: boolean, id = req.sessionId): void {
    if (!valid) {
      this.log(`Invalid session 0x${BigInt.asUintN(64, id).toString(16)} for client ${state.conn.remoteAddress}, probably expired`);
      this.send(state, encodeConnectResponse({ protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: new Uint8Array(16),
        readOnly: false }, req.hasReadOnlyField));
      return this.closeConn(state, 'session expired or bad password');
    }
    this.establish(state, req, id);
  }

  /** The session is this connection's: the ConnectResponse leaves, then the requests that came with the ConnectRequest run, in order. */
  private establish(state: ConnState, req: ConnectRequest, id: bigint): void {
    this.attach(state, id);
    this.respondConnect(state, req, state.timeoutMs, id);
    const early = state.early;
    state.early = [];
    for (const { xid, request } of early) {
      if (state.closed) return;
      this.onRequest(state.conn, xid, request);
    }
  }

  private attach(state: ConnState, id: bigint): void {
    state.sessionId = id;
    this.bySession.set(id, state);
  }

  private respondConnect(state: ConnState, req: ConnectRequest, timeOut: number, sessionId: bigint): void {
    this.send(state, encodeConnectResponse({ protocolVersion: 0, timeOut, sessionId, passwd: generatePassword(sessionId),
      readOnly: this.role === 'read-only' }, req.hasReadOnlyField));
  }

  onDisconnect(conn: Connection): void {
    const state = this.conns.get(conn.id);
    if (!state) return;
    state.closed = true;
    this.detach(state);
  }

  // ---- requests

  onRequest(conn: Connection, xid: number, request: Request): void {
    const state = this.conns.get(conn.id);
    if (!state || state.closed) return;
    if (state.sessionId === null) return this.holdUntilEstablished(state, xid, request);
    const started = this.elapsedNowMs();
    this.stats.packetsReceived++;
    state.stats.received++;
    state.stats.lastCxid = xid;
    state.stats.lastOpCode = request.opcode;
    const sessionId = state.sessionId;
    if (!this.touch(sessionId, state.timeoutMs) && request.op !== 'closeSession') {
      this.reply(state, xid, Code.SESSIONEXPIRED);
      return;
    }
    this.dispatch(state, sessionId, xid, request);
    this.recordLatency(this.elapsedNowMs() - started);
  }

  /** A request sent before its connection's ConnectResponse (pipelined): kept, bounded, until the session is established. */
  private holdUntilEstablished(state: ConnState, xid: number, request: Request): void {
    if (state.early.length >= MAX_REQUESTS_BEFORE_SESSION) {
      return this.closeConn(state, `more than ${MAX_REQUESTS_BEFORE_SESSION} requests before the session was established`);
    }
    state.early.push({ xid, request });
  }

  private touch(sessionId: bigint, timeoutMs: number): boolean {
    if (this.role === 'read-only') return true;
    if (this.preps) return this.tracker.touch(sessionId, undefined, this.elapsedNowMs());
    this.replicator.touchSession(sessionId, timeoutMs);
    return true;
  }

  private recordLatency(ms: number): void {
    const s = this.stats;
    s.latencyMinMs = s.latencyCount === 0 ? ms : Math.min(s.latencyMinMs, ms);
    s.latencyMaxMs = Math.max(s.latencyMaxMs, ms);
    s.latencyTotalMs += ms;
    s.latencyCount++;
  }

  private dispatch(state: ConnState, sessionId: bigint, xid: number, request: Request): void {
    if (CONTROL_OPS.has(request.op)) return this.control(state, xid, request);
    const isWrite = WRITE_OPS.has(request.op) || (request.op === 'multi' && request.opcode === OpCode.multi)
      || request.op === 'closeSession' || (request.op === 'unimplemented' && request.opcode === OpCode.reconfig);
    if (this.role === 'read-only' && (isWrite || request.op === 'sync')) {
      if (request.op === 'closeSession') return this.closeConn(state, 'client closed session');
      return this.reply(state, xid, Code.NOTREADONLY);
    }
    if (isWrite) return this.submitWrite(state, sessionId, xid, request);
    if (request.op === 'sync') return this.submitSync(state, sessionId, xid, request);
    const run = () => this.runLocal(state, sessionId, xid, request);
    const queue = this.sessionQueues.get(sessionId);
    if (!queue || queue.length === 0) return run();
    this.enqueue(sessionId, { done: false, run });
  }

  private control(state: ConnState, xid: number, request: Request): void {
    switch (request.op) {
      case 'ping': return this.reply(state, Xid.ping, 0);
      case 'auth': return this.handleAuth(state, request.body.scheme, request.body.auth);
      case 'setWatches': {
        for (const ev of setWatches(this.tree, state.conn.id, request.body)) this.notify(state, ev.type, ev.path);
        return this.reply(state, xid, 0);
      }
      case 'whoAmI': return this.reply(state, xid, 0, (w) => R.WhoAmIResponse.write(w, {
        clientInfo: state.authIds.map((id) => ({ authScheme: id.scheme, user: id.scheme === 'digest' ? id.id.split(':')[0]! : id.id })),
      }));
      default:
        this.log(`Received packet at server of unknown type ${request.opcode}`);
        this.reply(state, xid, Code.UNIMPLEMENTED, undefined, -1);
        return this.closeConn(state, `unknown request type ${request.opcode}`);
    }
  }

  private submitWrite(state: ConnState, sessionId: bigint, xid: number, request: Request): void {
    const entry: Completion = { done: false, sessionId };
    this.enqueue(sessionId, entry);
    let queue = this.pendingWrites.get(sessionId);
    if (!queue) this.pendingWrites.set(sessionId, (queue = []));
    queue.push({ state, xid, request, entry });
    if (this.preps) {
      if (request.op === 'closeSession') return this.proposeCloseSession(sessionId, xid);
      return this.proposeRequest(sessionId, xid, request, state.authIds, this.options.serverId);
    }
    const body = encodeRequest(xid, request).subarray(8);
    this.replicator.forward(encodeForwarded({ sessionId, cxid: xid, type: request.opcode, body, authIds: state.authIds }));
  }

  private submitSync(state: ConnState, sessionId: bigint, xid: number, request: Request & { op: 'sync' }): void {
    const path = request.body.path;
    const entry: Completion = { done: false, sessionId };
    this.enqueue(sessionId, entry);
    this.enqueue(sessionId, { done: false, run: () => this.reply(state, xid, 0, (w) => R.SyncResponse.write(w, { path })) });
    if (this.preps) {
      if (this.lastProposedZxid <= this.tree.lastProcessedZxid) return this.finish(entry);
      this.localSyncs.push({ zxid: this.lastProposedZxid, entry });
      return;
    }
    this.learnerSyncs.push(entry);
    const body = encodeRequest(xid, request).subarray(8);
    this.replicator.forward(encodeForwarded({ sessionId, cxid: xid, type: OpCode.sync, body, authIds: state.authIds }));
  }

  private runLocal(state: ConnState, sessionId: bigint, xid: number, request: Request): void {
    if (state.closed) return;
    try {
      const body = this.runOther(state, sessionId, request);
      this.reply(state, xid, 0, body ?? undefined);
    } catch (e) {
      if (!(e instanceof KeeperError)) throw e;
      this.reply(state, xid, e.code);
    }
  }

  private runOther(state: ConnState, sessionId: bigint, request: Request): BodyWriter | null {
    const watcher = state.conn.id;
    switch (request.op) {
      case 'addWatch':
        addWatch(this.tree, watcher, request.body.path, request.body.mode);
        return (w) => R.ErrorResponse.write(w, { err: 0 });
      case 'removeWatches': case 'checkWatches':
        removeOrCheckWatches(this.tree, watcher, request.body.path, request.body.type, request.op === 'removeWatches');
        return null;
      default:
        return runRead({ tree: this.tree, authIds: state.authIds, sessionId, watcher }, request);
    }
  }

  private handleAuth(state: ConnState, scheme: string, auth: Uint8Array | null): void {
    const outcome = authenticate(scheme, auth, this.options.superDigest);
    if (!outcome.ok) {
      this.send(state, encodeReply(Xid.auth, 0, Code.AUTHFAILED));
      return this.closeConn(state, `auth failed for scheme ${scheme}`);
    }
    for (const id of outcome.ids) {
      if (!state.authIds.some((a) => a.scheme === id.scheme && a.id === id.id)) state.authIds.push(id);
    }
    this.send(state, encodeReply(Xid.auth, 0, 0));
  }

  // ---- time

  /** Session expiry and latency time: monotonic when the server has one (ZooKeeper's currentElapsedTime). */
  private elapsedNowMs(): number {
    return this.clock.elapsedMs?.() ?? this.clock.nowMs();
  }

  /** Called periodically: the leader (or standalone server) expires sessions and removes empty containers and expired TTL nodes. */
  onTick(): void {
    if (!this.isServing || !this.preps) return;
    const now = this.clock.nowMs();
    for (const s of this.tracker.expire(this.elapsedNowMs())) {
      this.log(`Expiring session 0x${BigInt.asUintN(64, s.id).toString(16)}, timeout of ${s.timeoutMs}ms exceeded`);
      this.proposeCloseSession(s.id, 0);
    }
    // The check interval runs on the monotonic clock: on the wall clock, a server whose clock was stepped
    // back after running ahead checked nothing until it caught up (found by the clock-skew scenario: TTL
    // nodes outlived their TTL by the size of the step). The TTL itself compares wall-clock mtimes, as ZooKeeper does.
    const elapsed = this.elapsedNowMs();
    if (elapsed - this.lastContainerCheckMs >= this.options.containerCheckIntervalMs) {
      this.lastContainerCheckMs = elapsed;
      for (const path of this.containerCandidates(now)) {
        this.propose(0n, 0, () => prepDeleteContainer(this.prepContext(0n, []), path));
      }
    }
  }

  private containerCandidates(now: number): string[] {
    const out: string[] = [];
    const pendingDeletes = this.outstanding.pendingDeletes();
    for (const path of this.tree.containers) {
      const node = this.tree.getNode(path);
      if (node && node.children.size === 0 && node.stat.cversion > 0 && !pendingDeletes.has(path)) out.push(path);
    }
    for (const path of this.tree.ttls) {
      const node = this.tree.getNode(path);
      if (!node || node.children.size > 0 || pendingDeletes.has(path)) continue;
      if (ephemeralKind(node.stat.ephemeralOwner, true) !== 'ttl') continue;
      const ttl = ttlOf(node.stat.ephemeralOwner);
      if (ttl !== 0 && now - node.stat.mtime > ttl) out.push(path);
    }
    return out;
  }
}

function writeReplyBody(request: Request, result: ProcessTxnResult, tree: DataTree): BodyWriter | undefined {
  switch (request.op) {
    case 'create': {
      const path = result.path!;
      if (request.opcode === OpCode.create) return (w) => R.CreateResponse.write(w, { path });
      const stat = result.stat!;
      return (w) => R.Create2Response.write(w, { path, stat });
    }
    case 'setData': case 'setACL': {
      const stat = result.stat!;
      return (w) => R.SetDataResponse.write(w, { stat });
    }
    case 'check': {
      const node = tree.getNode(result.path!);
      if (!node) return undefined;
      const stat = tree.statOf(node);
      return (w) => R.SetDataResponse.write(w, { stat });
    }
    case 'multi': {
      const results = (result.multiResult ?? []).map(multiResultOf);
      return (w: JuteWriter) => writeMultiResults(w, results);
    }
    default: return undefined;
  }
}

function multiResultOf(r: ProcessTxnResult): MultiResult {
  if (r.err !== 0 || r.type === OpCode.error) return { type: OpCode.error, err: r.err };
  switch (r.type) {
    // ZooKeeper 3.8 answers create2 inside multi as create (path only).
    case OpCode.create: case OpCode.create2: return { type: OpCode.create, path: r.path! };
    case OpCode.createTTL: case OpCode.createContainer:
      return { type: OpCode.create2, path: r.path!, stat: r.stat! };
    case OpCode.delete: case OpCode.deleteContainer: return { type: OpCode.delete };
    case OpCode.setData: return { type: OpCode.setData, stat: r.stat! };
    case OpCode.check: return { type: OpCode.check };
    default: return { type: OpCode.error, err: Code.SYSTEMERROR };
  }
}
