// The leader's quorum port on loopback: learners identified by their first
// packet, parked until this server leads, dropped when it follows someone
// else; a second connection from a sid replaces the first.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, LOOPBACK } from '../../../test/support/ports.ts';
import { encodeLearnerInfo, PacketType, ZAB_PROTOCOL_VERSION, type ZabPacket } from '../../zab/packets.ts';
import { LearnerListener } from './learner-listener.ts';
import { encodeQuorumPacket } from './packet-stream.ts';

const LIMITS = { maxBufferBytes: 1 << 20, maxSnapshotBytes: 1 << 20, maxUnsentBytes: 1 << 20 };
const cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

function followerInfo(sid: number): Uint8Array {
  const info = encodeLearnerInfo({ serverid: sid, protocolVersion: ZAB_PROTOCOL_VERSION, configVersion: 0 });
  return encodeQuorumPacket({ type: PacketType.FOLLOWERINFO, zxid: 0x100000000, data: info });
}

async function setup() {
  const port = await freePort();
  const events: string[] = [];
  const listener = new LearnerListener({
    listen: { host: LOOPBACK, port }, limits: LIMITS, parkTimeoutMs: 2000, log: () => undefined,
    initReadTimeoutMs: 2000, syncReadTimeoutMs: 150,
    onPacket: (from: number, p: ZabPacket) => events.push(`packet ${from} ${p.type}`),
    onDisconnected: (sid: number) => events.push(`gone ${sid}`),
  });
  await listener.listen();
  cleanup.push(() => listener.stop());
  const dial = async (): Promise<{ socket: net.Socket; closed: Promise<void> }> => {
    const socket = net.connect({ host: LOOPBACK, port });
    socket.on('error', () => undefined);
    socket.resume(); // read what the leader sends, so its close is seen
    cleanup.push(() => void socket.destroy());
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    await new Promise<void>((r) => socket.once('connect', () => r()));
    return { socket, closed };
  };
  return { listener, events, dial };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('LearnerListener', () => {
  it('parks a learner that arrives before this server leads, and delivers it once leading', async () => {
    const { listener, events, dial } = await setup();
    const { socket } = await dial();
    socket.write(followerInfo(2));
    await settle();
    expect(events).toEqual([]);
    listener.setRole('leading');
    expect(events).toEqual([`packet 2 ${PacketType.FOLLOWERINFO}`]);
    expect(listener.learnerSids()).toEqual([2]);
    socket.write(encodeQuorumPacket({ type: PacketType.ACKEPOCH, zxid: 5, data: new Uint8Array(4) }));
    await settle();
    expect(events.at(-1)).toBe(`packet 2 ${PacketType.ACKEPOCH}`);
  });

  it('closes parked learners when this server follows another, and everyone when it stops leading', async () => {
    const { listener, dial } = await setup();
    const a = await dial();
    a.socket.write(followerInfo(2));
    await settle();
    listener.setRole('following');
    await a.closed;
    listener.setRole('leading');
    const b = await dial();
    b.socket.write(followerInfo(3));
    await settle();
    expect(listener.learnerCount).toBe(1);
    listener.setRole('looking');
    await b.closed;
    expect(listener.learnerCount).toBe(0);
  });

  it('a new connection from the same sid replaces the old one, reported as a disconnect first', async () => {
    const { listener, events, dial } = await setup();
    listener.setRole('leading');
    const first = await dial();
    first.socket.write(followerInfo(2));
    await settle();
    const second = await dial();
    second.socket.write(followerInfo(2));
    await first.closed;
    await settle();
    expect(events).toEqual([`packet 2 ${PacketType.FOLLOWERINFO}`, 'gone 2', `packet 2 ${PacketType.FOLLOWERINFO}`]);
    second.socket.destroy();
    await settle();
    expect(events.at(-1)).toBe('gone 2');
  });

  it('drops a synced learner that stays silent for the sync read timeout, even while the leader writes to it', async () => {
    const { listener, events, dial } = await setup();
    listener.setRole('leading');
    const c = await dial();
    c.socket.write(followerInfo(2));
    await settle();
    listener.markSynced(2);
    const pings = setInterval(() => listener.send(2, { type: PacketType.PING, zxid: 1, data: null }), 20);
    try {
      await c.closed;
    } finally {
      clearInterval(pings);
    }
    expect(events.at(-1)).toBe('gone 2');
  });

  it('closes a connection whose first packet is not FOLLOWERINFO/OBSERVERINFO', async () => {
    const { listener, events, dial } = await setup();
    listener.setRole('leading');
    const c = await dial();
    c.socket.write(encodeQuorumPacket({ type: PacketType.ACK, zxid: 1, data: null }));
    await c.closed;
    expect(events).toEqual([]);
  });
});
