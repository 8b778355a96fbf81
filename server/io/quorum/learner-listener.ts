// The leader's side of the quorum port (Leader.LearnerCnxAcceptor +
// LearnerHandler's socket): accepts learner connections, learns each one's
// sid from its first packet (FOLLOWERINFO / OBSERVERINFO carry LearnerInfo),
// and routes packets by sid. It listens for the driver's whole life; a
// learner that arrives before this server knows it leads (its election may
// finish first) is parked until the server leads, closed if it follows
// someone else or after the park timeout. A second connection from the same
// sid replaces the first (reported as a disconnect before the new packet).
import net from 'node:net';
import { decodeLearnerInfo, PacketType, type ZabPacket } from '../../zab/packets.ts';
import type { PeerAddress } from './election-transport.ts';
import { PacketConnection } from './packet-connection.ts';
import { encodeQuorumPacket, type DecodedPacket, type PacketLimits } from './packet-stream.ts';

export interface LearnerListenerOptions {
  readonly listen: PeerAddress;
  readonly limits: PacketLimits & { readonly maxUnsentBytes: number };
  readonly parkTimeoutMs: number;
  /** Read timeout of a learner until it is synced (initLimit ticks), then after (syncLimit ticks). */
  readonly initReadTimeoutMs: number;
  readonly syncReadTimeoutMs: number;
  readonly log: (msg: string) => void;
  readonly onPacket: (from: number, packet: ZabPacket) => void;
  readonly onDisconnected: (sid: number) => void;
}

interface Parked {
  readonly sid: number;
  readonly conn: PacketConnection;
  readonly packets: ZabPacket[];
  readonly timer: NodeJS.Timeout;
}

export type ListenerRole = 'leading' | 'looking' | 'following';

export class LearnerListener {
  private readonly server: net.Server;
  private readonly learners = new Map<number, PacketConnection>();
  /** The last packet sent and its bytes (packets are immutable once emitted). */
  private lastEncoded: { packet: ZabPacket; bytes: Uint8Array } | null = null;
  private readonly parked = new Set<Parked>();
  private readonly unidentified = new Set<PacketConnection>();
  private role: ListenerRole = 'looking';

  constructor(private readonly options: LearnerListenerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(): Promise<PeerAddress> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.options.listen.host, port: this.options.listen.port }, () => {
        this.server.off('error', reject);
        this.server.on('error', (e) => this.options.log(`quorum listener: ${String(e)}`));
        const a = this.server.address() as net.AddressInfo;
        resolve({ host: a.address, port: a.port });
      });
    });
  }

  get learnerCount(): number {
    return this.learners.size;
  }

  learnerSids(): number[] {
    return [...this.learners.keys()];
  }

  /** The server's role changed: release parked learners when leading, drop everyone when not. */
  setRole(role: ListenerRole): void {
    const was = this.role;
    this.role = role;
    if (was === 'leading' && role !== 'leading') this.closeAll();
    if (role === 'leading') for (const p of [...this.parked]) this.release(p);
    if (role === 'following') for (const p of [...this.parked]) this.unpark(p, true);
  }

  send(to: number, p: ZabPacket): void {
    const conn = this.learners.get(to);
    if (!conn) return;
    // The leader sends one packet object to every follower in a row (PROPOSAL, COMMIT): encode it once.
    if (p !== this.lastEncoded?.packet) this.lastEncoded = { packet: p, bytes: encodeQuorumPacket(p) };
    conn.sendBytes(this.lastEncoded.bytes);
  }

  /** A SNAP stream: bulk bytes, allowed past the unsent bound until they drain. */
  sendSnapStream(to: number, bytes: Uint8Array): void {
    this.learners.get(to)?.sendBytes(bytes, true);
  }

  /** The learner was sent UPTODATE: from now on it must be heard from within syncLimit ticks. */
  markSynced(sid: number): void {
    this.learners.get(sid)?.setReadTimeout(this.options.syncReadTimeoutMs);
  }

  /** Closes a learner's connection at the leader's request (no disconnect event). */
  close(sid: number, immediately = false): void {
    const conn = this.learners.get(sid);
    if (conn === undefined) return;
    this.learners.delete(sid);
    conn.close(immediately);
  }

  async stop(): Promise<void> {
    for (const p of [...this.parked]) this.unpark(p, true);
    for (const sid of [...this.learners.keys()]) this.close(sid, true);
    for (const c of this.unidentified) c.close(true);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private closeAll(): void {
    for (const p of [...this.parked]) this.unpark(p, true);
    for (const sid of [...this.learners.keys()]) this.close(sid);
  }

  private accept(socket: net.Socket): void {
    const conn = new PacketConnection(socket, this.options.limits, false);
    this.unidentified.add(conn);
    // A learner says who it is at once; one that does not is dropped.
    setTimeout(() => { if (this.unidentified.delete(conn)) conn.close(true); }, this.options.parkTimeoutMs).unref();
    conn.attach({
      onPacket: (d) => this.onFirstPacket(conn, d),
      onClosed: () => this.unidentified.delete(conn),
    });
  }

  private onFirstPacket(conn: PacketConnection, d: DecodedPacket): void {
    this.unidentified.delete(conn);
    const sid = this.sidOf(d.packet);
    if (sid === null) {
      this.options.log(`quorum connection from ${conn.remote}: first packet is not a valid FOLLOWERINFO/OBSERVERINFO`);
      return conn.close();
    }
    if (this.role === 'leading') return this.register(sid, conn, [d.packet]);
    if (this.role === 'following') return conn.close();
    const packets = [d.packet];
    const parked: Parked = {
      sid, conn, packets, timer: setTimeout(() => this.unpark(parked, true), this.options.parkTimeoutMs),
    };
    parked.timer.unref();
    this.parked.add(parked);
    conn.attach({ onPacket: (next) => packets.push(next.packet), onClosed: () => this.unpark(parked, false) });
  }

  private sidOf(p: ZabPacket): number | null {
    if (p.type !== PacketType.FOLLOWERINFO && p.type !== PacketType.OBSERVERINFO) return null;
    try {
      return decodeLearnerInfo(p.data).serverid;
    } catch {
      return null;
    }
  }

  private unpark(p: Parked, close: boolean): void {
    if (!this.parked.delete(p)) return;
    clearTimeout(p.timer);
    if (close) p.conn.close(true);
  }

  private release(p: Parked): void {
    this.unpark(p, false);
    if (p.conn.isOpen) this.register(p.sid, p.conn, p.packets);
  }

  private register(sid: number, conn: PacketConnection, first: ZabPacket[]): void {
    const old = this.learners.get(sid);
    if (old !== undefined) {
      this.learners.delete(sid);
      old.close();
      this.options.onDisconnected(sid);
    }
    this.learners.set(sid, conn);
    conn.setReadTimeout(this.options.initReadTimeoutMs);
    for (const p of first) if (this.learners.get(sid) === conn) this.options.onPacket(sid, p);
    conn.attach({
      onPacket: (d) => { if (this.learners.get(sid) === conn) this.options.onPacket(sid, d.packet); },
      onClosed: (reason) => {
        if (this.learners.get(sid) !== conn) return;
        this.learners.delete(sid);
        this.options.log(`learner ${sid} disconnected: ${reason}`);
        this.options.onDisconnected(sid);
      },
    });
  }
}
