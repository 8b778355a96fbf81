// The length of one QuorumPacket as a ZooKeeper peer writes it on a quorum
// connection (jute, no frame header): int type, long zxid, buffer data
// (int length, -1 for null), vector<Id> authinfo (int count, -1 for null;
// each a ustring scheme and a buffer). Pure, for the proxy's protocol-aware
// link faults.

/** Bytes of the first packet in `head`: its length, 'incomplete' if more bytes are needed, 'malformed' if it cannot be one. */
export function firstQuorumPacketLength(head: Uint8Array): number | 'incomplete' | 'malformed' {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let at = 4 + 8; // type, zxid
  const lengthField = (): number | 'incomplete' | 'malformed' => {
    if (at + 4 > head.length) return 'incomplete';
    const n = view.getInt32(at);
    at += 4;
    if (n < -1 || n > MAX_FIELD_BYTES) return 'malformed';
    return Math.max(0, n);
  };
  const skipBuffer = (): 'incomplete' | 'malformed' | undefined => {
    const n = lengthField();
    if (typeof n !== 'number') return n;
    at += n;
    return at > head.length ? 'incomplete' : undefined;
  };
  const data = skipBuffer();
  if (data !== undefined) return data;
  const count = lengthField();
  if (typeof count !== 'number') return count;
  if (count > MAX_AUTH_ENTRIES) return 'malformed';
  for (let i = 0; i < count; i++) {
    for (let field = 0; field < 2; field++) {
      const r = skipBuffer();
      if (r !== undefined) return r;
    }
  }
  return at;
}

/** A field longer than this is not a quorum packet the proxy should wait for (ZooKeeper's jute.maxbuffer is 1 MiB). */
const MAX_FIELD_BYTES = 64 * 1024 * 1024;
const MAX_AUTH_ENTRIES = 1024;
