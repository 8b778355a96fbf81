// pathError's fast path (native scans for "//", "/." and refused characters)
// agrees with the character-by-character scan on every path, valid or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathError, scanPath } from './path.ts';

const chars = ['/', '.', 'a', 'b', '\u0000', '\u001f', '\u007f', '\u00e9', '\ud800', '\uf8ff', '\ufff0', '\u4e2d'];
const pathLike = fc.array(fc.constantFrom(...chars), { maxLength: 12 }).map((cs) => `/${cs.join('')}`);

describe('pathError', () => {
  it('gives the scan\'s answer for any path that passes the first checks', () => {
    fc.assert(fc.property(pathLike, (p) => {
      if (p.length === 1 || p.endsWith('/')) return;
      expect(pathError(p)).toBe(scanPath(p));
    }), { numRuns: 5000 });
  });

  it('names the first problem, as ZooKeeper does', () => {
    expect(pathError('/a//b')).toBe('empty node name specified @3');
    expect(pathError('/a/./b')).toBe('relative paths not allowed @3');
    expect(pathError('/a/..')).toBe('relative paths not allowed @4');
    expect(pathError('/a\u0001')).toBe('invalid character @2');
    expect(pathError('/a/.b/..c')).toBeNull();
    expect(pathError('/a'.repeat(50_000))).toBeNull();
  });
});
