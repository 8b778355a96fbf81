// The wall-clock offsets the clock nemesis may have given each server, read
// back from its ops in a history (bump-clock, reset-clock, strobe-clock,
// clock-rate; see harness/nemesis/clock.ts). Each offset is a span of
// harness time during which a server's clock may have shown it: from the op's
// invoke until the next change is certainly seen, which is that op's
// completion plus `lagMs` (libfaketime re-reads its file up to a second late
// in a JVM). An `info` op may or may not have happened: from its invoke on,
// both the old and the new offsets are possible. Pure.
import type { Operation } from '../../history/types.ts';
import { field } from './util.ts';

export const CLOCK_FS: ReadonlySet<string> = new Set(['bump-clock', 'reset-clock', 'strobe-clock', 'clock-rate']);

/** Offsets in [loMs, hiMs] (plus drift × time since driftFromNs) possible on `node` during [fromNs, toNs]. */
export interface OffsetSpan {
  node: string;
  fromNs: number;
  toNs: number;
  loMs: number;
  hiMs: number;
  /** clock-rate r gives r - 1 ms of offset per ms. */
  driftPerMs: number;
  driftFromNs: number;
}

interface NodeState {
  loMs: number;
  hiMs: number;
  driftPerMs: number;
  driftFromNs: number;
  sinceNs: number;
}

const ORIGIN: NodeState = { loMs: 0, hiMs: 0, driftPerMs: 0, driftFromNs: 0, sinceNs: -Infinity };

export interface OffsetRange {
  minMs: number;
  maxMs: number;
}

function numberIn(x: unknown, name: string): number | undefined {
  const v = field(x, name);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function nodesIn(x: unknown): string[] | undefined {
  const v = field(x, 'nodes');
  return Array.isArray(v) && v.every((n) => typeof n === 'string') ? v : undefined;
}

/** The servers an op changed: as it reported them, as it asked for them, or (unknown) every server. */
function targetsOf(op: Operation, all: readonly string[]): string[] {
  return (op.status === 'ok' ? nodesIn(op.output) : undefined) ?? nodesIn(op.input) ?? [...all];
}

function next(op: Operation, s: NodeState): NodeState {
  const from = { ...s, sinceNs: op.invokeTimeNs };
  if (op.f === 'reset-clock') return { ...from, loMs: 0, hiMs: 0, driftPerMs: 0 };
  if (op.f === 'clock-rate') {
    const rate = numberIn(op.input, 'rate') ?? 1;
    return { ...from, driftPerMs: rate - 1, driftFromNs: op.invokeTimeNs };
  }
  const delta = numberIn(op.input, 'deltaMs') ?? 0;
  return { ...from, loMs: s.loMs + delta, hiMs: s.hiMs + delta };
}

function union(a: NodeState, b: NodeState): NodeState {
  return { ...b, loMs: Math.min(a.loMs, b.loMs), hiMs: Math.max(a.hiMs, b.hiMs), driftPerMs: Math.max(a.driftPerMs, b.driftPerMs) };
}

function span(node: string, s: NodeState, toNs: number): OffsetSpan {
  return { node, fromNs: s.sinceNs, toNs, loMs: s.loMs, hiMs: s.hiMs, driftPerMs: s.driftPerMs, driftFromNs: s.driftFromNs };
}

/**
 * Every offset span of every server. `nodes` are the servers of the run
 * (those no op touched keep offset 0 throughout).
 */
export function offsetSpans(ops: readonly Operation[], nodes: readonly string[], lagMs: number): OffsetSpan[] {
  const clockOps = ops.filter((o) => o.process === 'nemesis' && CLOCK_FS.has(o.f) && o.status !== 'fail')
    .sort((a, b) => a.invokeIndex - b.invokeIndex);
  const named = [...new Set([...nodes, ...clockOps.flatMap((o) => nodesIn(o.output) ?? nodesIn(o.input) ?? [])])];
  // No server known by name: one stand-in for all of them, so an unnamed bump still counts.
  const all = named.length > 0 ? named : ['*'];
  const state = new Map(all.map((n) => [n, ORIGIN]));
  const spans: OffsetSpan[] = [];
  for (const op of clockOps) {
    const seenByNs = op.completeTimeNs + lagMs * 1e6;
    for (const node of targetsOf(op, all)) {
      const cur = state.get(node) ?? ORIGIN;
      if (op.f === 'strobe-clock') {
        const d = Math.abs(numberIn(op.input, 'deltaMs') ?? 0);
        spans.push(span(node, { ...cur, sinceNs: op.invokeTimeNs, loMs: cur.loMs - d, hiMs: cur.hiMs + d }, seenByNs));
        continue;
      }
      spans.push(span(node, cur, seenByNs));
      const changed = next(op, cur);
      state.set(node, op.status === 'ok' ? changed : union(cur, changed));
    }
  }
  for (const [node, s] of state) spans.push(span(node, s, Infinity));
  return spans;
}

function driftAt(s: OffsetSpan, tNs: number): number {
  return s.driftPerMs * Math.max(0, tNs - s.driftFromNs) / 1e6;
}

/** The lowest and highest offset any server may have shown at some time in [fromNs, toNs]. */
export function offsetRange(spans: readonly OffsetSpan[], fromNs: number, toNs: number): OffsetRange {
  let minMs = Infinity;
  let maxMs = -Infinity;
  for (const s of spans) {
    if (s.fromNs > toNs || s.toNs < fromNs) continue;
    const a = Math.max(fromNs, s.fromNs);
    const b = Math.min(toNs, s.toNs);
    const drifts = [driftAt(s, a), driftAt(s, Number.isFinite(b) ? b : a)];
    minMs = Math.min(minMs, s.loMs + Math.min(...drifts));
    maxMs = Math.max(maxMs, s.hiMs + Math.max(...drifts));
  }
  return minMs === Infinity ? { minMs: 0, maxMs: 0 } : { minMs, maxMs };
}

/** How far apart two servers' clocks (or one server's, at two times in the window) may have been: max - min offset. */
export function offsetSpreadMs(spans: readonly OffsetSpan[], fromNs: number, toNs: number): number {
  const r = offsetRange(spans, fromNs, toNs);
  return Math.max(0, r.maxMs - r.minMs);
}
