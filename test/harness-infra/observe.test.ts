// The cluster observer against real 3-node ensembles of both targets: kill -9
// the leader and restart it, then isolate a follower until it stops serving
// and heal. The timeline must show the new election, the restarted leader's
// sync, the isolated node's return (with a sync), and match cluster-state.jsonl.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient, type ZooKeeperClient } from '../../client/index.ts';
import type { Cluster } from '../../harness/cluster/cluster.ts';
import { createCluster } from '../../harness/cluster/create.ts';
import type { TargetName } from '../../harness/cluster/types.ts';
import { isolateNode } from '../../harness/net/grudge.ts';
import { clusterObserverOptions, startClusterObserver, type ClusterObserver } from '../../harness/observe/observer.ts';
import { readClusterState } from '../../harness/observe/read.ts';
import { summarizeClusterState } from '../../harness/observe/summary.ts';
import { SERVING_MODES, type ClusterStateRecord } from '../../harness/observe/types.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { targetAvailability, waitFor } from './support.ts';

/** Ticks of 1 s: elections survive a loaded 2-core machine. */
const TOLERANT = { tickTimeMs: 1000, initLimitTicks: 10, syncLimitTicks: 3 };

function observeScenario(target: TargetName): void {
  let cluster: Cluster;
  let observer: ClusterObserver;
  let client: ZooKeeperClient;
  let outDir: string;
  const t0 = process.hrtime.bigint();
  const nowNs = () => Number(process.hrtime.bigint() - t0);

  beforeAll(async () => {
    cluster = await createCluster({ target, runtime: 'process', net: 'auto', nodeCount: 3, ensemble: TOLERANT, log: () => {} });
    outDir = mkdtempSync(join(tmpdir(), 'zooproof-observe-'));
    observer = startClusterObserver({ ...clusterObserverOptions(cluster), nowNs, outFile: join(outDir, 'cluster-state.jsonl'), intervalMs: 250 });
    client = createClient(cluster.connectString, { sessionTimeoutMs: 20_000, requestTimeoutMs: 5_000 });
    await client.waitConnected(20_000);
    await client.create('/observe', 'v');
  }, 120_000);

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await observer?.stop();
    await cluster?.teardown();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  }, 60_000);

  const write = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await waitFor('a write to succeed', 40_000, () => client.setData('/observe', `v${i}`).then(() => true, () => undefined));
    }
  };
  const serving = (node: string) => waitFor(`${node} to serve`, 60_000, async () => ((await cluster.db.srvr(node)) !== undefined ? true : undefined));
  const after = (timeNs: number, pred: (r: ClusterStateRecord) => boolean) => observer.records().filter((r) => r.timeNs >= timeNs && pred(r));

  it('records the election after a leader kill -9 and the restarted leader\'s sync', { timeout: 150_000 }, async () => {
    const old = await cluster.awaitStable(30_000);
    await write(5);
    const killedNs = nowNs();
    await cluster.db.kill(old);
    await waitFor('a new leader', 60_000, async () => { const l = await cluster.leader(); return l !== undefined && l !== old ? l : undefined; });
    await write(5);
    const restartNs = nowNs();
    await cluster.db.start(old);
    await serving(old);
    await waitFor(`a learner sync of ${old}, and ${old} serving, in the timeline`, 20_000, async () =>
      after(restartNs, (r) => r.kind === 'sync' && r.side === 'learner' && r.node === old).length > 0 &&
      after(restartNs, (r) => r.kind === 'state' && r.node === old && SERVING_MODES.has(r.mode)).length > 0 ? true : undefined);

    expect(after(killedNs, (r) => r.kind === 'state' && r.node === old && r.mode === 'down')).not.toEqual([]);
    const elected = after(killedNs, (r) => r.kind === 'election' && r.phase === 'decided' && r.role === 'leading');
    expect(elected.map((r) => r.node)).not.toContain(old);
    expect(elected.length).toBeGreaterThanOrEqual(1);
    expect(after(killedNs, (r) => r.kind === 'state' && r.mode === 'leader' && r.node !== old)).not.toEqual([]);
    const sync = after(restartNs, (r) => r.kind === 'sync' && r.side === 'learner' && r.node === old)[0]!;
    expect(['DIFF', 'TRUNC', 'SNAP']).toContain(sync.kind === 'sync' ? sync.sync : undefined);
  });

  it('records an isolated follower leaving and, after the heal, rejoining with a sync', { timeout: 150_000 }, async () => {
    const leader = await cluster.awaitStable(30_000);
    const follower = cluster.nodes.find((n) => n !== leader)!;
    const isolatedNs = nowNs();
    await cluster.net.partition(isolateNode(cluster.nodes, follower));
    await waitFor(`${follower} to stop serving`, 60_000, async () =>
      after(isolatedNs, (r) => r.kind === 'state' && r.node === follower && !SERVING_MODES.has(r.mode)).length > 0 ? true : undefined);
    await write(3);
    const healNs = nowNs();
    await cluster.net.heal();
    await waitFor(`${follower} to sync and serve again`, 60_000, async () =>
      after(healNs, (r) => r.kind === 'sync' && r.side === 'learner' && r.node === follower).length > 0 &&
      after(healNs, (r) => r.kind === 'state' && r.node === follower && SERVING_MODES.has(r.mode)).length > 0 ? true : undefined);
    expect(after(isolatedNs, (r) => r.kind === 'election' && r.phase === 'looking' && r.node === follower)).not.toEqual([]);
  });

  it('streams the same records to cluster-state.jsonl, and summarizes them', { timeout: 30_000 }, async () => {
    const records = await observer.stop();
    expect(readClusterState(join(outDir, 'cluster-state.jsonl'))).toEqual(records);
    const times = records.map((r) => r.timeNs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const s = summarizeClusterState(records);
    expect(s.elections).toBeGreaterThanOrEqual(2); // the first, and the one after the kill
    expect(s.syncs.DIFF + s.syncs.TRUNC + s.syncs.SNAP).toBeGreaterThanOrEqual(4); // start-up (2), restart, heal
    expect(s.leaders.length).toBeGreaterThanOrEqual(2);
    process.stderr.write(`[observe ${target}] ${JSON.stringify({ elections: s.elections, syncs: s.syncs, leaderSideSyncs: s.leaderSideSyncs, snapshots: s.snapshots, leaders: s.leaders.map((l) => `${l.node}@${l.epoch}`) })}\n`);
  });
}

describeIfAvailable('cluster observer: reference ensemble', { ok: true }, () => observeScenario('reference'));
describeIfAvailable('cluster observer: Apache ZooKeeper ensemble', targetAvailability('zookeeper'), () => observeScenario('zookeeper'));
