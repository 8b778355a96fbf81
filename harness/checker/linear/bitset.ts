// Bitsets on 32-bit words (Int32Array: V8 keeps int32 values unboxed), and
// the Zobrist keys that hash them incrementally: each op id has a fixed
// random-looking 32-bit key; a set's hash is the XOR of
// its members' keys, updated in O(1) when one bit flips.
import { mix32 } from '../models/hash.ts';

export function newBitset(bits: number): Int32Array {
  return new Int32Array(Math.max(1, (bits + 31) >>> 5));
}

export function setBit(b: Int32Array, i: number): void {
  b[i >>> 5]! |= 1 << (i & 31);
}

export function clearBit(b: Int32Array, i: number): void {
  b[i >>> 5]! &= ~(1 << (i & 31));
}

export function hasBit(b: Int32Array, i: number): boolean {
  return (b[i >>> 5]! & (1 << (i & 31))) !== 0;
}

/** True when every bit of `a` is also in `b` (same length). */
export function isSubset(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i]! & ~b[i]!) !== 0) return false;
  return true;
}

/** True when `window` equals b[from .. from + window.length). */
export function windowEquals(window: Int32Array, b: Int32Array, from: number): boolean {
  for (let i = 0; i < window.length; i++) if (window[i] !== b[from + i]) return false;
  return true;
}

export function zobristKeys(n: number, seed: number): Int32Array {
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) keys[i] = mix32(Math.imul(i + 1, 0x9e3779b1) ^ seed) | 1;
  return keys;
}
