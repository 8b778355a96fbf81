// Watches: one-shot data/exist/child rules, persistent and recursive watches
// (addWatch), checkWatches/removeWatches, setWatches on reconnect, ordering.
import { expect, it } from 'vitest';
import { AddWatchMode, Code, EventType, KeeperState, WatcherType } from '../../server/wire/index.ts';
import { forEachTarget } from '../support/targets.ts';
import { codeOf, ok, op, uniquePath } from '../support/raw-ops.ts';
import { type NzkEvent } from '../support/nzk.ts';
import { sleep, useTarget } from './fixture.ts';

forEachTarget('watches', (name) => {
  const fx = useTarget(name);

  it('data watch (getData) fires once NodeDataChanged, then is gone', async () => {
    const [c, w] = [await fx.nzk(), await fx.nzk()];
    const path = uniquePath();
    await c.create(path);
    const events: NzkEvent[] = [];
    await w.getData(path, (e) => events.push(e));
    await c.setData(path, Buffer.from('1'));
    await c.setData(path, Buffer.from('2'));
    await sleep(300);
    expect(events).toEqual([{ type: EventType.NodeDataChanged, name: 'NODE_DATA_CHANGED', path }]);
  });

  it('exists watch on a missing node fires NodeCreated; on a node, NodeDeleted', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    expect(await codeOf(s, op.exists(path, true))).toBe(Code.NONODE);
    const other = await fx.raw();
    await ok(other, op.create(path));
    expect(await s.nextEvent()).toMatchObject({ type: EventType.NodeCreated, state: KeeperState.SyncConnected, path });
    await ok(s, op.exists(path, true));
    await ok(other, op.delete(path));
    expect(await s.nextEvent()).toMatchObject({ type: EventType.NodeDeleted, path });
  });

  it('child watch fires NodeChildrenChanged on child create/delete, not on child data; NodeDeleted when the node goes', async () => {
    const s = await fx.raw();
    const other = await fx.raw();
    const path = uniquePath();
    await ok(other, op.create(path));
    await ok(s, op.getChildren(path, true));
    await ok(other, op.create(`${path}/a`));
    expect(await s.nextEvent()).toMatchObject({ type: EventType.NodeChildrenChanged, path });
    await ok(s, op.getChildren(path, true));
    await ok(other, op.setData(`${path}/a`, 'x'));
    await ok(other, op.setData(path, 'x'));
    await ok(other, op.delete(`${path}/a`));
    expect(await s.nextEvent()).toMatchObject({ type: EventType.NodeChildrenChanged, path });
    await ok(s, op.getChildren(path, true));
    await ok(s, op.getData(path, true));
    await ok(other, op.delete(path));
    // Data and child watch of one connection on the deleted node: ONE NodeDeleted (the server de-duplicates per watcher).
    expect(await s.nextEvent()).toMatchObject({ type: EventType.NodeDeleted, path });
    await sleep(200);
    expect(s.queuedEvents()).toEqual([]);
  });

  it('a notification (zxid -1 in 3.8) arrives before the reply of a later read', async () => {
    const s = await fx.raw();
    const other = await fx.raw();
    const path = uniquePath();
    await ok(other, op.create(path));
    await ok(s, op.getData(path, true));
    const write = await ok(other, op.setData(path, 'v'));
    const read = await ok(s, op.getData(path));
    expect(read.zxid).toBeGreaterThanOrEqual(write.zxid);
    const eventIndex = s.arrivals.findIndex((a) => a.kind === 'event' && a.path === path);
    const replyIndex = s.arrivals.lastIndexOf(s.arrivals.find((a) => a.kind === 'reply' && a.zxid === read.zxid && a.xid > 0)!);
    expect(eventIndex).toBeGreaterThanOrEqual(0);
    expect(eventIndex).toBeLessThan(replyIndex);
    // ZooKeeper 3.8.0 sends notifications with zxid -1 (the change's zxid only since ZOOKEEPER-4655, 3.9).
    expect(s.arrivals[eventIndex]).toMatchObject({ kind: 'event', type: EventType.NodeDataChanged, zxid: -1 });
  });

  it('a persistent watch (addWatch mode 0) fires on every change of the node and its children list, and stays', async () => {
    const s = await fx.raw();
    const other = await fx.raw();
    const path = uniquePath();
    await ok(s, op.addWatch(path, AddWatchMode.persistent));
    await ok(other, op.create(path));
    await ok(other, op.setData(path, '1'));
    await ok(other, op.create(`${path}/c`));
    await ok(other, op.setData(`${path}/c`, '1'));
    await ok(other, op.setData(path, '2'));
    const types = [];
    for (let i = 0; i < 4; i++) types.push((await s.nextEvent()).type);
    expect(types).toEqual([EventType.NodeCreated, EventType.NodeDataChanged, EventType.NodeChildrenChanged,
      EventType.NodeDataChanged]);
    await sleep(200);
    expect(s.queuedEvents()).toEqual([]);
  });

  it('a persistent recursive watch fires for the whole subtree, without NodeChildrenChanged', async () => {
    const s = await fx.raw();
    const other = await fx.raw();
    const path = uniquePath();
    await ok(other, op.create(path));
    await ok(s, op.addWatch(path, AddWatchMode.persistentRecursive));
    await ok(other, op.create(`${path}/a`));
    await ok(other, op.create(`${path}/a/b`));
    await ok(other, op.setData(`${path}/a/b`, 'x'));
    await ok(other, op.delete(`${path}/a/b`));
    const got = [];
    for (let i = 0; i < 4; i++) { const e = await s.nextEvent(); got.push([e.type, e.path]); }
    expect(got).toEqual([[EventType.NodeCreated, `${path}/a`], [EventType.NodeCreated, `${path}/a/b`],
      [EventType.NodeDataChanged, `${path}/a/b`], [EventType.NodeDeleted, `${path}/a/b`]]);
    await sleep(200);
    expect(s.queuedEvents()).toEqual([]);
  });

  it('checkWatches / removeWatches: NOWATCHER without a watch; removal is silent on the wire', async () => {
    // DataWatchRemoved / ChildWatchRemoved are made by the client library; the server sends nothing.
    const s = await fx.raw();
    const path = uniquePath();
    await ok(s, op.create(path));
    expect(await codeOf(s, op.checkWatches(path, WatcherType.Any))).toBe(Code.NOWATCHER);
    expect(await codeOf(s, op.removeWatches(path, WatcherType.Any))).toBe(Code.NOWATCHER);
    await ok(s, op.getData(path, true));
    expect(await codeOf(s, op.checkWatches(path, WatcherType.Data))).toBe(Code.OK);
    expect(await codeOf(s, op.checkWatches(path, WatcherType.Children))).toBe(Code.NOWATCHER);
    await ok(s, op.getChildren(path, true));
    expect(await codeOf(s, op.removeWatches(path, WatcherType.Data))).toBe(Code.OK);
    expect(await codeOf(s, op.checkWatches(path, WatcherType.Data))).toBe(Code.NOWATCHER);
    expect(await codeOf(s, op.checkWatches(path, WatcherType.Children))).toBe(Code.OK);
    expect(await codeOf(s, op.removeWatches(path, WatcherType.Any))).toBe(Code.OK);
    expect(await codeOf(s, op.checkWatches(path, WatcherType.Any))).toBe(Code.NOWATCHER);
    const other = await fx.raw();
    await ok(other, op.setData(path, 'x'));
    await ok(other, op.create(`${path}/c`));
    await sleep(300);
    expect(s.arrivals.filter((a) => a.kind === 'event')).toEqual([]);
  });

  it('setWatches on a new connection: changed/deleted/created since relativeZxid fire at once, others re-arm', async () => {
    const s = await fx.raw();
    const other = await fx.raw();
    const base = uniquePath();
    await ok(other, op.create(base));
    for (const n of ['changed', 'deleted', 'same', 'kids']) await ok(other, op.create(`${base}/${n}`));
    const seen = (await ok(other, op.sync('/'))).zxid;
    await ok(other, op.setData(`${base}/changed`, 'x'));
    await ok(other, op.delete(`${base}/deleted`));
    await ok(other, op.create(`${base}/born`));
    const reply = await s.setWatches({ relativeZxid: seen,
      dataWatches: [`${base}/changed`, `${base}/deleted`, `${base}/same`], existWatches: [`${base}/born`, `${base}/unborn`],
      childWatches: [`${base}/kids`], persistentWatches: [], persistentRecursiveWatches: [] });
    expect(reply.err).toBe(0);
    const got = [];
    for (let i = 0; i < 3; i++) { const e = await s.nextEvent(); got.push(`${e.type} ${e.path}`); }
    expect(got.sort()).toEqual([`${EventType.NodeCreated} ${base}/born`, `${EventType.NodeDataChanged} ${base}/changed`,
      `${EventType.NodeDeleted} ${base}/deleted`].sort());
    await ok(other, op.setData(`${base}/same`, 'y'));
    await ok(other, op.create(`${base}/kids/k`));
    await ok(other, op.create(`${base}/unborn`));
    const later = [];
    for (let i = 0; i < 3; i++) { const e = await s.nextEvent(); later.push(`${e.type} ${e.path}`); }
    expect(later.sort()).toEqual([`${EventType.NodeCreated} ${base}/unborn`, `${EventType.NodeChildrenChanged} ${base}/kids`,
      `${EventType.NodeDataChanged} ${base}/same`].sort());
  });
});
