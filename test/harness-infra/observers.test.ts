// Observers in the harness's ensembles: 3 voters + 1 observer (n4) on each
// target, in each net mode. srvr says "Mode: observer", cluster.leader() picks
// a voter, the observer serves reads and forwards writes, survives a kill -9 of
// the leader, and comes back after a partition that isolated it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient, type ZooKeeperClient } from '../../client/index.ts';
import type { Cluster } from '../../harness/cluster/cluster.ts';
import { createCluster } from '../../harness/cluster/create.ts';
import type { TargetName } from '../../harness/cluster/types.ts';
import { mulberry32 } from '../../harness/generator/rng.ts';
import { clusterContext, fullNemesis, type Nemesis } from '../../harness/nemesis/index.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { all, netnsAvailability, targetAvailability, waitFor } from './support.ts';

/** Ticks of 1 s: elections survive a loaded 2-core machine. */
const TOLERANT = { tickTimeMs: 1000 };
const VOTERS = ['n1', 'n2', 'n3'];
const OBSERVER = 'n4';

const netns = await netnsAvailability();

function observerSuite(target: TargetName, net: 'proxy' | 'netns'): void {
  const availability = net === 'netns' ? all(targetAvailability(target), netns) : targetAvailability(target);
  describeIfAvailable(`3 voters + 1 observer: ${target}, ${net} net`, availability, () => {
    let cluster: Cluster;
    let nemesis: Nemesis;
    const clients: ZooKeeperClient[] = [];

    /** A client of the observer alone (or of `node`): its reads are the observer's. */
    const clientOf = async (node: string): Promise<ZooKeeperClient> => {
      const zk = createClient(cluster.clientConnectString(node), { sessionTimeoutMs: 10_000, requestTimeoutMs: 5_000 });
      clients.push(zk);
      await zk.waitConnected(30_000);
      return zk;
    };
    const text = (d: Uint8Array | null) => Buffer.from(d ?? []).toString();
    const modeOf = async (node: string) => (await cluster.db.srvr(node))?.mode;

    beforeAll(async () => {
      cluster = await createCluster({ target, runtime: 'process', net, nodeCount: 4, observers: 1, ensemble: TOLERANT, random: mulberry32(7), log: () => {} });
      nemesis = fullNemesis();
      await nemesis.setup(clusterContext(cluster, mulberry32(13)));
    }, 120_000);

    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await nemesis?.teardown();
      await cluster?.teardown();
    }, 60_000);

    it('n4 is an observer; one voter leads and cluster.leader() names it', { timeout: 60_000 }, async () => {
      const modes = await waitFor('a leader, two followers and an observer', 45_000, async () => {
        const m = await cluster.modes();
        const seen = [...m.values()].map((x) => x?.mode).sort().join(' ');
        return seen === 'follower follower leader observer' ? m : undefined;
      });
      expect(modes.get(OBSERVER)?.mode).toBe('observer');
      expect(VOTERS).toContain(await cluster.leader());
    });

    it('the observer serves reads and forwards writes', { timeout: 60_000 }, async () => {
      const obs = await clientOf(OBSERVER);
      await obs.create('/obs', 'from-observer');
      const leader = await clientOf((await cluster.leader())!);
      expect(text((await leader.getData('/obs')).data)).toBe('from-observer');
      await leader.setData('/obs', 'from-leader');
      await obs.sync('/obs');
      expect(text((await obs.getData('/obs')).data)).toBe('from-leader');
    });

    it('survives a kill -9 of the leader: a new voter leads and the observer takes writes again', { timeout: 180_000 }, async () => {
      const old = (await cluster.leader())!;
      expect((await nemesis.invoke({ f: 'kill', value: { target: 'leader' } })).value).toMatchObject({ killed: [old] });
      const next = await waitFor(`a leader other than ${old}`, 90_000, async () => {
        const l = await cluster.leader();
        return l !== undefined && l !== old ? l : undefined;
      });
      expect(VOTERS).toContain(next);
      await waitFor('the observer to serve under the new leader', 90_000, async () => ((await modeOf(OBSERVER)) === 'observer' ? true : undefined));
      const obs = await clientOf(OBSERVER);
      await obs.setData('/obs', 'after-kill');
      expect(text((await obs.getData('/obs')).data)).toBe('after-kill');
      expect((await nemesis.invoke({ f: 'start', value: null })).value).toMatchObject({ started: [old] });
      await cluster.awaitStable(60_000);
    });

    it('a partition isolating the observer stops it serving; after the heal it catches up', { timeout: 180_000 }, async () => {
      const done = await nemesis.invoke({ f: 'start-partition', value: { groups: [[OBSERVER], VOTERS] } });
      expect(done.type).toBe('ok');
      let healed = false;
      try {
        await waitFor('the isolated observer to stop serving', 90_000, async () => ((await modeOf(OBSERVER)) === undefined ? true : undefined));
        const leader = await waitFor('a leader among the voters', 60_000, () => cluster.leader());
        const voter = await clientOf(leader);
        await voter.setData('/obs', 'during-partition');
        expect((await nemesis.invoke({ f: 'stop-partition', value: null })).type).toBe('ok');
        healed = true;
      } finally {
        if (!healed) await nemesis.invoke({ f: 'stop-partition', value: null });
      }
      await waitFor('the observer to serve again', 90_000, async () => ((await modeOf(OBSERVER)) === 'observer' ? true : undefined));
      const obs = await clientOf(OBSERVER);
      await obs.sync('/obs');
      expect(text((await obs.getData('/obs')).data)).toBe('during-partition');
    });
  });
}

for (const target of ['reference', 'zookeeper'] as const) {
  for (const net of ['proxy', 'netns'] as const) observerSuite(target, net);
}
