// The faults a run can schedule, as nemesis operations: each fault has a
// start op (with its targets chosen at random from the nodes) and a stop op
// that heals it. The nemesis layer (harness/run/nemesis-adapter.ts) performs them.
import { pick, randomInt, shuffled, type Random } from './rng.ts';
import type { OpSpec } from './core.ts';

export const FAULT_KINDS = ['kill', 'pause', 'partition', 'clock', 'disk'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Start and stop function names per fault (Jepsen's names where it has them). */
export const FAULT_FS: Record<FaultKind, { start: string; stop: string }> = {
  kill: { start: 'kill', stop: 'start' },
  pause: { start: 'pause', stop: 'resume' },
  partition: { start: 'start-partition', stop: 'stop-partition' },
  clock: { start: 'bump-clock', stop: 'reset-clock' },
  disk: { start: 'start-disk-fault', stop: 'stop-disk-fault' },
};

export function isFaultKind(s: string): s is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(s);
}

/** Nodes a fault hits: one, a minority, or a majority, chosen at random. */
export function targetNodes(rand: Random, nodes: readonly string[]): string[] {
  if (nodes.length === 0) throw new RangeError('no nodes to target');
  const majority = Math.floor(nodes.length / 2) + 1;
  const minority = Math.max(1, majority - 1);
  const size = pick(rand, [1, minority, majority]);
  return shuffled(rand, nodes).slice(0, size).sort();
}

/** A partition: a random minority cut off from the rest, or one node isolated. */
export function partitionGroups(rand: Random, nodes: readonly string[]): string[][] {
  if (nodes.length < 2) throw new RangeError('a partition needs at least 2 nodes');
  const order = shuffled(rand, nodes);
  const cut = rand() < 0.5 ? 1 : Math.floor(nodes.length / 2);
  return [order.slice(0, cut).sort(), order.slice(cut).sort()];
}

const CLOCK_BUMPS_MS = [-60_000, -5_000, 5_000, 60_000, 300_000];

export function startFault(kind: FaultKind, rand: Random, nodes: readonly string[]): OpSpec {
  const f = FAULT_FS[kind].start;
  switch (kind) {
    case 'partition':
      return { f, value: { groups: partitionGroups(rand, nodes) } };
    case 'clock':
      return { f, value: { nodes: targetNodes(rand, nodes), deltaMs: CLOCK_BUMPS_MS[randomInt(rand, CLOCK_BUMPS_MS.length)]! } };
    case 'disk':
      return { f, value: { nodes: targetNodes(rand, nodes), mode: pick(rand, ['slow', 'fail']) } };
    default:
      return { f, value: { nodes: targetNodes(rand, nodes) } };
  }
}

/** The stop op that heals a started fault (the start op's targets, or everything). */
export function stopFault(kind: FaultKind, started: OpSpec | null, nodes: readonly string[]): OpSpec {
  const f = FAULT_FS[kind].stop;
  if (kind === 'partition') return { f, value: null };
  const value = started?.value as { nodes?: string[] } | null | undefined;
  return { f, value: { nodes: value?.nodes ?? [...nodes] } };
}
