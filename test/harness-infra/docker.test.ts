// The docker runtime: a 3-node Apache ZooKeeper ensemble as containers (image
// made with `docker import` from a root filesystem the harness assembled), on
// the host network behind the proxy mesh. Same node semantics as processes;
// teardown leaves no container and no image.
import { afterAll, beforeAll, expect, it } from 'vitest';
import Docker from 'dockerode';
import type { Cluster } from '../../harness/cluster/cluster.ts';
import { createCluster } from '../../harness/cluster/create.ts';
import { fourLetterWord } from '../../harness/cluster/four-letter.ts';
import { mulberry32 } from '../../harness/generator/rng.ts';
import { clusterContext, fullNemesis, type Nemesis } from '../../harness/nemesis/index.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { all, dockerAvailability, targetAvailability, waitFor } from './support.ts';

/** Ticks of 1 s: elections survive a loaded 2-core machine (other test files run in parallel). */
const TOLERANT = { tickTimeMs: 1000 };

const availability = all(targetAvailability('zookeeper'), await dockerAvailability());
const docker = new Docker();
const ours = () => docker.listContainers({ all: true, filters: { label: [`zooproof.harness-pid=${process.pid}`] } });

describeIfAvailable('docker runtime', availability, () => {
  let cluster: Cluster;
  let nemesis: Nemesis;
  let image = '';

  beforeAll(async () => {
    cluster = await createCluster({ target: 'zookeeper', runtime: 'docker', net: 'proxy', nodeCount: 3, ensemble: TOLERANT, log: () => {} });
    image = (await ours())[0]!.Image;
    nemesis = fullNemesis();
    await nemesis.setup(clusterContext(cluster, mulberry32(4)));
  }, 120_000);

  afterAll(async () => {
    await nemesis?.teardown();
    await cluster?.teardown();
    expect(await ours()).toEqual([]);
    if (image !== '') expect((await docker.listImages()).flatMap((i) => i.RepoTags ?? [])).not.toContain(image);
  }, 60_000);

  it('runs one container per node from the imported image, and elects a leader', async () => {
    const containers = await ours();
    expect(containers.map((c) => c.Labels['zooproof.node']).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(image).toMatch(/^zooproof-node:/);
    expect(await cluster.leader()).toBeDefined();
  });

  it('kill -9 of the leader removes its container; start makes a new one that rejoins', async () => {
    const old = (await cluster.leader())!;
    await nemesis.invoke({ f: 'kill', value: { target: 'leader' } });
    expect((await ours()).map((c) => c.Labels['zooproof.node'])).not.toContain(old);
    // About 0.5 s on a quiet machine; generous, as a loaded CI machine stretches elections.
    await waitFor('a new leader', 90_000, async () => {
      const l = await cluster.leader();
      return l !== undefined && l !== old ? l : undefined;
    });
    await nemesis.invoke({ f: 'start', value: null });
    await waitFor(`${old} to follow`, 60_000, async () => ((await cluster.db.srvr(old))?.mode === 'follower' ? true : undefined));
  }, 180_000);

  it('pause freezes a node until resume', async () => {
    await nemesis.invoke({ f: 'pause', value: { nodes: ['n1'] } });
    await expect(fourLetterWord(cluster.net.layout.adminAddress('n1'), 'srvr', 1000)).rejects.toThrow(/no answer/);
    await nemesis.invoke({ f: 'resume', value: null });
    await waitFor('n1 to serve again', 20_000, async () => (await cluster.db.srvr('n1')) ?? undefined);
  }, 40_000);
});
