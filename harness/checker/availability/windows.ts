// Unavailability windows: the gaps between successive successful operations
// (from the first attempt, to the end of the history) in which operations
// were being tried and none succeeded, at least `minWindowNs` long; a window
// starts when the first of those tries began (an idle client is not an
// outage). Pure; O(n log n) in the number of operations.
import type { TimedOp } from './ops.ts';
import type { UnavailabilityWindow } from './types.ts';

export interface WindowOptions {
  minWindowNs: number;
  endNs: number;
  /** Windows starting before this are `duringFaults`; null: never healed (all are). */
  finalHealNs: number | null;
}

/** How many elements of the sorted `xs` are < t (strict) or <= t. */
function countBelow(xs: readonly number[], t: number, inclusive: boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < t || (inclusive && xs[mid] === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function unavailabilityWindows(ops: readonly TimedOp[], o: WindowOptions): UnavailabilityWindow[] {
  if (ops.length === 0) return [];
  const start = ops.reduce((m, x) => Math.min(m, x.invokeNs), Infinity);
  // Gap i runs from bounds[i] to bounds[i + 1] (the last one to the end).
  const bounds = [start, ...ops.filter((x) => x.served).map((x) => x.endNs).sort((a, b) => a - b)];
  const gaps = bounds.length;
  const tried = new Array<number>(gaps + 1).fill(0); // difference array: ops overlapping each gap
  const carried = new Array<number>(gaps + 1).fill(0); // ops pending since an earlier gap
  const firstInvoke = new Array<number>(gaps).fill(Infinity);
  for (const x of ops) {
    const lo = Math.max(0, countBelow(bounds, x.invokeNs, true) - 1);
    const hi = Math.min(gaps - 1, countBelow(bounds, x.endNs, false) - 1);
    if (lo > hi) continue;
    tried[lo]!++;
    tried[hi + 1]!--;
    if (hi > lo) {
      carried[lo + 1]!++;
      carried[hi + 1]!--;
    }
    firstInvoke[lo] = Math.min(firstInvoke[lo]!, x.invokeNs);
  }
  const windows: UnavailabilityWindow[] = [];
  let attempts = 0;
  let pendingAcross = 0;
  for (let i = 0; i < gaps; i++) {
    attempts += tried[i]!;
    pendingAcross += carried[i]!;
    if (attempts === 0) continue;
    const next = bounds[i + 1];
    const toNs = next ?? o.endNs;
    const fromNs = pendingAcross > 0 ? bounds[i]! : Math.max(bounds[i]!, firstInvoke[i]!);
    if (toNs - fromNs < o.minWindowNs) continue;
    windows.push({
      fromNs, toNs: next ?? null, durationMs: (toNs - fromNs) / 1e6, attempts,
      duringFaults: o.finalHealNs === null || fromNs < o.finalHealNs,
    });
  }
  return windows;
}
