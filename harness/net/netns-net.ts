// netns mode (root): the cluster runs inside a namespace the harness creates.
// Node i binds 127.0.0.(i+1) with ZooKeeper's usual ports and runs as its own
// uid; a nat rule gives every packet that uid sends the node's address as
// source (Linux would otherwise pick 127.0.0.1 for any loopback destination).
// A partition is DROP rules in the raw table's PREROUTING (source and
// destination as on the wire, before conntrack): real kernel partitions.
import { assertInfra, InfraError } from '../cluster/errors.ts';
import type { HostPort, Layout, NodeSpec, PeerAddress } from '../cluster/types.ts';
import { Netns } from './netns.ts';
import { Portal } from './portal.ts';
import { relaySocketDir, type SocketDir } from './socket-dir.ts';
import type { Grudge, LinkFault, LinkId, Net } from './types.ts';

export const CHAIN = 'ZOOPROOF';
export const NETNS_PORTS = { clientPort: 2181, quorumPort: 2888, electionPort: 3888 } as const;
const DEFAULT_UID_BASE = 47000;

export interface NetnsNetOptions {
  nodes: readonly string[];
  /** Namespace name; unique per run. */
  name: string;
  /** Where the relay's Unix sockets go. */
  runDir: string;
  uidBase?: number;
}

export function netnsNodeSpecs(nodes: readonly string[]): NodeSpec[] {
  assertInfra(nodes.length <= 200, 'at most 200 nodes');
  return nodes.map((name, i) => ({ name, myid: i + 1, host: `127.0.0.${i + 2}`, ...NETNS_PORTS }));
}

/** iptables argument lists that make `grudge` real (after a flush of the chain). */
export function grudgeRules(specs: readonly NodeSpec[], grudge: Grudge): string[][] {
  const host = (n: string) => {
    const s = specs.find((x) => x.name === n);
    assertInfra(s !== undefined, `grudge names unknown node '${n}'`);
    return s.host;
  };
  const rules: string[][] = [];
  for (const to of [...grudge.keys()].sort()) {
    for (const from of [...grudge.get(to)!].sort()) {
      rules.push(['-t', 'raw', '-A', CHAIN, '-s', host(from), '-d', host(to), '-j', 'DROP']);
    }
  }
  return rules;
}

export class NetnsNet implements Net, Layout {
  readonly mode = 'netns' as const;
  private grudge: Grudge = new Map();

  private constructor(
    readonly nodes: readonly NodeSpec[], private readonly ns: Netns, private readonly portal: Portal,
    private readonly socketDir: SocketDir, private readonly uidBase: number,
  ) {}

  static async create(opts: NetnsNetOptions): Promise<NetnsNet> {
    const specs = netnsNodeSpecs(opts.nodes);
    const uidBase = opts.uidBase ?? DEFAULT_UID_BASE;
    const ns = await Netns.create(opts.name);
    let socketDir: SocketDir | undefined;
    try {
      for (const s of specs) {
        await ns.iptables(['-t', 'nat', '-A', 'POSTROUTING', '-m', 'owner', '--uid-owner', String(uidBase + s.myid), '-j', 'SNAT', '--to-source', s.host]);
      }
      await ns.iptables(['-t', 'raw', '-N', CHAIN]);
      await ns.iptables(['-t', 'raw', '-A', 'PREROUTING', '-j', CHAIN]);
      socketDir = relaySocketDir(opts.runDir, specs.map((s) => s.name));
      const portal = await Portal.open(ns.path, socketDir.dir, specs.map((s) => ({ node: s.name, target: { host: s.host, port: s.clientPort } })));
      return new NetnsNet(specs, ns, portal, socketDir, uidBase);
    } catch (err) {
      socketDir?.remove();
      await ns.delete();
      throw err;
    }
  }

  get layout(): Layout {
    return this;
  }

  get netnsPath(): string {
    return this.ns.path;
  }

  get namespace(): Netns {
    return this.ns;
  }

  uidOf(node: string): number {
    const s = this.nodes.find((n) => n.name === node);
    assertInfra(s !== undefined, `unknown node '${node}'`);
    return this.uidBase + s.myid;
  }

  peerAddress(_from: string, to: string): PeerAddress {
    const s = this.nodes.find((n) => n.name === to);
    assertInfra(s !== undefined, `unknown node '${to}'`);
    return { host: s.host, quorumPort: s.quorumPort, electionPort: s.electionPort };
  }

  clientAddress(node: string): HostPort {
    return this.portal.address(node);
  }

  adminAddress(node: string): HostPort {
    return this.portal.address(node);
  }

  async partition(grudge: Grudge): Promise<void> {
    const rules = grudgeRules(this.nodes, grudge);
    await this.ns.iptables(['-t', 'raw', '-F', CHAIN]);
    for (const rule of rules) await this.ns.iptables(rule);
    this.grudge = grudge;
  }

  async heal(): Promise<void> {
    await this.ns.iptables(['-t', 'raw', '-F', CHAIN]);
    this.grudge = new Map();
  }

  currentGrudge(): Grudge {
    return this.grudge;
  }

  async setLinkFault(_fault: LinkFault | null, _select: (link: LinkId) => boolean): Promise<void> {
    throw new InfraError('UNSUPPORTED', 'link delay / bandwidth / drop need proxy mode (tc netem is not available here); use --net proxy');
  }

  /** `iptables -S` of the chain (for tests and reports). */
  rules(): Promise<string> {
    return this.ns.iptables(['-t', 'raw', '-S', CHAIN]);
  }

  async teardown(): Promise<void> {
    await this.portal.close();
    this.socketDir.remove();
    await this.ns.delete();
  }
}
