// validatePath's native scans agree with a plain segment-by-segment oracle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatePath } from './path.ts';

/** The rules spelled out slowly: the first bad segment, else the first refused character. */
function oracle(path: string): string | null {
  if (path.length === 0) return 'path length must be > 0';
  if (path[0] !== '/') return 'path must start with /';
  if (path.length === 1) return null;
  if (path.endsWith('/')) return 'path must not end with /';
  for (const seg of path.split('/').slice(1)) {
    if (seg === '') return 'empty node name';
    if (seg === '.' || seg === '..') return `relative path segment '${seg}'`;
  }
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) {
      return `invalid character \\u${c.toString(16).padStart(4, '0')} at ${i}`;
    }
  }
  return null;
}

describe('validatePath', () => {
  it('agrees with the oracle on paths of every shape', () => {
    const unit = fc.constantFrom('/', '.', 'a', '\u0000', '\u0085', '\ud800', '\ufff5', 'é');
    fc.assert(fc.property(fc.array(unit, { maxLength: 12 }), fc.boolean(), (units, sequential) => {
      const p = units.join('');
      expect(validatePath(p, sequential)).toBe(oracle(sequential ? `${p}1` : p));
    }), { numRuns: 5000 });
  });

  it('accepts a 20,000-level path', () => {
    expect(validatePath('/a'.repeat(20_000))).toBeNull();
  });
});
