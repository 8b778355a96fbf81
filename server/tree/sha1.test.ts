import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { base64, sha1 } from './sha1.ts';
import fc from 'fast-check';

describe('sha1', () => {
  it('matches known vectors', () => {
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(hex(sha1(new TextEncoder().encode('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha1(new Uint8Array(0)))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('agrees with node:crypto and Buffer base64 on random input', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const ours = sha1(bytes);
      const theirs = createHash('sha1').update(bytes).digest();
      expect(Buffer.from(ours).equals(theirs)).toBe(true);
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }), { numRuns: 300 });
  });
});
