// zoo.cfg and myid for one node of an ensemble, as ZooKeeper reads them. Every
// node gets its own file: its own `server.<myid>` line is where it binds, the
// other `server.N` lines are where it dials its peers (a proxy in proxy mode).
// One node means no `server.N` lines: standalone, as zkServer.sh would run it.
import { assertInfra } from './errors.ts';
import type { Layout, NodeSpec } from './types.ts';

export interface EnsembleOptions {
  /** ZooKeeper's tick; elections and session bounds scale with it. */
  tickTimeMs: number;
  initLimitTicks: number;
  syncLimitTicks: number;
  /** Extra zoo.cfg keys (after the generated ones; they win). */
  extraConfig?: Record<string, string>;
  /** How many of the nodes are observers: the last k by myid (0 or absent: none). */
  observers?: number;
}

export const DEFAULT_ENSEMBLE_OPTIONS: EnsembleOptions = {
  tickTimeMs: 500,
  initLimitTicks: 10,
  syncLimitTicks: 5,
};

export function nodeSpecOf(layout: Layout, name: string): NodeSpec {
  const spec = layout.nodes.find((n) => n.name === name);
  assertInfra(spec !== undefined, `unknown node '${name}' (nodes: ${layout.nodes.map((n) => n.name).join(', ')})`);
  return spec;
}

/** Checks a voters + observers split: observers need an ensemble, and the voters must be odd. */
export function assertEnsembleShape(nodeCount: number, observers: number): void {
  assertInfra(Number.isInteger(observers) && observers >= 0, `observers must be a whole number, got ${observers}`);
  if (observers === 0) return;
  const voters = nodeCount - observers;
  assertInfra(voters >= 1, `${observers} observer(s) of ${nodeCount} node(s) leave no voter`);
  assertInfra(voters % 2 === 1, `${nodeCount} nodes with ${observers} observer(s) leave ${voters} voters; voters must be odd (1, 3, 5, …)`);
}

/** The observers of an ensemble: the last `observers` nodes by myid. */
export function observerNames(layout: Layout, observers = 0): Set<string> {
  assertEnsembleShape(layout.nodes.length, observers);
  const byMyid = [...layout.nodes].sort((a, b) => a.myid - b.myid);
  return new Set(byMyid.slice(byMyid.length - observers).map((n) => n.name));
}

/** `server.N=host:quorumPort:electionPort[:observer]` lines as `node` sees the ensemble. */
export function serverLines(layout: Layout, node: string, observers = 0): string[] {
  const self = nodeSpecOf(layout, node);
  const observing = observerNames(layout, observers);
  return layout.nodes.map((peer) => {
    const a = peer.name === self.name
      ? { host: self.host, quorumPort: self.quorumPort, electionPort: self.electionPort }
      : layout.peerAddress(self.name, peer.name);
    const type = observing.has(peer.name) ? ':observer' : '';
    return `server.${peer.myid}=${a.host}:${a.quorumPort}:${a.electionPort}${type}`;
  });
}

export function zooCfgFor(layout: Layout, node: string, dataDir: string, opts: EnsembleOptions): string {
  const self = nodeSpecOf(layout, node);
  const keys: Record<string, string> = {
    tickTime: String(opts.tickTimeMs),
    initLimit: String(opts.initLimitTicks),
    syncLimit: String(opts.syncLimitTicks),
    dataDir,
    clientPort: String(self.clientPort),
    clientPortAddress: self.host,
    '4lw.commands.whitelist': '*',
    'admin.enableServer': 'false',
    maxClientCnxns: '500',
    ...(observerNames(layout, opts.observers).has(node) ? { peerType: 'observer' } : {}),
    ...opts.extraConfig,
  };
  const lines = Object.entries(keys).map(([k, v]) => `${k}=${v}`);
  if (layout.nodes.length > 1) lines.push(...serverLines(layout, node, opts.observers));
  return lines.join('\n') + '\n';
}

export function myidFileText(spec: NodeSpec): string {
  assertInfra(Number.isInteger(spec.myid) && spec.myid >= 1 && spec.myid <= 255, `myid must be 1..255, got ${spec.myid}`);
  return `${spec.myid}\n`;
}

/** A node's name from its 1-based myid: n1, n2, … */
export function nodeName(myid: number): string {
  return `n${myid}`;
}

/** n1..n<count>; with observers, the voters (count - observers) must be odd. */
export function nodeNames(count: number, observers = 0): string[] {
  assertInfra(Number.isInteger(count) && count >= 1 && count <= 9, `node count must be 1..9, got ${count}`);
  assertEnsembleShape(count, observers);
  return Array.from({ length: count }, (_, i) => nodeName(i + 1));
}
