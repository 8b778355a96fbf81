// The session state machine (ZooKeeper's ClientCnxn): connect to one server at
// a time, handshake (ConnectRequest / ConnectResponse), replay auth and
// watches, pipeline requests, ping when idle, detect a silent server, move to
// the next server keeping the session, and surface expiry. Owns no sockets or
// timers: the Transport, Clock and Rng are passed in.
//
//   CONNECTING --handshake--> CONNECTED | CONNECTEDREADONLY
//   CONNECTED  --lost------> CONNECTING (same session id + password, lastZxidSeen)
//   any        --timeOut<=0-> EXPIRED     --AUTHFAILED--> AUTH_FAILED    --close()--> CLOSED
import {
  Code, DEFAULT_MAX_BUFFER_BYTES, FrameDecoder, OpCode, SESSION_PASSWORD_BYTES, Xid, decodeConnectResponse,
  decodeReplyHeader, encodeConnectRequest, encodeRequest, frame, records as R, type JuteReader,
} from '../server/wire/index.ts';
import { ZooKeeperError } from './errors.ts';
import { HostProvider } from './host-provider.ts';
import type { OpSpec } from './op-spec.ts';
import { RequestQueue, type QueuedRequest, type ReplyHeader } from './request-queue.ts';
import { buildSetWatches } from './set-watches.ts';
import type { Clock, Connection, Endpoint, Rng, TimerHandle, Transport } from './types.ts';
import { WatchRegistry, eventTypeName, keeperStateName, type KeeperStateName, type WatchedEvent } from './watch-registry.ts';
import { stripChroot } from './connect-string.ts';

export type SessionState = 'CONNECTING' | 'CONNECTED' | 'CONNECTEDREADONLY' | 'CLOSED' | 'EXPIRED' | 'AUTH_FAILED';
export type SessionEventState = Extract<KeeperStateName,
  'SyncConnected' | 'ConnectedReadOnly' | 'Disconnected' | 'Expired' | 'AuthFailed' | 'Closed'>;

export interface SessionEvent {
  state: SessionEventState;
  sessionId: bigint;
  endpoint: Endpoint | null;
  reason: string;
}

export interface SessionDeps {
  transport: Transport;
  clock: Clock;
  rng: Rng;
}

export interface SessionOptions {
  endpoints: readonly Endpoint[];
  chroot: string;
  /** Requested session timeout; the server clamps it (negotiatedTimeoutMs). */
  sessionTimeoutMs: number;
  /** Willing to use a read-only server (ConnectRequest.readOnly). */
  canBeReadOnly: boolean;
  requestTimeoutMs: number;
  maxOutstandingRequests: number;
  maxQueuedRequests: number;
  /** Upper bound of the random pause after every server has been tried once. */
  reconnectDelayMaxMs: number;
  maxBufferBytes: number;
  /** Resume an existing session (id + password), as ZooKeeper's constructor allows. */
  sessionId?: bigint;
  sessionPasswd?: Uint8Array;
  /** A watcher threw; default: rethrown asynchronously. */
  onWatcherError?: (error: unknown, event: WatchedEvent) => void;
}

export const DEFAULT_SESSION_OPTIONS = {
  sessionTimeoutMs: 30_000,
  canBeReadOnly: false,
  requestTimeoutMs: 0,
  maxOutstandingRequests: 1000,
  maxQueuedRequests: 10_000,
  reconnectDelayMaxMs: 1000,
  maxBufferBytes: DEFAULT_MAX_BUFFER_BYTES,
} as const;

/** ClientCnxn.MAX_SEND_PING_INTERVAL. */
export const MAX_PING_INTERVAL_MS = 10_000;

interface Attempt {
  readonly endpoint: Endpoint;
  connection: Connection | undefined;
  readonly decoder: FrameDecoder;
  established: boolean;
  lastRecvMs: number;
  lastSendMs: number;
}

interface AuthInfo { scheme: string; auth: Uint8Array }
interface AuthWaiter { resolve(): void; reject(e: ZooKeeperError): void }

const noop = (): void => {};

export class Session {
  state: SessionState = 'CONNECTING';
  sessionId: bigint;
  sessionPasswd: Uint8Array;
  negotiatedTimeoutMs = 0;
  lastZxidSeen = 0;
  readonly watches = new WatchRegistry();
  private readonly queue: RequestQueue;
  private readonly hosts: HostProvider;
  private attempt: Attempt | null = null;
  private closing = false;
  private connectTimer: TimerHandle | undefined;
  private heartbeatTimer: TimerHandle | undefined;
  private reconnectTimer: TimerHandle | undefined;
  private readonly authInfo: AuthInfo[] = [];
  private readonly authWaiters: AuthWaiter[] = [];
  private readonly listeners = new Set<(e: SessionEvent) => void>();

  constructor(private readonly deps: SessionDeps, private readonly opts: SessionOptions) {
    this.hosts = new HostProvider(opts.endpoints, deps.rng);
    this.queue = new RequestQueue(deps.clock, {
      maxOutstanding: opts.maxOutstandingRequests, maxQueued: opts.maxQueuedRequests,
      requestTimeoutMs: opts.requestTimeoutMs,
    });
    this.sessionId = opts.sessionId ?? 0n;
    this.sessionPasswd = opts.sessionPasswd ?? new Uint8Array(SESSION_PASSWORD_BYTES);
  }

  get endpoint(): Endpoint | null {
    return this.attempt?.endpoint ?? null;
  }

  get isConnected(): boolean {
    return this.state === 'CONNECTED' || this.state === 'CONNECTEDREADONLY';
  }

  get isTerminal(): boolean {
    return this.state === 'CLOSED' || this.state === 'EXPIRED' || this.state === 'AUTH_FAILED';
  }

  /** ClientCnxn's readTimeout: a server silent this long is given up on. */
  get readTimeoutMs(): number {
    return Math.floor((this.negotiatedTimeoutMs || this.opts.sessionTimeoutMs) * 2 / 3);
  }

  /** ClientCnxn's connectTimeout: the session timeout shared among the servers. */
  get connectTimeoutMs(): number {
    return Math.floor((this.negotiatedTimeoutMs || this.opts.sessionTimeoutMs) / this.hosts.size);
  }

  get pingIntervalMs(): number {
    return Math.min(Math.floor(this.readTimeoutMs / 2), MAX_PING_INTERVAL_MS);
  }

  get outstandingCount(): number {
    return this.queue.pendingCount + this.queue.outgoingCount;
  }

  get hostOrder(): readonly Endpoint[] {
    return this.hosts.order;
  }

  onEvent(listener: (e: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.attempt !== null || this.isTerminal) return;
    this.startAttempt();
  }

  // ---- submitting requests

  submit<T>(spec: OpSpec<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const refusal = this.refusal(spec);
      if (refusal) return reject(refusal);
      const xid = this.queue.nextXid();
      let bytes: Uint8Array;
      try {
        bytes = encodeRequest(xid, spec.request);
      } catch (e) {
        return reject(new ZooKeeperError(Code.BADARGUMENTS, spec.name, spec.path, false, e instanceof Error ? e.message : String(e)));
      }
      if (bytes.byteLength > this.opts.maxBufferBytes) {
        return reject(new ZooKeeperError(Code.BADARGUMENTS, spec.name, spec.path, false,
          `request of ${bytes.byteLength} bytes exceeds jute.maxbuffer ${this.opts.maxBufferBytes}`));
      }
      const request: QueuedRequest = {
        xid, opcode: spec.request.opcode, bytes,
        onReply: (header, reader) => this.completeReply(spec, header, reader, resolve, reject),
        onFail: (code, sent, detail) => reject(new ZooKeeperError(code, spec.name, spec.path, sent, detail)),
      };
      if (!this.queue.enqueue(request)) {
        return reject(new ZooKeeperError(Code.THROTTLEDOP, spec.name, spec.path, false,
          `more than ${this.opts.maxQueuedRequests} requests queued`));
      }
      this.flush();
    });
  }

  private refusal(spec: OpSpec<unknown>): ZooKeeperError | null {
    const refuse = (code: number, detail: string) => new ZooKeeperError(code, spec.name, spec.path, false, detail);
    if (this.state === 'EXPIRED') return refuse(Code.SESSIONEXPIRED, 'session expired');
    if (this.state === 'AUTH_FAILED') return refuse(Code.AUTHFAILED, 'authentication failed');
    if (this.state === 'CLOSED' || this.closing) return refuse(Code.CONNECTIONLOSS, 'client closed');
    return null;
  }

  private completeReply<T>(spec: OpSpec<T>, header: ReplyHeader, reader: JuteReader,
    resolve: (v: T) => void, reject: (e: unknown) => void): void {
    const { err, zxid } = header;
    const kind = spec.watch?.kindFor(err) ?? null;
    if (kind !== null) this.watches.add(kind, spec.watch!.path, spec.watch!.watcher);
    spec.apply?.(err);
    if (err !== Code.OK) {
      const accepted = spec.acceptError?.(err, zxid);
      if (accepted !== undefined) return resolve(accepted);
      const error = new ZooKeeperError(err, spec.name, spec.path, true);
      error.zxid = zxid;
      return reject(error);
    }
    try {
      resolve(spec.decode(reader, zxid));
    } catch (e) {
      reject(e instanceof ZooKeeperError ? e
        : new ZooKeeperError(Code.MARSHALLINGERROR, spec.name, spec.path, true, e instanceof Error ? e.message : String(e)));
    }
  }

  /** Writes what the queue allows, once the session is established on this connection. */
  private flush(): void {
    const attempt = this.attempt;
    if (attempt === null || !attempt.established) return;
    for (const request of this.queue.takeSendable()) {
      this.write(attempt, request.bytes);
      if (this.attempt !== attempt) return;
    }
  }

  private write(attempt: Attempt, body: Uint8Array): void {
    attempt.lastSendMs = this.deps.clock.now();
    attempt.connection?.send(frame(body));
  }

  // ---- auth

  addAuthInfo(scheme: string, auth: Uint8Array): Promise<void> {
    if (this.isTerminal || this.closing) {
      return Promise.reject(new ZooKeeperError(Code.CONNECTIONLOSS, 'auth', undefined, false, `client is ${this.state}`));
    }
    this.authInfo.push({ scheme, auth });
    const attempt = this.attempt;
    if (attempt === null || !attempt.established) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.authWaiters.push({ resolve, reject });
      this.sendAuth(attempt, { scheme, auth });
    });
  }

  private sendAuth(attempt: Attempt, info: AuthInfo): void {
    this.write(attempt, encodeRequest(Xid.auth, { op: 'auth', opcode: OpCode.auth,
      body: { type: 0, scheme: info.scheme, auth: info.auth } }));
  }

  private onAuthReply(err: number): void {
    const waiter = this.authWaiters.shift();
    if (err === Code.OK) return waiter?.resolve();
    const error = new ZooKeeperError(err, 'auth', undefined, true, 'server refused the credentials');
    waiter?.reject(error);
    if (err === Code.AUTHFAILED) this.terminate('AUTH_FAILED', Code.AUTHFAILED, 'authentication failed');
  }

  // ---- connection attempts

  private startAttempt(): void {
    const endpoint = this.hosts.next();
    const attempt: Attempt = { endpoint, connection: undefined, established: false,
      decoder: new FrameDecoder(this.opts.maxBufferBytes), lastRecvMs: this.deps.clock.now(), lastSendMs: this.deps.clock.now() };
    this.attempt = attempt;
    this.connectTimer = this.deps.clock.setTimer(this.connectTimeoutMs, () => {
      this.connectTimer = undefined;
      if (this.attempt === attempt) this.connectionLost(`no session established within ${this.connectTimeoutMs} ms`);
    });
    const connection = this.deps.transport.connect(endpoint, {
      onOpen: () => { if (this.attempt === attempt) this.onOpen(attempt); },
      onData: (chunk) => { if (this.attempt === attempt) this.onData(attempt, chunk); },
      onClose: (reason) => { if (this.attempt === attempt) this.connectionLost(reason); },
    });
    if (this.attempt === attempt) attempt.connection = connection;
    else connection.close();
  }

  private onOpen(attempt: Attempt): void {
    const body = encodeConnectRequest({
      protocolVersion: 0, lastZxidSeen: this.lastZxidSeen, timeOut: this.opts.sessionTimeoutMs,
      sessionId: this.sessionId, passwd: this.sessionPasswd, readOnly: this.opts.canBeReadOnly,
    });
    this.write(attempt, body);
  }

  private onData(attempt: Attempt, chunk: Uint8Array): void {
    attempt.lastRecvMs = this.deps.clock.now();
    attempt.decoder.push(chunk);
    while (this.attempt === attempt) {
      let body: Uint8Array | undefined;
      try {
        body = attempt.decoder.next();
      } catch (e) {
        return this.connectionLost(`bad frame: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (body === undefined) return;
      try {
        if (attempt.established) this.onFrame(body);
        else this.onConnectResponse(attempt, body);
      } catch (e) {
        return this.connectionLost(`bad reply: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private onConnectResponse(attempt: Attempt, body: Uint8Array): void {
    const res = decodeConnectResponse(body);
    if (res.timeOut <= 0) {
      return this.terminate('EXPIRED', Code.SESSIONEXPIRED,
        `server ${attempt.endpoint.host}:${attempt.endpoint.port} reports session 0x${this.sessionId.toString(16)} expired`);
    }
    this.clearTimer('connectTimer');
    attempt.established = true;
    this.negotiatedTimeoutMs = res.timeOut;
    this.sessionId = res.sessionId;
    this.sessionPasswd = res.passwd;
    this.hosts.onConnected();
    this.state = res.readOnly ? 'CONNECTEDREADONLY' : 'CONNECTED';
    this.primeConnection(attempt);
    if (this.attempt !== attempt) return;
    this.armHeartbeat(attempt);
    this.emit(res.readOnly ? 'ConnectedReadOnly' : 'SyncConnected', 'session established', false);
  }

  /** After the handshake: auth packets, then SetWatches, then whatever was queued (ClientCnxn.primeConnection). */
  private primeConnection(attempt: Attempt): void {
    for (const info of this.authInfo) {
      this.authWaiters.push({ resolve: noop, reject: noop });
      this.sendAuth(attempt, info);
    }
    const setWatches = buildSetWatches(this.watches.lists(), this.opts.chroot, this.lastZxidSeen);
    for (const request of setWatches.reverse()) {
      const xid = Xid.setWatches;
      this.queue.enqueue({ xid, opcode: request.opcode, bytes: encodeRequest(xid, request),
        onReply: noop, onFail: noop }, true);
    }
    this.flush();
  }

  // ---- replies and notifications

  private onFrame(body: Uint8Array): void {
    const { header, reader } = decodeReplyHeader(body);
    switch (header.xid) {
      case Xid.ping: return;
      case Xid.auth: return this.onAuthReply(header.err);
      case Xid.notification: return this.onNotification(header.zxid, reader);
      default: return this.onReply(header, reader);
    }
  }

  private onReply(header: ReplyHeader, reader: JuteReader): void {
    const match = this.queue.matchReply(header.xid);
    if (!match.ok) return this.connectionLost(match.detail);
    if (header.zxid > 0) this.lastZxidSeen = header.zxid;
    match.request?.onReply(header, reader);
    this.flush();
  }

  private onNotification(zxid: number, reader: JuteReader): void {
    const ev = R.WatcherEvent.read(reader);
    const type = eventTypeName(ev.type);
    const state = keeperStateName(ev.state);
    if (type === undefined || state === undefined) throw new Error(`unknown WatcherEvent type ${ev.type} state ${ev.state}`);
    const path = stripChroot(this.opts.chroot, ev.path);
    this.deliver(this.watches.materialize(type, path), { type, state, path, zxid });
  }

  deliver(watchers: Iterable<(e: WatchedEvent) => void>, event: WatchedEvent): void {
    for (const watcher of watchers) {
      try {
        watcher(event);
      } catch (e) {
        if (this.opts.onWatcherError) this.opts.onWatcherError(e, event);
        else queueMicrotask(() => { throw e; });
      }
    }
  }

  // ---- timers

  private armHeartbeat(attempt: Attempt): void {
    const now = this.deps.clock.now();
    const readDeadline = attempt.lastRecvMs + this.readTimeoutMs;
    const pingDeadline = attempt.lastSendMs + this.pingIntervalMs;
    const delayMs = Math.max(0, Math.min(readDeadline, pingDeadline) - now);
    this.heartbeatTimer = this.deps.clock.setTimer(delayMs, () => {
      this.heartbeatTimer = undefined;
      if (this.attempt === attempt) this.onHeartbeat(attempt);
    });
  }

  private onHeartbeat(attempt: Attempt): void {
    const now = this.deps.clock.now();
    if (now - attempt.lastRecvMs >= this.readTimeoutMs) {
      return this.connectionLost(`no reply from server within ${this.readTimeoutMs} ms (readTimeout)`);
    }
    if (now - attempt.lastSendMs >= this.pingIntervalMs) {
      this.write(attempt, encodeRequest(Xid.ping, { op: 'ping', opcode: OpCode.ping, body: null }));
    }
    if (this.attempt === attempt) this.armHeartbeat(attempt);
  }

  private clearTimer(which: 'connectTimer' | 'heartbeatTimer' | 'reconnectTimer'): void {
    const handle = this[which];
    if (handle !== undefined) this.deps.clock.clearTimer(handle);
    this[which] = undefined;
  }

  // ---- losing the connection, expiry, close

  /** Drops the current connection (the session lives on): for tests and fault injection. */
  dropConnection(reason = 'connection dropped by the client'): void {
    if (this.attempt !== null) this.connectionLost(reason);
  }

  /** Closes the connection and fails every request still queued or awaiting a reply with `code`. */
  private detach(reason: string, code: number = Code.CONNECTIONLOSS): Attempt | null {
    const attempt = this.attempt;
    this.attempt = null;
    this.clearTimer('connectTimer');
    this.clearTimer('heartbeatTimer');
    attempt?.connection?.close();
    this.queue.failAll(code, reason);
    for (const w of this.authWaiters.splice(0)) w.reject(new ZooKeeperError(Code.CONNECTIONLOSS, 'auth', undefined, true, reason));
    return attempt;
  }

  private connectionLost(reason: string): void {
    const attempt = this.detach(reason);
    if (this.isTerminal) return;
    if (this.closing) return this.terminate('CLOSED', Code.CONNECTIONLOSS, 'client closed');
    const wasConnected = this.isConnected;
    this.state = 'CONNECTING';
    if (wasConnected) this.emit('Disconnected', reason, false, attempt?.endpoint ?? null);
    const delayMs = this.hosts.cycleCompleted ? Math.floor(this.deps.rng() * this.opts.reconnectDelayMaxMs) : 0;
    this.reconnectTimer = this.deps.clock.setTimer(delayMs, () => {
      this.reconnectTimer = undefined;
      if (this.state === 'CONNECTING' && this.attempt === null) this.startAttempt();
    });
  }

  /** Ends the session for good: EXPIRED, AUTH_FAILED or CLOSED. */
  terminate(state: 'EXPIRED' | 'AUTH_FAILED' | 'CLOSED', code: number, reason: string): void {
    if (this.isTerminal) return;
    const endpoint = this.endpoint;
    this.state = state;
    this.clearTimer('reconnectTimer');
    // Unsent requests fail with the state's own code; sent ones may have taken effect
    // (an auth failure can overtake earlier replies), so they are CONNECTIONLOSS unless expired.
    this.queue.failOutgoing(code, reason);
    this.detach(reason, state === 'EXPIRED' ? Code.SESSIONEXPIRED : Code.CONNECTIONLOSS);
    const eventState = state === 'EXPIRED' ? 'Expired' : state === 'AUTH_FAILED' ? 'AuthFailed' : 'Closed';
    this.emit(eventState, reason, true, endpoint);
  }

  /**
   * Sends closeSession and waits (at most timeoutMs) for its reply, then closes.
   * Resolves true only when the server acknowledged the close (its reply came
   * back OK); false when it could not be sent (not connected), was lost
   * (CONNECTIONLOSS) or timed out: the session may then live until it expires.
   */
  async close(timeoutMs: number): Promise<boolean> {
    if (this.isTerminal) return false;
    if (!this.isConnected || this.closing) {
      this.terminate('CLOSED', Code.CONNECTIONLOSS, 'client closed');
      return false;
    }
    const reply = this.submit<void>({ name: 'closeSession', path: undefined,
      request: { op: 'closeSession', opcode: OpCode.closeSession, body: null }, decode: () => undefined });
    this.closing = true;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = this.deps.clock.setTimer(timeoutMs, () => resolve(false)); });
    const acked = await Promise.race([reply.then(() => true, () => false), timeout]);
    this.deps.clock.clearTimer(timer);
    this.terminate('CLOSED', Code.CONNECTIONLOSS, 'client closed');
    return acked;
  }

  /**
   * Gives the session up without closing it: the connection is closed, no
   * closeSession is sent and no reconnect is made, so the servers expire the
   * session after its timeout (as if the client had died).
   */
  abandon(): void {
    this.terminate('CLOSED', Code.CONNECTIONLOSS, 'session abandoned by the client');
  }

  private emit(state: SessionEventState, reason: string, clearWatches: boolean, endpoint = this.endpoint): void {
    const event: SessionEvent = { state, sessionId: this.sessionId, endpoint, reason };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (e) {
        queueMicrotask(() => { throw e; });
      }
    }
    this.deliver(this.watches.all(clearWatches), { type: 'None', state, path: null, zxid: -1 });
  }
}
