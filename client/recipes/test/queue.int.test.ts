// The queue and the double barrier under a fault: the queue loses and
// duplicates nothing acknowledged; the barrier lets nobody through early.
import { expect, it } from 'vitest';
import { DoubleBarrier } from '../double-barrier.ts';
import { DistributedQueue } from '../queue.ts';
import { retrying } from '../support.ts';
import { forEachSystem, sleep, uniquePath, withTimeout } from './systems.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

forEachSystem('recipes: queue and barrier', (fx) => {
  it('queue: every acknowledged offer is taken exactly once, nothing twice, through the fault', async () => {
    const path = uniquePath('queue');
    const producers = await Promise.all([0, 1].map(() => fx.client()));
    const consumers = await Promise.all([0, 1].map(() => fx.client()));
    const acked = new Set<string>();
    const attempted = new Set<string>();
    const taken: string[] = [];
    let producing = true;
    const produce = producers.map(async (zk, p) => {
      const q = new DistributedQueue(zk, path);
      for (let i = 0; i < 40; i++) {
        const item = `p${p}-${i}`;
        attempted.add(item);
        try {
          await q.offer(item);
          acked.add(item);
          await sleep(10);
        } catch { /* indefinite offers may or may not be in the queue */ }
      }
    });
    const consume = consumers.map(async (zk) => {
      const q = new DistributedQueue(zk, path);
      while (producing) {
        const item = await q.poll();
        if (item) taken.push(text(item.data));
        else await sleep(20);
      }
    });
    await sleep(100);
    await withTimeout(Promise.all([...produce, fx.faultFor(1500)]), 90_000, 'producers');
    producing = false;
    await withTimeout(Promise.all(consume), 30_000, 'consumers');
    const drain = new DistributedQueue(consumers[0]!, path);
    for (let item = await drain.poll(); item !== null; item = await drain.poll()) taken.push(text(item.data));

    const counts = new Map<string, number>();
    for (const t of taken) counts.set(t, (counts.get(t) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect([...acked].filter((a) => !counts.has(a))).toEqual([]);
    expect(taken.filter((t) => !attempted.has(t))).toEqual([]);
    expect(acked.size).toBeGreaterThan(40);
    expect((await consumers[0]!.getChildren(path)).children).toEqual([]);
  }, 120_000);

  it('queue: takeHead waits for an offer, and times out on an empty queue', async () => {
    const path = uniquePath('queue-wait');
    const [a, b] = [await fx.client(), await fx.client()];
    const consumer = new DistributedQueue(a, path);
    const waiting = consumer.takeHead(20_000);
    await sleep(200);
    await new DistributedQueue(b, path).offer('hello');
    expect(text((await waiting).data)).toBe('hello');
    await expect(consumer.takeHead(300)).rejects.toMatchObject({ code: 'TIMEOUT' });
  }, 30_000);

  it('queue: FIFO for one producer and one consumer', async () => {
    const path = uniquePath('queue-fifo');
    const q = new DistributedQueue(await fx.client(), path);
    for (let i = 0; i < 12; i++) await q.offer(String(i));
    const out: string[] = [];
    for (let item = await q.poll(); item !== null; item = await q.poll()) out.push(text(item.data));
    expect(out).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
  }, 30_000);

  it('double barrier: nobody enters before all arrive, nobody leaves before all leave, through the fault', async () => {
    const path = uniquePath('barrier');
    const clients = await Promise.all([0, 1, 2].map(() => fx.client()));
    const barriers = clients.map((zk) => new DoubleBarrier(zk, path, 3));
    let arrived = 0;
    let entered = 0;
    const earlyEntries: number[] = [];
    const enter = barriers.map(async (b, i) => {
      await sleep(400 * i);
      arrived += 1;
      await b.enter(60_000);
      if (arrived < 3) earlyEntries.push(i);
      entered += 1;
    });
    await withTimeout(Promise.all(enter), 70_000, 'enter');
    expect(earlyEntries).toEqual([]);
    expect(entered).toBe(3);

    const fault = fx.faultFor(1500);
    let leaving = 0;
    const earlyLeaves: number[] = [];
    const leave = barriers.map(async (b, i) => {
      await sleep(500 * i);
      leaving += 1;
      await b.leave(60_000);
      if (leaving < 3) earlyLeaves.push(i);
    });
    await withTimeout(Promise.all([...leave, fault]), 70_000, 'leave');
    expect(earlyLeaves).toEqual([]);
    const zk0 = clients[0]!;
    expect((await retrying(zk0, 'test', () => zk0.getChildren(path))).children).toEqual([]);
  }, 120_000);

  it('double barrier: enter times out when too few arrive, leaving no member node', async () => {
    const path = uniquePath('barrier-timeout');
    const zk = await fx.client();
    await expect(new DoubleBarrier(zk, path, 2).enter(300)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect((await zk.getChildren(path)).children).toEqual([]);
  }, 30_000);
});
