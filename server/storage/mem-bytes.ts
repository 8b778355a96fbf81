// A growable, sparse byte array for one in-memory file: `size` is the logical
// length; bytes past `data.length` (up to `size`) read as zeros, so extending a
// file with zeros (preallocation) costs nothing until written.
import { invariant } from './errors.ts';

export class MemBytes {
  private data: Uint8Array;
  private sizeBytes: number;

  constructor(data: Uint8Array = new Uint8Array(0), sizeBytes = data.length) {
    invariant(sizeBytes >= data.length, 'MemBytes: size below materialized length');
    this.data = data;
    this.sizeBytes = sizeBytes;
  }

  get size(): number {
    return this.sizeBytes;
  }

  clone(): MemBytes {
    const used = Math.min(this.data.length, this.sizeBytes);
    return new MemBytes(this.data.slice(0, used), this.sizeBytes);
  }

  read(offsetBytes: number, lengthBytes: number): Uint8Array {
    const start = Math.min(offsetBytes, this.sizeBytes);
    const end = Math.min(this.sizeBytes, start + lengthBytes);
    const out = new Uint8Array(end - start);
    const materializedEnd = Math.min(end, this.data.length);
    if (materializedEnd > start) out.set(this.data.subarray(start, materializedEnd));
    return out;
  }

  write(offsetBytes: number, bytes: Uint8Array): void {
    const end = offsetBytes + bytes.length;
    this.reserve(end);
    this.data.set(bytes, offsetBytes);
    this.sizeBytes = Math.max(this.sizeBytes, end);
  }

  truncate(sizeBytes: number): void {
    if (sizeBytes < this.sizeBytes) {
      // Zero what is cut, so a later extension reads zeros there.
      const zeroEnd = Math.min(this.data.length, this.sizeBytes);
      if (zeroEnd > sizeBytes) this.data.fill(0, sizeBytes, zeroEnd);
    }
    this.sizeBytes = sizeBytes;
  }

  private reserve(capacityBytes: number): void {
    if (capacityBytes <= this.data.length) return;
    let next = Math.max(64, this.data.length * 2);
    while (next < capacityBytes) next *= 2;
    const grown = new Uint8Array(next);
    grown.set(this.data);
    this.data = grown;
  }
}
