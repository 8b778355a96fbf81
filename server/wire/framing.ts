// Length-prefixed framing: every message is an int32 length then that many
// bytes. The decoder accumulates chunks and yields whole frames only; a
// length below zero or above jute.maxbuffer is a protocol error for that
// connection ("Len error" in ZooKeeper).
import { WireError } from './jute.ts';

export const DEFAULT_MAX_BUFFER_BYTES = 0xfffff;

export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  /** Bytes of chunks[0] already consumed (kept as an offset: no re-slicing per frame). */
  private headOffset = 0;
  private buffered = 0;

  constructor(private readonly maxBufferBytes: number = DEFAULT_MAX_BUFFER_BYTES) {}

  get bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
  }

  /** Peeks the next 4 bytes as a big-endian int without consuming them. */
  peekInt(): number | undefined {
    if (this.buffered < 4) return undefined;
    const first = this.chunks[0]!;
    const at = this.headOffset;
    if (first.byteLength - at >= 4) {
      return (first[at]! << 24) | (first[at + 1]! << 16) | (first[at + 2]! << 8) | first[at + 3]!;
    }
    const head = this.take(4, false);
    return (head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!;
  }

  /** Next whole frame body, or undefined when more bytes are needed. */
  next(): Uint8Array | undefined {
    const len = this.peekInt();
    if (len === undefined) return undefined;
    if (len < 0 || len > this.maxBufferBytes) {
      throw new WireError(len < 0 ? 'BAD_LENGTH' : 'FRAME_TOO_LARGE',
        `frame length ${len} outside 0..${this.maxBufferBytes} (jute.maxbuffer)`);
    }
    if (this.buffered < 4 + len) return undefined;
    this.dropFront(4);
    return this.take(len, true);
  }

  private take(n: number, consume: boolean): Uint8Array {
    // An empty frame may end exactly where the buffered bytes do: no chunk left to slice.
    if (n === 0) return new Uint8Array(0);
    const first = this.chunks[0]!;
    const at = this.headOffset;
    if (first.byteLength - at >= n) {
      const out = first.subarray(at, at + n);
      if (consume) this.dropFront(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    for (let i = 0; filled < n; i++) {
      const c = this.chunks[i]!;
      const from = i === 0 ? at : 0;
      const part = c.subarray(from, from + Math.min(c.byteLength - from, n - filled));
      out.set(part, filled);
      filled += part.byteLength;
    }
    if (consume) this.dropFront(n);
    return out;
  }

  private dropFront(n: number): void {
    this.buffered -= n;
    while (n > 0) {
      const left = this.chunks[0]!.byteLength - this.headOffset;
      if (left <= n) {
        n -= left;
        this.chunks.shift();
        this.headOffset = 0;
      } else {
        this.headOffset += n;
        n = 0;
      }
    }
  }
}

/** Prefixes a body with its int32 length. */
export function frame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.byteLength);
  new DataView(out.buffer).setInt32(0, body.byteLength);
  out.set(body, 4);
  return out;
}
