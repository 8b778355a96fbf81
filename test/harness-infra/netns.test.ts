// netns mode (root): a 3-node Apache ZooKeeper ensemble inside a namespace the
// harness made, nodes on 127.0.0.2-4 as their own uids; partitions are
// iptables DROP rules in that namespace. Teardown leaves no namespace.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execa } from 'execa';
import type { Cluster } from '../../harness/cluster/cluster.ts';
import { createCluster } from '../../harness/cluster/create.ts';
import { mulberry32 } from '../../harness/generator/rng.ts';
import type { NetnsNet } from '../../harness/net/netns-net.ts';
import { clusterContext, fullNemesis, type Nemesis } from '../../harness/nemesis/index.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { all, faketimeAvailability, netnsAvailability, targetAvailability, waitFor } from './support.ts';
import { createClient } from '../../client/index.ts';

/** Ticks of 1 s: elections survive a loaded 2-core machine (other test files run in parallel). */
const TOLERANT = { tickTimeMs: 1000 };

const availability = all(targetAvailability('zookeeper'), faketimeAvailability(), await netnsAvailability());

describeIfAvailable('netns mode: kernel partitions between 127.0.0.x nodes', availability, () => {
  let cluster: Cluster;
  let nemesis: Nemesis;
  let namespace = '';

  // A run directory too deep for Unix socket paths (sun_path is 108 bytes): the
  // relay's sockets must go elsewhere (they once collided, cut to one path).
  const top = mkdtempSync(join(tmpdir(), 'zooproof-netns-test-'));
  const deepBase = join(top, 'a-run-directory-as-deep-as-users-make-them', 'reports', 'scenario-name', '2026-11-22T09-47-12-925Z-103');

  beforeAll(async () => {
    chmodSync(top, 0o755);
    mkdirSync(deepBase, { recursive: true });
    cluster = await createCluster({
      target: 'zookeeper', runtime: 'process', net: 'netns', nodeCount: 3, ensemble: TOLERANT, faketime: true, log: () => {}, baseDir: deepBase, keepRunDir: false,
    });
    expect(deepBase.length).toBeGreaterThan(108);
    namespace = cluster.net.netnsPath!.split('/').pop()!;
    nemesis = fullNemesis();
    await nemesis.setup(clusterContext(cluster, mulberry32(3)));
  }, 90_000);

  afterAll(async () => {
    await nemesis?.teardown();
    await cluster?.teardown();
    rmSync(top, { recursive: true, force: true });
    if (namespace !== '') expect((await execa('ip', ['netns', 'list'])).stdout).not.toContain(namespace);
    expect(readdirSync('/tmp').filter((n) => n.startsWith(`zooproof-${process.pid}-relay-`))).toEqual([]);
  }, 60_000);

  it('runs each node in the namespace, bound to its own address, as its own uid', async () => {
    expect(cluster.net.mode).toBe('netns');
    const n2 = cluster.db.pid('n2')!;
    const status = (await execa('cat', [`/proc/${n2}/status`])).stdout;
    expect(status).toMatch(/^Uid:\s+47002\s/m);
    const ownNs = (await execa('readlink', [`/proc/${n2}/ns/net`])).stdout;
    expect(ownNs).not.toBe((await execa('readlink', ['/proc/self/ns/net'])).stdout);
    const listening = (await execa('ip', ['netns', 'exec', namespace, 'ss', '-ltnH'])).stdout;
    // Java listens on IPv4-mapped IPv6 sockets: [::ffff:127.0.0.2]:2181
    for (const host of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) expect(listening).toMatch(new RegExp(`${host.replaceAll('.', '\\.')}\\]?:2181 `));
  });

  it('isolating the leader writes DROP rules and a new leader is elected; heal removes them', async () => {
    const net = cluster.net as NetnsNet;
    const old = (await cluster.leader())!;
    expect((await nemesis.invoke({ f: 'start-partition', value: { kind: 'isolate-leader' } })).type).toBe('ok');
    const rules = (await net.rules()).split('\n').filter((l) => l.includes('-j DROP'));
    expect(rules).toHaveLength(4);
    const oldHost = net.nodes.find((n) => n.name === old)!.host;
    expect(rules.every((r) => r.includes(oldHost))).toBe(true);
    await waitFor('a new leader', 40_000, async () => {
      const l = await cluster.leader();
      return l !== undefined && l !== old ? l : undefined;
    });
    await nemesis.invoke({ f: 'stop-partition', value: null });
    expect((await net.rules()).split('\n').filter((l) => l.includes('-j DROP'))).toEqual([]);
    await waitFor(`${old} to follow`, 40_000, async () => ((await cluster.db.srvr(old))?.mode === 'follower' ? true : undefined));
  }, 120_000);

  it('a clock bump on every node moves the znode ctime the leader stamps (libfaketime in the JVMs)', async () => {
    const HOUR_MS = 3_600_000;
    const clockFileCacheMs = 1500; // JVMs re-read their clock file once a second (clockFileCacheSeconds)
    expect((await nemesis.invoke({ f: 'bump-clock', value: { target: 'all', deltaMs: HOUR_MS } })).type).toBe('ok');
    const zk = createClient(cluster.connectString, { sessionTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
    try {
      await zk.waitConnected(20_000);
      // The leader's JVM sees the bump at its next clock-file read (about a second; longer on a loaded machine).
      let aheadMs = -Infinity;
      for (let i = 0; i < 20 && aheadMs <= HOUR_MS - 60_000; i++) {
        await new Promise((r) => setTimeout(r, clockFileCacheMs));
        const { stat } = await zk.create(`/clock-probe-${i}`, 'x');
        aheadMs = Number(stat!.ctime) - Date.now();
      }
      expect(aheadMs).toBeGreaterThan(HOUR_MS - 60_000);
      await nemesis.invoke({ f: 'reset-clock', value: null });
      // The JVMs notice the reset at their next clock-file read (about a second; longer on a loaded machine).
      let skewMs = Infinity;
      for (let i = 0; i < 20 && skewMs >= 60_000; i++) {
        await new Promise((r) => setTimeout(r, clockFileCacheMs));
        const { stat: after } = await zk.create(`/clock-probe-after-${i}`, 'x');
        skewMs = Math.abs(Number(after!.ctime) - Date.now());
      }
      expect(skewMs).toBeLessThan(60_000);
    } finally {
      await zk.close();
    }
  }, 90_000);

  it('refuses proxy-only link faults with UNSUPPORTED', async () => {
    const done = await nemesis.invoke({ f: 'start-link-fault', value: { fault: { kind: 'delay', delayMs: 10 } } });
    expect(done.type).toBe('fail');
    expect(done.error).toMatch(/^UNSUPPORTED: .*proxy/);
  });
});
