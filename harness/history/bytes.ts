// Bytes are bytes: a value read from a server (or from a history file) keeps
// its exact bytes. Bytes that are valid UTF-8 are a plain string; any others
// are `{ "b64": "<standard base64, padded>" }` (the only form an object with
// the single key `b64` may have). That form is canonical, so two values hold
// the same bytes exactly when their canonical JSON is equal.
//
// Files with raw invalid UTF-8 inside string literals are decoded losslessly:
// each byte that is not part of a valid sequence becomes the lone surrogate
// U+DC00+byte (U+DC80..U+DCFF, which valid UTF-8 never yields), and
// `normalizeValue` turns such strings back into their bytes.
// Pure: no I/O.

export interface BytesValue {
  b64: string;
}

const ESCAPE_BASE = 0xdc00;
const ESCAPED = /[\udc80-\udcff]/u;
const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** An object of exactly one key, `b64`, holding a string: the bytes form (canonical or not). */
export function isBytesValue(v: unknown): v is BytesValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === 'b64' && typeof (v as BytesValue).b64 === 'string';
}

/** The UTF-8 text of `bytes`, or undefined when they are not valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return fatal.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Exact bytes as a history value: the text when valid UTF-8, else `{b64}`. */
export function valueOfBytes(bytes: Uint8Array): string | BytesValue {
  return utf8Text(bytes) ?? { b64: encodeBase64(bytes) };
}

/** A `{b64}` value in canonical form (plain string when the bytes are UTF-8), or undefined if not base64. */
export function canonicalBytes(v: BytesValue): string | BytesValue | undefined {
  const bytes = decodeBase64(v.b64);
  return bytes === undefined ? undefined : valueOfBytes(bytes);
}

// ---- base64 (RFC 4648 standard alphabet, padded; decoding is strict) ----

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INDEX = new Map([...ALPHABET].map((c, i) => [c, i]));
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
    out += b === undefined ? '==' : ALPHABET[(n >>> 6) & 63]! + (c === undefined ? '=' : ALPHABET[n & 63]!);
  }
  return out;
}

/** Strict decoding: undefined unless `s` is padded standard base64 with zero trailing bits. */
export function decodeBase64(s: string): Uint8Array | undefined {
  if (!BASE64.test(s)) return undefined;
  const digits = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((digits.length * 6) / 8));
  let acc = 0, bits = 0, o = 0;
  for (const c of digits) {
    acc = (acc << 6) | INDEX.get(c)!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

// ---- lossless decoding of files ----

/** Length of the valid UTF-8 sequence starting at `i`, or 0 if none starts there. */
function sequenceLength(b: Uint8Array, i: number): number {
  const x = b[i]!;
  if (x < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (x >= 0xc2 && x <= 0xdf) return cont(1) ? 2 : 0;
  if (x >= 0xe0 && x <= 0xef) {
    const [lo, hi] = x === 0xe0 ? [0xa0, 0xbf] : x === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (x >= 0xf0 && x <= 0xf4) {
    const [lo, hi] = x === 0xf0 ? [0x90, 0xbf] : x === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * Decodes `bytes` as UTF-8 without losing any: `escaped` is false when they
 * were valid UTF-8; otherwise every byte outside a valid sequence is U+DC00+byte.
 */
export function decodeLossless(bytes: Uint8Array): { text: string; escaped: boolean } {
  const valid = utf8Text(bytes);
  if (valid !== undefined) return { text: valid, escaped: false };
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    parts.push(fatal.decode(bytes.subarray(start, i)), String.fromCharCode(ESCAPE_BASE + bytes[i]!));
    start = ++i;
  }
  parts.push(fatal.decode(bytes.subarray(start)));
  return { text: parts.join(''), escaped: true };
}

/** True when `s` holds a byte escaped by `decodeLossless`. */
export function hasEscapedBytes(s: string): boolean {
  return ESCAPED.test(s);
}

/** A string from `decodeLossless` back to its exact bytes, or undefined when it holds other lone surrogates. */
export function unescapeBytes(s: string): string | BytesValue | undefined {
  if (!hasEscapedBytes(s)) return s;
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) out.push(cp - ESCAPE_BASE);
    else if (cp >= 0xd800 && cp <= 0xdfff) return undefined;
    else out.push(...encoder.encode(ch));
  }
  return valueOfBytes(Uint8Array.from(out));
}

/**
 * Puts every bytes value in `root` in canonical form, in place where it can:
 * `{b64}` objects are checked and canonicalised, and (when `escaped`) strings
 * holding escaped bytes become their bytes. Iterative: any depth. Returns the
 * new root, or the problem found.
 */
export function normalizeValue(root: unknown, escaped: boolean): { value: unknown } | { problem: string } {
  const holder: Record<string, unknown> = { root };
  const stack: Array<[Record<string, unknown> | unknown[], string | number]> = [[holder, 'root']];
  while (stack.length > 0) {
    const [parent, key] = stack.pop()!;
    const v = (parent as Record<string | number, unknown>)[key];
    const fixed = fixValue(v, escaped);
    if (typeof fixed === 'object' && fixed !== null && 'problem' in fixed) return fixed;
    if (fixed !== undefined) setOwn(parent, key, fixed.value);
    else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push([v, i]);
    else if (typeof v === 'object' && v !== null) {
      for (const k of Object.keys(v)) {
        if (escaped && hasEscapedBytes(k)) return { problem: `an object key is not valid UTF-8: ${JSON.stringify(k)}` };
        stack.push([v as Record<string, unknown>, k]);
      }
    }
  }
  return { value: holder.root };
}

/** `o[key] = value` as an own property, even for the key `__proto__` (which plain assignment would take as the prototype). */
export function setOwn(o: object, key: string | number, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else (o as Record<string | number, unknown>)[key] = value;
}

/** The replacement for one value, a problem, or undefined to leave it (and look inside). */
function fixValue(v: unknown, escaped: boolean): { value: unknown } | { problem: string } | undefined {
  if (typeof v === 'string') {
    if (!escaped || !hasEscapedBytes(v)) return undefined;
    const bytes = unescapeBytes(v);
    return bytes === undefined ? { problem: 'a string mixes raw invalid UTF-8 with \\u escapes of lone surrogates' } : { value: bytes };
  }
  if (!isBytesValue(v)) return undefined;
  const canonical = canonicalBytes(v);
  return canonical === undefined ? { problem: `{"b64": …} must hold padded standard base64, got ${JSON.stringify(v.b64.slice(0, 40))}` } : { value: canonical };
}
