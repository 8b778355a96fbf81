// Unit tests of the byte-level pieces: ByteQueue, QuorumPacket framing on a
// stream (any chunking), SNAP streams with a real serialized tree, election
// framing. No sockets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE } from '../../tree/acl.ts';
import { DataTree } from '../../tree/data-tree.ts';
import { deserializeTree, serializeTree } from '../../tree/snapshot-codec.ts';
import { JuteWriter } from '../../wire/jute.ts';
import { QuorumPacket } from '../../wire/records.ts';
import { PROTOCOL_VERSION_V1 } from '../../zab/initial-message.ts';
import { ELECTION_PACKET_MAX_BYTES } from '../../zab/notification.ts';
import { PacketType, type ZabPacket } from '../../zab/packets.ts';
import { ServerState } from '../../zab/vote.ts';
import { ByteQueue } from './byte-queue.ts';
import { ElectionDecoder, encodeHello, encodeNotificationFrame } from './election-stream.ts';
import { QuorumError } from './errors.ts';
import { encodeQuorumPacket, encodeSnapStream, QuorumPacketDecoder, type DecodedPacket } from './packet-stream.ts';

const LIMITS = { maxBufferBytes: 1 << 20, maxSnapshotBytes: 1 << 24 };

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return out;
}

/** Splits bytes at the given cut points (sorted, deduplicated, within range). */
function chunks(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.byteLength + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.byteLength]) { out.push(bytes.subarray(from, p)); from = p; }
  return out;
}

function decodeAll(decoder: QuorumPacketDecoder, parts: Uint8Array[]): DecodedPacket[] {
  const out: DecodedPacket[] = [];
  for (const part of parts) {
    decoder.push(part);
    for (let d = decoder.next(); d !== undefined; d = decoder.next()) out.push(d);
  }
  return out;
}

function sampleTree(nodes: number): DataTree {
  const tree = new DataTree(false);
  tree.sessions.set(0x1234n, 30_000);
  for (let i = 0; i < nodes; i++) {
    const acl = i % 3 === 0 ? [{ perms: 1, id: { scheme: 'digest', id: `u${i % 2}:x` } }] : OPEN_ACL_UNSAFE;
    tree.createNode(`/n${i}`, new TextEncoder().encode(`v${i}`.repeat(i % 5)), acl, 0n, -1, i + 1, 1000 + i);
  }
  return tree;
}

describe('ByteQueue', () => {
  it('peeks across chunk boundaries and takes from the front', () => {
    const q = new ByteQueue();
    q.push(new Uint8Array([0, 0]));
    q.push(new Uint8Array([0, 7, 1]));
    q.push(new Uint8Array([2, 3]));
    expect(q.length).toBe(7);
    expect(q.int32At(0)).toBe(7);
    expect([...q.peek(3, 3)]).toEqual([7, 1, 2]);
    expect([...q.take(5)]).toEqual([0, 0, 0, 7, 1]);
    expect([...q.peek(0, 2)]).toEqual([2, 3]);
    expect(q.peek(2, 0).byteLength).toBe(0);
    expect(() => q.peek(1, 2)).toThrow(QuorumError);
  });
});

describe('QuorumPacketDecoder', () => {
  const packets: ZabPacket[] = [
    { type: PacketType.FOLLOWERINFO, zxid: 0x100000000, data: new Uint8Array(20).fill(3) },
    { type: PacketType.ACK, zxid: 0x100000005, data: null },
    { type: PacketType.PROPOSAL, zxid: 0x100000006, data: new Uint8Array(300).fill(9) },
    { type: PacketType.UPTODATE, zxid: -1, data: new Uint8Array(0) },
  ];

  it('decodes packets written back to back, however the stream is cut', () => {
    const stream = concat(packets.map(encodeQuorumPacket));
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
      const got = decodeAll(new QuorumPacketDecoder(LIMITS, false), chunks(stream, cuts));
      expect(got.map((d) => d.packet)).toEqual(packets.map((p) => ({ ...p, data: p.data ?? null })));
    }), { numRuns: 200 });
  });

  it('skips authinfo ids and refuses absurd lengths', () => {
    const withAuth = QuorumPacket.encode({ type: PacketType.PING, zxid: 7, data: null, authinfo: [{ scheme: 'ip', id: '127.0.0.1' }] });
    expect(decodeAll(new QuorumPacketDecoder(LIMITS, false), [withAuth])[0]!.packet.type).toBe(PacketType.PING);
    const huge = new JuteWriter().writeInt(PacketType.PROPOSAL).writeLong(1).writeInt(LIMITS.maxBufferBytes + 1).toBytes();
    expect(() => decodeAll(new QuorumPacketDecoder(LIMITS, false), [huge])).toThrow(/data length/);
    const ids = new JuteWriter().writeInt(PacketType.PING).writeLong(1).writeInt(-1).writeInt(100_000).toBytes();
    expect(() => decodeAll(new QuorumPacketDecoder(LIMITS, false), [ids])).toThrow(/auth ids/);
  });

  it('delivers SNAP with the serialized tree that follows it, then later packets', () => {
    const tree = sampleTree(40);
    const body = serializeTree(tree);
    const after: ZabPacket = { type: PacketType.NEWLEADER, zxid: 0x200000000, data: null };
    const stream = concat([encodeSnapStream(0x100000028, body), encodeQuorumPacket(after)]);
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 30 }), (cuts) => {
      const got = decodeAll(new QuorumPacketDecoder(LIMITS, true), chunks(stream, cuts));
      expect(got).toHaveLength(2);
      expect(got[0]!.packet).toEqual({ type: PacketType.SNAP, zxid: 0x100000028, data: null });
      expect(Buffer.compare(got[0]!.snapshot!, body)).toBe(0);
      expect(got[1]!.packet.type).toBe(PacketType.NEWLEADER);
    }), { numRuns: 40 });
    const copy = deserializeTree(body, false);
    expect([...copy.nodes.keys()].sort()).toEqual([...tree.nodes.keys()].sort());
  });

  it('accepts SNAP byte by byte and refuses a wrong signature, an oversized tree, or SNAP from a learner', () => {
    const body = serializeTree(sampleTree(5));
    const stream = encodeSnapStream(5, body);
    const oneByOne = chunks(stream, [...stream.keys()]);
    expect(decodeAll(new QuorumPacketDecoder(LIMITS, true), oneByOne)[0]!.snapshot).toEqual(body);
    const bad = stream.slice();
    bad[bad.length - 1] = 0x21;
    expect(() => decodeAll(new QuorumPacketDecoder(LIMITS, true), [bad])).toThrow(/signature/);
    const small = { maxBufferBytes: 1024, maxSnapshotBytes: 64 };
    expect(() => decodeAll(new QuorumPacketDecoder(small, true), [stream])).toThrow(/exceeds 64 bytes/);
    expect(() => decodeAll(new QuorumPacketDecoder(LIMITS, false), [stream])).toThrow(/unexpected SNAP/);
  });
});

describe('election stream', () => {
  const n = {
    state: ServerState.LOOKING, leader: 3, zxid: 0x100000004, electionEpoch: 2, peerEpoch: 1, version: 2,
    config: new TextEncoder().encode('server.1=127.0.0.1:1:2'),
  };

  it('reads the initial message then notifications, however the stream is cut', () => {
    const stream = concat([encodeHello(3, '127.0.0.1:3888'), encodeNotificationFrame(n), encodeNotificationFrame({ ...n, leader: 2 })]);
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 10 }), (cuts) => {
      const d = new ElectionDecoder(true);
      const got = [];
      for (const part of chunks(stream, cuts)) {
        d.push(part);
        for (let m = d.next(); m !== undefined; m = d.next()) got.push(m);
      }
      expect(got[0]).toEqual({ kind: 'initial', message: { protocolVersion: PROTOCOL_VERSION_V1, sid: 3, addresses: ['127.0.0.1:3888'] } });
      expect(got.slice(1).map((m) => m.kind === 'notification' && m.notification.leader)).toEqual([3, 2]);
    }), { numRuns: 100 });
  });

  it('refuses a frame length outside 1..512 KiB', () => {
    for (const length of [0, -5, ELECTION_PACKET_MAX_BYTES + 1]) {
      const d = new ElectionDecoder(false);
      d.push(new JuteWriter().writeInt(length).toBytes());
      expect(() => d.next()).toThrow(/election message length/);
    }
  });
});
