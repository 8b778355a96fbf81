// A NemesisContext over a running Cluster, with a seeded random source. It
// remembers each node's last zxid from `srvr`, so a node that is down now
// still has the zxid it was last seen with (highest-zxid after a crash).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from '../cluster/cluster.ts';
import type { Random } from '../net/grudge.ts';
import type { NemesisContext } from './types.ts';

/** Keeps the newest zxid seen per node. */
export class ZxidMemory {
  private readonly last = new Map<string, bigint>();

  /** Takes in a round of srvr answers (undefined: no answer) and gives what is known now. */
  observe(answers: ReadonlyMap<string, { zxid: bigint } | undefined>): ReadonlyMap<string, bigint> {
    for (const [node, info] of answers) if (info !== undefined && info.zxid >= 0n) this.last.set(node, info.zxid);
    return new Map(this.last);
  }
}

export function clusterContext(cluster: Cluster, random: Random, log: (msg: string) => void = () => {}): NemesisContext {
  const memory = new ZxidMemory();
  return {
    nodes: cluster.nodes,
    db: cluster.db,
    net: cluster.net,
    faketime: cluster.db.options.faketime === true,
    diskFaults: cluster.db.options.target.supportsDiskFaults,
    leader: () => cluster.leader(),
    zxids: async () => memory.observe(await cluster.modes()),
    random,
    sleep: (ms) => sleep(ms),
    log,
  };
}
