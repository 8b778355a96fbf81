// Which nodes a fault hits (Jepsen's node specs): one, the leader, a minority,
// a majority, all, or a list of names. Pure except for asking the leader.
import { shuffledNodes, type Random } from '../net/grudge.ts';

export type TargetSpec = 'one' | 'leader' | 'minority' | 'majority' | 'all' | readonly string[];

export const TARGET_SPECS = ['one', 'leader', 'minority', 'majority', 'all'] as const;

export function majoritySize(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** Nodes chosen by `spec` (sorted); `leader` is the current leader or undefined. */
export function chooseTargets(spec: TargetSpec, nodes: readonly string[], random: Random, leader: string | undefined): string[] {
  if (Array.isArray(spec)) {
    for (const n of spec) if (!nodes.includes(n)) throw new RangeError(`unknown node '${n}'`);
    return [...spec].sort();
  }
  const order = shuffledNodes(random, nodes);
  switch (spec) {
    case 'one': return order.slice(0, 1);
    case 'leader':
      if (leader === undefined) throw new RangeError('no leader to target');
      return [leader];
    case 'minority': return order.slice(0, Math.max(1, majoritySize(nodes.length) - 1)).sort();
    case 'majority': return order.slice(0, majoritySize(nodes.length)).sort();
    case 'all': return [...nodes].sort();
    default: throw new RangeError(`unknown target spec ${JSON.stringify(spec)}`);
  }
}

/** `value.nodes` (a list) or `value.target` (a spec); default `fallback`. */
export function targetSpecOf(value: unknown, fallback: TargetSpec): TargetSpec {
  if (typeof value !== 'object' || value === null) return fallback;
  const v = value as { nodes?: unknown; target?: unknown };
  if (Array.isArray(v.nodes) && v.nodes.every((x) => typeof x === 'string')) return v.nodes as string[];
  if (typeof v.target === 'string' && (TARGET_SPECS as readonly string[]).includes(v.target)) return v.target as TargetSpec;
  if (v.target !== undefined || v.nodes !== undefined) throw new RangeError(`bad target ${JSON.stringify(value)}`);
  return fallback;
}

/** Resolves a target spec against the context's nodes (asks for the leader only when needed). */
export async function resolveTargets(value: unknown, fallback: TargetSpec, ctx: { nodes: readonly string[]; random: Random; leader(): Promise<string | undefined> }): Promise<string[]> {
  const spec = targetSpecOf(value, fallback);
  const leader = spec === 'leader' ? await ctx.leader() : undefined;
  return chooseTargets(spec, ctx.nodes, ctx.random, leader);
}
