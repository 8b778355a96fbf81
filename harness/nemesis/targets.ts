// Which nodes a fault hits (Jepsen's node specs and more): one, a minority, a
// majority, all, the leader, the followers, a minority holding the leader,
// the node with the highest last zxid, the follower with the lowest, or a
// list of names. `complement: true` takes every other node instead. Pure
// except for asking the cluster (leader, srvr zxids) when a spec needs it.
import { shuffledNodes, type Random } from '../net/grudge.ts';

export const TARGET_SPECS = ['one', 'minority', 'majority', 'all', 'leader', 'followers', 'leader-minority', 'highest-zxid', 'most-lagging'] as const;
export type NamedTarget = (typeof TARGET_SPECS)[number];
export type TargetSpec = NamedTarget | readonly string[];

/** What the cluster looks like when a spec needs it: the leader and each node's last zxid (srvr). */
export interface TargetView {
  leader: string | undefined;
  /** Last zxid per node (the newest seen, also for nodes now down); missing when never seen. */
  zxids: ReadonlyMap<string, bigint>;
}

const NO_VIEW: TargetView = { leader: undefined, zxids: new Map() };

export function majoritySize(n: number): number {
  return Math.floor(n / 2) + 1;
}

export function minoritySize(n: number): number {
  return Math.max(1, majoritySize(n) - 1);
}

export function needsLeader(spec: TargetSpec): boolean {
  return spec === 'leader' || spec === 'followers' || spec === 'leader-minority' || spec === 'most-lagging';
}

export function needsZxids(spec: TargetSpec): boolean {
  return spec === 'highest-zxid' || spec === 'most-lagging';
}

function theLeader(view: TargetView): string {
  if (view.leader === undefined) throw new RangeError('no leader to target');
  return view.leader;
}

/** Nodes in `candidates` with the extreme zxid (ties: by name); nodes never seen count as lowest. */
function byZxid(candidates: readonly string[], view: TargetView, highest: boolean): string[] {
  if (candidates.length === 0) throw new RangeError('no node to target by zxid');
  const z = (n: string) => view.zxids.get(n) ?? -1n;
  const sorted = [...candidates].sort((a, b) => (z(a) === z(b) ? a.localeCompare(b) : z(a) < z(b) ? -1 : 1));
  return [highest ? sorted.at(-1)! : sorted[0]!];
}

/** Nodes chosen by `spec` (sorted). */
export function chooseTargets(spec: TargetSpec, nodes: readonly string[], random: Random, view: TargetView = NO_VIEW): string[] {
  if (Array.isArray(spec)) {
    for (const n of spec) if (!nodes.includes(n)) throw new RangeError(`unknown node '${n}'`);
    return [...spec].sort();
  }
  const order = shuffledNodes(random, nodes);
  switch (spec) {
    case 'one': return order.slice(0, 1);
    case 'minority': return order.slice(0, minoritySize(nodes.length)).sort();
    case 'majority': return order.slice(0, majoritySize(nodes.length)).sort();
    case 'all': return [...nodes].sort();
    case 'leader': return [theLeader(view)];
    case 'followers': return nodes.filter((n) => n !== theLeader(view)).sort();
    case 'leader-minority': {
      const leader = theLeader(view);
      return [leader, ...order.filter((n) => n !== leader).slice(0, minoritySize(nodes.length) - 1)].sort();
    }
    case 'highest-zxid': return byZxid(nodes, view, true);
    case 'most-lagging': return byZxid(nodes.filter((n) => n !== view.leader), view, false);
    default: throw new RangeError(`unknown target spec ${JSON.stringify(spec)}`);
  }
}

/** Every node not in `chosen` (sorted). */
export function complementOf(chosen: readonly string[], nodes: readonly string[]): string[] {
  return nodes.filter((n) => !chosen.includes(n)).sort();
}

export function isTargetSpec(s: unknown): s is NamedTarget {
  return typeof s === 'string' && (TARGET_SPECS as readonly string[]).includes(s);
}

/** `value.nodes` (a list) or `value.target` (a spec); default `fallback`. */
export function targetSpecOf(value: unknown, fallback: TargetSpec): TargetSpec {
  if (typeof value !== 'object' || value === null) return fallback;
  const v = value as { nodes?: unknown; target?: unknown };
  if (Array.isArray(v.nodes) && v.nodes.every((x) => typeof x === 'string')) return v.nodes as string[];
  if (isTargetSpec(v.target)) return v.target;
  if (v.target !== undefined || v.nodes !== undefined) {
    throw new RangeError(`bad target ${JSON.stringify(value)} (target is one of ${TARGET_SPECS.join(', ')}, or nodes is a list)`);
  }
  return fallback;
}

/** Whether the op asks for every node but the spec's (`complement: true`). */
export function wantsComplement(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { complement?: unknown }).complement === true;
}

export interface TargetContext {
  nodes: readonly string[];
  random: Random;
  leader(): Promise<string | undefined>;
  /** Last zxid per node (remembered for nodes now down); absent: zxid specs refused. */
  zxids?(): Promise<ReadonlyMap<string, bigint>>;
}

/** Resolves a spec against the context (asks for the leader or zxids only when the spec needs them). */
export async function resolveSpec(spec: TargetSpec, complement: boolean, ctx: TargetContext): Promise<string[]> {
  const leader = needsLeader(spec) ? await ctx.leader() : undefined;
  let zxids: ReadonlyMap<string, bigint> = new Map();
  if (needsZxids(spec)) {
    if (ctx.zxids === undefined) throw new RangeError(`target ${String(spec)} needs node zxids, which this context cannot give`);
    zxids = await ctx.zxids();
  }
  const chosen = chooseTargets(spec, ctx.nodes, ctx.random, { leader, zxids });
  return complement ? complementOf(chosen, ctx.nodes) : chosen;
}

/** Resolves an op value's target against the context's nodes. */
export async function resolveTargets(value: unknown, fallback: TargetSpec, ctx: TargetContext): Promise<string[]> {
  return resolveSpec(targetSpecOf(value, fallback), wantsComplement(value), ctx);
}
