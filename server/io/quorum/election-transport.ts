// The election transport (ZooKeeper's QuorumCnxManager): one TCP connection
// per pair of servers, on the election ports. Whoever dials sends its initial
// message; only a connection initiated by the larger sid is kept, so a
// smaller sid that wants to talk dials, says who it is, hangs up, and the
// larger side dials back. Each peer has a send queue of capacity one
// (SEND_CAPACITY: a newer notification replaces an unsent older one); on a
// new connection the queued notification, or else the last one sent, goes
// out (it may have died with the old connection). Dials to a peer that is
// down are retried with back-off while there is something to (re)send.
import net from 'node:net';
import { electionConnectionDecision } from '../../zab/initial-message.ts';
import type { Notification } from '../../zab/notification.ts';
import { ElectionDecoder, encodeHello, encodeNotificationFrame } from './election-stream.ts';

export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

export interface ElectionTransportOptions {
  readonly myId: number;
  /** Where to listen (this server's election address, or 0.0.0.0 with quorumListenOnAllIPs). */
  readonly listen: PeerAddress;
  /** "host:port" sent in the initial message. */
  readonly myAddress: string;
  /** Election addresses of the other servers. */
  readonly peers: ReadonlyMap<number, PeerAddress>;
  readonly onNotification: (from: number, n: Notification) => void;
  readonly log: (msg: string) => void;
  readonly connectTimeoutMs: number;
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
}

/** Unsent bytes allowed on one election connection before it is dropped. */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

interface PeerLink {
  readonly sid: number;
  socket: net.Socket | null;
  dialing: net.Socket | null;
  queued: Notification | null;
  lastSent: Notification | null;
  backoffMs: number;
  retry: NodeJS.Timeout | null;
}

export class ElectionTransport {
  private readonly server: net.Server;
  private readonly links = new Map<number, PeerLink>();
  private readonly accepted = new Set<net.Socket>();
  private stopped = false;

  constructor(private readonly options: ElectionTransportOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
    for (const sid of options.peers.keys()) {
      this.links.set(sid, { sid, socket: null, dialing: null, queued: null, lastSent: null, backoffMs: options.backoffMinMs, retry: null });
    }
  }

  listen(): Promise<PeerAddress> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.options.listen.host, port: this.options.listen.port }, () => {
        this.server.off('error', reject);
        this.server.on('error', (e) => this.options.log(`election listener: ${String(e)}`));
        const a = this.server.address() as net.AddressInfo;
        resolve({ host: a.address, port: a.port });
      });
    });
  }

  /** Sids with an open election connection (for diagnostics and tests). */
  connectedPeers(): number[] {
    return [...this.links.values()].filter((l) => l.socket !== null).map((l) => l.sid);
  }

  send(to: number, n: Notification): void {
    const link = this.links.get(to);
    if (link === undefined || this.stopped) return;
    if (link.socket !== null && this.write(link, link.socket, n)) return;
    link.queued = n;
    this.connectOne(link);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const link of this.links.values()) {
      if (link.retry) clearTimeout(link.retry);
      link.socket?.destroy();
      link.dialing?.destroy();
    }
    for (const s of this.accepted) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private write(link: PeerLink, socket: net.Socket, n: Notification): boolean {
    if (socket.writableLength > MAX_UNSENT_BYTES) {
      this.options.log(`election connection to ${link.sid} is not draining; closing it`);
      socket.destroy();
      return false;
    }
    socket.write(encodeNotificationFrame(n));
    link.lastSent = n;
    return true;
  }

  // ------------------------------------------------------------------ dialing

  private connectOne(link: PeerLink): void {
    if (this.stopped || link.socket !== null || link.dialing !== null || link.retry !== null) return;
    const addr = this.options.peers.get(link.sid)!;
    const socket = net.connect({ host: addr.host, port: addr.port });
    link.dialing = socket;
    socket.setNoDelay(true);
    socket.setTimeout(this.options.connectTimeoutMs, () => socket.destroy());
    socket.once('connect', () => {
      socket.setTimeout(0);
      link.dialing = null;
      socket.write(encodeHello(this.options.myId, this.options.myAddress));
      if (electionConnectionDecision(this.options.myId, link.sid, true) === 'keep') {
        this.adopt(link, socket, new ElectionDecoder(false));
        return;
      }
      // Smaller sid: my hello makes the peer dial back; try again later if it does not.
      socket.end();
      this.scheduleRetry(link, this.options.backoffMaxMs);
    });
    socket.on('error', () => undefined);
    socket.once('close', () => {
      if (link.dialing !== socket) return;
      link.dialing = null;
      this.scheduleRetry(link, link.backoffMs);
      link.backoffMs = Math.min(link.backoffMs * 2, this.options.backoffMaxMs);
    });
  }

  private hasSomethingToSend(link: PeerLink): boolean {
    return link.queued !== null || link.lastSent !== null;
  }

  private scheduleRetry(link: PeerLink, delayMs: number): void {
    if (this.stopped || link.retry !== null) return;
    link.retry = setTimeout(() => {
      link.retry = null;
      if (link.socket === null && this.hasSomethingToSend(link)) this.connectOne(link);
    }, delayMs);
    link.retry.unref();
  }

  // ---------------------------------------------------------------- accepting

  private accept(socket: net.Socket): void {
    if (this.stopped) return void socket.destroy();
    this.accepted.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.once('close', () => this.accepted.delete(socket));
    // The initial message must come within cnxTimeout.
    socket.setTimeout(this.options.connectTimeoutMs, () => socket.destroy());
    const decoder = new ElectionDecoder(true);
    const onData = (chunk: Buffer) => {
      decoder.push(chunk);
      let first;
      try {
        first = decoder.next();
      } catch (e) {
        this.options.log(`election connection from ${socket.remoteAddress}: ${String(e)}`);
        return void socket.destroy();
      }
      if (first === undefined) return;
      socket.off('data', onData);
      socket.setTimeout(0);
      if (first.kind !== 'initial') return void socket.destroy();
      this.accepted.delete(socket);
      this.onInitial(socket, first.message.sid, decoder);
    };
    socket.on('data', onData);
  }

  private onInitial(socket: net.Socket, sid: number, decoder: ElectionDecoder): void {
    const link = this.links.get(sid);
    if (link === undefined) {
      this.options.log(`election connection from unknown server ${sid}; closing it`);
      return void socket.destroy();
    }
    if (electionConnectionDecision(this.options.myId, sid, false) === 'keep') {
      this.adopt(link, socket, decoder);
      return;
    }
    // The smaller sid dialed: it has no connection to me, so any I hold is stale. Dial back.
    socket.destroy();
    link.socket?.destroy();
    link.socket = null;
    if (link.retry) clearTimeout(link.retry);
    link.retry = null;
    this.connectOne(link);
  }

  /** Makes `socket` the connection to `link.sid`, replacing any older one, and flushes the queue. */
  private adopt(link: PeerLink, socket: net.Socket, decoder: ElectionDecoder): void {
    if (link.socket !== null && link.socket !== socket) link.socket.destroy();
    link.socket = socket;
    link.backoffMs = this.options.backoffMinMs;
    socket.once('close', () => {
      if (link.socket !== socket) return;
      link.socket = null;
      // What was last written may have died with the connection: redial and resend it.
      if (this.hasSomethingToSend(link)) this.scheduleRetry(link, link.backoffMs);
    });
    socket.on('data', (chunk: Buffer) => {
      decoder.push(chunk);
      this.drain(link, socket, decoder);
    });
    this.drain(link, socket, decoder);
    const pending = link.queued ?? link.lastSent;
    link.queued = null;
    if (pending !== null) this.write(link, socket, pending);
  }

  private drain(link: PeerLink, socket: net.Socket, decoder: ElectionDecoder): void {
    for (;;) {
      let m;
      try {
        m = decoder.next();
      } catch (e) {
        this.options.log(`election connection with ${link.sid}: ${String(e)}`);
        return void socket.destroy();
      }
      if (m === undefined || link.socket !== socket) return;
      if (m.kind === 'notification') this.options.onNotification(link.sid, m.notification);
    }
  }
}
