// Watches against each target: one-shot data / exist / child watches, persistent
// and persistent-recursive watches, removal, and the async-iterator channel.
import { expect, it } from 'vitest';
import { forEachTarget } from '../../test/support/targets.ts';
import { WatchChannel, nextEvent, type WatchedEvent } from '../index.ts';
import { uniquePath, useClientTarget, withTimeout } from './helpers.ts';

const summary = (e: WatchedEvent) => `${e.type} ${e.path}`;

forEachTarget('client watches', (name) => {
  const fx = useClientTarget(name);

  it('fires one-shot data, exist and child watches once each', async () => {
    const zk = await fx.client();
    const other = await fx.client();
    const p = uniquePath();
    const exist = nextEvent();
    expect((await zk.exists(p, { watch: exist.watcher })).stat).toBeNull();
    await other.create(p, 'a');
    expect(summary(await withTimeout(exist.event, 5000, 'NodeCreated'))).toBe(`NodeCreated ${p}`);
    const data = new WatchChannel();
    const child = nextEvent();
    await zk.getData(p, { watch: data.watcher });
    await zk.getChildren(p, { watch: child.watcher });
    await other.setData(p, 'b');
    await other.setData(p, 'c');
    await other.create(`${p}/k`);
    expect(summary(await withTimeout(child.event, 5000, 'NodeChildrenChanged'))).toBe(`NodeChildrenChanged ${p}`);
    const first = await withTimeout(data.next(), 5000, 'NodeDataChanged');
    expect(summary(first.value as WatchedEvent)).toBe(`NodeDataChanged ${p}`);
    await zk.sync(p);
    await zk.getData(p);
    expect(data.overflowed).toBe(false);
    data.end();
    expect((await data.next()).done).toBe(true);
  });

  it('delivers persistent-recursive events until the watch is removed', async () => {
    const zk = await fx.client();
    const other = await fx.client();
    const p = uniquePath();
    await zk.create(p);
    const ch = new WatchChannel();
    await zk.addWatch(p, 'persistentRecursive', ch.watcher);
    await other.create(`${p}/a`);
    await other.setData(`${p}/a`, 'x');
    await other.delete(`${p}/a`);
    const got: string[] = [];
    for await (const e of ch) {
      got.push(summary(e));
      if (got.length === 3) break;
    }
    expect(got).toEqual([`NodeCreated ${p}/a`, `NodeDataChanged ${p}/a`, `NodeDeleted ${p}/a`]);
  });

  it('removes one data watcher (checkWatches) and then all watches (removeWatches), with removal events', async () => {
    const zk = await fx.client();
    const other = await fx.client();
    const p = uniquePath();
    await zk.create(p);
    const seen: string[] = [];
    const data = (e: WatchedEvent) => seen.push(`data ${e.type}`);
    const child = (e: WatchedEvent) => seen.push(`child ${e.type}`);
    await zk.getData(p, { watch: data });
    await zk.getChildren(p, { watch: child });
    await zk.removeWatches(p, 'Data', data);
    await zk.removeWatches(p, 'Any');
    await other.setData(p, 'x');
    await other.create(`${p}/k`);
    await zk.sync(p);
    await zk.getData(p);
    expect(seen).toEqual(['data DataWatchRemoved', 'child ChildWatchRemoved']);
  });

  it('checkWatches finds a data watch on a path that also has a persistent watch (as ZooKeeper 3.8 does)', async () => {
    const zk = await fx.client();
    const p = uniquePath();
    await zk.create(p);
    const seen: string[] = [];
    const persistent = (e: WatchedEvent) => seen.push(`persistent ${e.type}`);
    const data = (e: WatchedEvent) => seen.push(`data ${e.type}`);
    await zk.addWatch(p, 'persistent', persistent);
    await zk.getData(p, { watch: data });
    await zk.removeWatches(p, 'Data', data);
    await zk.removeWatches(p, 'Any');
    expect(seen).toEqual(['data DataWatchRemoved', 'persistent PersistentWatchRemoved']);
  });
});
