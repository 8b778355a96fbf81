// The FastLeaderElection notification payload (FastLeaderElection.buildMsg),
// current version 0x2, and the legacy 28- and 40-byte forms the receiver
// still accepts. The sender's sid is not in the payload: it comes from the
// election connection (see initial-message.ts).
import { JuteReader, JuteWriter, WireError } from '../wire/jute.ts';
import { epochOf, type Zxid } from './zxid.ts';
import { NON_VOTER, NOTIFICATION_VERSION, ServerState } from './vote.ts';

/** QuorumCnxManager.PACKETMAXSIZE: largest election message body. */
export const ELECTION_PACKET_MAX_BYTES = 512 * 1024;

const LONG_MIN = -(2n ** 63n);
const LEGACY_NO_PEER_EPOCH_BYTES = 28;
const LEGACY_NO_VERSION_BYTES = 40;

export interface Notification {
  readonly state: ServerState;
  readonly leader: number;
  readonly zxid: Zxid;
  readonly electionEpoch: number;
  readonly peerEpoch: number;
  readonly version: number;
  /** QuorumVerifier string bytes (version > 1 only); opaque here. */
  readonly config: Uint8Array | null;
}

function writeLongOrMin(w: JuteWriter, v: number): void {
  if (v === NON_VOTER) w.writeBigLong(LONG_MIN);
  else w.writeLong(v);
}

function readLongOrMin(r: JuteReader): number {
  const v = r.readBigLong();
  if (v === LONG_MIN) return NON_VOTER;
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new WireError('MARSHALLING', `notification long ${v} does not fit a safe integer`);
  }
  return Number(v);
}

export function encodeNotification(n: Notification): Uint8Array {
  const w = new JuteWriter(44 + (n.config?.byteLength ?? 0));
  w.writeInt(n.state);
  writeLongOrMin(w, n.leader);
  writeLongOrMin(w, n.zxid);
  w.writeLong(n.electionEpoch);
  writeLongOrMin(w, n.peerEpoch);
  w.writeInt(NOTIFICATION_VERSION);
  const config = n.config ?? new Uint8Array(0);
  w.writeInt(config.byteLength);
  w.writeRaw(config);
  return w.toBytes();
}

function readState(raw: number): ServerState {
  if (raw < ServerState.LOOKING || raw > ServerState.OBSERVING) {
    throw new WireError('MARSHALLING', `unknown server state ${raw} in notification`);
  }
  return raw as ServerState;
}

/** Decodes one notification body; throws WireError('MARSHALLING') on a short or malformed one. */
export function decodeNotification(bytes: Uint8Array): Notification {
  const capacity = bytes.byteLength;
  if (capacity < LEGACY_NO_PEER_EPOCH_BYTES) {
    throw new WireError('MARSHALLING', `notification of ${capacity} bytes is shorter than 28`);
  }
  const r = new JuteReader(bytes);
  const state = readState(r.readInt());
  const leader = readLongOrMin(r);
  const zxid = readLongOrMin(r);
  const electionEpoch = readLongOrMin(r);
  if (capacity === LEGACY_NO_PEER_EPOCH_BYTES) {
    return { state, leader, zxid, electionEpoch, peerEpoch: epochOf(zxid), version: 0, config: null };
  }
  const peerEpoch = readLongOrMin(r);
  if (capacity === LEGACY_NO_VERSION_BYTES) {
    return { state, leader, zxid, electionEpoch, peerEpoch, version: 0, config: null };
  }
  const version = r.readInt();
  let config: Uint8Array | null = null;
  if (version > 0x1) {
    const configLength = r.readInt();
    if (configLength < 0 || configLength > capacity) {
      throw new WireError('MARSHALLING', `bad configLength ${configLength} in a ${capacity}-byte notification`);
    }
    config = r.readRaw(configLength).slice();
  }
  return { state, leader, zxid, electionEpoch, peerEpoch, version, config };
}

/** An election message on the wire: int length (1..PACKETMAXSIZE) then the body. */
export function frameElectionMessage(body: Uint8Array): Uint8Array {
  if (body.byteLength <= 0 || body.byteLength > ELECTION_PACKET_MAX_BYTES) {
    throw new WireError('BAD_LENGTH', `election message of ${body.byteLength} bytes`);
  }
  return new JuteWriter(body.byteLength + 4).writeInt(body.byteLength).writeRaw(body).toBytes();
}

/** Validates an election frame length read from the stream (QuorumCnxManager.RecvWorker). */
export function checkElectionFrameLength(lengthBytes: number): void {
  if (lengthBytes <= 0 || lengthBytes > ELECTION_PACKET_MAX_BYTES) {
    throw new WireError('BAD_LENGTH', `received election message length ${lengthBytes}`);
  }
}
