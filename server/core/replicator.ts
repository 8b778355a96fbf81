// How the request pipeline gets its writes ordered and made durable:
// standalone (the local txn log) or Zab (the quorum driver). Also the REQUEST
// payload a learner forwards to the leader: ZooKeeper's (long sessionId,
// int cxid, int type, request bytes), followed here by the client's auth ids
// (ZooKeeper carries them in QuorumPacket.authinfo).
import { JuteReader, JuteWriter } from '../wire/jute.ts';
import * as R from '../wire/records.ts';
import type { Id } from '../wire/records.ts';
import type { Txn } from '../tree/txn.ts';

export interface Replicator {
  /** The zxid the next proposal gets; null when this server cannot propose now. */
  nextZxid(): number | null;
  /** Order and persist a prepared txn; the pipeline's applyCommitted() sees it once committed. */
  propose(txn: Txn, bytes: Uint8Array): void;
  /** Learner: hand a client write (or sync, createSession, closeSession) to the leader. */
  forward(data: Uint8Array): void;
  /** Learner: a session had activity (piggybacked on the next PING reply). */
  touchSession(sessionId: bigint, timeoutMs: number): void;
  /** Learner: ask the leader whether a session is still alive (REVALIDATE). */
  revalidate(sessionId: bigint, timeoutMs: number): void;
  /** Leader: answer a learner's REVALIDATE. */
  revalidateReply(to: number, sessionId: bigint, valid: boolean): void;
}

export interface ForwardedRequest {
  sessionId: bigint;
  cxid: number;
  type: number;
  body: Uint8Array;
  authIds: Id[];
}

export function encodeForwarded(r: ForwardedRequest): Uint8Array {
  const w = new JuteWriter(64 + r.body.byteLength);
  w.writeBigLong(r.sessionId).writeInt(r.cxid).writeInt(r.type).writeBuffer(r.body);
  w.writeInt(r.authIds.length);
  for (const id of r.authIds) R.Id.write(w, id);
  return w.toBytes();
}

export function decodeForwarded(data: Uint8Array): ForwardedRequest {
  const r = new JuteReader(data);
  const sessionId = r.readBigLong();
  const cxid = r.readInt();
  const type = r.readInt();
  const body = r.readBuffer() ?? new Uint8Array(0);
  const n = r.readVectorLength();
  const authIds: Id[] = [];
  for (let i = 0; i < n; i++) authIds.push(R.Id.read(r));
  return { sessionId, cxid, type, body, authIds };
}

export function encodeRevalidate(sessionId: bigint, timeoutMs: number): Uint8Array {
  return new JuteWriter(12).writeBigLong(sessionId).writeInt(timeoutMs).toBytes();
}

export function decodeRevalidate(data: Uint8Array): { sessionId: bigint; timeoutMs: number } {
  const r = new JuteReader(data);
  return { sessionId: r.readBigLong(), timeoutMs: r.readInt() };
}

export function encodeRevalidateReply(sessionId: bigint, valid: boolean): Uint8Array {
  return new JuteWriter(9).writeBigLong(sessionId).writeBool(valid).toBytes();
}

export function decodeRevalidateReply(data: Uint8Array): { sessionId: bigint; valid: boolean } {
  const r = new JuteReader(data);
  return { sessionId: r.readBigLong(), valid: r.readBool() };
}

/** PING reply touches: repeated (long sessionId, int timeout). */
export function decodeTouches(data: Uint8Array | null): { sessionId: bigint; timeoutMs: number }[] {
  if (!data) return [];
  const r = new JuteReader(data);
  const out: { sessionId: bigint; timeoutMs: number }[] = [];
  while (r.remaining >= 12) out.push({ sessionId: r.readBigLong(), timeoutMs: r.readInt() });
  return out;
}
