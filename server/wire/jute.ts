// Jute binary encoding (ZooKeeper's BinaryInputArchive / BinaryOutputArchive):
// big-endian integers, length-prefixed strings, buffers and vectors, -1 = null.
// Pure: no I/O. Readers never read past their slice; a short or malformed
// record raises WireError('MARSHALLING'), which callers turn into a closed
// connection, never a crash.

export type WireErrorCode = 'MARSHALLING' | 'FRAME_TOO_LARGE' | 'BAD_LENGTH' | 'UNKNOWN_OPCODE';

export class WireError extends Error {
  constructor(readonly code: WireErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'WireError';
  }
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Small byte arrays come out of shared slabs (as Node's Buffer pool does):
 * `new Uint8Array(256)` costs a separate backing store (about a microsecond),
 * a view of a slab a few nanoseconds. Every encoded record is such a view, so
 * its `byteOffset` need not be 0: wrap `.buffer` with byteOffset/byteLength.
 */
const SLAB_BYTES = 128 * 1024;
const MAX_SLAB_ALLOC_BYTES = 8 * 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabTop = 0;

const align8 = (n: number) => (n + 7) & ~7;

/** A zeroed-or-reused (not zeroed) array of `n` bytes; small ones share a slab. */
export function allocBytes(n: number): Uint8Array {
  if (n > MAX_SLAB_ALLOC_BYTES) return new Uint8Array(n);
  if (slabTop + n > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabTop = 0;
  }
  const out = new Uint8Array(slab, slabTop, n);
  slabTop += align8(n);
  return out;
}

/** Gives the unused tail of the last slab allocation back (an encoder that reserved more than it wrote). */
function trimLast(region: Uint8Array, usedBytes: number): void {
  if (region.buffer !== slab || region.byteOffset + align8(region.byteLength) !== slabTop) return;
  slabTop = region.byteOffset + align8(usedBytes);
}

const TWO_POW_32 = 0x100000000;
/** Strings longer than this are encoded by TextEncoder.encodeInto rather than char by char. */
const LONG_STRING_CHARS = 256;
/** For bigint longs: one shared 8-byte view instead of a DataView per reader / writer. */
const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);

export class JuteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.byteLength - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.offset + n > this.bytes.byteLength) {
      throw new WireError('MARSHALLING', `${what}: need ${n} bytes at ${this.offset}, have ${this.remaining}`);
    }
  }

  private int32At(at: number): number {
    const b = this.bytes;
    return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
  }

  readInt(): number {
    this.need(4, 'int');
    const v = this.int32At(this.offset);
    this.offset += 4;
    return v;
  }

  readByte(): number {
    this.need(1, 'byte');
    const v = (this.bytes[this.offset]! << 24) >> 24;
    this.offset += 1;
    return v;
  }

  readBool(): boolean {
    return this.readByte() !== 0;
  }

  /** A long as bigint (session ids, digests, anything that may use all 64 bits). */
  readBigLong(): bigint {
    this.need(8, 'long');
    scratchBytes.set(this.bytes.subarray(this.offset, this.offset + 8));
    this.offset += 8;
    return scratch.getBigInt64(0);
  }

  /** A long that must fit a JS number exactly (zxids, times, TTLs). */
  readLong(): number {
    this.need(8, 'long');
    const hi = this.int32At(this.offset);
    const lo = this.int32At(this.offset + 4) >>> 0;
    const v = hi * TWO_POW_32 + lo;
    // Outside ±(2^53 - 1) the sum may round, but never back into the safe range.
    if (!Number.isSafeInteger(v)) {
      throw new WireError('MARSHALLING', `long ${(BigInt(hi) << 32n) | BigInt(lo)} does not fit a safe integer`);
    }
    this.offset += 8;
    return v;
  }

  readBuffer(): Uint8Array | null {
    const len = this.readInt();
    if (len === -1) return null;
    if (len < -1) throw new WireError('MARSHALLING', `negative buffer length ${len}`);
    this.need(len, 'buffer');
    const out = this.bytes.subarray(this.offset, this.offset + len);
    this.offset += len;
    return out;
  }

  readStringOrNull(): string | null {
    const raw = this.readBuffer();
    return raw === null ? null : utf8Decoder.decode(raw);
  }

  readString(): string {
    return this.readStringOrNull() ?? '';
  }

  /** Vector length: -1 (null) reads as an empty vector. */
  readVectorLength(): number {
    const n = this.readInt();
    if (n < -1) throw new WireError('MARSHALLING', `negative vector length ${n}`);
    if (n === -1) return 0;
    // Every element takes at least one byte: a cheap bound against absurd counts.
    if (n > this.remaining) throw new WireError('MARSHALLING', `vector of ${n} in ${this.remaining} bytes`);
    return n;
  }

  readRaw(n: number): Uint8Array {
    this.need(n, 'raw');
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  rest(): Uint8Array {
    return this.readRaw(this.remaining);
  }
}

export class JuteWriter {
  private bytes: Uint8Array;
  private offset = 0;

  constructor(initialSizeBytes = 256) {
    this.bytes = allocBytes(initialSizeBytes);
  }

  get length(): number {
    return this.offset;
  }

  private ensure(n: number): void {
    if (this.offset + n <= this.bytes.byteLength) return;
    let size = Math.max(16, this.bytes.byteLength * 2);
    while (size < this.offset + n) size *= 2;
    const next = allocBytes(size);
    next.set(this.bytes.subarray(0, this.offset));
    this.bytes = next;
  }

  private putInt(v: number): void {
    const b = this.bytes;
    const o = this.offset;
    b[o] = v >>> 24;
    b[o + 1] = v >>> 16;
    b[o + 2] = v >>> 8;
    b[o + 3] = v;
    this.offset = o + 4;
  }

  writeInt(v: number): this {
    this.ensure(4);
    this.putInt(v);
    return this;
  }

  writeByte(v: number): this {
    this.ensure(1);
    this.bytes[this.offset] = v;
    this.offset += 1;
    return this;
  }

  writeBool(v: boolean): this {
    return this.writeByte(v ? 1 : 0);
  }

  writeBigLong(v: bigint): this {
    this.ensure(8);
    scratch.setBigInt64(0, BigInt.asIntN(64, v));
    this.bytes.set(scratchBytes, this.offset);
    this.offset += 8;
    return this;
  }

  writeLong(v: number): this {
    if (!Number.isSafeInteger(v)) throw new WireError('MARSHALLING', `long ${v} is not a safe integer`);
    this.ensure(8);
    const hi = Math.floor(v / TWO_POW_32);
    this.putInt(hi);
    this.putInt(v - hi * TWO_POW_32);
    return this;
  }

  writeBuffer(v: Uint8Array | null): this {
    if (v === null) return this.writeInt(-1);
    this.writeInt(v.byteLength);
    return this.writeRaw(v);
  }

  writeString(v: string | null): this {
    if (v === null) return this.writeInt(-1);
    const n = v.length;
    if (n > LONG_STRING_CHARS) return this.writeLongString(v);
    this.ensure(4 + n);
    const lengthAt = this.offset;
    this.offset += 4;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) {
        this.offset = lengthAt;
        return this.writeBuffer(utf8Encoder.encode(v));
      }
      this.bytes[this.offset++] = c;
    }
    const end = this.offset;
    this.offset = lengthAt;
    this.putInt(n);
    this.offset = end;
    return this;
  }

  /**
   * A long string (e.g. the path of a deep znode, tens of kilobytes) encoded
   * natively in place: the same bytes as TextEncoder.encode, without a
   * per-character loop. UTF-8 takes at most 3 bytes per UTF-16 unit.
   */
  private writeLongString(v: string): this {
    this.ensure(4 + 3 * v.length);
    const lengthAt = this.offset;
    const { written } = utf8Encoder.encodeInto(v, this.bytes.subarray(lengthAt + 4));
    this.putInt(written);
    this.offset = lengthAt + 4 + written;
    return this;
  }

  writeRaw(v: Uint8Array): this {
    this.ensure(v.byteLength);
    this.bytes.set(v, this.offset);
    this.offset += v.byteLength;
    return this;
  }

  /** Reserves 4 bytes for a length prefix; returns a function that back-fills it. */
  beginLength(): () => void {
    const at = this.offset;
    this.writeInt(0);
    return () => {
      const end = this.offset;
      this.offset = at;
      this.putInt(end - at - 4);
      this.offset = end;
    };
  }

  /**
   * The bytes written (a view, not a copy). The writer stays usable: it
   * continues in a fresh array, so later writes never touch what was returned.
   */
  toBytes(): Uint8Array {
    const out = this.bytes.subarray(0, this.offset);
    trimLast(this.bytes, this.offset);
    this.bytes = out;
    return out;
  }
}

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

export function fromUtf8(b: Uint8Array): string {
  return utf8Decoder.decode(b);
}
