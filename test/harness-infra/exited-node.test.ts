// A reference server whose fsync fails now exits (issue 13, item 2): the
// harness must see that node as down (not running, no srvr, no pid) without
// waiting on it, and bring it back with an ordinary start once its disk is healthy.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../../client/index.ts';
import type { Cluster } from '../../harness/cluster/cluster.ts';
import { createCluster } from '../../harness/cluster/create.ts';
import { mulberry32 } from '../../harness/generator/rng.ts';
import { clusterContext, fullNemesis, type Nemesis } from '../../harness/nemesis/index.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { targetAvailability, waitFor } from './support.ts';

/** Ticks of 1 s: elections survive a loaded 2-core machine. */
const TOLERANT = { tickTimeMs: 1000 };

describeIfAvailable('reference server: a node that exits on a fatal error is down to the harness', targetAvailability('reference'), () => {
  let cluster: Cluster;
  let nemesis: Nemesis;

  beforeAll(async () => {
    cluster = await createCluster({ target: 'reference', runtime: 'process', net: 'proxy', nodeCount: 3, ensemble: TOLERANT, log: () => {} });
    nemesis = fullNemesis();
    await nemesis.setup(clusterContext(cluster, mulberry32(13)));
  }, 90_000);

  afterAll(async () => {
    await nemesis?.teardown();
    await cluster?.teardown();
  }, 60_000);

  it('fsync fails on n2: it exits (exit 5 in its log), isRunning/srvr/pid say down; healed and started, it serves again', async () => {
    expect((await nemesis.invoke({ f: 'start-disk-fault', value: { nodes: ['n2'], mode: 'fail' } })).type).toBe('ok');
    await new Promise((r) => setTimeout(r, 300)); // the server polls its faults file every 100 ms
    const zk = createClient(cluster.connectString, { sessionTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
    try {
      await zk.waitConnected(10_000);
      for (let i = 0; i < 10; i++) await zk.create(`/exit-${i}`, 'x'); // committed on n2 too: its fsync fails
    } finally {
      await zk.close();
    }
    await waitFor('n2 to exit by itself', 20_000, async () => (cluster.db.isRunning('n2') ? undefined : true));
    expect(await cluster.db.srvr('n2')).toBeUndefined();
    expect(cluster.db.pid('n2')).toBeUndefined();
    expect(readFileSync(cluster.db.logs('n2')[0]!, 'utf8')).toMatch(/fatal: quorum peer 2 stopped: .*\(exit 5\)/);

    expect((await nemesis.invoke({ f: 'stop-disk-fault', value: { nodes: ['n2'] } })).type).toBe('ok');
    await cluster.db.start('n2');
    await cluster.db.awaitReady(['n2'], 30_000);
    expect(cluster.db.isRunning('n2')).toBe(true);
    expect((await cluster.db.srvr('n2'))?.mode).toMatch(/leader|follower/);
  }, 90_000);
});
