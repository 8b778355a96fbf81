import { describe, expect, it } from 'vitest';
import { driftedOffsetMs, faketimeOffsetText, strobeOffsetMs } from './clock-file.ts';

describe('libfaketime timestamp file text', () => {
  it('writes signed seconds with millisecond precision', () => {
    expect(faketimeOffsetText(0)).toBe('+0.000\n');
    expect(faketimeOffsetText(1500)).toBe('+1.500\n');
    expect(faketimeOffsetText(-30_000)).toBe('-30.000\n');
    expect(() => faketimeOffsetText(Number.NaN)).toThrow(RangeError);
  });

  it('drifts the offset by (rate - 1) per elapsed millisecond', () => {
    expect(driftedOffsetMs(0, 2, 1000)).toBe(1000);
    expect(driftedOffsetMs(500, 0.5, 1000)).toBe(0);
    expect(driftedOffsetMs(7, 1, 1e6)).toBe(7);
    expect(() => driftedOffsetMs(0, 0, 1)).toThrow(RangeError);
  });

  it('strobes between base + delta and base every period', () => {
    expect([0, 49, 50, 99, 100].map((t) => strobeOffsetMs(10, 200, 50, t))).toEqual([210, 210, 10, 10, 210]);
  });
});
