// The first message on an election connection (QuorumCnxManager): the
// initiator sends `long protocolVersion, long sid, int addrLen, addr bytes`.
// A non-negative first long is the pre-3.5 form: it is the sid itself.
// Only one connection per pair of servers survives: the one initiated by the
// larger sid.
import { JuteReader, JuteWriter, WireError, fromUtf8, utf8 } from '../wire/jute.ts';

export const PROTOCOL_VERSION_V1 = -65536;
export const PROTOCOL_VERSION_V2 = -65535;
/** QuorumCnxManager.maxBuffer: bound on the address string. */
export const INITIAL_MESSAGE_MAX_ADDR_BYTES = 2048;
/** QuorumPeer.OBSERVER_ID (Long.MAX_VALUE): sid sent by an observer without an id; unsupported here. */

export interface InitialMessage {
  readonly protocolVersion: number;
  readonly sid: number;
  /** "host:port" strings; V1 carries one, V2 several joined by '|'. */
  readonly addresses: readonly string[];
}

export function encodeInitialMessage(m: InitialMessage): Uint8Array {
  const w = new JuteWriter();
  if (m.protocolVersion >= 0) return w.writeLong(m.sid).toBytes();
  const addr = utf8(m.addresses.join('|'));
  return w.writeLong(m.protocolVersion).writeLong(m.sid).writeInt(addr.byteLength).writeRaw(addr).toBytes();
}

export type InitialMessageResult =
  | { readonly kind: 'complete'; readonly message: InitialMessage; readonly consumedBytes: number }
  | { readonly kind: 'incomplete' };

function parseAddresses(raw: string): string[] {
  return raw.split('|').map((addr) => {
    const colon = addr.lastIndexOf(':');
    const port = Number(addr.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw new WireError('MARSHALLING', `badly formed election address '${addr}'`);
    }
    return addr;
  });
}

/** Parses the initial message from the start of a connection's bytes. */
export function decodeInitialMessage(bytes: Uint8Array): InitialMessageResult {
  if (bytes.byteLength < 8) return { kind: 'incomplete' };
  const r = new JuteReader(bytes);
  const first = r.readLong();
  if (first >= 0) return { kind: 'complete', message: { protocolVersion: 0, sid: first, addresses: [] }, consumedBytes: 8 };
  if (first !== PROTOCOL_VERSION_V1 && first !== PROTOCOL_VERSION_V2) {
    throw new WireError('MARSHALLING', `unrecognized election protocol version ${first}`);
  }
  if (bytes.byteLength < 20) return { kind: 'incomplete' };
  const sid = r.readLong();
  const addrLength = r.readInt();
  if (addrLength <= 0 || addrLength > INITIAL_MESSAGE_MAX_ADDR_BYTES) {
    throw new WireError('MARSHALLING', `unreasonable address length ${addrLength}`);
  }
  if (r.remaining < addrLength) return { kind: 'incomplete' };
  const addresses = parseAddresses(fromUtf8(r.readRaw(addrLength)));
  return { kind: 'complete', message: { protocolVersion: first, sid, addresses }, consumedBytes: 20 + addrLength };
}

export type ConnectionDecision = 'keep' | 'closeAndDialBack' | 'close';

/**
 * Which election connections survive. An outgoing connection is kept only
 * when I have the larger sid; an incoming one only when the remote sid is
 * larger, otherwise I close it and dial back. A connection from myself is a
 * configuration error and is closed.
 */
export function electionConnectionDecision(mySid: number, remoteSid: number, initiatedByMe: boolean): ConnectionDecision {
  if (remoteSid === mySid) return 'close';
  if (initiatedByMe) return mySid > remoteSid ? 'keep' : 'close';
  return remoteSid > mySid ? 'keep' : 'closeAndDialBack';
}
