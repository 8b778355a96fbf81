// When each server was cut off from a majority, paused or killed, from the
// nemesis ops in the history: `start-partition` (its completion's `grudge`,
// node -> nodes it drops, or the invoke's `groups`) until the next
// `stop-partition` completes; `pause` / `kill` (completion's `paused` /
// `killed`) until a `resume` / `start` that names the node completes. What a
// fault did is not known when its op did not end ok: every node counts.
import type { HistoryEvent, Operation } from '../../history/types.ts';
import { field } from './util.ts';

export interface FaultWindow {
  kind: 'partition' | 'pause' | 'kill';
  fromNs: number;
  /** Infinity when the fault never ended in the history. */
  untilNs: number;
  /** The nodes affected: cut off from a majority, paused or killed. `all` when unknown. */
  nodes: Set<string> | 'all';
}

type Grudge = Record<string, readonly string[]>;

function grudgeOf(o: Operation): Grudge | undefined {
  const g = field(o.output, 'grudge');
  if (o.status === 'ok' && typeof g === 'object' && g !== null) return g as Grudge;
  const groups = field(o.input, 'groups');
  if (!Array.isArray(groups)) return undefined;
  const out: Record<string, string[]> = {};
  for (const group of groups as string[][]) {
    for (const n of group) out[n] = (groups as string[][]).filter((x) => x !== group).flat();
  }
  return out;
}

/** Nodes that, under this grudge, reach fewer than a majority of the ensemble (themselves included). */
export function cutOffNodes(grudge: Grudge, ensemble: readonly string[]): Set<string> {
  const all = [...new Set([...ensemble, ...Object.keys(grudge)])];
  const majority = Math.floor(all.length / 2) + 1;
  const drops = (a: string, b: string) => (grudge[a] ?? []).includes(b);
  const reach = (a: string) => all.filter((b) => b === a || (!drops(a, b) && !drops(b, a))).length;
  return new Set(all.filter((a) => reach(a) < majority));
}

function namedIn(o: Operation, key: string): string[] | undefined {
  const v = field(o.output, key);
  return o.status === 'ok' && Array.isArray(v) ? v.map(String) : undefined;
}

function endOf(ops: readonly Operation[], after: Operation, fs: string[], key: string, node: string | undefined): number {
  const end = ops.find((o) => o.invokeIndex > after.invokeIndex && fs.includes(o.f)
    && (node === undefined || (namedIn(o, key) ?? [node]).includes(node)));
  return end === undefined || end.status !== 'ok' ? Infinity : end.completeTimeNs;
}

export function faultWindows(ops: readonly Operation[], ensemble: readonly string[]): FaultWindow[] {
  const nemesis = ops.filter((o) => o.process === 'nemesis' && o.status !== 'fail');
  const out: FaultWindow[] = [];
  for (const o of nemesis) {
    if (o.f === 'start-partition') {
      const g = grudgeOf(o);
      out.push({ kind: 'partition', fromNs: o.invokeTimeNs, untilNs: endOf(nemesis, o, ['stop-partition'], '', undefined),
        nodes: g === undefined ? 'all' : cutOffNodes(g, ensemble) });
    }
    for (const [f, key, ends, endKey, kind] of [['pause', 'paused', ['resume'], 'resumed', 'pause'], ['kill', 'killed', ['start'], 'started', 'kill']] as const) {
      if (o.f !== f) continue;
      const named = namedIn(o, key);
      if (named === undefined) out.push({ kind, fromNs: o.invokeTimeNs, untilNs: endOf(nemesis, o, [...ends], endKey, undefined), nodes: 'all' });
      else for (const n of named) out.push({ kind, fromNs: o.invokeTimeNs, untilNs: endOf(nemesis, o, [...ends], endKey, n), nodes: new Set([n]) });
    }
  }
  return out;
}

/** A resumed or restarted leader may serve a sync this long before it notices it lost the quorum. */
export const DEPOSED_GRACE_MS = 10_000;

/**
 * Whether a synced read may still be stale (ZOOKEEPER-1675): its server was
 * cut off from a majority, paused or killed during the op (or shortly after a
 * pause or kill), so it may have answered the sync without the quorum.
 */
export function mayBeStaleAfterSync(windows: readonly FaultWindow[], o: Operation): FaultWindow | undefined {
  return faultAround(windows, o.node, o.invokeTimeNs, o.completeTimeNs, DEPOSED_GRACE_MS * 1e6);
}

/**
 * A fault on `node` overlapping [fromNs, toNs]; a pause or kill counts for
 * `graceNs` after it ended (a resumed leader serves until it notices it was
 * deposed).
 */
export function faultAround(windows: readonly FaultWindow[], node: string | undefined, fromNs: number, toNs: number,
  graceNs: number): FaultWindow | undefined {
  return windows.find((w) => w.fromNs <= toNs && w.untilNs + (w.kind === 'partition' ? 0 : graceNs) >= fromNs
    && (w.nodes === 'all' || node === undefined || w.nodes.has(node)));
}

/** Ensemble names: the history's metadata, else every node an event names. */
export function ensembleOf(meta: { nodes?: string[] }, events: readonly HistoryEvent[]): string[] {
  if (Array.isArray(meta.nodes) && meta.nodes.length > 0) return meta.nodes;
  return [...new Set(events.map((e) => e.node).filter((n): n is string => n !== undefined))].sort();
}
