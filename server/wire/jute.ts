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

/** Largest long we keep as a JS number (zxids, times, TTLs). Session ids use bigint. */
const SAFE_LONG_MAX = BigInt(Number.MAX_SAFE_INTEGER);

export class JuteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

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

  readInt(): number {
    this.need(4, 'int');
    const v = this.view.getInt32(this.offset);
    this.offset += 4;
    return v;
  }

  readByte(): number {
    this.need(1, 'byte');
    const v = this.view.getInt8(this.offset);
    this.offset += 1;
    return v;
  }

  readBool(): boolean {
    return this.readByte() !== 0;
  }

  /** A long as bigint (session ids, digests, anything that may use all 64 bits). */
  readBigLong(): bigint {
    this.need(8, 'long');
    const v = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return v;
  }

  /** A long that must fit a JS number exactly (zxids, times, TTLs). */
  readLong(): number {
    const v = this.readBigLong();
    if (v > SAFE_LONG_MAX || v < -SAFE_LONG_MAX) {
      throw new WireError('MARSHALLING', `long ${v} does not fit a safe integer`);
    }
    return Number(v);
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
  private view: DataView;
  private offset = 0;

  constructor(initialSizeBytes = 256) {
    this.bytes = new Uint8Array(initialSizeBytes);
    this.view = new DataView(this.bytes.buffer);
  }

  get length(): number {
    return this.offset;
  }

  private ensure(n: number): void {
    if (this.offset + n <= this.bytes.byteLength) return;
    let size = this.bytes.byteLength * 2;
    while (size < this.offset + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.offset));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  writeInt(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.offset, v);
    this.offset += 4;
    return this;
  }

  writeByte(v: number): this {
    this.ensure(1);
    this.view.setInt8(this.offset, v);
    this.offset += 1;
    return this;
  }

  writeBool(v: boolean): this {
    return this.writeByte(v ? 1 : 0);
  }

  writeBigLong(v: bigint): this {
    this.ensure(8);
    this.view.setBigInt64(this.offset, BigInt.asIntN(64, v));
    this.offset += 8;
    return this;
  }

  writeLong(v: number): this {
    if (!Number.isSafeInteger(v)) throw new WireError('MARSHALLING', `long ${v} is not a safe integer`);
    return this.writeBigLong(BigInt(v));
  }

  writeBuffer(v: Uint8Array | null): this {
    if (v === null) return this.writeInt(-1);
    this.writeInt(v.byteLength);
    return this.writeRaw(v);
  }

  writeString(v: string | null): this {
    if (v === null) return this.writeInt(-1);
    return this.writeBuffer(utf8Encoder.encode(v));
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
    return () => this.view.setInt32(at, this.offset - at - 4);
  }

  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.offset);
  }
}

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

export function fromUtf8(b: Uint8Array): string {
  return utf8Decoder.decode(b);
}
