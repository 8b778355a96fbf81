// The reference server's fault hooks driven by the nemeses: its wall clock
// through libfaketime (seen in its own log timestamps) and its fsync through
// the faults file (seen as write latency by a client).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../../client/index.ts';
import type { Cluster } from '../../harness/cluster/cluster.ts';
import { createCluster } from '../../harness/cluster/create.ts';
import { mulberry32 } from '../../harness/generator/rng.ts';
import { clusterContext, fullNemesis, type Nemesis } from '../../harness/nemesis/index.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { all, faketimeAvailability, targetAvailability, waitFor } from './support.ts';

/** Ticks of 1 s: elections survive a loaded 2-core machine (other test files run in parallel). */
const TOLERANT = { tickTimeMs: 1000 };

const HOUR_MS = 3_600_000;

describeIfAvailable('reference server: clock and disk nemeses', all(targetAvailability('reference'), faketimeAvailability()), () => {
  let cluster: Cluster;
  let nemesis: Nemesis;

  beforeAll(async () => {
    cluster = await createCluster({ target: 'reference', runtime: 'process', net: 'proxy', nodeCount: 3, ensemble: TOLERANT, faketime: true, log: () => {} });
    nemesis = fullNemesis();
    await nemesis.setup(clusterContext(cluster, mulberry32(8)));
  }, 90_000);

  afterAll(async () => {
    await nemesis?.teardown();
    await cluster?.teardown();
  }, 60_000);

  /** Wall-clock time (ms) the node printed on its latest "disk faults now" log line after `afterLine`. */
  const faultLogTimes = (node: string) => readFileSync(cluster.db.logs(node)[0]!, 'utf8').split('\n')
    .filter((l) => l.includes('disk faults now')).map((l) => Date.parse(l.split(' ')[0]!));

  it('a clock bump moves the node’s wall clock (its log timestamps) and reset moves it back', async () => {
    const before = faultLogTimes('n1').length;
    expect((await nemesis.invoke({ f: 'bump-clock', value: { nodes: ['n1'], deltaMs: HOUR_MS } })).type).toBe('ok');
    await nemesis.invoke({ f: 'start-disk-fault', value: { nodes: ['n1'], mode: 'slow', fsyncDelayMs: 1 } });
    const bumped = await waitFor('n1 to log its new faults', 5000, async () => faultLogTimes('n1')[before]);
    expect(bumped - Date.now()).toBeGreaterThan(HOUR_MS - 60_000);
    await nemesis.invoke({ f: 'reset-clock', value: null });
    await nemesis.invoke({ f: 'stop-disk-fault', value: null });
    const reset = await waitFor('n1 to log healthy faults', 5000, async () => faultLogTimes('n1')[before + 1]);
    expect(Math.abs(reset - Date.now())).toBeLessThan(60_000);
  }, 30_000);

  it('slow fsync on every node makes each acknowledged write wait for it', async () => {
    const zk = createClient(cluster.connectString, { sessionTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
    await zk.waitConnected(10_000);
    const timeCreate = async (path: string) => { const t = Date.now(); await zk.create(path, 'x'); return Date.now() - t; };
    const healthyMs = await timeCreate('/fast');
    await nemesis.invoke({ f: 'start-disk-fault', value: { target: 'all', mode: 'slow', fsyncDelayMs: 400 } });
    await new Promise((r) => setTimeout(r, 300)); // the server polls its faults file every 100 ms
    const slowMs = await timeCreate('/slow');
    await nemesis.invoke({ f: 'stop-disk-fault', value: null });
    await zk.close();
    expect(slowMs).toBeGreaterThanOrEqual(400);
    expect(healthyMs).toBeLessThan(slowMs);
  }, 40_000);
});
