import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDLE_FLOW, checkFlowFault, scheduleChunk } from './flow.ts';
import { HEALTHY_FLOW } from './types.ts';

describe('scheduleChunk', () => {
  it('delivers at once on a healthy flow', () => {
    expect(scheduleChunk(IDLE_FLOW, 1000, 500, HEALTHY_FLOW, 0.9).deliverAtMs).toBe(1000);
  });

  it('adds the delay, and jitter within ±jitterMs', () => {
    const fault = { ...HEALTHY_FLOW, delayMs: 100, jitterMs: 20 };
    expect(scheduleChunk(IDLE_FLOW, 0, 1, fault, 0).deliverAtMs).toBe(80);
    expect(scheduleChunk(IDLE_FLOW, 0, 1, fault, 0.5).deliverAtMs).toBe(100);
    expect(scheduleChunk(IDLE_FLOW, 0, 1, fault, 0.999999).deliverAtMs).toBeCloseTo(120, 3);
  });

  it('never delivers before arrival, even with jitter larger than the delay', () => {
    expect(scheduleChunk(IDLE_FLOW, 50, 1, { ...HEALTHY_FLOW, delayMs: 5, jitterMs: 50 }, 0).deliverAtMs).toBe(50);
  });

  it('serialises chunks at the bandwidth: 1000 B/s, two 500-byte chunks take a second', () => {
    const fault = { ...HEALTHY_FLOW, bytesPerSecond: 1000 };
    const a = scheduleChunk(IDLE_FLOW, 0, 500, fault, 0);
    const b = scheduleChunk(a.next, 0, 500, fault, 0);
    expect([a.deliverAtMs, b.deliverAtMs]).toEqual([500, 1000]);
  });

  it('keeps arrival order whatever the jitter draws (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 0.999, noNaN: true })), { maxLength: 40 }),
      fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100_000 }),
      (chunks, delayMs, jitterMs, bytesPerSecond) => {
        const fault = { ...HEALTHY_FLOW, delayMs, jitterMs, bytesPerSecond };
        let state = IDLE_FLOW;
        let now = 0;
        let last = -Infinity;
        for (const [gapMs, size, r] of chunks) {
          now += gapMs;
          const { deliverAtMs, next } = scheduleChunk(state, now, size, fault, r);
          expect(deliverAtMs).toBeGreaterThanOrEqual(last);
          expect(deliverAtMs).toBeGreaterThanOrEqual(now);
          last = deliverAtMs;
          state = next;
        }
      }), { numRuns: 100 });
  });

  it('refuses negative values', () => {
    expect(() => checkFlowFault({ ...HEALTHY_FLOW, delayMs: -1 })).toThrow(RangeError);
  });
});
