// Small helpers shared by the workload checkers.
import type { Operation } from '../../history/types.ts';
import { canonical } from '../models/hash.ts';
import { capFindings } from '../findings.ts';
import type { CheckResult, Finding, Verdict } from '../types.ts';

export const EXAMPLES_SHOWN = 10;

export function field(x: unknown, name: string): unknown {
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[name] : undefined;
}

export function clientOps(ops: readonly Operation[], ...fs: string[]): Operation[] {
  const wanted = new Set(fs);
  return ops.filter((o) => o.process !== 'nemesis' && wanted.has(o.f));
}

/** Counts of each element's canonical form. */
export function multiset(values: readonly unknown[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(canonical(v), (m.get(canonical(v)) ?? 0) + 1);
  return m;
}

/** `findings`, when given, are capped (findings.ts MAX_FINDINGS). */
export function result(checker: string, verdict: Verdict, summary: string, details: unknown, findings?: readonly Finding[]): CheckResult {
  return findings === undefined ? { checker, verdict, summary, details } : { checker, verdict, summary, details, findings: capFindings(findings) };
}

export function firstFew<T>(xs: readonly T[]): T[] {
  return xs.slice(0, EXAMPLES_SHOWN);
}

/** "3 lost, 1 duplicated" from the non-empty categories. */
export function tally(categories: Record<string, readonly unknown[]>): string {
  return Object.entries(categories).filter(([, xs]) => xs.length > 0).map(([k, xs]) => `${xs.length} ${k}`).join(', ');
}

/** How many of `sorted` (ascending completeIndex) completed before event `index` (binary search). */
export function completedBefore(sorted: readonly Operation[], index: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.completeIndex < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
