import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalBytes, decodeBase64, decodeLossless, encodeBase64, hasEscapedBytes, normalizeValue, unescapeBytes, valueOfBytes,
} from './bytes.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('bytes values', () => {
  it('keeps UTF-8 as text and anything else as canonical base64', () => {
    expect(valueOfBytes(new TextEncoder().encode('aé😀'))).toBe('aé😀');
    expect(valueOfBytes(bytes(0x61, 0xff, 0x62))).toEqual({ b64: 'Yf9i' });
    expect(valueOfBytes(bytes(0x61, 0xfe, 0x62))).toEqual({ b64: 'Yf5i' });
    expect(valueOfBytes(bytes(0xed, 0xa0, 0x80))).toEqual({ b64: '7aCA' }); // an encoded surrogate is not UTF-8
  });

  it('base64 round-trips every byte string and decodes strictly', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      expect(decodeBase64(encodeBase64(b))).toEqual(b);
    }));
    expect(encodeBase64(bytes())).toBe('');
    expect(encodeBase64(bytes(0xff))).toBe('/w==');
    for (const bad of ['/w', '/w=', 'Yf9', '/x==', 'Yf9i\n', '-_8=', 'Y f9i']) expect(decodeBase64(bad), bad).toBeUndefined();
  });

  it('decodes any bytes losslessly, and the escapes give the bytes back exactly', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      const { text, escaped } = decodeLossless(b);
      const back = unescapeBytes(text);
      expect(escaped).toBe(typeof valueOfBytes(b) !== 'string');
      expect(back).toEqual(valueOfBytes(b));
    }));
    const { text, escaped } = decodeLossless(bytes(0x61, 0xff, 0xc3, 0xa9, 0xe2, 0x82));
    expect([text, escaped]).toEqual(['a\udcffé\udce2\udc82', true]);
  });

  it('a valid surrogate pair is never taken for an escaped byte', () => {
    expect(hasEscapedBytes('💀')).toBe(false); // U+1F480 = D83D DC80
    expect(hasEscapedBytes('a\udc80')).toBe(true);
    expect(unescapeBytes('💀\udcff')).toEqual(valueOfBytes(bytes(0xf0, 0x9f, 0x92, 0x80, 0xff)));
    expect(unescapeBytes('\ud800\udcff')).toEqual(valueOfBytes(bytes(0xf0, 0x90, 0x83, 0xbf)));
    expect(unescapeBytes('\udcff\ud800')).toBeUndefined(); // another lone surrogate: no bytes for it
  });

  it('normalizes bytes forms anywhere in a value, at any depth, without recursion', () => {
    expect(canonicalBytes({ b64: 'YWI=' })).toBe('ab');
    const v = { a: [{ b64: 'YWI=' }, 'x\udcff'], b: { b64: 'Yf9i' } };
    expect(normalizeValue(v, true)).toEqual({ value: { a: ['ab', { b64: 'eP8=' }], b: { b64: 'Yf9i' } } });
    expect(normalizeValue('x\udcff', false)).toEqual({ value: 'x\udcff' });
    expect(normalizeValue({ b64: 'nop!' }, false)).toEqual({ problem: expect.stringMatching(/padded standard base64/) });
    expect(normalizeValue({ ['k\udcff']: 1 }, true)).toEqual({ problem: expect.stringMatching(/key is not valid UTF-8/) });
    let deep: unknown = { b64: 'YWI=' };
    for (let i = 0; i < 200_000; i++) deep = [deep];
    let r = (normalizeValue(deep, false) as { value: unknown }).value;
    for (let i = 0; i < 200_000; i++) r = (r as unknown[])[0];
    expect(r).toBe('ab');
  });
});
