import { describe, expect, it } from 'vitest';
import { firstQuorumPacketLength } from './quorum-packet.ts';

/** A QuorumPacket as jute writes it. */
function packet(type: number, data: Uint8Array | null, auth: [string, Uint8Array][] | null = null): Uint8Array {
  const parts: number[] = [];
  const int = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); parts.push(...b); };
  int(type);
  parts.push(0, 0, 0, 1, 0, 0, 0, 0); // zxid 0x100000000
  if (data === null) int(-1); else { int(data.length); parts.push(...data); }
  if (auth === null) int(-1);
  else {
    int(auth.length);
    for (const [scheme, bytes] of auth) {
      const s = Buffer.from(scheme);
      int(s.length); parts.push(...s);
      int(bytes.length); parts.push(...bytes);
    }
  }
  return Uint8Array.from(parts);
}

describe('firstQuorumPacketLength', () => {
  it('measures a LEADERINFO-like packet, and the first of two', () => {
    const leaderInfo = packet(17, Uint8Array.of(0, 1, 0, 0));
    expect(firstQuorumPacketLength(leaderInfo)).toBe(leaderInfo.length);
    const two = Uint8Array.from([...leaderInfo, ...packet(13, null)]);
    expect(firstQuorumPacketLength(two)).toBe(leaderInfo.length);
  });

  it('counts null data and auth entries', () => {
    expect(firstQuorumPacketLength(packet(5, null))).toBe(20);
    const withAuth = packet(2, Uint8Array.of(9), [['digest', Uint8Array.of(1, 2, 3)], ['ip', Uint8Array.of()]]);
    expect(firstQuorumPacketLength(withAuth)).toBe(withAuth.length);
  });

  it('asks for more bytes at every cut of a packet', () => {
    const p = packet(2, Uint8Array.of(1, 2, 3), [['x', Uint8Array.of(4)]]);
    for (let cut = 0; cut < p.length; cut++) expect(firstQuorumPacketLength(p.subarray(0, cut))).toBe('incomplete');
  });

  it('refuses lengths no packet has', () => {
    const p = packet(2, null);
    Buffer.from(p.buffer).writeInt32BE(-7, 12);
    expect(firstQuorumPacketLength(p)).toBe('malformed');
  });
});
