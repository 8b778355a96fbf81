// Latency samples to throughput and percentiles. Pure.

export interface PointStats {
  ops: number;
  errors: number;
  throughputPerS: number;
  p50Ms: number;
  p99Ms: number;
}

/** Nearest-rank percentile (q in (0, 1]) of an ascending array; NaN when empty. */
export function percentile(sortedAscending: Float64Array | number[], q: number): number {
  if (!(q > 0 && q <= 1)) throw new RangeError(`percentile: q ${q} outside (0, 1]`);
  const n = sortedAscending.length;
  if (n === 0) return Number.NaN;
  const rank = Math.ceil(q * n);
  return sortedAscending[rank - 1]!;
}

/** Stats of one measured window: `latenciesMs` of the requests completed in it, over `windowMs`. */
export function summarize(latenciesMs: number[], errors: number, windowMs: number): PointStats {
  if (!(windowMs > 0)) throw new RangeError(`summarize: window ${windowMs} ms`);
  const sorted = Float64Array.from(latenciesMs).sort();
  return {
    ops: sorted.length,
    errors,
    throughputPerS: (sorted.length * 1000) / windowMs,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}

/** a / b, or NaN when either side is missing or b is 0. */
export function ratio(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}
