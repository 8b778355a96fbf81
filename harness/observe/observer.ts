// The cluster observer: every `intervalMs` (non-overlapping, each `srvr` with
// a short timeout) it polls every node's mode and zxid and reads the lines its
// log gained; it records state changes and log facts on the run's history
// clock, streams them to `cluster-state.jsonl`, and returns them all on stop.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Cluster } from '../cluster/cluster.ts';
import { fourLetterWord } from '../cluster/four-letter.ts';
import { parseSrvr, type SrvrInfo } from '../cluster/srvr.ts';
import type { HostPort } from '../cluster/types.ts';
import { NodeLogParser } from './log-parser.ts';
import { LogTail } from './log-tail.ts';
import { StateTracker } from './state.ts';
import type { ClusterStateRecord, LogFact } from './types.ts';

export const CLUSTER_STATE_FILE = 'cluster-state.jsonl';
const DEFAULT_INTERVAL_MS = 250;
const DEFAULT_SRVR_TIMEOUT_MS = 500;

export interface ClusterObserverOptions {
  nodes: readonly string[];
  /** Where to send `srvr` (never faulted); or give `srvr` itself. */
  adminAddress?: (node: string) => HostPort;
  srvr?: (node: string) => Promise<SrvrInfo | undefined>;
  logFiles: (node: string) => readonly string[];
  isRunning: (node: string) => boolean;
  isPaused: (node: string) => boolean;
  /** The history clock (ns since the run started). */
  nowNs: () => number;
  /** The JSONL file records are appended to (created if missing); none: kept in memory only. */
  outFile?: string;
  intervalMs?: number;
  srvrTimeoutMs?: number;
  /** The node of a server id in the logs (default: `n<sid>`, as createCluster names them). */
  nodeOfSid?: (sid: number) => string | undefined;
  /** Also record a zxid change alone (default false: only mode and epoch changes). */
  recordZxidChanges?: boolean;
  /** Told about an error of the observer itself (it keeps going). */
  onError?: (err: unknown) => void;
}

export interface ClusterObserver {
  /** Stops polling after one last poll and log read; resolves with every record, in order. */
  stop(): Promise<ClusterStateRecord[]>;
  /** The records so far. */
  records(): readonly ClusterStateRecord[];
}

/** Options for a cluster made by createCluster. */
export function clusterObserverOptions(cluster: Cluster): Pick<ClusterObserverOptions,
  'nodes' | 'adminAddress' | 'logFiles' | 'isRunning' | 'isPaused'> {
  return {
    nodes: cluster.nodes,
    adminAddress: (n) => cluster.net.layout.adminAddress(n),
    logFiles: (n) => cluster.db.logs(n),
    isRunning: (n) => cluster.db.isRunning(n),
    isPaused: (n) => cluster.db.isPaused(n),
  };
}

export function startClusterObserver(o: ClusterObserverOptions): ClusterObserver {
  return new Observer(o);
}

class Observer implements ClusterObserver {
  private readonly all: ClusterStateRecord[] = [];
  private readonly tracker: StateTracker;
  private readonly tails = new Map<string, LogTail>();
  private readonly parsers = new Map<string, NodeLogParser>();
  private readonly fd: number | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly o: ClusterObserverOptions) {
    if (o.srvr === undefined && o.adminAddress === undefined) throw new TypeError('startClusterObserver needs srvr or adminAddress');
    this.tracker = new StateTracker({ recordZxidChanges: o.recordZxidChanges });
    for (const n of o.nodes) this.parsers.set(n, new NodeLogParser());
    this.fd = o.outFile === undefined ? undefined : openSync(o.outFile, 'a');
    this.current = this.tick();
  }

  records(): readonly ClusterStateRecord[] {
    return this.all;
  }

  async stop(): Promise<ClusterStateRecord[]> {
    if (!this.stopped) {
      this.stopped = true;
      clearTimeout(this.timer);
      await this.current;
      await this.pollOnce(true);
      if (this.fd !== undefined) closeSync(this.fd);
    }
    return [...this.all];
  }

  private async tick(): Promise<void> {
    const started = Date.now();
    await this.pollOnce(false);
    if (this.stopped) return;
    const waitMs = Math.max(0, (this.o.intervalMs ?? DEFAULT_INTERVAL_MS) - (Date.now() - started));
    this.timer = setTimeout(() => { this.current = this.tick(); }, waitMs);
  }

  private async pollOnce(flush: boolean): Promise<void> {
    try {
      await Promise.all([...this.o.nodes].map((n) => this.pollNode(n, flush)));
    } catch (err) {
      this.o.onError?.(err);
    }
  }

  /** Log lines first (they happened before the poll's answer), then the node's state. */
  private async pollNode(node: string, flush: boolean): Promise<void> {
    const facts = await this.readLog(node, flush);
    const logTimeNs = this.o.nowNs();
    this.emit(facts.map((f) => this.recordOf(node, f, logTimeNs)));
    const running = this.o.isRunning(node);
    const paused = running && this.o.isPaused(node);
    const srvr = running && !paused ? await this.querySrvr(node) : undefined;
    const state = this.tracker.observe(node, { running, paused, srvr }, this.o.nowNs());
    if (state !== undefined) this.emit([state]);
  }

  private async readLog(node: string, flush: boolean): Promise<LogFact[]> {
    const parser = this.parsers.get(node)!;
    const out: LogFact[] = [];
    for (const path of this.o.logFiles(node)) {
      let tail = this.tails.get(path);
      if (tail === undefined) this.tails.set(path, tail = new LogTail(path));
      for (const line of await tail.readLines(flush)) out.push(...parser.push(line));
    }
    return out;
  }

  private async querySrvr(node: string): Promise<SrvrInfo | undefined> {
    if (this.o.srvr !== undefined) return this.o.srvr(node);
    try {
      return parseSrvr(await fourLetterWord(this.o.adminAddress!(node), 'srvr', this.o.srvrTimeoutMs ?? DEFAULT_SRVR_TIMEOUT_MS));
    } catch {
      return undefined;
    }
  }

  private recordOf(node: string, fact: LogFact, timeNs: number): ClusterStateRecord {
    if (fact.kind !== 'sync' || fact.peerSid === undefined) return { timeNs, node, ...fact };
    const peer = (this.o.nodeOfSid ?? ((sid: number) => `n${sid}`))(fact.peerSid);
    return { timeNs, node, ...fact, ...(peer !== undefined ? { peer } : {}) };
  }

  private emit(records: ClusterStateRecord[]): void {
    if (records.length === 0) return;
    this.all.push(...records);
    if (this.fd !== undefined) writeSync(this.fd, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
}
