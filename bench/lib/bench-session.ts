// The benchmark's client: one ZooKeeper session over one TCP connection on the
// project's codec, one request in flight at a time (the caller awaits each
// reply before sending the next). Deliberately minimal, so client overhead
// stays small and identical for both servers.
import { connect, type Socket } from 'node:net';
import {
  FrameDecoder, OpCode, Xid, decodeConnectResponse, decodeReplyHeader, encodeConnectRequest, encodeRequest, frame,
  type Request,
} from '../../server/wire/index.ts';

export class BenchSessionError extends Error {
  constructor(readonly code: 'CONNECT_FAILED' | 'SESSION_REFUSED' | 'CONNECTION_CLOSED' | 'REPLY_OUT_OF_ORDER' | 'NO_REPLY', message: string) {
    super(message);
    this.name = 'BenchSessionError';
  }
}

/** A request framed once (length, xid placeholder, opcode, body), for one session at a time. */
export interface PreparedRequest {
  bytes: Uint8Array;
  view: DataView;
}

export function prepare(req: Request): PreparedRequest {
  const bytes = frame(encodeRequest(0, req));
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** A reply later than this is a server that lost it (the other sessions would expire meanwhile): fail loudly. */
const REPLY_TIMEOUT_MS = 5000;

interface InFlight {
  xid: number;
  sentMs: number;
  resolve: (err: number) => void;
  reject: (e: Error) => void;
}

export class BenchSession {
  private readonly decoder = new FrameDecoder();
  private inFlight: InFlight | undefined;
  private nextXid = 1;
  private closedError: Error | undefined;
  private onHandshake: ((body: Uint8Array) => void) | undefined;
  private readonly watchdog: NodeJS.Timeout;

  private constructor(private readonly socket: Socket, private readonly where: string) {
    this.watchdog = setInterval(() => this.checkReply(), 1000);
    this.watchdog.unref();
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => { /* 'close' follows */ });
    socket.on('close', () => this.fail(new BenchSessionError('CONNECTION_CLOSED', `${where} closed the connection`)));
  }

  private checkReply(): void {
    const p = this.inFlight;
    if (p === undefined || Date.now() - p.sentMs < REPLY_TIMEOUT_MS) return;
    this.fail(new BenchSessionError('NO_REPLY', `${this.where}: no reply to xid ${p.xid} within ${REPLY_TIMEOUT_MS} ms`));
  }

  static async open(host: string, port: number, sessionTimeoutMs: number, connectTimeoutMs = 10_000): Promise<BenchSession> {
    const socket = await openSocket(host, port, connectTimeoutMs);
    const session = new BenchSession(socket, `${host}:${port}`);
    const body = await new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => reject(new BenchSessionError('CONNECT_FAILED', 'no ConnectResponse in time')), connectTimeoutMs);
      session.onHandshake = (b) => { clearTimeout(timer); resolve(b); };
      socket.once('close', () => { clearTimeout(timer); reject(new BenchSessionError('CONNECT_FAILED', 'closed during handshake')); });
      socket.write(frame(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: sessionTimeoutMs,
        sessionId: 0n, passwd: new Uint8Array(16), readOnly: false })));
    });
    if (decodeConnectResponse(body).timeOut <= 0) {
      socket.destroy();
      throw new BenchSessionError('SESSION_REFUSED', 'server refused the session');
    }
    return session;
  }

  /** Sends one request; resolves with the reply's error code (0 = ok). */
  call(req: Request): Promise<number> {
    return this.send((xid) => frame(encodeRequest(xid, req)));
  }

  /**
   * Sends a request framed once by prepare() with this session's next xid
   * written in place: no encoding per call. Safe because the previous use of
   * the buffer was fully sent before its reply came back.
   */
  callPrepared(prepared: PreparedRequest): Promise<number> {
    return this.send((xid) => {
      prepared.view.setInt32(4, xid);
      return prepared.bytes;
    });
  }

  private send(framed: (xid: number) => Uint8Array): Promise<number> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (this.inFlight) throw new Error('BenchSession: a request is already in flight');
    const xid = this.nextXid++;
    return new Promise((resolve, reject) => {
      this.inFlight = { xid, sentMs: Date.now(), resolve, reject };
      this.socket.write(framed(xid));
    });
  }

  /** closeSession, then close the socket (bounded wait); with a request still in flight (an aborted run), just the socket. */
  async close(): Promise<void> {
    if (this.closedError) return;
    if (this.inFlight) {
      this.socket.destroy();
      return;
    }
    const closed = new Promise<void>((r) => this.socket.once('close', () => r()));
    this.call({ op: 'closeSession', opcode: OpCode.closeSession, body: null }).catch(() => undefined);
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.decoder.push(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    for (let body = this.decoder.next(); body !== undefined; body = this.decoder.next()) this.onFrame(body);
  }

  private onFrame(body: Uint8Array): void {
    if (this.onHandshake) {
      const deliver = this.onHandshake;
      this.onHandshake = undefined;
      deliver(body);
      return;
    }
    const { header } = decodeReplyHeader(body);
    if (header.xid === Xid.notification || header.xid === Xid.ping) return;
    const pending = this.inFlight;
    if (!pending || pending.xid !== header.xid) {
      this.fail(new BenchSessionError('REPLY_OUT_OF_ORDER', `reply xid ${header.xid}, expected ${pending?.xid}`));
      return;
    }
    this.inFlight = undefined;
    pending.resolve(header.err);
  }

  private fail(e: Error): void {
    clearInterval(this.watchdog);
    this.closedError ??= e;
    const pending = this.inFlight;
    this.inFlight = undefined;
    pending?.reject(e);
    this.socket.destroy();
  }
}

function openSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new BenchSessionError('CONNECT_FAILED', `connect to ${host}:${port} timed out`));
    }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); socket.setNoDelay(true); resolve(socket); });
    socket.once('error', (e) => { clearTimeout(timer); reject(new BenchSessionError('CONNECT_FAILED', e.message)); });
  });
}
