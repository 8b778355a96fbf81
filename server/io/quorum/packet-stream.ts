// QuorumPackets on the leader <-> learner stream: jute records written back
// to back with no extra length prefix (BinaryOutputArchive.writeRecord), so
// the decoder measures each record (int type, long zxid, buffer data,
// vector<Id> authinfo) before decoding it, bounding every length. On the
// learner side a SNAP packet is followed by the serialized tree and the
// ustring "BenWasHere"; the decoder returns them together.
import { JuteWriter } from '../../wire/jute.ts';
import { decodePacket, encodePacket, PacketType, packetTypeName, type ZabPacket } from '../../zab/packets.ts';
import type { Zxid } from '../../zab/zxid.ts';
import { ByteQueue } from './byte-queue.ts';
import { QuorumError } from './errors.ts';
import { SnapshotScanner, type SnapshotLimits } from './snapshot-scanner.ts';

export const SNAP_SIGNATURE = 'BenWasHere';
const SIGNATURE_BYTES = new TextEncoder().encode(SNAP_SIGNATURE);
/** type (4) + zxid (8). */
const HEADER_BYTES = 12;
/** authinfo is unused by Zab; a handful of ids at most. */
const MAX_AUTH_IDS = 64;

export interface PacketLimits extends SnapshotLimits {
  /** Largest `data` buffer in one packet (jute.maxbuffer plus slack). */
  readonly maxBufferBytes: number;
}

export interface DecodedPacket {
  readonly packet: ZabPacket;
  /** SNAP only: the serialized tree that followed the packet. */
  readonly snapshot?: Uint8Array;
}

export function encodeQuorumPacket(p: ZabPacket): Uint8Array {
  return encodePacket(p);
}

/** SNAP(zxid), the tree body, then the "BenWasHere" signature, as one write. */
export function encodeSnapStream(zxid: Zxid, body: Uint8Array): Uint8Array {
  const head = encodePacket({ type: PacketType.SNAP, zxid, data: null });
  const w = new JuteWriter(head.byteLength + body.byteLength + 4 + SIGNATURE_BYTES.byteLength);
  w.writeRaw(head).writeRaw(body).writeBuffer(SIGNATURE_BYTES);
  return w.toBytes();
}

export class QuorumPacketDecoder {
  private readonly queue = new ByteQueue();
  private snap: { packet: ZabPacket; scanner: SnapshotScanner } | null = null;

  /** `acceptSnapshots`: true on the learner side (packets from the leader). */
  constructor(private readonly limits: PacketLimits, private readonly acceptSnapshots: boolean) {}

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** The next complete packet, or undefined when more bytes are needed. Throws on a malformed stream. */
  next(): DecodedPacket | undefined {
    if (this.snap !== null) return this.nextSnapshot();
    const size = measurePacket(this.queue, this.limits.maxBufferBytes);
    if (size === undefined) return undefined;
    const packet = decodePacket(this.queue.take(size));
    if (packet.type !== PacketType.SNAP) return { packet };
    if (!this.acceptSnapshots) throw new QuorumError('BAD_FRAME', `unexpected ${packetTypeName(packet.type)} from a learner`);
    this.snap = { packet, scanner: new SnapshotScanner(this.limits) };
    return this.nextSnapshot();
  }

  private nextSnapshot(): DecodedPacket | undefined {
    const { packet, scanner } = this.snap!;
    const bodyBytes = scanner.scan(this.queue);
    if (bodyBytes === undefined) return undefined;
    if (this.queue.length < bodyBytes + 4) return undefined;
    const sigLength = this.queue.int32At(bodyBytes);
    if (sigLength !== SIGNATURE_BYTES.byteLength) {
      throw new QuorumError('BAD_FRAME', `missing signature after snapshot (length ${sigLength})`);
    }
    if (this.queue.length < bodyBytes + 4 + sigLength) return undefined;
    const snapshot = this.queue.take(bodyBytes);
    const signature = this.queue.take(4 + sigLength).subarray(4);
    if (!SIGNATURE_BYTES.every((b, i) => signature[i] === b)) {
      throw new QuorumError('BAD_FRAME', 'Missing signature. Got ' + new TextDecoder().decode(signature));
    }
    this.snap = null;
    return { packet, snapshot };
  }
}

/** Byte length of the QuorumPacket at the front of `q`, or undefined if it is not all there. */
export function measurePacket(q: ByteQueue, maxBufferBytes: number): number | undefined {
  if (q.length < HEADER_BYTES + 4) return undefined;
  let at = HEADER_BYTES;
  const dataLength = q.int32At(at);
  if (dataLength < -1 || dataLength > maxBufferBytes) {
    throw new QuorumError('BAD_FRAME', `quorum packet data length ${dataLength} outside -1..${maxBufferBytes}`);
  }
  at += 4 + Math.max(dataLength, 0);
  if (q.length < at + 4) return undefined;
  const ids = q.int32At(at);
  if (ids < -1 || ids > MAX_AUTH_IDS) throw new QuorumError('BAD_FRAME', `quorum packet with ${ids} auth ids`);
  at += 4;
  for (let i = 0; i < ids * 2; i++) {
    if (q.length < at + 4) return undefined;
    const len = q.int32At(at);
    if (len < -1 || len > maxBufferBytes) throw new QuorumError('BAD_FRAME', `auth id string of ${len} bytes`);
    at += 4 + Math.max(len, 0);
  }
  return q.length >= at ? at : undefined;
}
