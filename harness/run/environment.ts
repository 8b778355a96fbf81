// The systems under test as one run sees them: the nodes' client addresses, a
// nemesis worker that performs fault ops, and teardown. An adapter over
// harness/cluster (createCluster: targets, runtimes, net modes) and
// harness/nemesis (every fault), which another part of the harness owns. What
// it adds for the run: waiting until restarted nodes serve again, restarting
// servers that stopped serving on a failed fsync when their disk heals, and a
// label per fault in force for the progress line, and the leader as last
// seen (polled with srvr), for clients placed on the leader.
import { fourLetterWord } from '../cluster/four-letter.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { createCluster, lazyFsRefusal } from '../cluster/create.ts';
import { clusterObserverOptions } from '../observe/observer.ts';
import { targetDef, targetUnavailableReason } from '../cluster/targets.ts';
import type { Completion, Worker } from '../generator/interpreter.ts';
import { mulberry32, streamRandom } from '../generator/rng.ts';
import type { PlannedOp } from '../generator/types.ts';
import { clusterContext } from '../nemesis/context.ts';
import { fullNemesis } from '../nemesis/index.ts';
import type { Nemesis } from '../nemesis/types.ts';
import type { LeaderHint, NodeAddress } from '../workload/types.ts';
import { OptionsError, type RunOptions } from './options.ts';

export const READY_TIMEOUT_MS = 60_000;
export const LEADER_POLL_MS = 500;

export interface RunEnvironment {
  readonly nodes: readonly NodeAddress[];
  readonly nemesis: Worker;
  /** Where the cluster keeps node configs, data and logs. */
  readonly clusterDir: string;
  /** Faults in force now, one short label each (for the progress line). */
  activeFaults(): string[];
  /** The leader as last polled (every LEADER_POLL_MS; not while a fault is in force, when `steady` is false). */
  leader(): LeaderHint;
  versions(): Promise<Record<string, string>>;
  /** What the cluster observer needs to watch the nodes (srvr, logs, process state). */
  observerOptions(): ReturnType<typeof clusterObserverOptions>;
  teardown(): Promise<void>;
}

type Env = Pick<RunOptions, 'nodes' | 'target' | 'runtime' | 'net' | 'netOrigin' | 'nemesis' | 'seed'>
  & { bugs?: readonly string[]; snapCount?: number | undefined; zooCfg?: Record<string, string> | undefined; observers?: number; lazyfs?: boolean };

/**
 * zoo.cfg keys the run's options add (both targets read snapCount from zoo.cfg). On lazyfs, Apache
 * ZooKeeper 3.8 also needs snapshot.trust.empty: it does not fsync the snapshot it writes at start-up, so
 * after a power loss a node finds an empty snapshot beside its txn logs and refuses to start (found with
 * lazyfs; see harness/disk/README.md).
 */
export function runConfig(o: Pick<Env, 'snapCount'> & Partial<Pick<Env, 'target' | 'lazyfs' | 'zooCfg'>>): Record<string, string> {
  return {
    ...o.zooCfg,
    ...(o.snapCount === undefined ? {} : { snapCount: String(o.snapCount) }),
    ...(o.target === 'zookeeper' && o.lazyfs === true ? { 'snapshot.trust.empty': 'true' } : {}),
  };
}

export function environmentProblem(o: Env): string | undefined {
  const why = targetUnavailableReason(o.target);
  if (why !== undefined) return `target ${o.target} unavailable: ${why}`;
  if (o.nemesis.includes('disk') && !targetDef(o.target).supportsDiskFaults && o.lazyfs !== true) {
    return `--nemesis disk is not supported by target ${o.target} without --lazyfs`;
  }
  const lazy = lazyFsRefusal({ lazyfs: o.lazyfs === true, runtime: o.runtime });
  if (lazy !== undefined) return `--lazyfs: ${lazy}`;
  return undefined;
}

export async function openEnvironment(o: Env, runDir: string, log: (msg: string) => void): Promise<RunEnvironment> {
  const problem = environmentProblem(o);
  if (problem !== undefined) throw new OptionsError(problem);
  const cluster = await createCluster({ target: o.target, runtime: o.runtime, net: o.net, nodeCount: o.nodes, baseDir: runDir,
    ...(o.netOrigin !== undefined ? { netOrigin: o.netOrigin } : {}),
    ...(o.observers !== undefined && o.observers > 0 ? { observers: o.observers } : {}),
    keepRunDir: true, faketime: o.nemesis.includes('clock'), random: mulberry32(o.seed), readyTimeoutMs: READY_TIMEOUT_MS, log,
    ...(Object.keys(runConfig(o)).length > 0 ? { ensemble: { extraConfig: runConfig(o) } } : {}),
    ...(o.lazyfs === true ? { lazyfs: true } : {}),
    ...(o.bugs && o.bugs.length > 0 ? { extraEnv: { ZOOPROOF_BUGS: o.bugs.join(',') } } : {}) });
  const nemesis = fullNemesis();
  try {
    await nemesis.setup(clusterContext(cluster, streamRandom(o.seed, 'nemesis-targets', 0), log));
  } catch (err) {
    await cluster.teardown();
    throw err;
  }
  const env = new ClusterEnvironment(cluster, nemesis);
  await env.pollLeader();
  return env;
}

const START_LABELS: Record<string, string> = { kill: 'kill', pause: 'pause', 'start-partition': 'partition', 'bump-clock': 'clock',
  'start-disk-fault': 'disk', 'start-client-hold': 'client-hold', 'start-link-fault': 'link' };
const STOP_KINDS: Record<string, string> = { start: 'kill', resume: 'pause', 'stop-partition': 'partition', 'reset-clock': 'clock',
  'stop-disk-fault': 'disk', 'stop-client-hold': 'client-hold', 'stop-link-fault': 'link' };

class ClusterEnvironment implements RunEnvironment {
  readonly nodes: NodeAddress[];
  readonly nemesis: Worker = { invoke: (op) => this.invokeFault(op) };
  private readonly active = new Map<string, string>();
  private readonly diskFailed = new Set<string>();
  private lastLeader: string | undefined;
  private poller: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly cluster: Cluster, private readonly faults: Nemesis) {
    this.nodes = cluster.nodes.map((name) => ({ name, ...cluster.net.layout.clientAddress(name) }));
  }

  leader(): LeaderHint {
    this.poller ??= setInterval(() => { void this.pollLeader(); }, LEADER_POLL_MS).unref();
    return { node: this.lastLeader, steady: this.active.size === 0 };
  }

  /** One srvr round (never two at once, none while a fault is in force); a round that finds no leader keeps the last one seen. */
  async pollLeader(): Promise<void> {
    if (this.polling || (this.active.size > 0 && this.lastLeader !== undefined)) return;
    this.polling = true;
    try {
      this.lastLeader = (await this.cluster.leader()) ?? this.lastLeader;
    } catch {
      // srvr failures read as no answer; keep the last leader seen
    } finally {
      this.polling = false;
    }
  }

  get clusterDir(): string {
    return this.cluster.runDir;
  }

  activeFaults(): string[] {
    return [...this.active.values()];
  }

  observerOptions(): ReturnType<typeof clusterObserverOptions> {
    return clusterObserverOptions(this.cluster);
  }

  async versions(): Promise<Record<string, string>> {
    const out: Record<string, string> = { node: process.version, net: this.cluster.net.mode, runtime: this.cluster.db.options.runtime.name };
    try {
      const srvr = await fourLetterWord(this.cluster.net.layout.adminAddress(this.cluster.nodes[0]!), 'srvr', 2000);
      out.server = /version: (.*)/i.exec(srvr)?.[1]?.trim() ?? 'unknown';
    } catch {
      out.server = 'unknown (srvr failed)';
    }
    return out;
  }

  private async invokeFault(op: PlannedOp): Promise<Completion> {
    const c: Completion = await this.faults.invoke({ f: op.f, value: op.value });
    if (c.type !== 'ok') return c;
    this.track(op);
    try {
      // A node restarted inside a partition may not serve before the heal: do not wait for it then;
      // nor when the start says `awaitServing: false` (the next op watches its start-up, e.g. await-epoch).
      const noWait = (op.value as { awaitServing?: unknown } | null)?.awaitServing === false;
      if (op.f === 'start' && !this.active.has('partition') && !noWait) await this.awaitServing(startedBy(c.value));
      if (op.f === 'stop-disk-fault') return { ...c, value: { ...(c.value as object), restarted: await this.restartDiskFailed(op) } };
    } catch (err) {
      return { type: 'info', value: c.value, error: err instanceof Error ? err.message : String(err) };
    }
    return c;
  }

  private track(op: PlannedOp): void {
    const v = (op.value ?? {}) as { nodes?: string[]; groups?: string[][]; mode?: string; kind?: string; target?: string };
    const kind = START_LABELS[op.f];
    if (kind !== undefined) {
      const named = [v.kind, v.target].filter((x) => x !== undefined).join(' ');
      const what = v.groups ? v.groups.map((g) => g.join(',')).join(' | ') : v.nodes ? v.nodes.join(',') : named;
      this.active.set(kind, `${kind} ${what}`);
      if (op.f === 'start-disk-fault' && v.mode === 'fail') for (const n of v.nodes ?? []) this.diskFailed.add(n);
    }
    const stopped = STOP_KINDS[op.f];
    if (stopped !== undefined) this.active.delete(stopped);
  }

  /** Waits for restarted nodes to serve, once a quorum runs (a minority restarted alone cannot serve). */
  private async awaitServing(nodes: readonly string[]): Promise<void> {
    const running = this.cluster.nodes.filter((n) => this.cluster.db.isRunning(n)).length;
    if (nodes.length > 0 && running >= Math.floor(this.cluster.nodes.length / 2) + 1) await this.cluster.db.awaitReady(nodes, READY_TIMEOUT_MS);
  }

  /** A server whose fsync failed stops serving (as ZooKeeper exits): once its disk is healthy, restart it. */
  private async restartDiskFailed(op: PlannedOp): Promise<string[]> {
    const healed = ((op.value ?? {}) as { nodes?: string[] }).nodes ?? [...this.diskFailed];
    const failed = healed.filter((n) => this.diskFailed.has(n)).sort();
    for (const n of failed) {
      this.diskFailed.delete(n);
      await this.cluster.db.kill(n);
      await this.cluster.db.start(n);
    }
    await this.awaitServing(failed);
    return failed;
  }

  async teardown(): Promise<void> {
    clearInterval(this.poller);
    try {
      await this.faults.teardown();
    } finally {
      await this.cluster.teardown();
    }
  }
}

function startedBy(value: unknown): string[] {
  const started = (value as { started?: unknown } | null)?.started;
  return Array.isArray(started) ? started.filter((n): n is string => typeof n === 'string') : [];
}
