// Bytes received on a stream, in arrival order, kept in one growable buffer
// so decoders can peek anywhere in O(1) (a SNAP stream is walked node by
// node while it arrives in many chunks) and take whole messages off the
// front once they are complete.
import { allocBytes } from '../../wire/jute.ts';
import { check } from './errors.ts';

const INITIAL_CAPACITY_BYTES = 64 * 1024;

export class ByteQueue {
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.reserve(chunk.byteLength);
    this.buf.set(chunk, this.end);
    this.end += chunk.byteLength;
  }

  /** Makes room for `n` more bytes: compacts, or grows by doubling. */
  private reserve(n: number): void {
    if (this.end + n <= this.buf.byteLength) return;
    const live = this.length;
    if (live + n <= this.buf.byteLength && this.start >= live) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      let size = Math.max(INITIAL_CAPACITY_BYTES, this.buf.byteLength);
      while (size < live + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(this.start, this.end));
      this.buf = next;
    }
    this.start = 0;
    this.end = live;
  }

  /** `n` bytes starting `offset` bytes from the front, not consumed (a view: valid until the next push). */
  peek(offset: number, n: number): Uint8Array {
    check(offset >= 0 && n >= 0 && offset + n <= this.length, () => `peek ${offset}+${n} of ${this.length}`);
    return this.buf.subarray(this.start + offset, this.start + offset + n);
  }

  /** The big-endian int32 at `offset`. */
  int32At(offset: number): number {
    const at = this.start + offset;
    check(offset >= 0 && offset + 4 <= this.length, () => `int32 at ${offset} of ${this.length}`);
    return ((this.buf[at]! << 24) | (this.buf[at + 1]! << 16) | (this.buf[at + 2]! << 8) | this.buf[at + 3]!) | 0;
  }

  /** Removes and returns the first `n` bytes (a copy). */
  take(n: number): Uint8Array {
    const out = allocBytes(n);
    out.set(this.peek(0, n));
    this.start += n;
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }
}
