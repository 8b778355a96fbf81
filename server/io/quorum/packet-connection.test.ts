// PacketConnection's write batching over a fake socket (no ports, no timers
// beyond one turn of the event loop): packets sent in one turn leave in one
// write, in send order; a graceful close still sends them; a lost connection
// drops them; the unsent bound counts packets not yet written.
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { packet, PacketType, type ZabPacket } from '../../zab/packets.ts';
import { PacketConnection } from './packet-connection.ts';
import { QuorumPacketDecoder, encodeQuorumPacket, type DecodedPacket } from './packet-stream.ts';

const LIMITS = { maxBufferBytes: 1 << 20, maxSnapshotBytes: 1 << 24, maxUnsentBytes: 1 << 16 };

class FakeSocket extends EventEmitter {
  readonly writes: Uint8Array[] = [];
  writableLength = 0;
  ended = false;
  destroyed = false;
  private corked = 0;
  private corkedParts: Uint8Array[] = [];

  setNoDelay(): this { return this; }
  cork(): void { this.corked++; }
  uncork(): void {
    if (--this.corked > 0) return;
    if (this.corkedParts.length > 0) this.writes.push(Buffer.concat(this.corkedParts));
    this.corkedParts = [];
  }
  write(bytes: Uint8Array): boolean {
    if (this.corked > 0) this.corkedParts.push(bytes); else this.writes.push(bytes);
    return true;
  }
  end(): void { this.ended = true; }
  destroy(): void { this.destroyed = true; }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function open(): { socket: FakeSocket; conn: PacketConnection; closed: string[] } {
  const socket = new FakeSocket();
  const conn = new PacketConnection(socket as unknown as net.Socket, LIMITS, false);
  const closed: string[] = [];
  conn.attach({ onPacket: () => {}, onClosed: (r) => closed.push(r) });
  return { socket, conn, closed };
}

function decodeAll(writes: readonly Uint8Array[]): ZabPacket[] {
  const d = new QuorumPacketDecoder(LIMITS, false);
  for (const w of writes) d.push(w);
  const out: ZabPacket[] = [];
  for (let p: DecodedPacket | undefined = d.next(); p; p = d.next()) out.push(p.packet);
  return out;
}

const commits = (from: number, n: number) => Array.from({ length: n }, (_, i) => packet(PacketType.COMMIT, from + i));

describe('PacketConnection write batching', () => {
  it('sends the packets of one turn in one write, in send order, and nothing before the turn ends', async () => {
    const { socket, conn } = open();
    const sent = [packet(PacketType.PROPOSAL, 7, Uint8Array.of(1, 2, 3)), ...commits(5, 3)];
    for (const p of sent) conn.send(p);
    expect(socket.writes).toHaveLength(0);
    await nextTurn();
    expect(socket.writes).toHaveLength(1);
    expect(decodeAll(socket.writes)).toEqual(sent);
    conn.send(packet(PacketType.ACK, 9));
    await nextTurn();
    expect(socket.writes).toHaveLength(2);
    expect(decodeAll(socket.writes).map((p) => p.zxid)).toEqual([7, 5, 6, 7, 9]);
  });

  it('a graceful close writes what is queued before ending; a lost connection drops it', async () => {
    const graceful = open();
    graceful.conn.send(packet(PacketType.ACK, 1));
    graceful.conn.close();
    expect(decodeAll(graceful.socket.writes).map((p) => p.zxid)).toEqual([1]);
    expect(graceful.socket.ended).toBe(true);

    const lost = open();
    lost.conn.send(packet(PacketType.ACK, 2));
    lost.socket.emit('close');
    await nextTurn();
    expect(lost.socket.writes).toHaveLength(0);
    expect(lost.closed).toEqual(['closed by the remote']);
  });

  it('counts queued packets against the unsent bound (TOO_SLOW)', () => {
    const { conn, closed } = open();
    const big = new Uint8Array(LIMITS.maxUnsentBytes / 4);
    for (let i = 0; i < 6 && conn.isOpen; i++) conn.send(packet(PacketType.PROPOSAL, i, big));
    expect(conn.isOpen).toBe(false);
    expect(closed[0]).toMatch(/TOO_SLOW/);
  });

  it('a bulk write (SNAP stream) may exceed the bound once, and is written as sent', async () => {
    const { socket, conn } = open();
    const snap = encodeQuorumPacket(packet(PacketType.PROPOSAL, 1, new Uint8Array(LIMITS.maxUnsentBytes * 2)));
    conn.sendBytes(snap, true);
    conn.send(packet(PacketType.COMMIT, 1));
    expect(conn.isOpen).toBe(true);
    await nextTurn();
    expect(decodeAll(socket.writes).map((p) => p.type)).toEqual([PacketType.PROPOSAL, PacketType.COMMIT]);
  });
});
