// Proxy mode (any user): nodes listen on 127.0.0.1, and every server-to-server
// and client-to-server link goes through a LinkProxy the harness controls.
// Node i's zoo.cfg names, as server.j, the proxies of the links i->j, so
// partitions are per direction and delay / bandwidth / drop are per link.
import { cleanup } from '../cluster/cleanup.ts';
import { assertInfra, InfraError } from '../cluster/errors.ts';
import type { HostPort, Layout, NodeSpec, PeerAddress } from '../cluster/types.ts';
import { electionHeaderRewriter } from './election-header.ts';
import { grudgeToJson } from './grudge.ts';
import { LinkProxy } from './link-proxy.ts';
import { linkStateOf, type PartitionStyle } from './link-state.ts';
import { freePort } from './ports.ts';
import { CLIENT, type Grudge, type LinkFault, type LinkId, type Net } from './types.ts';

export const PROXY_HOST = '127.0.0.1';

/** ZooKeeper 3.8's learner: 5 dials of the leader, 100 ms apart (leaderConnectDelayDuringRetryMs). */
const LEARNER_DIALS = { dialAttempts: 5, dialRetryDelayMs: 100, quorumPackets: true };

export interface ProxyNetOptions {
  nodes: readonly string[];
  /** Jitter draws; pass a seeded one for repeatable schedules. */
  random: () => number;
  /** How a partition cuts a link: hold its bytes (default, like a dropped route) or reset it. */
  partitionStyle?: PartitionStyle;
}

interface ProxiedLink {
  id: LinkId;
  proxies: LinkProxy[];
  fault: LinkFault | undefined;
}

const linkKey = (l: LinkId) => `${l.from}->${l.to}`;

async function nodeSpecs(nodes: readonly string[]): Promise<NodeSpec[]> {
  const specs: NodeSpec[] = [];
  for (const [i, name] of nodes.entries()) {
    specs.push({
      name, myid: i + 1, host: PROXY_HOST,
      clientPort: await freePort(PROXY_HOST), quorumPort: await freePort(PROXY_HOST), electionPort: await freePort(PROXY_HOST),
    });
  }
  return specs;
}

export class ProxyNet implements Net, Layout {
  readonly mode = 'proxy' as const;
  private grudge: Grudge = new Map();
  private readonly unregister: () => void;

  private constructor(readonly nodes: readonly NodeSpec[], private readonly links: Map<string, ProxiedLink>, private readonly style: PartitionStyle) {
    this.unregister = cleanup.add({ label: 'proxy mesh', run: () => this.closeAll(), runSync: () => {} });
  }

  static async create(opts: ProxyNetOptions): Promise<ProxyNet> {
    const specs = await nodeSpecs(opts.nodes);
    const links = new Map<string, ProxiedLink>();
    for (const to of specs) {
      const client = await LinkProxy.listen(PROXY_HOST, { host: to.host, port: to.clientPort }, opts.random);
      links.set(linkKey({ from: CLIENT, to: to.name }), { id: { from: CLIENT, to: to.name }, proxies: [client], fault: undefined });
      for (const from of specs) {
        if (from.name === to.name) continue;
        // A learner retries a refused dial of the leader (its quorum port opens
        // only once it leads) but goes back to election on a closed connection.
        const quorum = await LinkProxy.listen(PROXY_HOST, { host: to.host, port: to.quorumPort }, opts.random, LEARNER_DIALS);
        // `to` may dial `from` back at the address `from` advertises: make that the reverse link's proxy.
        const reverse = () => links.get(linkKey({ from: to.name, to: from.name }))!.proxies[1]!.address;
        const election = await LinkProxy.listen(PROXY_HOST, { host: to.host, port: to.electionPort }, opts.random,
          { forwardRewriter: () => electionHeaderRewriter(`${PROXY_HOST}:${reverse().port}`) });
        const id = { from: from.name, to: to.name };
        links.set(linkKey(id), { id, proxies: [quorum, election], fault: undefined });
      }
    }
    return new ProxyNet(specs, links, opts.partitionStyle ?? 'blackhole');
  }

  get layout(): Layout {
    return this;
  }

  private link(from: string, to: string): ProxiedLink {
    const l = this.links.get(linkKey({ from, to }));
    assertInfra(l !== undefined, `no link ${from} -> ${to}`);
    return l;
  }

  peerAddress(from: string, to: string): PeerAddress {
    const [quorum, election] = this.link(from, to).proxies;
    return { host: PROXY_HOST, quorumPort: quorum!.address.port, electionPort: election!.address.port };
  }

  clientAddress(node: string): HostPort {
    return this.link(CLIENT, node).proxies[0]!.address;
  }

  adminAddress(node: string): HostPort {
    const spec = this.nodes.find((n) => n.name === node);
    assertInfra(spec !== undefined, `unknown node '${node}'`);
    return { host: spec.host, port: spec.clientPort };
  }

  /** Live proxied connections on a link (for tests and reports). */
  connectionCount(from: string, to: string): number {
    return this.link(from, to).proxies.reduce((sum, p) => sum + p.connectionCount, 0);
  }

  private apply(): void {
    for (const l of this.links.values()) {
      const state = linkStateOf(l.id, this.grudge, l.fault, this.style);
      for (const p of l.proxies) p.setState(state);
    }
  }

  async partition(grudge: Grudge): Promise<void> {
    for (const [node, from] of grudge) {
      for (const n of [node, ...from]) assertInfra(this.nodes.some((s) => s.name === n), `grudge names unknown node '${n}': ${JSON.stringify(grudgeToJson(grudge))}`);
    }
    this.grudge = grudge;
    this.apply();
  }

  async heal(): Promise<void> {
    this.grudge = new Map();
    this.apply();
  }

  currentGrudge(): Grudge {
    return this.grudge;
  }

  async setLinkFault(fault: LinkFault | null, select: (link: LinkId) => boolean): Promise<void> {
    if (fault?.kind === 'delay' && !(fault.delayMs >= 0 && fault.jitterMs >= 0)) throw new InfraError('BAD_ARGUMENT', `bad delay ${JSON.stringify(fault)}`);
    if (fault?.kind === 'bandwidth' && !(fault.bytesPerSecond > 0)) throw new InfraError('BAD_ARGUMENT', `bad bandwidth ${JSON.stringify(fault)}`);
    for (const l of this.links.values()) if (select(l.id)) l.fault = fault ?? undefined;
    this.apply();
  }

  private async closeAll(): Promise<void> {
    await Promise.all([...this.links.values()].flatMap((l) => l.proxies.map((p) => p.close())));
  }

  async teardown(): Promise<void> {
    this.unregister();
    await this.closeAll();
  }
}
