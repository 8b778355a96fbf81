// ConnectRequest / ConnectResponse with ZooKeeper's optional trailing readOnly
// byte (compat/ProtocolManager): a client that omits it is an "old client" and
// gets a response without it.
import { JuteReader, JuteWriter } from './jute.ts';

export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  readOnly: boolean;
  /** False when the client sent no readOnly byte. */
  hasReadOnlyField: boolean;
}

export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  readOnly: boolean;
}

export const SESSION_PASSWORD_BYTES = 16;

export function decodeConnectRequest(body: Uint8Array): ConnectRequest {
  const r = new JuteReader(body);
  const protocolVersion = r.readInt();
  const lastZxidSeen = r.readLong();
  const timeOut = r.readInt();
  const sessionId = r.readBigLong();
  const passwd = r.readBuffer() ?? new Uint8Array(0);
  const hasReadOnlyField = r.remaining > 0;
  const readOnly = hasReadOnlyField ? r.readBool() : false;
  return { protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly, hasReadOnlyField };
}

export function encodeConnectRequest(req: Omit<ConnectRequest, 'hasReadOnlyField'>, withReadOnly = true): Uint8Array {
  const w = new JuteWriter(64);
  w.writeInt(req.protocolVersion).writeLong(req.lastZxidSeen).writeInt(req.timeOut)
    .writeBigLong(req.sessionId).writeBuffer(req.passwd);
  if (withReadOnly) w.writeBool(req.readOnly);
  return w.toBytes();
}

export function encodeConnectResponse(res: ConnectResponse, withReadOnly: boolean): Uint8Array {
  const w = new JuteWriter(64);
  w.writeInt(res.protocolVersion).writeInt(res.timeOut).writeBigLong(res.sessionId).writeBuffer(res.passwd);
  if (withReadOnly) w.writeBool(res.readOnly);
  return w.toBytes();
}

export function decodeConnectResponse(body: Uint8Array): ConnectResponse {
  const r = new JuteReader(body);
  const protocolVersion = r.readInt();
  const timeOut = r.readInt();
  const sessionId = r.readBigLong();
  const passwd = r.readBuffer() ?? new Uint8Array(0);
  const readOnly = r.remaining > 0 ? r.readBool() : false;
  return { protocolVersion, timeOut, sessionId, passwd, readOnly };
}
