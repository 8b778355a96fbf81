// The client port: TCP framing, the ConnectRequest handshake, four-letter
// words on a fresh connection, per-IP connection limits. A malformed frame or
// record closes that connection with a log line; the server carries on.
import net from 'node:net';
import { FrameDecoder } from '../wire/framing.ts';
import { WireError } from '../wire/jute.ts';
import { decodeConnectRequest } from '../wire/connect.ts';
import { decodeRequest } from '../wire/requests.ts';
import type { Connection, ZooKeeperServer } from '../core/zk-server.ts';

export interface ListenerOptions {
  host: string | undefined;
  port: number;
  maxClientCnxns: number;
  juteMaxBufferBytes: number;
  /** Text for a four-letter word, or undefined when the first int is not one. */
  fourLetterWord(firstInt: number): string | undefined;
  log(msg: string): void;
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

function normalizeAddress(addr: string | undefined): string {
  if (!addr) return 'unknown';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}

export class ClientListener {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly perIp = new Map<string, number>();
  private nextConnId = 1;

  constructor(private readonly zk: ZooKeeperServer, private readonly options: ListenerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(): Promise<{ address: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.options.host, port: this.options.port }, () => {
        this.server.off('error', reject);
        const a = this.server.address() as net.AddressInfo;
        resolve({ address: a.address, port: a.port });
      });
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const ip = normalizeAddress(socket.remoteAddress);
    const count = this.perIp.get(ip) ?? 0;
    if (this.options.maxClientCnxns > 0 && count >= this.options.maxClientCnxns) {
      this.options.log(`Too many connections from ${ip} - max is ${this.options.maxClientCnxns}`);
      socket.destroy();
      return;
    }
    this.perIp.set(ip, count + 1);
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const id = this.nextConnId++;
    const remote = `${ip}:${socket.remotePort ?? 0}`;
    let open = true;
    let unsent: Uint8Array[] = [];
    const flush = () => {
      const bodies = unsent;
      unsent = [];
      if (open) socket.write(frameAll(bodies));
    };
    const conn: Connection = {
      id,
      remoteAddress: ip,
      remotePort: socket.remotePort ?? 0,
      // Replies produced in one turn of the event loop leave in one write.
      send: (body) => {
        if (!open) return;
        if (unsent.push(body) === 1) process.nextTick(flush);
      },
      close: (reason) => {
        if (!open) return;
        if (unsent.length > 0) flush();
        open = false;
        this.options.log(`Closing connection ${remote} (0x${id.toString(16)}): ${reason}`);
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      },
    };
    const decoder = new FrameDecoder(this.options.juteMaxBufferBytes);
    let handshaken = false;
    socket.on('data', (chunk: Buffer) => {
      if (!open) return;
      decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      try {
        if (!handshaken && this.tryFourLetterWord(decoder, socket)) {
          open = false;
          return;
        }
        for (let body = decoder.next(); body && open; body = decoder.next()) {
          if (!handshaken) {
            handshaken = true;
            this.zk.onConnect(conn, decodeConnectRequest(body));
          } else {
            const { xid, request } = decodeRequest(body);
            this.zk.onRequest(conn, xid, request);
          }
        }
      } catch (e) {
        if (!(e instanceof WireError)) throw e;
        this.options.log(`Closing connection ${remote}: ${e.message}`);
        open = false;
        socket.destroy();
      }
    });
    const finish = () => {
      if (!this.sockets.delete(socket)) return;
      open = false;
      const n = (this.perIp.get(ip) ?? 1) - 1;
      if (n <= 0) this.perIp.delete(ip); else this.perIp.set(ip, n);
      this.zk.onDisconnect(conn);
    };
    socket.on('close', finish);
    socket.on('error', () => socket.destroy());
  }

  private tryFourLetterWord(decoder: FrameDecoder, socket: net.Socket): boolean {
    const first = decoder.peekInt();
    if (first === undefined) return false;
    const text = this.options.fourLetterWord(first);
    if (text === undefined) return false;
    socket.end(text);
    return true;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }
}
