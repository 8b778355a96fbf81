// Building typed findings (types.ts `Finding`) from operations (pure).
import type { Operation } from '../history/types.ts';
import type { Finding } from './types.ts';

/** Findings kept per result: enough to point at, small enough for results.json. */
export const MAX_FINDINGS = 100;

/** An op's invoke and (when it completed) completion event indices. */
export function opEvents(o: Operation): number[] {
  return Number.isFinite(o.completeIndex) ? [o.invokeIndex, o.completeIndex] : [o.invokeIndex];
}

/** A finding about `ops` (the first is the most telling); events, ids, node and time come from them. */
export function opFinding(code: string, message: string, ops: readonly Operation[], extra: Partial<Finding> = {}): Finding {
  const f: Finding = { code, message, events: ops.flatMap(opEvents), ops: ops.map((o) => o.id) };
  const first = ops[0];
  if (first?.node !== undefined) f.node = first.node;
  if (first !== undefined) f.timeNs = first.invokeTimeNs;
  return { ...f, ...extra };
}

export function capFindings(xs: readonly Finding[]): Finding[] {
  return xs.slice(0, MAX_FINDINGS);
}
