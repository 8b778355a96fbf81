// Grudges as pure values, and the partition shapes Jepsen uses: one node cut
// off, halves, a majorities ring (every node sees a majority, no two the same
// one) and a bridge (two halves joined by one node that sees both). Random
// choices take an injected Random so the same seed gives the same partitions.
import { assertInfra } from '../cluster/errors.ts';
import type { Grudge } from './types.ts';

export type Random = () => number;

/** Every node in each component drops traffic from every node in the other components. */
export function completeGrudge(components: readonly (readonly string[])[]): Grudge {
  const all = components.flat();
  assertInfra(new Set(all).size === all.length, `a node is in two components: ${JSON.stringify(components)}`);
  const grudge = new Map<string, Set<string>>();
  for (const component of components) {
    const others = all.filter((n) => !component.includes(n));
    for (const node of component) if (others.length > 0) grudge.set(node, new Set(others));
  }
  return grudge;
}

export function isolateNode(nodes: readonly string[], node: string): Grudge {
  assertInfra(nodes.includes(node), `isolate: unknown node '${node}'`);
  return completeGrudge([[node], nodes.filter((n) => n !== node)]);
}

/** Splits at the middle: the first half is the smaller one. */
export function halves(nodes: readonly string[]): [string[], string[]] {
  const cut = Math.floor(nodes.length / 2);
  return [nodes.slice(0, cut), nodes.slice(cut)];
}

export function shuffledNodes(rand: Random, nodes: readonly string[]): string[] {
  const out = [...nodes];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(rand() * (i + 1)));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function randomHalves(rand: Random, nodes: readonly string[]): Grudge {
  assertInfra(nodes.length >= 2, 'random halves need at least 2 nodes');
  return completeGrudge(halves(shuffledNodes(rand, nodes)));
}

/**
 * Majorities ring (nodes in a shuffled ring): each node sees itself and its
 * nearest `floor(n/2)` neighbours split on both sides — a majority — and drops
 * the rest. For 5 nodes each sees 3, and no two nodes see the same 3.
 */
export function majoritiesRing(rand: Random, nodes: readonly string[]): Grudge {
  const n = nodes.length;
  assertInfra(n >= 3, 'a majorities ring needs at least 3 nodes');
  const ring = shuffledNodes(rand, nodes);
  const reach = Math.floor(n / 2);
  const grudge = new Map<string, Set<string>>();
  ring.forEach((node, i) => {
    const visible = new Set<string>([node]);
    for (let k = 1; visible.size < reach + 1; k++) {
      visible.add(ring[(i + k) % n]!);
      if (visible.size < reach + 1) visible.add(ring[(i - k + n) % n]!);
    }
    const dropped = ring.filter((x) => !visible.has(x));
    if (dropped.length > 0) grudge.set(node, new Set(dropped));
  });
  return grudge;
}

/** Two halves that cannot see each other, plus one bridge node that sees both. */
export function bridge(rand: Random, nodes: readonly string[]): Grudge {
  assertInfra(nodes.length >= 3, 'a bridge needs at least 3 nodes');
  const order = shuffledNodes(rand, nodes);
  // order[0] is the bridge: it is in nobody's grudge and drops nothing.
  const [left, right] = halves(order.slice(1));
  const grudge = new Map<string, Set<string>>();
  for (const node of left) grudge.set(node, new Set(right));
  for (const node of right) grudge.set(node, new Set(left));
  return grudge;
}

/** Whether `to` drops what `from` sends under `grudge`. */
export function drops(grudge: Grudge, from: string, to: string): boolean {
  return grudge.get(to)?.has(from) ?? false;
}

/** A grudge as plain JSON (for history values and logs): node -> sorted list. */
export function grudgeToJson(grudge: Grudge): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const node of [...grudge.keys()].sort()) out[node] = [...grudge.get(node)!].sort();
  return out;
}

export function grudgeFromJson(json: Record<string, readonly string[]>): Grudge {
  return new Map(Object.entries(json).map(([k, v]) => [k, new Set(v)]));
}
