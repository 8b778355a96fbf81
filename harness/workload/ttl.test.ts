import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../generator/rng.ts';
import { TTL_MAX_MS, TTL_MIN_MS, ttlOp, ttlWorkload } from './ttl.ts';

describe('ttl workload ops', () => {
  it('creates one new path every 4 ops with a TTL in range, and touches or reads only paths its process created', () => {
    const rand = mulberry32(7);
    const created = new Set<string>();
    const fs = new Set<string>();
    for (let n = 0; n < 400; n++) {
      const op = ttlOp('/z/ttl', rand, 3, n);
      fs.add(op.f);
      expect(op.key).toBe(op.value.path);
      if (op.f === 'create') {
        expect(created.has(op.value.path)).toBe(false);
        expect(op.value.path).toBe(`/z/ttl/t-3-${n / 4}`);
        expect(op.value.ttlMs).toBeGreaterThanOrEqual(TTL_MIN_MS);
        expect(op.value.ttlMs).toBeLessThanOrEqual(TTL_MAX_MS);
        created.add(op.value.path);
      } else {
        expect(created.has(op.value.path)).toBe(true);
      }
    }
    expect([...fs].sort()).toEqual(['create', 'exists', 'getData', 'touch']);
  });

  it('is checked by the ttl checker and ends with a list', () => {
    const w = ttlWorkload({ root: '/z', concurrency: 2 });
    expect(w.checkers).toEqual(['ttl']);
    expect(w.final).toBeDefined();
  });
});
