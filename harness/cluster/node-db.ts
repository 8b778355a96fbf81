// The Db over any runtime and target: per-node files, launch, kill, pause,
// resume, logs, and readiness through `srvr` on the node's admin address.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LazyFs } from '../disk/lazyfs.ts';
import { DEFAULT_ENSEMBLE_OPTIONS, nodeSpecOf, type EnsembleOptions } from './config.ts';
import { InfraError, assertInfra } from './errors.ts';
import { fourLetterWord } from './four-letter.ts';
import { nodeFilesOf, writeNodeFiles, type NodeFiles } from './node-files.ts';
import { parseSrvr, type SrvrInfo } from './srvr.ts';
import type { Db, Layout, LaunchSpec, RunningNode, Runtime, TargetDef } from './types.ts';

export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
/**
 * Leave the monotonic clock alone: Node aborts when it goes backwards, and a
 * JVM's timers misbehave. libfaketime 0.9.10 (Debian 12) reads the FAKETIME_
 * name; older releases read the bare one.
 */
const WALL_CLOCK_ONLY = { FAKETIME_DONT_FAKE_MONOTONIC: '1', DONT_FAKE_MONOTONIC: '1' };

export interface NodeDbOptions {
  target: TargetDef;
  runtime: Runtime;
  layout: Layout;
  /** Where node directories go (one per node). */
  runDir: string;
  ensemble?: EnsembleOptions;
  /** netns mode: the namespace nodes run in, and each node's uid (its packets' tag). */
  netnsPath?: string;
  uidOf?: (node: string) => number;
  /** Preload libfaketime with the node's clock file (needed by the clock nemesis). */
  faketime?: boolean;
  /** Extra environment for every node process. */
  extraEnv?: Record<string, string>;
  /**
   * Each node's dataDir is a lazyfs mount over its dataBackingDir, and kill()
   * is a power loss for the node: what it did not fsync is lost (stop() is not).
   */
  lazyfs?: boolean;
  stopGraceMs?: number;
}

const SRVR_TIMEOUT_MS = 1000;
const READY_POLL_MS = 100;

export class NodeDb implements Db {
  private readonly running = new Map<string, RunningNode>();
  private readonly paused = new Set<string>();
  private readonly files = new Map<string, NodeFiles>();
  private readonly disks = new Map<string, LazyFs>();

  constructor(readonly options: NodeDbOptions) {}

  get layout(): Layout {
    return this.options.layout;
  }

  nodeFiles(node: string): NodeFiles {
    nodeSpecOf(this.layout, node);
    return this.files.get(node) ?? nodeFilesOf(this.options.runDir, node);
  }

  async setup(nodes: readonly string[]): Promise<void> {
    const ensemble = { ...DEFAULT_ENSEMBLE_OPTIONS, ...this.options.ensemble };
    ensemble.extraConfig = { ...this.options.target.extraConfig(), ...ensemble.extraConfig };
    for (const node of nodes) {
      const spec = nodeSpecOf(this.layout, node);
      this.files.set(node, writeNodeFiles(this.options.runDir, this.layout, spec, ensemble, this.options.uidOf?.(node), this.options.lazyfs));
    }
    if (this.options.lazyfs === true) for (const node of nodes) await this.mountDisk(node);
    for (const node of nodes) await this.start(node);
  }

  private async mountDisk(node: string): Promise<void> {
    const files = this.nodeFiles(node);
    const logFile = join(files.nodeDir, 'lazyfs.log');
    const disk = await LazyFs.mount({ backingDir: files.dataBackingDir, mountDir: files.dataDir, log: (line) => appendFileSync(logFile, `${line}\n`) });
    this.disks.set(node, disk);
  }

  /** The node's lazyfs (the lazyfs option), for the disk nemesis. */
  lazyFs(node: string): LazyFs | undefined {
    return this.disks.get(node);
  }

  /** Kills every node (no power loss: unsynced data stays in dataBackingDir) and unmounts their lazyfs. */
  async teardown(): Promise<void> {
    await Promise.all([...this.running.values()].map((n) => n.kill()));
    this.running.clear();
    this.paused.clear();
    await Promise.all([...this.disks.values()].map((d) => d.unmount()));
    this.disks.clear();
  }

  private launchSpec(node: string): LaunchSpec {
    const files = this.nodeFiles(node);
    const { command, args, env } = this.options.target.command(files.cfgPath, files.nodeDir);
    const cacheSeconds = this.options.target.clockFileCacheSeconds;
    const cache: Record<string, string> = cacheSeconds === 0 ? { FAKETIME_NO_CACHE: '1' } : { FAKETIME_CACHE_DURATION: String(cacheSeconds) };
    const clockEnv: Record<string, string> = this.options.faketime
      ? { LD_PRELOAD: LIBFAKETIME, FAKETIME_TIMESTAMP_FILE: files.clockFile, ...cache, ...WALL_CLOCK_ONLY }
      : {};
    const spec: LaunchSpec = {
      node, command, args, nodeDir: files.nodeDir, logFile: files.logFile,
      env: { ...env, ...this.options.extraEnv, ...clockEnv, ZOOPROOF_FAULTS_FILE: files.faultsFile },
    };
    if (this.options.netnsPath !== undefined) spec.netnsPath = this.options.netnsPath;
    if (this.options.uidOf !== undefined) spec.uid = this.options.uidOf(node);
    return spec;
  }

  async start(node: string): Promise<void> {
    if (this.isRunning(node)) return;
    assertInfra(this.files.has(node), `start ${node}: not set up`);
    const launched = await this.options.runtime.launch(this.launchSpec(node));
    this.running.set(node, launched);
    this.paused.delete(node);
    void launched.exited.then(() => {
      if (this.running.get(node) === launched) this.running.delete(node);
    });
  }

  /** kill -9; with lazyfs, then a power loss of the node's disk (once the process is gone). */
  async kill(node: string): Promise<void> {
    await this.running.get(node)?.kill();
    this.running.delete(node);
    this.paused.delete(node);
    await this.disks.get(node)?.crash();
  }

  async stop(node: string): Promise<void> {
    await this.running.get(node)?.stop(this.options.stopGraceMs ?? 5000);
    this.running.delete(node);
    this.paused.delete(node);
  }

  async pause(node: string): Promise<void> {
    const n = this.running.get(node);
    if (n === undefined) throw new InfraError('NOT_RUNNING', `pause ${node}: not running`);
    await n.pause();
    this.paused.add(node);
  }

  async resume(node: string): Promise<void> {
    await this.running.get(node)?.resume();
    this.paused.delete(node);
  }

  logs(node: string): string[] {
    return [this.nodeFiles(node).logFile];
  }

  isRunning(node: string): boolean {
    const n = this.running.get(node);
    return n !== undefined && !n.hasExited;
  }

  isPaused(node: string): boolean {
    return this.paused.has(node);
  }

  pid(node: string): number | undefined {
    return this.isRunning(node) ? this.running.get(node)!.pid : undefined;
  }

  /** `srvr` of a node; undefined when down, paused, unreachable or not serving. */
  async srvr(node: string): Promise<SrvrInfo | undefined> {
    if (!this.isRunning(node) || this.isPaused(node)) return undefined;
    try {
      return parseSrvr(await fourLetterWord(this.layout.adminAddress(node), 'srvr', SRVR_TIMEOUT_MS));
    } catch {
      return undefined;
    }
  }

  /** Waits until every node answers srvr with a Mode line. */
  async awaitReady(nodes: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const node of nodes) {
      for (;;) {
        if (!this.isRunning(node)) throw new InfraError('START_FAILED', `${node} exited during start-up; see ${this.logs(node)[0]}`);
        if ((await this.srvr(node)) !== undefined) break;
        if (Date.now() > deadline) throw new InfraError('START_FAILED', `${node} not serving after ${timeoutMs} ms; see ${this.logs(node)[0]}`);
        await sleep(READY_POLL_MS);
      }
    }
  }
}
