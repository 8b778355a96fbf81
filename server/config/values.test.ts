import { describe, expect, it } from 'vitest';
import { decodeInt32, parseAtLeast, parseBoolean, parseInt32, parseInt53, parsePort } from './values.ts';

const src = { fileName: 'zoo.cfg', key: 'k' };

describe('parseInt32 (Integer.parseInt)', () => {
  it('accepts a signed decimal within int32', () => {
    expect(parseInt32(src, '2000')).toBe(2000);
    expect(parseInt32(src, '+7')).toBe(7);
    expect(parseInt32(src, '-1')).toBe(-1);
    expect(parseInt32(src, '2147483647')).toBe(2147483647);
  });
  it('refuses anything else, naming file, key and value', () => {
    expect(() => parseInt32(src, 'abc')).toThrow('zoo.cfg: k: "abc" is not a number');
    expect(() => parseInt32(src, '1.5')).toThrow('is not a number');
    expect(() => parseInt32(src, '')).toThrow('zoo.cfg: k: "" is not a number');
    expect(() => parseInt32(src, '0x10')).toThrow('is not a number');
    expect(() => parseInt32(src, '2147483648')).toThrow('zoo.cfg: k: "2147483648" is out of range [-2147483648, 2147483647]');
  });
  it('parseInt53 takes longs up to 2^53', () => {
    expect(parseInt53(src, '4294967296')).toBe(4294967296);
    expect(() => parseInt53(src, '9007199254740993')).toThrow('out of range');
  });
});

describe('decodeInt32 (Integer.decode)', () => {
  it.each([
    ['1048575', 1048575], ['0xfffff', 0xfffff], ['0X10', 16], ['#ff', 255], ['010', 8], ['0', 0], ['-0x10', -16],
  ])('%s -> %d', (text, n) => expect(decodeInt32(src, text)).toBe(n));
  it.each(['08', '0xg', '', 'ten', '0x', '0x100000000'])('refuses %s', (text) => {
    expect(() => decodeInt32(src, text)).toThrow(/zoo\.cfg: k: ".*" is (not a number|out of range)/);
  });
});

describe('parseBoolean', () => {
  it('true/false in any case', () => {
    expect(parseBoolean(src, 'TRUE')).toBe(true);
    expect(parseBoolean(src, 'False')).toBe(false);
    expect(() => parseBoolean(src, 'yes')).toThrow(`zoo.cfg: k: "yes" is not 'true' or 'false'`);
  });
});

describe('parsePort / parseAtLeast', () => {
  it('ports are 1..65535, or 0 where allowed', () => {
    expect(parsePort(src, '0', true)).toBe(0);
    expect(() => parsePort(src, '0', false)).toThrow('zoo.cfg: k: "0" is not a port (1..65535)');
    expect(() => parsePort(src, '65536', true)).toThrow('is not a port (0..65535)');
  });
  it('parseAtLeast', () => {
    expect(() => parseAtLeast(src, '0', 1)).toThrow('zoo.cfg: k: "0" must be at least 1');
  });
});
