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

/** `server.N=host:quorumPort:electionPort` lines as `node` sees the ensemble. */
export function serverLines(layout: Layout, node: string): string[] {
  const self = nodeSpecOf(layout, node);
  return layout.nodes.map((peer) => {
    const a = peer.name === self.name
      ? { host: self.host, quorumPort: self.quorumPort, electionPort: self.electionPort }
      : layout.peerAddress(self.name, peer.name);
    return `server.${peer.myid}=${a.host}:${a.quorumPort}:${a.electionPort}`;
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
    ...opts.extraConfig,
  };
  const lines = Object.entries(keys).map(([k, v]) => `${k}=${v}`);
  if (layout.nodes.length > 1) lines.push(...serverLines(layout, node));
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

export function nodeNames(count: number): string[] {
  assertInfra(Number.isInteger(count) && count >= 1 && count <= 9, `node count must be 1..9, got ${count}`);
  return Array.from({ length: count }, (_, i) => nodeName(i + 1));
}
