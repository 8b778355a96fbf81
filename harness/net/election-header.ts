// ZooKeeper's election connections start with an initial message: protocol
// version (int64), the sender's sid (int64) and, for versions -65536 / -65535,
// the sender's own election address (int32 length + "host:port"). A server that
// receives a connection from a LOWER sid closes it and dials back the address
// in that message, bypassing the proxy the config named. The proxy mesh
// therefore rewrites that address to the proxy of the reverse link, so every
// election connection stays on a link the harness controls. Pure: bytes in,
// bytes out.

export const PROTOCOL_VERSION_V1 = -65536n;
export const PROTOCOL_VERSION_V2 = -65535n;
const MAX_ADDRESS_BYTES = 4096;

export type ChunkRewriter = (chunk: Buffer) => Buffer;

/** A per-connection rewriter: holds bytes until the initial message is complete, rewrites it once, then passes everything through. */
export function electionHeaderRewriter(replacementAddress: string): ChunkRewriter {
  let pending: Buffer | undefined = Buffer.alloc(0);
  return (chunk) => {
    if (pending === undefined) return chunk;
    const buf = Buffer.concat([pending, chunk]);
    const result = rewriteInitialMessage(buf, replacementAddress);
    if (result === 'incomplete') {
      pending = buf;
      return Buffer.alloc(0);
    }
    pending = undefined;
    return result;
  };
}

/** The buffer with its initial message's address replaced; 'incomplete' when more bytes are needed. */
export function rewriteInitialMessage(buf: Buffer, replacementAddress: string): Buffer | 'incomplete' {
  if (buf.length < 8) return 'incomplete';
  const version = buf.readBigInt64BE(0);
  if (version !== PROTOCOL_VERSION_V1 && version !== PROTOCOL_VERSION_V2) return buf; // old protocol: no address
  if (buf.length < 20) return 'incomplete';
  const length = buf.readInt32BE(16);
  if (length < 0 || length > MAX_ADDRESS_BYTES) return buf; // not what we expect: leave it to the server to refuse
  if (buf.length < 20 + length) return 'incomplete';
  const address = Buffer.from(replacementAddress, 'utf8');
  const header = Buffer.alloc(20);
  buf.copy(header, 0, 0, 16);
  header.writeInt32BE(address.length, 16);
  return Buffer.concat([header, address, buf.subarray(20 + length)]);
}

/** The initial message as a server writes it (for tests). */
export function initialMessage(version: bigint, sid: bigint, address: string): Buffer {
  const a = Buffer.from(address, 'utf8');
  const b = Buffer.alloc(20);
  b.writeBigInt64BE(version, 0);
  b.writeBigInt64BE(sid, 8);
  b.writeInt32BE(a.length, 16);
  return Buffer.concat([b, a]);
}
