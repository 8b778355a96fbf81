// The client port: accepts connections, enforces maxClientCnxns per client IP
// (over the limit the connection is closed at accept, with ZooKeeper's log
// line), and shares one globalOutstandingLimit throttle among the
// connections. Each connection's framing, handshake and flow control are in
// client-connection.ts.
import net from 'node:net';
import { RequestThrottle } from '../core/request-throttle.ts';
import type { ZooKeeperServer } from '../core/zk-server.ts';
import { ClientConnection } from './client-connection.ts';

export { frameAll } from './client-connection.ts';

export interface ListenerOptions {
  host: string | undefined;
  port: number;
  /** Per client IP; 0 = unlimited. */
  maxClientCnxns: number;
  juteMaxBufferBytes: number;
  /** zookeeper.globalOutstandingLimit now (a learner's share: learnerOutstandingLimit); default 1000. */
  globalOutstandingLimit?: () => number;
  /** Replies waiting for a client to read them before its connection stops being read; default 4 MiB. */
  maxPendingReplyBytes?: number;
  /** Text for a four-letter word, or undefined when the first int is not one. */
  fourLetterWord(firstInt: number): string | undefined;
  log(msg: string): void;
}

const DEFAULT_MAX_PENDING_REPLY_BYTES = 4 * 1024 * 1024;

function normalizeAddress(addr: string | undefined): string {
  if (!addr) return 'unknown';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}

export class ClientListener {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly perIp = new Map<string, number>();
  private readonly throttle: RequestThrottle;
  private nextConnId = 1;

  constructor(private readonly zk: ZooKeeperServer, private readonly options: ListenerOptions) {
    this.throttle = new RequestThrottle(options.globalOutstandingLimit);
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

  get connectionCount(): number {
    return this.sockets.size;
  }

  /** Requests read and not yet answered, over every connection. */
  get inflightRequests(): number {
    return this.throttle.inflightRequests;
  }

  private accept(socket: net.Socket): void {
    const ip = normalizeAddress(socket.remoteAddress);
    const count = this.perIp.get(ip) ?? 0;
    if (this.options.maxClientCnxns > 0 && count >= this.options.maxClientCnxns) {
      this.options.log(`Too many connections from ${ip} - max is ${this.options.maxClientCnxns}`);
      socket.on('error', () => undefined);
      socket.destroy();
      return;
    }
    this.perIp.set(ip, count + 1);
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const connection = new ClientConnection(socket, this.nextConnId++, ip, this.zk, this.throttle, {
      juteMaxBufferBytes: this.options.juteMaxBufferBytes,
      maxPendingReplyBytes: this.options.maxPendingReplyBytes ?? DEFAULT_MAX_PENDING_REPLY_BYTES,
      fourLetterWord: this.options.fourLetterWord,
      log: this.options.log,
      // As ZooKeeper: a connection the server closes stops counting at once, not when the client's FIN arrives.
      onEnd: () => {
        const n = (this.perIp.get(ip) ?? 1) - 1;
        if (n <= 0) this.perIp.delete(ip); else this.perIp.set(ip, n);
      },
    });
    socket.on('close', () => {
      if (!this.sockets.delete(socket)) return;
      connection.gone();
      this.zk.onDisconnect(connection.conn);
    });
    socket.on('error', () => socket.destroy());
  }
}
