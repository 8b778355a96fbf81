// Fault packages: named, seeded schedules of nemesis ops that build the
// situations the bugs need (an isolated leader with writes of its own, a
// leader killed with proposals only it logged, a whole-cluster crash with a
// minority back first, …), where the random schedule (schedule.ts) only hits
// them by chance. Each package gives one cycle of steps at a time: ops and
// waits, drawn from (seed, package, cycle); a cycle ends healed. Targets are
// named specs the nemesis resolves when the op runs (harness/nemesis/targets.ts):
// leader, followers, leader-minority, highest-zxid, …
import type { OpSpec } from './core.ts';
import type { FaultKind } from './faults.ts';
import { pick, shuffled, streamRandom, type Random } from './rng.ts';

/** What a final heal may have to undo: a fault kind, clients held away from servers, or a link fault. */
export type HealKind = FaultKind | 'client-hold' | 'link-fault';

/** One step of a cycle: a nemesis op (the next step waits for its completion), or a wait. */
export type Step = { op: OpSpec } | { waitNs: number };

export interface PackageOptions {
  nodes: readonly string[];
  /** The clients' session timeout: isolations heal before it, pauses outlast it. */
  sessionTimeoutMs: number;
  /** Mean quiet time between cycles (uniform in [0.5, 1.5) × this). */
  intervalNs: number;
}

export interface FaultPackage {
  readonly name: string;
  readonly description: string;
  /** Fewest nodes the package makes sense with. */
  readonly minNodes: number;
  /** Needs the proxy net (it holds clients away from servers through client-link faults). */
  readonly needsProxyNet?: boolean;
  /** Faults it may leave in force when cut short: what the final heal must undo. */
  readonly heals: readonly HealKind[];
  /** The k-th cycle's steps, from a random source private to (seed, package, k). */
  cycle(rand: Random, o: PackageOptions, k: number): Step[];
}

const MS = 1e6;
const S = 1e9;

/** Uniform in [lo, hi). */
function between(rand: Random, lo: number, hi: number): number {
  return lo + rand() * (hi - lo);
}

const op = (f: string, value: unknown): Step => ({ op: { f, value } });
const wait = (ns: number): Step => ({ waitNs: Math.max(0, Math.round(ns)) });
const quiet = (rand: Random, o: PackageOptions): Step => wait(o.intervalNs * between(rand, 0.5, 1.5));

/**
 * Quiet before a fault aimed at the leader: at least SETTLE_NS, so the last
 * fault's old leader has rejoined and clients placed on the leader have moved
 * to the new one (they move 1 s after they see it, connected).
 */
export const SETTLE_NS = 6 * S;
const settle = (rand: Random, o: PackageOptions): Step => wait(Math.max(SETTLE_NS, o.intervalNs * between(rand, 0.5, 1.5)));
const heal = (): Step => op('stop-partition', null);

/** A partition held for about an interval, then healed. */
function partitionCycle(kind: string): FaultPackage['cycle'] {
  return (rand, o) => [quiet(rand, o), op('start-partition', { kind }), wait(o.intervalNs * between(rand, 0.5, 1.5)), heal()];
}

/**
 * How long an isolated leader stays cut off: long enough for it to step down
 * and the others to elect (about syncLimit × tickTime, 2.5 s with the
 * harness's zoo.cfg, plus an election), short enough to heal before its
 * clients' sessions expire on the new leader (which would commit closeSession
 * txns in the new epoch first and turn the old leader's TRUNC into a SNAP).
 */
export function isolationNs(rand: Random, sessionTimeoutMs: number): number {
  return Math.max(3000, sessionTimeoutMs * between(rand, 0.6, 0.9)) * MS;
}

/**
 * kill-leader keeps the old leader's outbound links cut this long: the proxy
 * holds what a cut link carried and delivers it at the heal, so the heal must
 * wait until the followers have given up on the old leader (syncLimit ×
 * tickTime = 2.5 s without a packet) and closed those connections; else its
 * held proposals reach them after all. The old leader is restarted inside
 * the cut (a node boots in 2-4 s here): restarted after the heal, it synced
 * after its clients' sessions had expired on the new leader (closeSession
 * txns in the new epoch: SNAP, not TRUNC).
 */
export const CUT_HELD_NS = 4 * S;

/** How long held clients stay away after the heal: the old leader rejoins and syncs first. */
export const RELEASE_AFTER_HEAL_NS = 2 * S;

/** kill-leader's fault: cut the leader's outbound links, kill it, restart it inside the cut, heal. */
function killLeaderSteps(rand: Random): Step[] {
  const beforeKillNs = between(rand, 0.3, 1.0) * S;
  const beforeStartNs = between(rand, 0.2, 0.5) * S;
  return [op('start-partition', { kind: 'cut-outbound', target: 'leader' }),
    wait(beforeKillNs), op('kill', { target: 'leader' }), wait(beforeStartNs), op('start', null),
    wait(CUT_HELD_NS - beforeKillNs - beforeStartNs), heal()];
}

export const FAULT_PACKAGES: Readonly<Record<string, FaultPackage>> = {
  'isolate-leader': {
    name: 'isolate-leader',
    description: 'cut the leader off while its clients keep writing (proposals it logs alone), heal before their sessions expire: TRUNC',
    minNodes: 3,
    heals: ['partition'],
    cycle: (rand, o) => [settle(rand, o), op('start-partition', { kind: 'isolate', target: 'leader' }),
      wait(isolationNs(rand, o.sessionTimeoutMs)), heal()],
  },
  'isolate-leader-strict': {
    name: 'isolate-leader-strict',
    description: 'isolate-leader, and meanwhile no client reaches any other server (proxy mode): nothing commits in the new epoch before the old leader syncs',
    minNodes: 3,
    needsProxyNet: true,
    heals: ['partition', 'client-hold'],
    cycle: (rand, o) => [settle(rand, o), op('start-client-hold', { target: 'leader', complement: true }),
      op('start-partition', { kind: 'isolate', target: 'leader' }),
      wait(Math.max(3000, o.sessionTimeoutMs * between(rand, 0.5, 0.7)) * MS), heal(),
      wait(RELEASE_AFTER_HEAL_NS), op('stop-client-hold', null)],
  },
  'isolate-leader-minority': {
    name: 'isolate-leader-minority',
    description: 'cut off a minority holding the leader (5+ nodes: a follower shares its fate), heal before sessions expire',
    minNodes: 3,
    heals: ['partition'],
    cycle: (rand, o) => [settle(rand, o), op('start-partition', { kind: 'isolate', target: 'leader-minority' }),
      wait(isolationNs(rand, o.sessionTimeoutMs)), heal()],
  },
  'kill-leader': {
    name: 'kill-leader',
    description: 'cut what the leader sends (its proposals are logged only by itself), kill it, restart it at once (still cut off), heal once the others gave up on it',
    minNodes: 3,
    heals: ['partition', 'kill'],
    cycle: (rand, o) => [settle(rand, o), ...killLeaderSteps(rand)],
  },
  'kill-leader-strict': {
    name: 'kill-leader-strict',
    description: 'kill-leader, and meanwhile no client reaches any other server (proxy mode), released 2 s after the heal',
    minNodes: 3,
    needsProxyNet: true,
    heals: ['partition', 'kill', 'client-hold'],
    cycle: (rand, o) => [settle(rand, o), op('start-client-hold', { target: 'leader', complement: true }), ...killLeaderSteps(rand),
      wait(RELEASE_AFTER_HEAL_NS), op('stop-client-hold', null)],
  },
  'crash-all-restart-minority-first': {
    name: 'crash-all-restart-minority-first',
    description: 'kill every node, restart a minority, then the rest (ZOOKEEPER-1154 / 3911)',
    minNodes: 3,
    heals: ['kill'],
    cycle: (rand, o) => [quiet(rand, o), op('kill', { target: 'all' }), wait(between(rand, 0.5, 1.5) * S),
      op('start', { target: 'minority' }), wait(between(rand, 1, 3) * S), op('start', null)],
  },
  'crash-all-restart-highest-zxid-last': {
    name: 'crash-all-restart-highest-zxid-last',
    description: 'kill every node, restart all but the one with the highest zxid, then it',
    minNodes: 3,
    heals: ['kill'],
    cycle: (rand, o) => [quiet(rand, o), op('kill', { target: 'all' }), wait(between(rand, 0.5, 1.5) * S),
      op('start', { target: 'highest-zxid', complement: true }), wait(between(rand, 1, 3) * S), op('start', null)],
  },
  'rolling-restart': {
    name: 'rolling-restart',
    description: 'each node in turn: kill -9 or SIGTERM, restart, wait until it serves again',
    minNodes: 1,
    heals: ['kill'],
    cycle: (rand, o) => [quiet(rand, o), ...shuffled(rand, o.nodes).flatMap((n) => [
      op('kill', { nodes: [n], signal: rand() < 0.5 ? 'KILL' : 'TERM' }), wait(between(rand, 0.3, 1.0) * S),
      op('start', { nodes: [n] }), wait(between(rand, 0.5, 1.5) * S)])],
  },
  'isolate-follower': {
    name: 'isolate-follower',
    description: 'cut off the most lagging follower for 1.5-3 intervals while the rest keep writing: it rejoins by DIFF, or by SNAP once it is far behind (use a low snapCount)',
    minNodes: 3,
    heals: ['partition'],
    cycle: (rand, o) => [quiet(rand, o), op('start-partition', { kind: 'isolate', target: 'most-lagging' }),
      wait(o.intervalNs * between(rand, 1.5, 3)), heal()],
  },
  'crash-resynced-follower': {
    name: 'crash-resynced-follower',
    description: 'power-loss a follower, let the rest commit without it, kill the leader, restart the follower (the survivor leads a new epoch and DIFF-syncs it); the moment the follower persists the new epoch, kill both; restart it with the old leader, the new leader last (ZOOKEEPER-3911 / 4643 / 4646 shape; use --lazyfs)',
    minNodes: 3,
    heals: ['kill'],
    cycle: (rand, o) => {
      const file = 'currentEpoch';
      return [quiet(rand, o), op('kill', { target: 'most-lagging', as: 'lagging' }), wait(between(rand, 1, 2.5) * S),
        op('kill', { target: 'leader', as: 'old-leader' }), op('mark-epoch', { file }), wait(between(rand, 0.2, 0.6) * S),
        op('start', { killedAs: ['lagging'], awaitServing: false }), op('await-epoch', { file, of: 'restarted', timeoutMs: 10_000 }),
        op('kill', { target: 'all', as: 'resynced' }), wait(between(rand, 0.3, 1.0) * S),
        op('start', { killedAs: ['old-leader', 'lagging'] }), wait(between(rand, 1, 3) * S), op('start', null)];
    },
  },
  'interrupted-discovery': {
    name: 'interrupted-discovery',
    description: 'stall every discovery after LEADERINFO (learners promise the new epoch, no sync completes), kill the leader, bounce the others while they hold unfinished promises, bring the old leader back (its acceptedEpoch is one behind), then let discovery finish: epochs promised but never established must stay promised (ZOOKEEPER-1291 / 1343 shape; proxy net)',
    minNodes: 3,
    needsProxyNet: true,
    heals: ['kill', 'link-fault'],
    cycle: (rand, o) => [settle(rand, o), op('start-link-fault', { fault: { kind: 'stall-discovery' }, links: 'peers' }),
      op('kill', { target: 'leader', as: 'old-leader' }), wait(between(rand, 2, 3.5) * S),
      op('kill', { target: 'all', as: 'promised' }), wait(between(rand, 0.3, 1) * S),
      // The old leader back with one of the others: if that one is a learner (not the stalled candidate, whose
      // currentEpoch is ahead and would win again), the next leader may be a server one epoch behind the
      // promise its follower holds, and must propose above it. The rest come back after that round.
      op('start', { killedAs: ['old-leader'], awaitServing: false }), op('start', { target: 'one', awaitServing: false }),
      wait(between(rand, 2, 5) * S),
      op('stop-link-fault', null), op('start', null)],
  },
  'pause-leader': {
    name: 'pause-leader',
    description: 'SIGSTOP the leader past the session timeout, then SIGCONT',
    minNodes: 1,
    heals: ['pause'],
    cycle: (rand, o) => [settle(rand, o), op('pause', { target: 'leader' }),
      wait(o.sessionTimeoutMs * between(rand, 1.2, 2.0) * MS), op('resume', null)],
  },
  'majorities-ring': {
    name: 'majorities-ring', description: 'every node sees a majority, no two the same one (5+ nodes)',
    minNodes: 3, heals: ['partition'], cycle: partitionCycle('majorities-ring'),
  },
  bridge: {
    name: 'bridge', description: 'two halves joined by one node that sees both',
    minNodes: 3, heals: ['partition'], cycle: partitionCycle('bridge'),
  },
  'flapping-partitions': {
    name: 'flapping-partitions',
    description: 'partition and heal quickly, 3-6 times (one node, the leader, or random halves), each cut 0.5-4 s: some outlast the followers\' read timeout (2.5 s) and force an election, some heal just before it',
    minNodes: 3,
    heals: ['partition'],
    cycle: (rand, o) => {
      const flaps = 3 + Math.floor(rand() * 4);
      const steps: Step[] = [quiet(rand, o)];
      for (let i = 0; i < flaps; i++) {
        steps.push(op('start-partition', { kind: pick(rand, ['isolate-one', 'isolate-leader', 'random-halves']) }),
          wait(between(rand, 0.5, 4.0) * S), heal(), wait(between(rand, 0.2, 1.0) * S));
      }
      return steps;
    },
  },
};

export const FAULT_PACKAGE_NAMES: readonly string[] = Object.keys(FAULT_PACKAGES);

export function isFaultPackage(name: string): boolean {
  return Object.hasOwn(FAULT_PACKAGES, name);
}

export function faultPackage(name: string): FaultPackage {
  if (!isFaultPackage(name)) throw new RangeError(`unknown fault package '${name}' (known: ${FAULT_PACKAGE_NAMES.join(', ')})`);
  return FAULT_PACKAGES[name]!;
}

/**
 * The k-th cycle of a package list: the packages in a fresh random order each
 * round (every package once per round), its steps from (seed, package, k).
 */
export function packageCycle(seed: number, names: readonly string[], o: PackageOptions, k: number): { name: string; steps: Step[] } {
  const round = Math.floor(k / names.length);
  const name = shuffled(streamRandom(seed, 'package-round', round), names)[k % names.length]!;
  return { name, steps: faultPackage(name).cycle(streamRandom(seed, `package:${name}`, k), o, k) };
}

/** Everything the packages may leave in force. */
export function packageHeals(names: readonly string[]): HealKind[] {
  return [...new Set(names.flatMap((n) => faultPackage(n).heals))];
}
