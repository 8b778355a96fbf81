// Network partitions: isolate one node, isolate the leader, halves, random
// halves, majorities ring, bridge, or explicit groups; `isolate` cuts any
// target spec (targets.ts) off from the rest, `cut-outbound` drops only what
// the targets send (they still hear everyone: a leader whose proposals reach
// nobody); `stop-partition` heals.
//   {f: 'start-partition', value: {kind: 'isolate-leader'}}
//   {f: 'start-partition', value: {kind: 'isolate', target: 'leader-minority'}}
//   {f: 'start-partition', value: {kind: 'cut-outbound', target: 'leader'}}
//   {f: 'start-partition', value: {groups: [['n1'], ['n2', 'n3']]}}   (the generator's shape)
//   {f: 'stop-partition', value: null}
import { bridge, completeGrudge, grudgeToJson, halves, isolateNode, majoritiesRing, randomHalves } from '../net/grudge.ts';
import type { Grudge } from '../net/types.ts';
import { guarded } from './guard.ts';
import { resolveTargets } from './targets.ts';
import { ok, type Nemesis, type NemesisCompletion, type NemesisContext, type NemesisOp } from './types.ts';

export const PARTITION_KINDS = ['isolate-one', 'isolate-leader', 'halves', 'random-halves', 'majorities-ring', 'bridge', 'isolate', 'cut-outbound'] as const;
export type PartitionKind = (typeof PARTITION_KINDS)[number];

function groupsOf(value: unknown): string[][] | undefined {
  const groups = (value as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups)) return undefined;
  if (!groups.every((g) => Array.isArray(g) && g.every((n) => typeof n === 'string'))) throw new RangeError(`bad groups ${JSON.stringify(groups)}`);
  return groups as string[][];
}

/** The grudge an op asks for. */
export async function grudgeFor(value: unknown, ctx: NemesisContext): Promise<Grudge> {
  const groups = groupsOf(value);
  if (groups !== undefined) return completeGrudge(groups);
  const kind = (value as { kind?: unknown } | null)?.kind ?? 'random-halves';
  const nodes = ctx.nodes;
  switch (kind) {
    case 'isolate-one': return isolateNode(nodes, nodes[Math.min(nodes.length - 1, Math.floor(ctx.random() * nodes.length))]!);
    case 'isolate-leader': {
      const leader = await ctx.leader();
      if (leader === undefined) throw new RangeError('no leader to isolate');
      return isolateNode(nodes, leader);
    }
    case 'halves': return completeGrudge(halves(nodes));
    case 'random-halves': return randomHalves(ctx.random, nodes);
    case 'majorities-ring': return majoritiesRing(ctx.random, nodes);
    case 'bridge': return bridge(ctx.random, nodes);
    case 'isolate': {
      const cut = await resolveTargets(value, 'one', ctx);
      return completeGrudge([cut, nodes.filter((n) => !cut.includes(n))]);
    }
    case 'cut-outbound': return outboundCut(nodes, await resolveTargets(value, 'leader', ctx));
    default: throw new RangeError(`unknown partition kind ${JSON.stringify(kind)} (one of ${PARTITION_KINDS.join(', ')}, or groups)`);
  }
}

/** Every node outside `senders` drops what `senders` send; `senders` still hear everyone. */
export function outboundCut(nodes: readonly string[], senders: readonly string[]): Grudge {
  const grudge = new Map<string, Set<string>>();
  for (const n of nodes) if (!senders.includes(n) && senders.length > 0) grudge.set(n, new Set(senders));
  return grudge;
}

export function partitionNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  const start = (op: NemesisOp) => guarded(async (): Promise<NemesisCompletion> => {
    const grudge = await grudgeFor(op.value, ctx!);
    await ctx!.net.partition(grudge);
    return ok({ grudge: grudgeToJson(grudge), net: ctx!.net.mode });
  });
  return {
    fs: ['start-partition', 'stop-partition'],
    async setup(c) { ctx = c; },
    invoke(op) {
      if (op.f === 'start-partition') return start(op);
      return guarded(async () => { await ctx!.net.heal(); return ok({ healed: true }); });
    },
    async teardown() { await ctx?.net.heal(); },
  };
}
