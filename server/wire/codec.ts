// Record codecs built from field lists, so each record below reads like its
// declaration in zookeeper.jute: fields in declared order, no tags, no padding.
import { JuteReader, JuteWriter } from './jute.ts';

export interface Codec<T> {
  read(r: JuteReader): T;
  write(w: JuteWriter, v: T): void;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;
type Shape = Record<string, Codec<unknown>>;
export type RecordOf<S extends Shape> = { [K in keyof S]: Infer<S[K]> };

export const int: Codec<number> = { read: (r) => r.readInt(), write: (w, v) => void w.writeInt(v) };
export const byte: Codec<number> = { read: (r) => r.readByte(), write: (w, v) => void w.writeByte(v) };
export const bool: Codec<boolean> = { read: (r) => r.readBool(), write: (w, v) => void w.writeBool(v) };
/** jute `long` kept as a number (zxids, times): must be a safe integer. */
export const long: Codec<number> = { read: (r) => r.readLong(), write: (w, v) => void w.writeLong(v) };
/** jute `long` kept as bigint (session ids, ephemeral owners, digests). */
export const bigLong: Codec<bigint> = { read: (r) => r.readBigLong(), write: (w, v) => void w.writeBigLong(v) };
export const ustring: Codec<string> = { read: (r) => r.readString(), write: (w, v) => void w.writeString(v) };
export const buffer: Codec<Uint8Array | null> = {
  read: (r) => r.readBuffer(),
  write: (w, v) => void w.writeBuffer(v),
};

export function vector<T>(item: Codec<T>): Codec<T[]> {
  return {
    read(r) {
      const n = r.readVectorLength();
      const out: T[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = item.read(r);
      return out;
    },
    write(w, v) {
      w.writeInt(v.length);
      for (const x of v) item.write(w, x);
    },
  };
}

export interface RecordCodec<S extends Shape> extends Codec<RecordOf<S>> {
  readonly name: string;
  readonly fields: readonly (keyof S & string)[];
  encode(v: RecordOf<S>): Uint8Array;
  decode(bytes: Uint8Array): RecordOf<S>;
}

export function record<S extends Shape>(name: string, shape: S): RecordCodec<S> {
  const entries = Object.entries(shape) as [keyof S & string, Codec<unknown>][];
  const codec: RecordCodec<S> = {
    name,
    fields: entries.map(([k]) => k),
    read(r) {
      const out = {} as Record<string, unknown>;
      for (const [k, c] of entries) out[k] = c.read(r);
      return out as RecordOf<S>;
    },
    write(w, v) {
      for (const [k, c] of entries) c.write(w, (v as Record<string, unknown>)[k]);
    },
    encode(v) {
      const w = new JuteWriter();
      codec.write(w, v);
      return w.toBytes();
    },
    decode(bytes) {
      return codec.read(new JuteReader(bytes));
    },
  };
  return codec;
}
