// A small raw ZooKeeper session on the project's codec (server/wire) over
// node:net, for opcodes no npm client exposes. It records every arrival in
// order (replies and xid -1 notifications interleaved), matches replies to
// requests by xid, answers for reserved xids (ping -2, auth -4, setWatches -8),
// and notes protocol violations (a reply out of request order) for tests to assert on.
import { connect, type Socket } from 'node:net';
import {
  FrameDecoder, JuteReader, OpCode, Xid, decodeConnectResponse, decodeReplyHeader, encodeConnectRequest,
  encodeRequest, frame, records as R, utf8, type ConnectResponse, type Infer, type Request,
} from '../../server/wire/index.ts';

export interface RawConnectOptions {
  sessionTimeoutMs?: number;
  sessionId?: bigint;
  passwd?: Uint8Array;
  readOnly?: boolean;
  /** Send ConnectRequest's trailing readOnly byte (default true; false = "old client"). */
  withReadOnlyField?: boolean;
  lastZxidSeen?: number;
  /** Ping every negotiated/3 ms (default true). */
  autoPing?: boolean;
  replyTimeoutMs?: number;
}

export interface RawReply {
  xid: number;
  zxid: number;
  err: number;
  reader: JuteReader;
}

export interface RawEvent {
  type: number;
  state: number;
  path: string;
  zxid: number;
}

export type Arrival =
  | { kind: 'reply'; xid: number; zxid: number; err: number }
  | { kind: 'event'; type: number; path: string; zxid: number };

interface Pending {
  xid: number;
  resolve: (r: RawReply) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class ConnectionClosedError extends Error {
  readonly code = 'CONNECTION_CLOSED';
}

const DEFAULT_REPLY_TIMEOUT_MS = 10_000;

function openSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`connect timeout ${host}:${port}`)); }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); socket.setNoDelay(true); resolve(socket); });
    socket.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Reads the ConnectResponse frame; rejects if the server closes first. */
function readConnectResponse(socket: Socket, decoder: FrameDecoder, timeoutMs: number): Promise<ConnectResponse> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('no ConnectResponse in time')), timeoutMs);
    const onData = (d: Buffer) => {
      decoder.push(new Uint8Array(d));
      const body = decoder.next();
      if (body !== undefined) finish(undefined, decodeConnectResponse(body));
    };
    const onClose = () => finish(new ConnectionClosedError('server closed the connection before ConnectResponse'));
    function finish(err?: Error, res?: ConnectResponse) {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (err) reject(err); else resolve(res!);
    }
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

export class RawSession {
  readonly arrivals: Arrival[] = [];
  readonly violations: string[] = [];
  private readonly pending: Pending[] = [];
  private readonly eventQueue: RawEvent[] = [];
  private eventWaiters: { match: (e: RawEvent) => boolean; resolve: (e: RawEvent) => void }[] = [];
  private nextXid = 1;
  private pingTimer: NodeJS.Timeout | undefined;
  private isClosed = false;
  readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    private readonly decoder: FrameDecoder,
    readonly response: ConnectResponse,
    private readonly replyTimeoutMs: number,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => { this.onClose(); resolve(); }));
    socket.on('data', (d) => this.onData(d));
    socket.on('error', () => { /* close follows */ });
    this.drain();
  }

  /** Handshake; the returned session may be refused (response.timeOut <= 0, as ZooKeeper answers an expired session). */
  static async connect(host: string, port: number, opts: RawConnectOptions = {}): Promise<RawSession> {
    const replyTimeoutMs = opts.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
    const socket = await openSocket(host, port, replyTimeoutMs);
    const decoder = new FrameDecoder();
    const responseP = readConnectResponse(socket, decoder, replyTimeoutMs);
    socket.write(frame(encodeConnectRequest({
      protocolVersion: 0, lastZxidSeen: opts.lastZxidSeen ?? 0, timeOut: opts.sessionTimeoutMs ?? 10_000,
      sessionId: opts.sessionId ?? 0n, passwd: opts.passwd ?? new Uint8Array(16), readOnly: opts.readOnly ?? false,
    }, opts.withReadOnlyField ?? true)));
    let response: ConnectResponse;
    try {
      response = await responseP;
    } catch (err) {
      socket.destroy();
      throw err;
    }
    const session = new RawSession(socket, decoder, response, replyTimeoutMs);
    if (response.timeOut > 0 && (opts.autoPing ?? true)) session.startPings(Math.max(100, response.timeOut / 3));
    return session;
  }

  /** Handshake that must yield a live session. */
  static async open(host: string, port: number, opts: RawConnectOptions = {}): Promise<RawSession> {
    const s = await RawSession.connect(host, port, opts);
    if (s.response.timeOut <= 0) {
      s.drop();
      throw new Error(`session refused (negotiated timeout ${s.response.timeOut})`);
    }
    return s;
  }

  get sessionId(): bigint {
    return this.response.sessionId;
  }

  get passwd(): Uint8Array {
    return this.response.passwd;
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  private startPings(intervalMs: number): void {
    this.pingTimer = setInterval(() => { if (!this.isClosed) this.ping().catch(() => undefined); }, intervalMs);
    this.pingTimer.unref();
  }

  private onData(d: Buffer): void {
    this.decoder.push(new Uint8Array(d));
    this.drain();
  }

  private drain(): void {
    for (let body = this.decoder.next(); body !== undefined; body = this.decoder.next()) this.onFrame(body);
  }

  private onFrame(body: Uint8Array): void {
    const { header, reader } = decodeReplyHeader(body);
    if (header.xid === Xid.notification) {
      const ev = R.WatcherEvent.read(reader);
      this.arrivals.push({ kind: 'event', type: ev.type, path: ev.path, zxid: header.zxid });
      this.deliverEvent({ ...ev, zxid: header.zxid });
      return;
    }
    this.arrivals.push({ kind: 'reply', xid: header.xid, zxid: header.zxid, err: header.err });
    this.settle({ xid: header.xid, zxid: header.zxid, err: header.err, reader });
  }

  private settle(reply: RawReply): void {
    const index = this.pending.findIndex((p) => p.xid === reply.xid);
    if (index < 0) {
      this.violations.push(`reply for unknown xid ${reply.xid}`);
      return;
    }
    const ordered = reply.xid < 0 || this.pending.findIndex((p) => p.xid >= 0) === index;
    if (!ordered) this.violations.push(`reply xid ${reply.xid} arrived before an earlier request's reply`);
    const [p] = this.pending.splice(index, 1);
    clearTimeout(p!.timer);
    p!.resolve(reply);
  }

  private deliverEvent(ev: RawEvent): void {
    const waiter = this.eventWaiters.find((w) => w.match(ev));
    if (waiter) {
      this.eventWaiters = this.eventWaiters.filter((w) => w !== waiter);
      waiter.resolve(ev);
    } else {
      this.eventQueue.push(ev);
    }
  }

  private onClose(): void {
    this.isClosed = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(new ConnectionClosedError(`connection closed with xid ${p.xid} outstanding`));
    }
  }

  /** Sends RequestHeader(xid, opcode) + body bytes and waits for the reply with that xid. */
  sendRaw(xid: number, bytes: Uint8Array): Promise<RawReply> {
    if (this.isClosed) return Promise.reject(new ConnectionClosedError('connection already closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.pending.findIndex((p) => p.timer === timer);
        if (i >= 0) this.pending.splice(i, 1);
        reject(new Error(`no reply for xid ${xid} within ${this.replyTimeoutMs} ms`));
      }, this.replyTimeoutMs);
      this.pending.push({ xid, resolve, reject, timer });
      this.socket.write(frame(bytes));
    });
  }

  /** A request with the next client xid. */
  call(req: Request): Promise<RawReply> {
    const xid = this.nextXid++;
    return this.sendRaw(xid, encodeRequest(xid, req));
  }

  /** A request with an arbitrary opcode and body (e.g. an opcode ZooKeeper does not know). */
  callOpcode(opcode: number, body: Uint8Array = new Uint8Array(0)): Promise<RawReply> {
    const xid = this.nextXid++;
    const out = new Uint8Array(8 + body.byteLength);
    const view = new DataView(out.buffer);
    view.setInt32(0, xid);
    view.setInt32(4, opcode);
    out.set(body, 8);
    return this.sendRaw(xid, out);
  }

  ping(): Promise<RawReply> {
    return this.sendRaw(Xid.ping, encodeRequest(Xid.ping, { op: 'ping', opcode: OpCode.ping, body: null }));
  }

  /** AuthPacket with xid -4; ZooKeeper answers AUTHFAILED and closes on a bad one. */
  auth(scheme: string, auth: string | Uint8Array): Promise<RawReply> {
    const bytes = typeof auth === 'string' ? utf8(auth) : auth;
    return this.sendRaw(Xid.auth, encodeRequest(Xid.auth, {
      op: 'auth', opcode: OpCode.auth, body: { type: 0, scheme, auth: bytes },
    }));
  }

  /** setWatches (opcode 101) or setWatches2 (105) with xid -8. */
  setWatches(body: Infer<typeof R.SetWatches2>, version2 = true): Promise<RawReply> {
    const opcode = version2 ? OpCode.setWatches2 : OpCode.setWatches;
    return this.sendRaw(Xid.setWatches, encodeRequest(Xid.setWatches, { op: 'setWatches', opcode, body }));
  }

  /** Next notification matching `match` (queued ones first). */
  nextEvent(timeoutMs = 5000, match: (e: RawEvent) => boolean = () => true): Promise<RawEvent> {
    const queued = this.eventQueue.findIndex(match);
    if (queued >= 0) return Promise.resolve(this.eventQueue.splice(queued, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (e: RawEvent) => { clearTimeout(timer); resolve(e); } };
      const timer = setTimeout(() => {
        this.eventWaiters = this.eventWaiters.filter((w) => w !== waiter);
        reject(new Error(`no matching notification within ${timeoutMs} ms`));
      }, timeoutMs);
      this.eventWaiters.push(waiter);
    });
  }

  /** Notifications received but not yet taken by nextEvent. */
  queuedEvents(): RawEvent[] {
    return [...this.eventQueue];
  }

  /** closeSession (opcode -11): waits for the reply, then for the server to close the socket. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    try {
      await this.call({ op: 'closeSession', opcode: OpCode.closeSession, body: null });
    } catch { /* the server may close first */ }
    this.socket.end();
    await Promise.race([this.closed, new Promise((r) => setTimeout(r, 2000))]);
    this.socket.destroy();
  }

  /** Drops the TCP connection without closing the session (a network failure). */
  drop(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.socket.destroy();
  }
}
