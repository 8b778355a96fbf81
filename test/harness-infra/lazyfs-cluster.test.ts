// Ensembles on lazyfs, both targets: every kill -9 is a power loss for the
// node's disk. A server that fsyncs before it acknowledges keeps every
// acknowledged write through a kill of all nodes; Apache ZooKeeper told not
// to fsync (forceSync=no) loses them: the check can fail. (The reference
// server parses forceSync but always syncs, so it has no such switch.) The
// disk nemesis slows fsync through the filesystem on both targets.
//
// Apache ZooKeeper 3.8 writes its first snapshot (snapshot.0, at start-up)
// without fsync. After a power loss that file is empty, and ZooKeeper then
// refuses to start ("No snapshot found, but there are log entries"), on
// every node, unless snapshot.trust.empty=true, its documented switch for
// this case, which these tests set.
import { afterEach, expect, it } from 'vitest';
import { createClient } from '../../client/index.ts';
import type { Cluster } from '../../harness/cluster/cluster.ts';
import { createCluster } from '../../harness/cluster/create.ts';
import type { TargetName } from '../../harness/cluster/types.ts';
import { lazyFsUnavailableReason } from '../../harness/disk/build.ts';
import { mulberry32 } from '../../harness/generator/rng.ts';
import { clusterContext, diskNemesis } from '../../harness/nemesis/index.ts';
import { available, describeIfAvailable, unavailable, type Availability } from '../support/skip.ts';
import { all, targetAvailability } from './support.ts';

/** Ticks of 1 s: elections survive a loaded 2-core machine. */
const TOLERANT = { tickTimeMs: 1000 };
const WRITES = 20;

function lazyFsAvailability(): Availability {
  const why = lazyFsUnavailableReason();
  return why === undefined ? available : unavailable(why);
}

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.teardown();
  cluster = undefined;
}, 60_000);

/** See the header: without it Apache ZooKeeper does not come back after a power loss of its first snapshot. */
const TRUST_EMPTY_SNAPSHOT = { 'snapshot.trust.empty': 'true' };

async function startOnLazyFs(target: TargetName, nodeCount: number, extraConfig: Record<string, string> = {}): Promise<Cluster> {
  const config = target === 'zookeeper' ? { ...TRUST_EMPTY_SNAPSHOT, ...extraConfig } : extraConfig;
  cluster = await createCluster({
    target, runtime: 'process', net: 'auto', nodeCount, lazyfs: true, ensemble: { ...TOLERANT, extraConfig: config }, random: mulberry32(3), log: () => {},
  });
  return cluster;
}

/** Creates /w0../wN-1; returns the paths the server acknowledged. */
async function writeAll(c: Cluster): Promise<string[]> {
  const zk = createClient(c.connectString, { sessionTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
  await zk.waitConnected(20_000);
  const acked: string[] = [];
  for (let i = 0; i < WRITES; i++) {
    await zk.create(`/w${i}`, `value ${i}`);
    acked.push(`/w${i}`);
  }
  await zk.close();
  return acked;
}

/** kill -9 of every node (each a power loss on lazyfs), then restart them. */
async function powerCycle(c: Cluster): Promise<void> {
  for (const n of c.nodes) await c.db.kill(n);
  for (const n of c.nodes) expect((await c.db.lazyFs(n)!.stats()).crashes).toBe(1);
  for (const n of c.nodes) await c.db.start(n);
}

/**
 * The check: the ensemble serves again and every acknowledged write is
 * there. Undefined when it holds, else what broke it.
 */
async function lostAfterRestart(c: Cluster, acked: string[]): Promise<string | undefined> {
  try {
    await c.awaitStable(45_000);
  } catch (err) {
    return `the ensemble did not come back: ${(err as Error).message}`;
  }
  const zk = createClient(c.connectString, { sessionTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
  await zk.waitConnected(20_000);
  await zk.sync('/');
  const missing: string[] = [];
  for (const p of acked) if ((await zk.exists(p)).stat === null) missing.push(p);
  await zk.close();
  return missing.length === 0 ? undefined : `${missing.length} of ${acked.length} acknowledged writes missing: ${missing.join(' ')}`;
}

for (const target of ['zookeeper', 'reference'] as const) {
  describeIfAvailable(`${target} on lazyfs`, all(targetAvailability(target), lazyFsAvailability()), () => {
    it('keeps every acknowledged write through a kill -9 of all three nodes (fsync before ACK)', async () => {
      const c = await startOnLazyFs(target, 3);
      const acked = await writeAll(c);
      await powerCycle(c);
      expect(await lostAfterRestart(c, acked)).toBeUndefined();
    }, 120_000);

    // Apache ZooKeeper only: the reference server has no way to skip its fsync.
    if (target === 'zookeeper') it('loses acknowledged writes through a kill -9 when told not to fsync (forceSync=no): the check can fail', async () => {
      const c = await startOnLazyFs(target, 1, { forceSync: 'no' });
      const acked = await writeAll(c);
      await powerCycle(c);
      // Here Apache ZooKeeper's log file is empty after the power loss, and it exits at start (EOFException reading it).
      const lost = await lostAfterRestart(c, acked);
      process.stderr.write(`forceSync=no after a power loss: ${lost}\n`);
      expect(lost).toBeDefined();
    }, 120_000);

    it('the disk nemesis slows every fsync through the filesystem', async () => {
      const c = await startOnLazyFs(target, 1);
      const nemesis = diskNemesis();
      await nemesis.setup(clusterContext(c, mulberry32(4)));
      const zk = createClient(c.connectString, { sessionTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
      await zk.waitConnected(20_000);
      const started = await nemesis.invoke({ f: 'start-disk-fault', value: { target: 'all', mode: 'slow', fsyncDelayMs: 400 } });
      expect(started).toMatchObject({ type: 'ok', value: { disk: 'lazyfs' } });
      const t0 = performance.now();
      await zk.create('/slow', 'x');
      const slowMs = performance.now() - t0;
      await nemesis.invoke({ f: 'stop-disk-fault', value: null });
      await zk.close();
      await nemesis.teardown();
      expect(slowMs).toBeGreaterThanOrEqual(400);
    }, 120_000);
  });
}
