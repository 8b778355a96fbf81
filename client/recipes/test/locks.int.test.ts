// Locks and the leader latch under a fault: never two holders whose lock
// nodes (hence sessions) are both still live.
import { expect, it } from 'vitest';
import { createClient, type ZooKeeperClient } from '../../index.ts';
import { ExclusiveLock } from '../lock.ts';
import { LeaderLatch } from '../leader-latch.ts';
import type { LockHandle } from '../lock-engine.ts';
import { ReadWriteLock } from '../rw-lock.ts';
import { retrying } from '../support.ts';
import { forEachSystem, sleep, uniquePath, withTimeout, type SystemFixture } from './systems.ts';

/** The observer's reads ride out the fault too (its server may be the one killed): retried on connection loss. */
const observe = <T>(zk: ZooKeeperClient, call: () => Promise<T>): Promise<T> => retrying(zk, 'observer', call);

interface Holder { who: number; kind: 'read' | 'write'; handle: LockHandle }

/** Records holds; on each new hold, any conflicting holder must have lost its node (its session is over). */
class HoldLog {
  readonly current = new Set<Holder>();
  readonly violations: string[] = [];
  holds = 0;
  maxReaders = 0;

  constructor(private readonly observer: ZooKeeperClient) {}

  async granted(h: Holder): Promise<void> {
    this.holds += 1;
    await observe(this.observer, () => this.observer.sync('/'));
    const own = await observe(this.observer, () => this.observer.exists(h.handle.nodePath!));
    if (own.stat === null) this.violations.push(`holder ${h.who} granted without a live node`);
    for (const other of this.current) {
      if (h.kind === 'read' && other.kind === 'read') continue;
      const { stat } = await observe(this.observer, () => this.observer.exists(other.handle.nodePath ?? '/nonexistent-node'));
      if (stat !== null) this.violations.push(`holders ${other.who} and ${h.who} both live (${other.handle.nodePath})`);
    }
    this.current.add(h);
    this.maxReaders = Math.max(this.maxReaders, [...this.current].filter((x) => x.kind === 'read').length);
  }

  released(h: Holder): void {
    this.current.delete(h);
  }
}

async function contend(fx: SystemFixture, makeHandle: (zk: ZooKeeperClient, who: number) => Holder,
  participants: number, holdsEach: number): Promise<HoldLog> {
  const log = new HoldLog(await fx.client());
  const clients = await Promise.all(Array.from({ length: participants }, () => fx.client()));
  const work = clients.map(async (zk, who) => {
    for (let i = 0; i < holdsEach; i++) {
      const h = makeHandle(zk, who);
      expect(await h.handle.acquire({ timeoutMs: 40_000 })).toBe(true);
      await log.granted(h);
      await sleep(30);
      log.released(h);
      await h.handle.release();
    }
  });
  await sleep(150);
  const fault = fx.faultFor(1500);
  await withTimeout(Promise.all([...work, fault]), 90_000, 'lock workload');
  return log;
}

forEachSystem('recipes: locks', (fx) => {
  it('exclusive lock: one live holder at a time through the fault', async () => {
    const path = uniquePath('lock');
    const log = await contend(fx, (zk, who) => ({ who, kind: 'write', handle: new ExclusiveLock(zk, path) }), 4, 6);
    expect(log.violations).toEqual([]);
    expect(log.holds).toBe(24);
  }, 120_000);

  it('read/write lock: readers share, writers alone, through the fault', async () => {
    const path = uniquePath('rwlock');
    const log = await contend(fx, (zk, who) => {
      const rw = new ReadWriteLock(zk, path);
      return who < 2 ? { who, kind: 'write', handle: rw.writeLock() } : { who, kind: 'read', handle: rw.readLock() };
    }, 5, 5);
    expect(log.violations).toEqual([]);
    expect(log.holds).toBe(25);
    expect(log.maxReaders).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('exclusive lock: a waiter times out and leaves no node behind', async () => {
    const path = uniquePath('lock-timeout');
    const [a, b] = [await fx.client(), await fx.client()];
    const held = new ExclusiveLock(a, path);
    expect(await held.acquire()).toBe(true);
    const waiter = new ExclusiveLock(b, path);
    expect(await waiter.acquire({ timeoutMs: 300 })).toBe(false);
    // a may sit on another server than b: sync first, or a's read may predate b's delete.
    await a.sync(path);
    expect((await a.getChildren(path)).children).toHaveLength(1);
    await held.release();
    expect(held.holdState).toBe('released');
  }, 30_000);

  it('exclusive lock: the holder learns of its expiry only after the fact', async () => {
    const path = uniquePath('lock-expiry');
    const a = await fx.client(4000);
    const b = await fx.client();
    const held = new ExclusiveLock(a, path);
    expect(await held.acquire()).toBe(true);
    const states: string[] = [];
    held.onHoldStateChange((s) => states.push(s));
    // A second connection on a's session closes it (as an expiry would end it): b gets the lock…
    const twin = createClient(fx.system().connectString, { sessionId: a.info.sessionId, sessionPasswd: a.info.sessionPasswd });
    await withTimeout(twin.waitConnected(), 10_000, 'twin');
    await twin.close();
    const next = new ExclusiveLock(b, path);
    expect(await next.acquire({ timeoutMs: 20_000 })).toBe(true);
    // …and a hears of it only when its own connection notices.
    await withTimeout((async () => { while (held.holdState !== 'lost') await sleep(50); })(), 20_000, 'a sees lost');
    expect(states).toContain('lost');
    await held.release();
    await next.release();
  }, 60_000);

  it('leader latch: at most one live leader; leadership passes on through the fault', async () => {
    const path = uniquePath('latch');
    const clients = await Promise.all([0, 1, 2].map(() => fx.client()));
    const observer = await fx.client();
    const latches = clients.map((zk) => new LeaderLatch(zk, path));
    latches.forEach((l) => l.start());
    const leaders: number[] = [];
    const violations: string[] = [];
    const fault = fx.faultFor(1500);
    for (let round = 0; round < 3; round++) {
      const winner = await withTimeout(Promise.race(latches.map(async (l, i) => {
        if (await l.awaitLeadership(40_000)) return i;
        throw new Error(`latch ${i} gave up`);
      })), 45_000, 'a leader');
      await observe(observer, () => observer.sync('/'));
      for (const [i, l] of latches.entries()) {
        if (i === winner || l.nodePath === undefined || !l.hasLeadership) continue;
        const nodePath = l.nodePath;
        if ((await observe(observer, () => observer.exists(nodePath))).stat !== null) violations.push(`latches ${i} and ${winner} lead`);
      }
      leaders.push(winner);
      await sleep(200);
      await latches[winner]!.close();
    }
    await fault;
    expect(violations).toEqual([]);
    expect(new Set(leaders).size).toBe(3);
  }, 120_000);
});
