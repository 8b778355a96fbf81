// The systems under test as one run sees them: the nodes' client addresses, a
// nemesis worker that performs fault ops, and teardown. An adapter over
// harness/cluster (Db, runtime, targets) and harness/net (proxy mesh), which
// another part of the harness owns; faults the nemesis package does not offer
// yet (clock, disk) are done here through the node's control files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from '../cluster/cleanup.ts';
import { fourLetterWord } from '../cluster/four-letter.ts';
import { DEFAULT_ENSEMBLE_OPTIONS, nodeNames } from '../cluster/config.ts';
import { NodeDb } from '../cluster/node-db.ts';
import { HEALTHY_DISK, TRUE_TIME } from '../cluster/node-files.ts';
import { ProcessRuntime } from '../cluster/process-runtime.ts';
import { targetDef, targetUnavailableReason } from '../cluster/targets.ts';
import type { Completion, Worker } from '../generator/interpreter.ts';
import { mulberry32 } from '../generator/rng.ts';
import type { PlannedOp } from '../generator/types.ts';
import { completeGrudge } from '../net/grudge.ts';
import { ProxyNet } from '../net/proxy-net.ts';
import type { NodeAddress } from '../workload/types.ts';
import { OptionsError, type RunOptions } from './options.ts';

export const READY_TIMEOUT_MS = 60_000;

export interface RunEnvironment {
  readonly nodes: readonly NodeAddress[];
  readonly nemesis: Worker;
  /** Faults in force now, one short label each (for the progress line). */
  activeFaults(): string[];
  versions(): Promise<Record<string, string>>;
  teardown(): Promise<void>;
}

type Env = Pick<RunOptions, 'nodes' | 'target' | 'runtime' | 'net' | 'nemesis' | 'seed'>;

export function environmentProblem(o: Env): string | undefined {
  const why = targetUnavailableReason(o.target);
  if (why !== undefined) return `target ${o.target} unavailable: ${why}`;
  if (o.runtime !== 'process') return `--runtime ${o.runtime} is not available in this build yet`;
  if (o.net === 'netns') return '--net netns is not available in this build yet';
  if (o.nemesis.includes('disk') && !targetDef(o.target).supportsDiskFaults) return `--nemesis disk is not supported by target ${o.target}`;
  return undefined;
}

export async function openEnvironment(o: Env, runDir: string): Promise<RunEnvironment> {
  const problem = environmentProblem(o);
  if (problem !== undefined) throw new OptionsError(problem);
  const names = nodeNames(o.nodes);
  const net = await ProxyNet.create({ nodes: names, random: mulberry32(o.seed) });
  const runtime = new ProcessRuntime();
  const db = new NodeDb({ target: targetDef(o.target), runtime, layout: net.layout, runDir: join(runDir, 'nodes'),
    faketime: o.nemesis.includes('clock'), ensemble: { ...DEFAULT_ENSEMBLE_OPTIONS } });
  const env = new ClusterEnvironment(names, db, net, runtime);
  try {
    await db.setup(names);
    await db.awaitReady(names, READY_TIMEOUT_MS);
  } catch (err) {
    await env.teardown();
    throw err;
  }
  return env;
}

class ClusterEnvironment implements RunEnvironment {
  readonly nodes: NodeAddress[];
  private readonly active = new Map<string, string>();
  private readonly diskFailed = new Set<string>();
  readonly nemesis: Worker = { invoke: (op) => this.invokeFault(op) };

  private readonly unregisterClocks: () => void;

  constructor(private readonly names: string[], private readonly db: NodeDb, private readonly net: ProxyNet,
    private readonly runtime: ProcessRuntime) {
    this.nodes = names.map((name) => ({ name, ...net.layout.clientAddress(name) }));
    const restore = () => this.restoreClocksAndDisks();
    this.unregisterClocks = cleanup.add({ label: 'node clocks and disks', run: async () => restore(), runSync: restore });
  }

  /** True time and healthy disks in every node's control files (also on Ctrl-C, through the cleanup registry). */
  private restoreClocksAndDisks(): void {
    for (const n of this.names) {
      const files = this.db.nodeFiles(n);
      try { writeFileSync(files.clockFile, TRUE_TIME); writeFileSync(files.faultsFile, HEALTHY_DISK); } catch { /* not written yet */ }
    }
  }

  activeFaults(): string[] {
    return [...this.active.values()];
  }

  async versions(): Promise<Record<string, string>> {
    const out: Record<string, string> = { node: process.version };
    try {
      const srvr = await fourLetterWord(this.net.layout.adminAddress(this.names[0]!), 'srvr', 2000);
      out.server = /version: (.*)/i.exec(srvr)?.[1]?.trim() ?? 'unknown';
    } catch {
      out.server = 'unknown (srvr failed)';
    }
    return out;
  }

  private async invokeFault(op: PlannedOp): Promise<Completion> {
    try {
      const done = await this.perform(op.f, op.value as FaultValue);
      return { type: 'info', value: done === undefined ? op.value : { ...(op.value as object ?? {}), result: done } };
    } catch (err) {
      return { type: 'info', value: op.value, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private async perform(f: string, v: FaultValue): Promise<string | undefined> {
    const nodes = v?.nodes ?? [];
    switch (f) {
      case 'kill': for (const n of nodes) await this.db.kill(n); this.mark('kill', nodes); return undefined;
      case 'start': return this.restart(nodes);
      case 'pause': for (const n of nodes) if (this.db.isRunning(n)) await this.db.pause(n); this.mark('pause', nodes); return undefined;
      case 'resume': for (const n of nodes) await this.db.resume(n); this.active.delete('pause'); return undefined;
      case 'start-partition':
        await this.net.partition(completeGrudge(v!.groups!));
        this.active.set('partition', `partition ${v!.groups!.map((g) => g.join(',')).join(' | ')}`);
        return undefined;
      case 'stop-partition': await this.net.heal(); this.active.delete('partition'); return undefined;
      case 'bump-clock': this.writeEach(nodes, 'clockFile', clockOffset(v!.deltaMs ?? 0)); this.mark('clock', nodes); return undefined;
      case 'reset-clock': this.writeEach(nodes, 'clockFile', TRUE_TIME); this.active.delete('clock'); return undefined;
      case 'start-disk-fault':
        this.writeEach(nodes, 'faultsFile', diskFaults(v!.mode));
        if (v!.mode === 'fail') for (const n of nodes) this.diskFailed.add(n);
        this.mark('disk', nodes);
        return undefined;
      case 'stop-disk-fault': return this.healDisks(nodes);
      default: throw new Error(`unknown nemesis op '${f}'`);
    }
  }

  /** Starts the nodes that are down and waits until they serve (nodes already up are left alone). */
  private async restart(nodes: readonly string[]): Promise<string> {
    const down = nodes.filter((n) => !this.db.isRunning(n));
    for (const n of down) await this.db.start(n);
    this.active.delete('kill');
    await this.db.awaitReady(down, READY_TIMEOUT_MS);
    return down.length === 0 ? 'none down' : `started ${down.join(',')}`;
  }

  /** Healthy disks again; a server that hit a failing fsync stops serving (as ZooKeeper exits), so it is restarted. */
  private async healDisks(nodes: readonly string[]): Promise<string | undefined> {
    this.writeEach(nodes, 'faultsFile', HEALTHY_DISK);
    this.active.delete('disk');
    const failed = nodes.filter((n) => this.diskFailed.has(n));
    for (const n of failed) {
      this.diskFailed.delete(n);
      await this.db.kill(n);
      await this.db.start(n);
    }
    if (failed.length === 0) return undefined;
    await this.db.awaitReady(failed, READY_TIMEOUT_MS);
    return `restarted ${failed.join(',')}`;
  }

  private mark(kind: string, nodes: readonly string[]): void {
    this.active.set(kind, `${kind} ${nodes.join(',')}`);
  }

  private writeEach(nodes: readonly string[], file: 'clockFile' | 'faultsFile', text: string): void {
    for (const n of nodes) writeFileSync(this.db.nodeFiles(n)[file], text);
  }

  async teardown(): Promise<void> {
    this.restoreClocksAndDisks();
    this.unregisterClocks();
    await this.db.teardown();
    await this.runtime.teardown();
    await this.net.teardown();
  }
}

type FaultValue = { nodes?: string[]; groups?: string[][]; deltaMs?: number; mode?: string } | null;

/** libfaketime's relative offset syntax: `+5s`, `-60s`. */
export function clockOffset(deltaMs: number): string {
  const s = Math.round(deltaMs / 1000);
  return `${s >= 0 ? '+' : '-'}${Math.abs(s)}s\n`;
}

/** The reference server's faults file: slow fsync, or failing fsync. */
export function diskFaults(mode: string | undefined): string {
  return `${JSON.stringify(mode === 'fail' ? { fsyncFail: true } : { fsyncDelayMs: 200 })}\n`;
}
