// JuteWriter.writeString: short strings are encoded char by char, long ones
// (a deep znode's path) by TextEncoder.encodeInto; both give TextEncoder's
// bytes behind the int length, lone surrogates included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JuteReader, JuteWriter } from './jute.ts';

function expected(s: string): Uint8Array {
  const utf8 = new TextEncoder().encode(s);
  const out = new Uint8Array(4 + utf8.length);
  new DataView(out.buffer).setInt32(0, utf8.length);
  out.set(utf8, 4);
  return out;
}

describe('JuteWriter.writeString', () => {
  it('writes the length and TextEncoder bytes for strings of any length', () => {
    const unit = fc.constantFrom('a', '/', 'é', '中', '\ud83d\ude00', '\ud800', '\udfff', '\u0000');
    fc.assert(fc.property(fc.array(unit, { maxLength: 700 }), fc.nat(300), (units, prefix) => {
      const s = units.join('');
      const w = new JuteWriter(8);
      w.writeInt(prefix);
      w.writeString(s);
      w.writeInt(7);
      const bytes = w.toBytes();
      expect(Buffer.from(bytes.subarray(4, bytes.length - 4))).toEqual(Buffer.from(expected(s)));
      const r = new JuteReader(bytes);
      expect(r.readInt()).toBe(prefix);
      expect(r.readString()).toBe(new TextDecoder().decode(new TextEncoder().encode(s)));
      expect(r.readInt()).toBe(7);
    }), { numRuns: 500 });
  });

  it('writes a 100,000-character path', () => {
    const path = '/a'.repeat(50_000);
    const bytes = new JuteWriter().writeString(path).toBytes();
    expect(Buffer.from(bytes)).toEqual(Buffer.from(expected(path)));
  });
});
