// Quorum packets between leader and learners (Leader.java type numbers) and
// the small payloads the Zab core reads or writes itself. The jute record
// QuorumPacket lives in server/wire/records.ts.
import { JuteReader, JuteWriter, WireError } from '../wire/jute.ts';
import { LearnerInfo, QuorumPacket } from '../wire/records.ts';
import type { Zxid } from './zxid.ts';

export const PacketType = {
  REQUEST: 1,
  PROPOSAL: 2,
  ACK: 3,
  COMMIT: 4,
  PING: 5,
  REVALIDATE: 6,
  SYNC: 7,
  INFORM: 8,
  COMMITANDACTIVATE: 9,
  NEWLEADER: 10,
  FOLLOWERINFO: 11,
  UPTODATE: 12,
  DIFF: 13,
  TRUNC: 14,
  SNAP: 15,
  OBSERVERINFO: 16,
  LEADERINFO: 17,
  ACKEPOCH: 18,
  INFORMANDACTIVATE: 19,
} as const;
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

const NAMES = new Map<number, string>(Object.entries(PacketType).map(([k, v]) => [v, k]));

export function packetTypeName(type: number): string {
  return NAMES.get(type) ?? `UNKNOWN(${type})`;
}

/** Zab 1.0 protocol version carried in LearnerInfo and LEADERINFO. */
export const ZAB_PROTOCOL_VERSION = 0x10000;

/** A QuorumPacket as the core sees it (authinfo is unused by Zab). */
export interface ZabPacket {
  readonly type: PacketType;
  readonly zxid: Zxid;
  readonly data: Uint8Array | null;
}

export function packet(type: PacketType, zxid: Zxid, data: Uint8Array | null = null): ZabPacket {
  return { type, zxid, data };
}

export function encodePacket(p: ZabPacket): Uint8Array {
  return QuorumPacket.encode({ type: p.type, zxid: p.zxid, data: p.data, authinfo: [] });
}

export function decodePacket(bytes: Uint8Array): ZabPacket {
  const q = QuorumPacket.decode(bytes);
  if (!NAMES.has(q.type)) throw new WireError('MARSHALLING', `unknown quorum packet type ${q.type}`);
  return { type: q.type as PacketType, zxid: q.zxid, data: q.data };
}

export function encodeInt(v: number): Uint8Array {
  return new JuteWriter(4).writeInt(v).toBytes();
}

export function decodeInt(data: Uint8Array | null, what: string): number {
  if (data === null || data.byteLength < 4) throw new WireError('MARSHALLING', `${what}: missing int payload`);
  return new JuteReader(data).readInt();
}

export interface LearnerInfoPayload {
  readonly serverid: number;
  readonly protocolVersion: number;
  readonly configVersion: number;
}

export function encodeLearnerInfo(li: LearnerInfoPayload): Uint8Array {
  return LearnerInfo.encode(li);
}

/** LearnerInfo; an 8-byte payload is the pre-3.4 form carrying only the sid. */
export function decodeLearnerInfo(data: Uint8Array | null): LearnerInfoPayload {
  if (data === null) throw new WireError('MARSHALLING', 'FOLLOWERINFO without LearnerInfo');
  if (data.byteLength === 8) return { serverid: new JuteReader(data).readLong(), protocolVersion: 0, configVersion: 0 };
  return LearnerInfo.decode(data);
}

/** Session touches a learner piggybacks on its PING reply: (long sessionId, int timeoutMs)*. */
export interface SessionTouch {
  readonly sessionId: bigint;
  readonly timeoutMs: number;
}

export function encodeTouches(touches: readonly SessionTouch[]): Uint8Array {
  const w = new JuteWriter(12 * touches.length + 4);
  for (const t of touches) w.writeBigLong(t.sessionId).writeInt(t.timeoutMs);
  return w.toBytes();
}

export function decodeTouches(data: Uint8Array | null): SessionTouch[] {
  if (data === null) return [];
  const r = new JuteReader(data);
  const out: SessionTouch[] = [];
  while (r.remaining >= 12) out.push({ sessionId: r.readBigLong(), timeoutMs: r.readInt() });
  if (r.remaining !== 0) throw new WireError('MARSHALLING', `PING touches: ${r.remaining} trailing bytes`);
  return out;
}

/** The request type inside a forwarded REQUEST (long sessionId, int cxid, int type, ...). */
export function requestTypeOf(data: Uint8Array | null): number {
  if (data === null || data.byteLength < 16) throw new WireError('MARSHALLING', 'REQUEST shorter than 16 bytes');
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getInt32(12);
}
