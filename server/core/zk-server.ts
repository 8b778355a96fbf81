// The standalone request pipeline (ZooKeeperServer + Prep/Final request
// processors), pure: connections, the txn log and the clock are passed in.
//
// Writes are applied to the tree as soon as they are logged, so later writes
// validate against them (ZooKeeper's outstandingChanges), but nothing that
// depends on a txn — its reply, the watch events it fired, or any later reply
// that could observe it — leaves the server before that txn is durable
// (fsynced). Each connection's output is one FIFO queue gated on durability,
// which also keeps a watch event ahead of any later reply on that connection.
import { Code, KeeperError } from '../wire/errors.ts';
import type { JuteWriter } from '../wire/jute.ts';
import { KeeperState, OpCode, Xid } from '../wire/opcodes.ts';
import * as R from '../wire/records.ts';
import type { Id } from '../wire/records.ts';
import type { ConnectRequest } from '../wire/connect.ts';
import { encodeConnectResponse } from '../wire/connect.ts';
import type { Request } from '../wire/requests.ts';
import { encodeReply, writeMultiResults, type MultiResult } from '../wire/responses.ts';
import { authenticate } from '../tree/acl.ts';
import type { DataTree, ProcessTxnResult, WatchEvent } from '../tree/data-tree.ts';
import { ephemeralKind, ttlOf } from '../tree/ephemeral-type.ts';
import { encodeTxn, type Txn, type TxnBody } from '../tree/txn.ts';
import type { Clock } from './clock.ts';
import { prepCloseSession, prepDeleteContainer, prepWrite, type PrepContext } from './prep.ts';
import { runRead, type BodyWriter } from './reads.ts';
import { generatePassword, passwordMatches, SessionTracker } from './session-tracker.ts';
import { addWatch, removeOrCheckWatches, setWatches } from './watch-ops.ts';

export interface Connection {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort?: number;
  /** Sends one frame body (the io layer adds the length prefix). */
  send(body: Uint8Array): void;
  close(reason: string): void;
}

export interface TxnSink {
  /** Appends a txn to the log; the io layer reports durability through onDurable(zxid). */
  append(zxid: number, bytes: Uint8Array): void;
}

export interface ServerOptions {
  tickTimeMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  extendedTypesEnabled: boolean;
  superDigest: string | null;
  containerCheckIntervalMs: number;
  serverId: number;
}

type Output = { dep: number; body: Uint8Array | null; closeReason?: string };

interface ConnState {
  conn: Connection;
  sessionId: bigint | null;
  authIds: Id[];
  queue: Output[];
  closed: boolean;
  stats: { received: number; sent: number; lastCxid: number; lastZxid: number; lastOpCode: number; establishedMs: number };
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

export class ZooKeeperServer {
  readonly tracker: SessionTracker;
  readonly stats: ServerStats = { packetsReceived: 0, packetsSent: 0, latencyMinMs: 0, latencyMaxMs: 0, latencyTotalMs: 0, latencyCount: 0 };
  private readonly conns = new Map<number, ConnState>();
  private readonly bySession = new Map<bigint, ConnState>();
  private readonly waiting = new Set<ConnState>();
  private appendedZxid: number;
  private durableZxid: number;
  private lastContainerCheckMs: number;
  private serving = true;

  constructor(readonly tree: DataTree, private readonly sink: TxnSink, private readonly clock: Clock,
    readonly options: ServerOptions, private readonly log: (msg: string) => void = () => {}) {
    this.appendedZxid = tree.lastProcessedZxid;
    this.durableZxid = tree.lastProcessedZxid;
    const now = clock.nowMs();
    this.lastContainerCheckMs = now;
    this.tracker = new SessionTracker(options.tickTimeMs, options.serverId, now);
    for (const [id, timeout] of tree.sessions) this.tracker.addSession(id, timeout, now);
  }

  get lastZxid(): number {
    return this.appendedZxid;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  sessionOfConnection(connId: number): bigint | null {
    return this.conns.get(connId)?.sessionId ?? null;
  }

  get outstandingRequests(): number {
    let n = 0;
    for (const s of this.waiting) n += s.queue.length;
    return n;
  }

  connections(): { id: number; remoteAddress: string; remotePort: number; sessionId: bigint | null; queued: number;
    received: number; sent: number; lastCxid: number; lastZxid: number; lastOpCode: number; establishedMs: number }[] {
    return [...this.conns.values()].map((s) => ({ id: s.conn.id, remoteAddress: s.conn.remoteAddress,
      remotePort: s.conn.remotePort ?? 0, sessionId: s.sessionId, queued: s.queue.length, ...s.stats }));
  }

  // ---- output, gated on durability

  private output(state: ConnState, body: Uint8Array | null, closeReason?: string): void {
    if (state.closed) return;
    const out: Output = { dep: this.appendedZxid, body, ...(closeReason !== undefined ? { closeReason } : {}) };
    if (state.queue.length === 0 && out.dep <= this.durableZxid) {
      this.deliver(state, out);
      return;
    }
    state.queue.push(out);
    this.waiting.add(state);
  }

  private deliver(state: ConnState, out: Output): void {
    if (state.closed) return;
    if (out.body) {
      state.conn.send(out.body);
      state.stats.sent++;
      this.stats.packetsSent++;
    }
    if (out.closeReason !== undefined) this.closeConn(state, out.closeReason);
  }

  /** Everything up to `zxid` is on disk: release what waited for it. */
  onDurable(zxid: number): void {
    if (zxid <= this.durableZxid) return;
    this.durableZxid = zxid;
    for (const state of [...this.waiting]) {
      while (state.queue.length > 0 && state.queue[0]!.dep <= zxid) this.deliver(state, state.queue.shift()!);
      if (state.queue.length === 0) this.waiting.delete(state);
    }
  }

  /** The log can no longer be written: stop acknowledging anything. */
  onStorageFailure(reason: string): void {
    this.serving = false;
    this.log(`storage failure, no longer serving: ${reason}`);
    for (const state of [...this.conns.values()]) this.closeConn(state, 'storage failure');
  }

  get isServing(): boolean {
    return this.serving;
  }

  private closeConn(state: ConnState, reason: string): void {
    if (state.closed) return;
    state.closed = true;
    state.queue.length = 0;
    this.waiting.delete(state);
    state.conn.close(reason);
    this.detach(state);
  }

  private detach(state: ConnState): void {
    this.conns.delete(state.conn.id);
    if (state.sessionId !== null && this.bySession.get(state.sessionId) === state) this.bySession.delete(state.sessionId);
    this.tree.dataWatches.removeWatcher(state.conn.id);
    this.tree.childWatches.removeWatcher(state.conn.id);
  }

  // ---- transactions

  private logAndApply(clientId: bigint, cxid: number, body: TxnBody): ProcessTxnResult {
    const zxid = this.appendedZxid + 1;
    if ((zxid & 0xffffffff) === 0 && zxid !== 0) throw new KeeperError(Code.SYSTEMERROR);
    const txn: Txn = { hdr: { clientId, cxid, zxid, time: this.clock.nowMs(), type: body.type }, body };
    this.sink.append(zxid, encodeTxn(txn));
    this.appendedZxid = zxid;
    const { result, events } = this.tree.processTxn(txn);
    this.dispatchEvents(events);
    return result;
  }

  private dispatchEvents(events: WatchEvent[]): void {
    for (const ev of events) {
      for (const watcher of ev.watchers) {
        const state = this.conns.get(watcher);
        if (state) this.notify(state, ev.type, ev.path, ev.zxid);
      }
    }
  }

  private notify(state: ConnState, type: number, path: string, _zxid: number): void {
    // ZooKeeper 3.8 sends notifications with zxid -1 (3.9 sends the event's zxid).
    const body = encodeReply(Xid.notification, -1, 0, (w) =>
      R.WatcherEvent.write(w, { type, state: KeeperState.SyncConnected, path }));
    this.output(state, body);
  }

  // ---- connections and sessions

  onConnect(conn: Connection, req: ConnectRequest): void {
    const state: ConnState = { conn, sessionId: null, authIds: [{ scheme: 'ip', id: conn.remoteAddress }], queue: [],
      closed: false, stats: { received: 1, sent: 0, lastCxid: -1, lastZxid: -1, lastOpCode: Number.NaN, establishedMs: this.clock.nowMs() } };
    this.conns.set(conn.id, state);
    this.stats.packetsReceived++;
    if (!this.serving) return this.closeConn(state, 'not serving');
    if (req.lastZxidSeen > this.appendedZxid) {
      this.log(`Refusing session request for client ${conn.remoteAddress} as it has seen zxid 0x${req.lastZxidSeen.toString(16)} our last zxid is 0x${this.appendedZxid.toString(16)} client must try another server`);
      return this.closeConn(state, 'client zxid ahead');
    }
    const timeoutMs = Math.min(Math.max(req.timeOut, this.options.minSessionTimeoutMs), this.options.maxSessionTimeoutMs);
    if (req.sessionId === 0n) return this.createSession(state, req, timeoutMs);
    this.reopenSession(state, req, timeoutMs);
  }

  private createSession(state: ConnState, req: ConnectRequest, timeoutMs: number): void {
    const now = this.clock.nowMs();
    const id = this.tracker.createSession(timeoutMs, now);
    this.logAndApply(id, 0, { type: OpCode.createSession, rec: { timeOut: timeoutMs } });
    this.attach(state, id);
    this.respondConnect(state, req, { timeOut: timeoutMs, sessionId: id, passwd: generatePassword(id) });
  }

  private reopenSession(state: ConnState, req: ConnectRequest, timeoutMs: number): void {
    const id = req.sessionId;
    // Like ZooKeeper, close the session's current connection before checking the password.
    const previous = this.bySession.get(id);
    if (previous && previous !== state) this.closeConn(previous, 'client reconnected');
    const valid = passwordMatches(id, req.passwd) && this.tracker.touch(id, timeoutMs, this.clock.nowMs());
    if (!valid) {
      this.log(`Invalid session 0x${BigInt.asUintN(64, id).toString(16)} for client ${state.conn.remoteAddress}, probably expired`);
      this.respondConnect(state, req, { timeOut: 0, sessionId: 0n, passwd: new Uint8Array(16) });
      this.output(state, null, 'session expired or bad password');
      return;
    }
    this.attach(state, id);
    this.respondConnect(state, req, { timeOut: timeoutMs, sessionId: id, passwd: generatePassword(id) });
  }

  private attach(state: ConnState, id: bigint): void {
    state.sessionId = id;
    this.bySession.set(id, state);
  }

  private respondConnect(state: ConnState, req: ConnectRequest, res: { timeOut: number; sessionId: bigint; passwd: Uint8Array }): void {
    this.output(state, encodeConnectResponse({ protocolVersion: 0, ...res, readOnly: false }, req.hasReadOnlyField));
  }

  onDisconnect(conn: Connection): void {
    const state = this.conns.get(conn.id);
    if (!state) return;
    state.closed = true;
    this.waiting.delete(state);
    this.detach(state);
  }

  // ---- requests

  onRequest(conn: Connection, xid: number, request: Request): void {
    const state = this.conns.get(conn.id);
    if (!state || state.closed || state.sessionId === null) return;
    const started = this.clock.nowMs();
    this.stats.packetsReceived++;
    state.stats.received++;
    state.stats.lastCxid = xid;
    state.stats.lastOpCode = request.opcode;
    const sessionId = state.sessionId;
    if (!this.tracker.touch(sessionId, undefined, started) && request.op !== 'closeSession') {
      this.reply(state, xid, Code.SESSIONEXPIRED);
      return;
    }
    this.dispatch(state, sessionId, xid, request);
    this.recordLatency(this.clock.nowMs() - started);
  }

  private recordLatency(ms: number): void {
    const s = this.stats;
    s.latencyMinMs = s.latencyCount === 0 ? ms : Math.min(s.latencyMinMs, ms);
    s.latencyMaxMs = Math.max(s.latencyMaxMs, ms);
    s.latencyTotalMs += ms;
    s.latencyCount++;
  }

  private reply(state: ConnState, xid: number, err: number, body?: BodyWriter, zxid = this.appendedZxid): void {
    state.stats.lastZxid = zxid;
    this.output(state, encodeReply(xid, zxid, err, body));
  }

  private dispatch(state: ConnState, sessionId: bigint, xid: number, request: Request): void {
    switch (request.op) {
      case 'ping': return this.reply(state, Xid.ping, 0);
      case 'auth': return this.handleAuth(state, request.body.scheme, request.body.auth);
      case 'closeSession': return this.closeSession(state, sessionId, xid);
      case 'setWatches': return this.handleSetWatches(state, xid, request);
      case 'whoAmI': return this.reply(state, xid, 0, (w) => R.WhoAmIResponse.write(w, {
        clientInfo: state.authIds.map((id) => ({ authScheme: id.scheme, user: id.scheme === 'digest' ? id.id.split(':')[0]! : id.id })),
      }));
      case 'unimplemented': return this.unimplemented(state, xid, request.opcode);
      default: break;
    }
    if (WRITE_OPS.has(request.op) || (request.op === 'multi' && request.opcode === OpCode.multi)) {
      return this.handleWrite(state, sessionId, xid, request);
    }
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

  private unimplemented(state: ConnState, xid: number, opcode: number): void {
    if (opcode === OpCode.reconfig) {
      this.logAndApply(state.sessionId!, xid, { type: OpCode.error, rec: { err: Code.RECONFIGDISABLED } });
      return this.reply(state, xid, Code.RECONFIGDISABLED);
    }
    this.log(`Received packet at server of unknown type ${opcode}`);
    this.reply(state, xid, Code.UNIMPLEMENTED, undefined, -1);
    this.output(state, null, `unknown request type ${opcode}`);
  }

  private handleWrite(state: ConnState, sessionId: bigint, xid: number, request: Request): void {
    const ctx: PrepContext = { tree: this.tree, authIds: state.authIds, sessionId,
      extendedTypesEnabled: this.options.extendedTypesEnabled };
    let body: TxnBody;
    try {
      body = prepWrite(ctx, request);
    } catch (e) {
      if (!(e instanceof KeeperError)) throw e;
      this.logAndApply(sessionId, xid, { type: OpCode.error, rec: { err: e.code } });
      return this.reply(state, xid, e.code);
    }
    const result = this.logAndApply(sessionId, xid, body);
    if (result.err !== 0) return this.reply(state, xid, result.err);
    this.reply(state, xid, 0, writeReplyBody(request, result, this.tree));
  }

  private handleAuth(state: ConnState, scheme: string, auth: Uint8Array | null): void {
    const outcome = authenticate(scheme, auth, this.options.superDigest);
    if (!outcome.ok) {
      this.output(state, encodeReply(Xid.auth, 0, Code.AUTHFAILED));
      this.output(state, null, `auth failed for scheme ${scheme}`);
      return;
    }
    for (const id of outcome.ids) {
      if (!state.authIds.some((a) => a.scheme === id.scheme && a.id === id.id)) state.authIds.push(id);
    }
    this.output(state, encodeReply(Xid.auth, 0, 0));
  }

  private handleSetWatches(state: ConnState, xid: number, request: Request & { op: 'setWatches' }): void {
    const fired = setWatches(this.tree, state.conn.id, request.body);
    for (const ev of fired) this.notify(state, ev.type, ev.path, -1);
    this.reply(state, xid, 0);
  }

  private closeSession(state: ConnState, sessionId: bigint, xid: number): void {
    this.tracker.setClosing(sessionId);
    this.logAndApply(sessionId, xid, prepCloseSession(this.tree, sessionId));
    this.tracker.remove(sessionId);
    this.reply(state, xid, 0);
    this.output(state, null, 'client closed session');
  }

  // ---- time

  /** Called periodically by the io layer: expires sessions, removes empty containers and expired TTL nodes. */
  onTick(): void {
    if (!this.serving) return;
    const now = this.clock.nowMs();
    for (const s of this.tracker.expire(now)) this.expireSession(s.id, s.timeoutMs);
    if (now - this.lastContainerCheckMs >= this.options.containerCheckIntervalMs) {
      this.lastContainerCheckMs = now;
      this.checkContainers(now);
    }
  }

  private expireSession(id: bigint, timeoutMs: number): void {
    this.log(`Expiring session 0x${BigInt.asUintN(64, id).toString(16)}, timeout of ${timeoutMs}ms exceeded`);
    this.logAndApply(id, 0, prepCloseSession(this.tree, id));
    this.tracker.remove(id);
    const state = this.bySession.get(id);
    if (state) this.output(state, null, 'session expired');
  }

  private checkContainers(now: number): void {
    const candidates: string[] = [];
    for (const path of this.tree.containers) {
      const node = this.tree.getNode(path);
      if (node && node.children.size === 0 && node.stat.cversion > 0) candidates.push(path);
    }
    for (const path of this.tree.ttls) {
      const node = this.tree.getNode(path);
      if (!node || node.children.size > 0) continue;
      if (ephemeralKind(node.stat.ephemeralOwner, true) !== 'ttl') continue;
      const ttl = ttlOf(node.stat.ephemeralOwner);
      if (ttl !== 0 && now - node.stat.mtime > ttl) candidates.push(path);
    }
    const ctx: PrepContext = { tree: this.tree, authIds: [], sessionId: 0n, extendedTypesEnabled: this.options.extendedTypesEnabled };
    for (const path of candidates) {
      let body: TxnBody;
      try {
        body = prepDeleteContainer(ctx, path);
      } catch (e) {
        if (!(e instanceof KeeperError)) throw e;
        body = { type: OpCode.error, rec: { err: e.code } };
      }
      this.logAndApply(0n, 0, body);
    }
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
