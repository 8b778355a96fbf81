// Bytes received on a stream, in arrival order: decoders peek at what is
// buffered (without copying when a value lies in one chunk) and take whole
// messages off the front once they are complete.
import { check } from './errors.ts';

export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  get length(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
  }

  /** `n` bytes starting `offset` bytes from the front, not consumed. */
  peek(offset: number, n: number): Uint8Array {
    check(offset >= 0 && n >= 0 && offset + n <= this.buffered, () => `peek ${offset}+${n} of ${this.buffered}`);
    if (n === 0) return new Uint8Array(0);
    let skip = offset;
    let i = 0;
    while (skip >= this.chunks[i]!.byteLength) {
      skip -= this.chunks[i]!.byteLength;
      i++;
    }
    const first = this.chunks[i]!;
    if (skip + n <= first.byteLength) return first.subarray(skip, skip + n);
    const out = new Uint8Array(n);
    let filled = 0;
    for (; filled < n; i++, skip = 0) {
      const part = this.chunks[i]!.subarray(skip, skip + (n - filled));
      out.set(part, filled);
      filled += part.byteLength;
    }
    return out;
  }

  /** The big-endian int32 at `offset`. */
  int32At(offset: number): number {
    const b = this.peek(offset, 4);
    return new DataView(b.buffer, b.byteOffset, 4).getInt32(0);
  }

  /** Removes and returns the first `n` bytes (a copy when they span chunks). */
  take(n: number): Uint8Array {
    const out = this.peek(0, n);
    this.drop(n);
    return out;
  }

  private drop(n: number): void {
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
