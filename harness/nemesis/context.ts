// A NemesisContext over a running Cluster, with a seeded random source.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from '../cluster/cluster.ts';
import type { Random } from '../net/grudge.ts';
import type { NemesisContext } from './types.ts';

export function clusterContext(cluster: Cluster, random: Random, log: (msg: string) => void = () => {}): NemesisContext {
  return {
    nodes: cluster.nodes,
    db: cluster.db,
    net: cluster.net,
    faketime: cluster.db.options.faketime === true,
    diskFaults: cluster.db.options.target.supportsDiskFaults,
    leader: () => cluster.leader(),
    random,
    sleep: (ms) => sleep(ms),
    log,
  };
}
