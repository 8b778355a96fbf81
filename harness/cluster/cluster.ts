// A running ensemble: its Db, its Net, the connect string clients use and the
// leader as `srvr` reports it. Built by createCluster (harness/cluster/create.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Net } from '../net/types.ts';
import { InfraError } from './errors.ts';
import type { NodeDb } from './node-db.ts';
import { pickLeader, type SrvrInfo } from './srvr.ts';

export class Cluster {
  constructor(
    readonly nodes: readonly string[], readonly db: NodeDb, readonly net: Net, readonly runDir: string,
    private readonly removeRunDir?: () => void,
  ) {}

  /** `host:port,…` of every node's client address (through the client proxies in proxy mode). */
  get connectString(): string {
    return this.nodes.map((n) => this.clientConnectString(n)).join(',');
  }

  clientConnectString(node: string): string {
    const a = this.net.layout.clientAddress(node);
    return `${a.host}:${a.port}`;
  }

  /** `srvr` of every node (undefined: down, paused, unreachable or not serving). */
  async modes(): Promise<Map<string, SrvrInfo | undefined>> {
    const answers = await Promise.all(this.nodes.map(async (n) => [n, await this.db.srvr(n)] as const));
    return new Map(answers);
  }

  /** The node `srvr` says leads (highest epoch if several claim it), or undefined. */
  async leader(): Promise<string | undefined> {
    return pickLeader(await this.modes());
  }

  /** Waits until some node leads and every running, unpaused node serves. */
  async awaitStable(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const modes = await this.modes();
      const leader = pickLeader(modes);
      const live = this.nodes.filter((n) => this.db.isRunning(n) && !this.db.isPaused(n));
      if (leader !== undefined && live.every((n) => modes.get(n) !== undefined)) return leader;
      if (this.nodes.every((n) => !this.db.isRunning(n))) {
        throw new InfraError('START_FAILED', `every node exited; see ${this.nodes.map((n) => this.db.logs(n)[0]).join(', ')}`);
      }
      if (Date.now() > deadline) {
        const seen = [...modes].map(([n, m]) => `${n}=${m?.mode ?? 'down'}`).join(' ');
        throw new InfraError('START_FAILED', `no stable leader after ${timeoutMs} ms (${seen})`);
      }
      await sleep(200);
    }
  }

  /** Kills every node, removes the net (and the run directory unless it is kept). */
  async teardown(): Promise<void> {
    await this.db.teardown();
    await this.db.options.runtime.teardown();
    await this.net.teardown();
    this.removeRunDir?.();
  }
}
