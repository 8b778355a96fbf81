import { describe, expect, it } from 'vitest';
import { JuteWriter, WireError } from '../wire/jute.ts';
import {
  decodeInitialMessage, electionConnectionDecision, encodeInitialMessage, PROTOCOL_VERSION_V1, PROTOCOL_VERSION_V2,
} from './initial-message.ts';
import { checkElectionFrameLength, decodeNotification, encodeNotification, frameElectionMessage, type Notification } from './notification.ts';
import {
  decodeLearnerInfo, decodePacket, decodeTouches, encodeLearnerInfo, encodePacket, encodeTouches, packet, PacketType, requestTypeOf,
} from './packets.ts';
import { NON_VOTER, ServerState } from './vote.ts';
import { makeZxid } from './zxid.ts';

const n: Notification = {
  state: ServerState.LOOKING, leader: 3, zxid: makeZxid(2, 17), electionEpoch: 5, peerEpoch: 2, version: 2,
  config: new TextEncoder().encode('server.1=127.0.0.1:2888:3888:participant\nversion=0'),
};

describe('election notification', () => {
  it('round-trips the version-2 layout with its field offsets', () => {
    const bytes = encodeNotification(n);
    expect(bytes.byteLength).toBe(44 + n.config!.byteLength);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getInt32(0)).toBe(0);
    expect(view.getBigInt64(4)).toBe(3n);
    expect(view.getBigInt64(12)).toBe(BigInt(makeZxid(2, 17)));
    expect(view.getBigInt64(20)).toBe(5n);
    expect(view.getBigInt64(28)).toBe(2n);
    expect(view.getInt32(36)).toBe(2);
    expect(view.getInt32(40)).toBe(n.config!.byteLength);
    expect(decodeNotification(bytes)).toEqual(n);
  });

  it('accepts the legacy 28-byte form (peer epoch from the zxid) and the 40-byte form', () => {
    const full = encodeNotification(n);
    const legacy28 = decodeNotification(full.slice(0, 28));
    expect(legacy28.peerEpoch).toBe(2);
    expect(legacy28.version).toBe(0);
    const w = new JuteWriter().writeRaw(full.slice(0, 36)).writeInt(0);
    const legacy40 = decodeNotification(w.toBytes());
    expect(legacy40.peerEpoch).toBe(2);
    expect(legacy40.config).toBeNull();
  });

  it('maps Long.MIN_VALUE (non-voter vote) both ways and rejects short or bad messages', () => {
    const obs = { ...n, leader: NON_VOTER, zxid: NON_VOTER, peerEpoch: NON_VOTER, config: null };
    const bytes = encodeNotification(obs);
    expect(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigInt64(4)).toBe(-(2n ** 63n));
    expect(decodeNotification(bytes)).toEqual({ ...obs, config: new Uint8Array(0) });
    expect(() => decodeNotification(new Uint8Array(27))).toThrow(WireError);
    const badState = encodeNotification(n);
    new DataView(badState.buffer, badState.byteOffset, badState.byteLength).setInt32(0, 7);
    expect(() => decodeNotification(badState)).toThrow(WireError);
    const badLen = encodeNotification(n);
    new DataView(badLen.buffer, badLen.byteOffset, badLen.byteLength).setInt32(40, 100_000);
    expect(() => decodeNotification(badLen)).toThrow(WireError);
  });

  it('frames with a positive length up to 512 KiB', () => {
    expect(frameElectionMessage(new Uint8Array(3)).byteLength).toBe(7);
    expect(() => checkElectionFrameLength(0)).toThrow(WireError);
    expect(() => checkElectionFrameLength(512 * 1024 + 1)).toThrow(WireError);
  });
});

describe('election connection initial message', () => {
  it('round-trips V1 and V2 and reads the pre-3.5 bare sid', () => {
    const v1 = encodeInitialMessage({ protocolVersion: PROTOCOL_VERSION_V1, sid: 4, addresses: ['127.0.0.1:3888'] });
    const r1 = decodeInitialMessage(v1);
    expect(r1).toEqual({ kind: 'complete', consumedBytes: v1.byteLength,
      message: { protocolVersion: PROTOCOL_VERSION_V1, sid: 4, addresses: ['127.0.0.1:3888'] } });
    const v2 = encodeInitialMessage({ protocolVersion: PROTOCOL_VERSION_V2, sid: 2, addresses: ['127.0.0.2:3888', '127.0.0.3:3888'] });
    expect(decodeInitialMessage(v2)).toMatchObject({ kind: 'complete', message: { addresses: ['127.0.0.2:3888', '127.0.0.3:3888'] } });
    expect(decodeInitialMessage(encodeInitialMessage({ protocolVersion: 0, sid: 9, addresses: [] })))
      .toEqual({ kind: 'complete', consumedBytes: 8, message: { protocolVersion: 0, sid: 9, addresses: [] } });
    expect(decodeInitialMessage(v1.slice(0, v1.byteLength - 1))).toEqual({ kind: 'incomplete' });
  });

  it('rejects unknown versions, absurd lengths and bad addresses', () => {
    expect(() => decodeInitialMessage(new JuteWriter().writeLong(-5).toBytes())).toThrow(WireError);
    const long = new JuteWriter().writeLong(PROTOCOL_VERSION_V1).writeLong(1).writeInt(4096).toBytes();
    expect(() => decodeInitialMessage(long)).toThrow(WireError);
    const bad = encodeInitialMessage({ protocolVersion: PROTOCOL_VERSION_V1, sid: 1, addresses: ['nohostport'] });
    expect(() => decodeInitialMessage(bad)).toThrow(WireError);
  });

  it('keeps only the connection initiated by the larger sid', () => {
    expect(electionConnectionDecision(5, 3, true)).toBe('keep');
    expect(electionConnectionDecision(3, 5, true)).toBe('close');
    expect(electionConnectionDecision(3, 5, false)).toBe('keep');
    expect(electionConnectionDecision(5, 3, false)).toBe('closeAndDialBack');
    expect(electionConnectionDecision(5, 5, false)).toBe('close');
  });
});

describe('quorum packets', () => {
  it('round-trips QuorumPacket, LearnerInfo, PING touches and reads a REQUEST type', () => {
    const p = packet(PacketType.PROPOSAL, makeZxid(1, 2), new Uint8Array([1, 2, 3]));
    expect(decodePacket(encodePacket(p))).toEqual(p);
    expect(decodeLearnerInfo(encodeLearnerInfo({ serverid: 3, protocolVersion: 0x10000, configVersion: 7 })))
      .toEqual({ serverid: 3, protocolVersion: 0x10000, configVersion: 7 });
    expect(decodeLearnerInfo(new JuteWriter().writeLong(4).toBytes()).serverid).toBe(4);
    const touches = [{ sessionId: 0x0100000000000001n, timeoutMs: 30000 }, { sessionId: 5n, timeoutMs: 4000 }];
    expect(encodeTouches(touches).byteLength).toBe(24);
    expect(decodeTouches(encodeTouches(touches))).toEqual(touches);
    const req = new JuteWriter().writeBigLong(1n).writeInt(7).writeInt(9).writeString('/').toBytes();
    expect(requestTypeOf(req)).toBe(9);
    expect(() => decodePacket(encodePacket({ type: 99 as PacketType, zxid: 0, data: null }))).toThrow(WireError);
  });
});
