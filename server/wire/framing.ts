// Length-prefixed framing: every message is an int32 length then that many
// bytes. The decoder accumulates chunks and yields whole frames only; a
// length below zero or above jute.maxbuffer is a protocol error for that
// connection ("Len error" in ZooKeeper).
import { WireError } from './jute.ts';

export const DEFAULT_MAX_BUFFER_BYTES = 0xfffff;

export class FrameDecoder {
  private chunks: Uint8Array[] = [];
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
    const head = this.take(4, false);
    return new DataView(head.buffer, head.byteOffset, 4).getInt32(0);
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
    this.take(4, true);
    return this.take(len, true);
  }

  private take(n: number, consume: boolean): Uint8Array {
    const first = this.chunks[0]!;
    if (first.byteLength >= n) {
      const out = first.subarray(0, n);
      if (consume) this.dropFront(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    for (const c of this.chunks) {
      const part = c.subarray(0, Math.min(c.byteLength, n - filled));
      out.set(part, filled);
      filled += part.byteLength;
      if (filled === n) break;
    }
    if (consume) this.dropFront(n);
    return out;
  }

  private dropFront(n: number): void {
    this.buffered -= n;
    while (n > 0) {
      const first = this.chunks[0]!;
      if (first.byteLength <= n) {
        n -= first.byteLength;
        this.chunks.shift();
      } else {
        this.chunks[0] = first.subarray(n);
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
