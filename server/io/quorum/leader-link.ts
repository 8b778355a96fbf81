// The learner's side of the quorum port (Learner.connectToLeader): dial the
// leader's quorum address, retrying every retryIntervalMs, at most maxDialTries
// times and until giveUpAfterMs (initLimit ticks) has passed, as ZooKeeper
// 3.8's LeaderConnector does (a learner that chose a dead leader is LOOKING
// again within half a second), then stream packets both ways. A SNAP arrives
// with the snapshot that followed it. disconnect() is the learner's own
// decision and reports nothing; a lost connection or a failed dial reports
// onDisconnected once.
import net from 'node:net';
import type { ZabPacket } from '../../zab/packets.ts';
import type { PeerAddress } from './election-transport.ts';
import { PacketConnection } from './packet-connection.ts';
import type { DecodedPacket, PacketLimits } from './packet-stream.ts';

export interface LeaderLinkOptions {
  readonly limits: PacketLimits & { readonly maxUnsentBytes: number };
  readonly connectTimeoutMs: number;
  readonly retryIntervalMs: number;
  readonly maxDialTries: number;
  readonly log: (msg: string) => void;
  readonly onConnected: (leader: number) => void;
  readonly onPacket: (leader: number, d: DecodedPacket) => void;
  readonly onDisconnected: (leader: number) => void;
}

interface Attempt {
  readonly leader: number;
  readonly address: PeerAddress;
  readonly deadlineMs: number;
  tries: number;
  socket: net.Socket | null;
  conn: PacketConnection | null;
  retry: NodeJS.Timeout | null;
}

export class LeaderLink {
  private current: Attempt | null = null;

  constructor(private readonly options: LeaderLinkOptions) {}

  get connectedLeader(): number | null {
    return this.current?.conn?.isOpen ? this.current.leader : null;
  }

  connect(leader: number, address: PeerAddress, giveUpAfterMs: number): void {
    this.disconnect();
    const attempt: Attempt = { leader, address, deadlineMs: Date.now() + giveUpAfterMs, tries: 0, socket: null, conn: null, retry: null };
    this.current = attempt;
    this.dial(attempt);
  }

  send(to: number, p: ZabPacket): void {
    const a = this.current;
    if (a !== null && a.leader === to) a.conn?.send(p);
  }

  disconnect(): void {
    const a = this.current;
    if (a === null) return;
    this.current = null;
    if (a.retry) clearTimeout(a.retry);
    a.conn?.close(true);
    if (a.conn === null) a.socket?.destroy();
  }

  private dial(a: Attempt): void {
    const socket = net.connect({ host: a.address.host, port: a.address.port });
    a.socket = socket;
    a.tries += 1;
    socket.setTimeout(Math.max(1, Math.min(this.options.connectTimeoutMs, a.deadlineMs - Date.now())), () => socket.destroy());
    socket.on('error', () => undefined);
    socket.once('close', () => { if (this.current === a && a.conn === null) this.retryOrGiveUp(a); });
    socket.once('connect', () => {
      if (this.current !== a) return void socket.destroy();
      socket.setTimeout(0);
      const conn = new PacketConnection(socket, this.options.limits, true);
      a.conn = conn;
      conn.attach({
        onPacket: (d) => { if (this.current === a) this.options.onPacket(a.leader, d); },
        onClosed: (reason) => {
          if (this.current !== a) return;
          this.current = null;
          this.options.log(`connection to leader ${a.leader} lost: ${reason}`);
          this.options.onDisconnected(a.leader);
        },
      });
      this.options.onConnected(a.leader);
    });
  }

  private retryOrGiveUp(a: Attempt): void {
    if (a.tries >= this.options.maxDialTries || Date.now() + this.options.retryIntervalMs > a.deadlineMs) {
      this.current = null;
      this.options.log(`could not connect to leader ${a.leader} at ${a.address.host}:${a.address.port} (${a.tries} tries)`);
      this.options.onDisconnected(a.leader);
      return;
    }
    a.retry = setTimeout(() => {
      a.retry = null;
      if (this.current === a) this.dial(a);
    }, this.options.retryIntervalMs);
    a.retry.unref();
  }
}
