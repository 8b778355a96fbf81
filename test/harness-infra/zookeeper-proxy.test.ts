// A 3-node Apache ZooKeeper 3.8 ensemble as child processes behind the loopback
// proxy mesh: leader by srvr, client traffic through the client proxies, and
// every process / partition / link nemesis with its visible effect.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../../client/index.ts';
import type { Cluster } from '../../harness/cluster/cluster.ts';
import { createCluster } from '../../harness/cluster/create.ts';
import { fourLetterWord } from '../../harness/cluster/four-letter.ts';
import { mulberry32 } from '../../harness/generator/rng.ts';
import type { NewEvent } from '../../harness/history/writer.ts';
import { clusterContext, fullNemesis, recordedNemesis, type Nemesis } from '../../harness/nemesis/index.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { targetAvailability, waitFor } from './support.ts';

/** Ticks of 1 s: elections survive a loaded 2-core machine (other test files run in parallel). */
const TOLERANT = { tickTimeMs: 1000 };

describeIfAvailable('Apache ZooKeeper ensemble over the proxy mesh', targetAvailability('zookeeper'), () => {
  let cluster: Cluster;
  let nemesis: Nemesis;
  const events: NewEvent[] = [];

  beforeAll(async () => {
    cluster = await createCluster({ target: 'zookeeper', runtime: 'process', net: 'proxy', nodeCount: 3, ensemble: TOLERANT, random: mulberry32(5), log: () => {} });
    const t0 = process.hrtime.bigint();
    nemesis = recordedNemesis(fullNemesis(), (e) => events.push(e), () => Number(process.hrtime.bigint() - t0));
    await nemesis.setup(clusterContext(cluster, mulberry32(11)));
  }, 90_000);

  afterAll(async () => {
    await nemesis?.teardown();
    await cluster?.teardown();
  }, 60_000);

  /**
   * Generous: the isolated leader notices after syncLimit, then the others elect
   * (about 6 s here with 1 s ticks), while other test files load this 2-core machine.
   */
  const newLeaderBesides = (old: string) => waitFor(`a leader other than ${old}`, 75_000, async () => {
    const l = await cluster.leader();
    return l !== undefined && l !== old ? l : undefined;
  });

  it('has one leader and two followers, and serves clients through the proxies', { timeout: 60_000 }, async () => {
    const modes = await waitFor('one leader and two followers', 30_000, async () => {
      const m = [...(await cluster.modes()).values()].map((x) => x?.mode).sort().join(' ');
      return m === 'follower follower leader' ? m : undefined;
    });
    expect(modes).toBe('follower follower leader');
    const zk = createClient(cluster.connectString, { sessionTimeoutMs: 10_000, requestTimeoutMs: 5_000 });
    await zk.waitConnected(10_000);
    await zk.create('/harness-infra', 'v1');
    expect(Buffer.from((await zk.getData('/harness-infra')).data!).toString()).toBe('v1');
    await zk.close();
  });

  it('isolating the leader elects another; healing brings the old one back as a follower', async () => {
    const old = (await cluster.leader())!;
    const done = await nemesis.invoke({ f: 'start-partition', value: { kind: 'isolate-leader' } });
    expect(done.type).toBe('ok');
    let healed = false;
    try {
      const next = await newLeaderBesides(old);
      expect(next).not.toBe(old);
      await waitFor(`${old} to stop serving`, 30_000, async () => ((await cluster.db.srvr(old))?.mode === 'leader' ? undefined : true));
      await nemesis.invoke({ f: 'stop-partition', value: null });
      healed = true;
    } finally {
      // A failure above must not leave the partition in place for the tests below.
      if (!healed) await nemesis.invoke({ f: 'stop-partition', value: null });
    }
    await waitFor(`${old} to follow`, 60_000, async () => ((await cluster.db.srvr(old))?.mode === 'follower' ? true : undefined));
  }, 200_000);

  it('kill -9 of the leader elects another; start brings it back', async () => {
    const old = (await cluster.leader())!;
    const pid = cluster.db.pid(old)!;
    expect((await nemesis.invoke({ f: 'kill', value: { target: 'leader' } })).value).toMatchObject({ killed: [old] });
    expect(() => process.kill(pid, 0)).toThrow();
    await newLeaderBesides(old);
    expect((await nemesis.invoke({ f: 'start', value: null })).value).toEqual({ started: [old] });
    await cluster.awaitStable(40_000);
    expect(cluster.db.pid(old)).not.toBe(pid);
  }, 180_000);

  it('a paused node answers nothing until resumed', async () => {
    const follower = [...(await cluster.modes())].find(([, m]) => m?.mode === 'follower')![0];
    await nemesis.invoke({ f: 'pause', value: { nodes: [follower] } });
    await expect(fourLetterWord(cluster.net.layout.adminAddress(follower), 'srvr', 1000)).rejects.toThrow(/no answer/);
    await nemesis.invoke({ f: 'resume', value: null });
    await waitFor(`${follower} to serve again`, 20_000, async () => (await cluster.db.srvr(follower)) ?? undefined);
  }, 60_000);

  it('delays client links by the configured amount', async () => {
    const node = cluster.nodes[0]!;
    const measure = async () => { const t = Date.now(); await fourLetterWord(cluster.net.layout.clientAddress(node), 'ruok', 5000); return Date.now() - t; };
    await nemesis.invoke({ f: 'start-link-fault', value: { fault: { kind: 'delay', delayMs: 200, jitterMs: 0 }, links: 'clients' } });
    const delayedMs = await measure();
    await nemesis.invoke({ f: 'stop-link-fault', value: null });
    expect(delayedMs).toBeGreaterThanOrEqual(390);
    expect(await measure()).toBeLessThan(delayedMs);
  }, 30_000);

  it('reports disk faults as unsupported for Apache ZooKeeper, and records every action', async () => {
    const done = await nemesis.invoke({ f: 'start-disk-fault', value: { mode: 'slow' } });
    expect(done.type).toBe('fail');
    expect(done.error).toMatch(/^UNSUPPORTED/);
    const fs = events.filter((e) => e.type === 'invoke').map((e) => e.f);
    expect(fs).toEqual(['start-partition', 'stop-partition', 'kill', 'start', 'pause', 'resume', 'start-link-fault', 'stop-link-fault', 'start-disk-fault']);
    expect(events.filter((e) => e.type !== 'invoke')).toHaveLength(fs.length);
  });
});
