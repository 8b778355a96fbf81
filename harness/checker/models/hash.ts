// Cheap 32-bit hashing for model states (FNV-1a over a canonical string, and
// a finaliser mix for integers), as signed int32 so V8 keeps them unboxed.
// Consistent with structural equality. Values compare by exact bytes: a
// `{b64}` bytes value (history/bytes.ts) counts in its canonical form, so it
// equals the plain string of the same bytes and nothing else.
import { canonicalBytes, isBytesValue } from '../../history/bytes.ts';

export function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function hashString(s: string): number {
  return hashMore(0x811c9dc5, s);
}

/** `hashString(a + b)` from `hashString(a)` and `b`: FNV-1a carries on over the appended text. */
export function hashMore(hashOfPrefix: number, s: string): number {
  let h = hashOfPrefix;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** A bytes value in canonical form (a plain string when its bytes are UTF-8); anything else as it is. */
function exact(v: unknown): unknown {
  return isBytesValue(v) ? (canonicalBytes(v) ?? v) : v;
}

/** Hash of a JSON-like scalar or structure; numbers that are int32 take the fast path. */
export function hashValue(value: unknown): number {
  const v = exact(value);
  if (typeof v === 'number' && (v | 0) === v) return mix32(v);
  if (v === null || v === undefined) return 0x1e3779b9;
  return hashString(typeof v === 'string' ? `s${v}` : canonical(v));
}

/** Canonical JSON (object keys sorted) so equal values hash and compare equal. */
export function canonical(value: unknown): string {
  const v = exact(value);
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const keys = Object.keys(v as object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' && typeof b !== 'object') return false;
  return canonical(a) === canonical(b);
}
