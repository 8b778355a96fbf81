// One client TCP connection: framing (jute.maxbuffer), the four-letter-word
// check and the ConnectRequest handshake, requests to the server, replies
// batched per turn of the event loop, and flow control. Reading stops (the
// requests wait in the socket, none is dropped) while:
//   - globalOutstandingLimit throttles this connection (request-throttle.ts);
//   - more than maxPendingReplyBytes of replies wait for the client to take
//     them (a client that pipelines without reading cannot grow the server).
// A malformed frame or record closes this connection with a log line.
import type net from 'node:net';
import { FrameDecoder } from '../wire/framing.ts';
import { WireError } from '../wire/jute.ts';
import { decodeConnectRequest } from '../wire/connect.ts';
import { decodeRequest } from '../wire/requests.ts';
import type { Connection, ZooKeeperServer } from '../core/zk-server.ts';
import type { OutstandingCount, RequestThrottle } from '../core/request-throttle.ts';

export interface ClientConnectionOptions {
  juteMaxBufferBytes: number;
  maxPendingReplyBytes: number;
  /** Text for a four-letter word, or undefined when the first int is not one. */
  fourLetterWord(firstInt: number): string | undefined;
  log(msg: string): void;
  /** Once, when the connection ends: the server closed it, or the socket closed (maxClientCnxns counts down here). */
  onEnd?(): void;
}

/** A reply's xid (its first int), 0 for a body too short to have one. */
function xidOf(body: Uint8Array): number {
  if (body.byteLength < 4) return 0;
  return (body[0]! << 24) | (body[1]! << 16) | (body[2]! << 8) | body[3]!;
}

/** Frames (int32 length + body) for every body, in one buffer: one socket write for a batch of replies. */
export function frameAll(bodies: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const b of bodies) total += 4 + b.byteLength;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const b of bodies) {
    out.writeInt32BE(b.byteLength, at);
    out.set(b, at + 4);
    at += 4 + b.byteLength;
  }
  return out;
}

const CLOSE_GRACE_MS = 1000;

export class ClientConnection {
  readonly conn: Connection;
  readonly count: OutstandingCount = { outstanding: 0 };
  private readonly decoder: FrameDecoder;
  private readonly remote: string;
  private open = true;
  private ended = false;
  private handshaken = false;
  private unsent: Uint8Array[] = [];
  private unsentBytes = 0;
  private throttled = false;
  /** The socket holds more than maxPendingReplyBytes the client has not taken yet. */
  private backlogged = false;
  private socketPaused = false;
  private pumping = false;
  private pumpScheduled = false;

  constructor(private readonly socket: net.Socket, id: number, ip: string, private readonly zk: ZooKeeperServer,
    private readonly throttle: RequestThrottle, private readonly options: ClientConnectionOptions) {
    this.decoder = new FrameDecoder(options.juteMaxBufferBytes);
    this.remote = `${ip}:${socket.remotePort ?? 0}`;
    this.conn = {
      id, remoteAddress: ip, remotePort: socket.remotePort ?? 0,
      send: (body) => this.send(body),
      close: (reason) => this.close(reason),
    };
    socket.on('data', (chunk: Buffer) => {
      if (!this.open) return;
      this.decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.pump();
    });
    socket.on('drain', () => {
      if (!this.backlogged) return;
      this.backlogged = false;
      this.pump();
    });
  }

  /** Reading is stopped: throttled, or too many reply bytes wait for the client. */
  get paused(): boolean {
    return this.throttled || this.backlogged || this.unsentBytes > this.options.maxPendingReplyBytes;
  }

  /** Reply bytes produced and not yet taken by the client (batched, or buffered in the socket). */
  get pendingReplyBytes(): number {
    return this.unsentBytes + this.socket.writableLength;
  }

  /** The socket closed: stop everything. */
  gone(): void {
    this.open = false;
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.throttle.closed(this.count);
    this.options.onEnd?.();
  }

  // Replies produced in one turn of the event loop leave in one write.
  private send(body: Uint8Array): void {
    if (!this.open) return;
    this.unsentBytes += 4 + body.byteLength;
    if (this.unsent.push(body) === 1) process.nextTick(() => this.flush());
    if (this.throttle.replied(this.count, xidOf(body)) && this.throttled) {
      this.throttled = false;
      this.schedulePump();
    }
  }

  private flush(): void {
    const bodies = this.unsent;
    this.unsent = [];
    this.unsentBytes = 0;
    if (!this.open || bodies.length === 0) return;
    this.socket.write(frameAll(bodies));
    // Past the bound, 'drain' (the socket's buffer emptied; due once write() said so) resumes reading.
    this.backlogged = this.socket.writableNeedDrain && this.socket.writableLength > this.options.maxPendingReplyBytes;
    if (this.socketPaused && !this.paused) this.schedulePump();
  }

  private close(reason: string): void {
    if (!this.open) return;
    this.flush();
    this.open = false;
    this.options.log(`Closing connection ${this.remote} (0x${this.conn.id.toString(16)}): ${reason}`);
    this.end();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** Resumes reading outside the server's call stack (a reply is sent from inside it). */
  private schedulePump(): void {
    if (this.pumping || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Hands every whole frame to the server until reading must pause; then pauses or resumes the socket. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      if (!this.handshaken && this.tryFourLetterWord()) return;
      while (this.open && !this.paused) {
        const frame = this.decoder.next();
        if (frame === undefined) break;
        // A copy: a frame is a view of the socket's read chunk (up to 64 KiB), and what the
        // server keeps of it (znode data) would otherwise pin the whole chunk.
        this.handle(frame.slice());
      }
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      this.options.log(`Closing connection ${this.remote}: ${e.message}`);
      this.open = false;
      this.end();
      this.socket.destroy();
    } finally {
      this.pumping = false;
    }
    if (!this.open || this.socketPaused === this.paused) return;
    this.socketPaused = this.paused;
    if (this.socketPaused) this.socket.pause(); else this.socket.resume();
  }

  private handle(body: Uint8Array): void {
    if (!this.handshaken) {
      this.handshaken = true;
      this.zk.onConnect(this.conn, decodeConnectRequest(body));
      return;
    }
    const { xid, request } = decodeRequest(body);
    // The server answers pings and auth with their reserved xids (-2, -4) whatever the client sent:
    // counting one sent with a positive xid would leave it in flight for good.
    const countedXid = request.op === 'ping' || request.op === 'auth' ? 0 : xid;
    if (this.throttle.received(this.count, countedXid)) this.throttled = true;
    this.zk.onRequest(this.conn, xid, request);
  }

  private tryFourLetterWord(): boolean {
    const first = this.decoder.peekInt();
    if (first === undefined) return false;
    const text = this.options.fourLetterWord(first);
    if (text === undefined) return false;
    this.open = false;
    this.end();
    this.socket.end(text);
    return true;
  }
}
