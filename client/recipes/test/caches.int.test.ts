// Caches and the service registry under a fault: caches converge to the
// tree's final state; registrations live exactly as long as their sessions.
import { expect, it } from 'vitest';
import type { ZooKeeperClient } from '../../index.ts';
import { NodeCache } from '../node-cache.ts';
import { ServiceRegistry, type ServiceInstance } from '../service-registry.ts';
import { TreeCache } from '../tree-cache.ts';
import { retrying } from '../support.ts';
import { forEachSystem, sleep, uniquePath, withTimeout } from './systems.ts';

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

async function eventually(probe: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  await withTimeout((async () => { while (!(await probe())) await sleep(50); })(), ms, what);
}

async function treeOf(zk: ZooKeeperClient, path: string, out = new Map<string, string>()): Promise<Map<string, string>> {
  out.set(path, text((await zk.getData(path)).data ?? undefined)!);
  for (const c of (await zk.getChildren(path)).children) await treeOf(zk, `${path}/${c}`, out);
  return out;
}

forEachSystem('recipes: caches and service registry', (fx) => {
  it('node cache and tree cache converge to the final state through the fault', async () => {
    const root = uniquePath('tree');
    const writer = await fx.client();
    const reader = await fx.client();
    await writer.create(root, 'root');
    const nodeCache = new NodeCache(reader, `${root}/a`);
    const treeCache = new TreeCache(reader, root);
    await nodeCache.start();
    await treeCache.start();
    expect(nodeCache.current).toBeNull();
    expect(treeCache.paths()).toEqual([root]);
    const fault = fx.faultFor(1500);
    for (let i = 0; i < 30; i++) {
      const name = `${root}/${['a', 'b', 'c'][i % 3]}`;
      await writer.setData(name, `v${i}`).catch(async () => writer.create(name, `v${i}`).catch(() => {}));
      if (i % 7 === 6) await writer.create(`${name}/child${i}`, `c${i}`).catch(() => {});
      if (i === 20) await writer.delete(`${root}/b/child13`).catch(() => {});
      await sleep(30);
    }
    await fault;
    await retrying(writer, 'test', () => writer.sync('/'));
    const truth = await retrying(writer, 'test', () => treeOf(writer, root));
    await eventually(() => text(nodeCache.current?.data) === truth.get(`${root}/a`), 15_000, 'node cache');
    await eventually(() => JSON.stringify(treeCache.paths()) === JSON.stringify([...truth.keys()].sort()), 15_000,
      'tree cache paths');
    for (const [path, data] of truth) expect(text(treeCache.get(path)?.data), path).toBe(data);
    nodeCache.close();
    treeCache.close();
  }, 90_000);

  it('service registry: instances listed while their sessions live, through the fault', async () => {
    const base = uniquePath('services');
    const members = await Promise.all([0, 1, 2].map(() => fx.client()));
    const watcherClient = await fx.client();
    const registry = new ServiceRegistry(watcherClient, base);
    let latest: ServiceInstance[] = [];
    const stop = registry.watch('api', (list) => { latest = list; });
    for (const [i, zk] of members.entries()) {
      await new ServiceRegistry(zk, base).register('api', { id: `i${i}`, address: '127.0.0.1', port: 9000 + i });
    }
    await eventually(() => latest.length === 3, 30_000, 'three instances');
    await fx.faultFor(1500);
    expect((await registry.instances('api')).map((s) => s.id)).toEqual(['i0', 'i1', 'i2']);
    // Registering again on the same session is idempotent; another session cannot take the id.
    await new ServiceRegistry(members[0]!, base).register('api', { id: 'i0', address: '127.0.0.1', port: 9000 });
    await expect(new ServiceRegistry(members[1]!, base).register('api', { id: 'i0', address: 'x', port: 1 }))
      .rejects.toMatchObject({ codeName: 'NODEEXISTS' });
    await members[1]!.close();
    await eventually(() => latest.map((s) => s.id).join() === 'i0,i2', 30_000, 'closed session gone');
    await new ServiceRegistry(members[2]!, base).unregister('api', 'i2');
    await eventually(() => latest.map((s) => s.id).join() === 'i0', 30_000, 'unregistered gone');
    stop();
  }, 90_000);
});
