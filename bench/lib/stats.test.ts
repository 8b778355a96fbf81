import { describe, expect, it } from 'vitest';
import { percentile, ratio, summarize } from './stats.ts';

describe('percentile', () => {
  it('nearest rank: p50 of 1..10 is 5, p99 is 10, p100 is the maximum', () => {
    const xs = Array.from({ length: 10 }, (_, i) => i + 1);
    expect([percentile(xs, 0.5), percentile(xs, 0.99), percentile(xs, 1)]).toEqual([5, 10, 10]);
  });

  it('p99 of 1..1000 is 990; a single sample is every percentile', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(xs, 0.99)).toBe(990);
    expect([percentile([7], 0.01), percentile([7], 1)]).toEqual([7, 7]);
  });

  it('NaN when empty; q outside (0, 1] is a programming error', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts numerically (not as strings) and divides by the window', () => {
    const s = summarize([10, 2, 1, 100, 3], 1, 500);
    expect(s).toEqual({ ops: 5, errors: 1, throughputPerS: 10, p50Ms: 3, p99Ms: 100 });
  });

  it('an empty window has 0 throughput and NaN percentiles; a non-positive window throws', () => {
    const s = summarize([], 0, 1000);
    expect(s.throughputPerS).toBe(0);
    expect(s.p50Ms).toBeNaN();
    expect(() => summarize([1], 0, 0)).toThrow(RangeError);
  });
});

describe('ratio', () => {
  it('divides, and is NaN for a missing side or a zero divisor', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(undefined, 2)).toBeNaN();
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 1)).toBeNaN();
  });
});
