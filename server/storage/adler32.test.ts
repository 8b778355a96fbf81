import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adler32, adler32Update } from './adler32.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('adler32', () => {
  it('matches known values', () => {
    expect(adler32(new Uint8Array(0))).toBe(1);
    expect(adler32(ascii('a'))).toBe(0x00620062);
    expect(adler32(ascii('abc'))).toBe(0x024d0127);
    expect(adler32(ascii('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x5bdc0fda);
  });

  it('stays exact over long runs of 0xff (modulo reduction per block)', () => {
    // Reference computed with a naive per-byte modulo loop.
    const bytes = new Uint8Array(100_000).fill(0xff);
    let a = 1;
    let b = 0;
    for (const x of bytes) {
      a = (a + x) % 65521;
      b = (b + a) % 65521;
    }
    expect(adler32(bytes)).toBe(((b << 16) | a) >>> 0);
  });

  it('is incremental: update(update(1, x), y) = adler32(x ++ y)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (x, y) => {
        const joined = new Uint8Array(x.length + y.length);
        joined.set(x);
        joined.set(y, x.length);
        expect(adler32Update(adler32(x), y)).toBe(adler32(joined));
      }),
    );
  });
});
