// Integration: real drivers on 127.0.0.1 (free ports), one test process,
// data dirs in a temp dir. Elections, broadcast, leader failover, DIFF and
// SNAP rejoin, TRUNC of an old leader's uncommitted proposal.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { epochOf } from '../../zab/zxid.ts';
import { TestEnsemble } from './test-ensemble.ts';

let ensemble: TestEnsemble | null = null;

afterEach(async () => {
  await ensemble?.close();
  ensemble = null;
});

function sameContents(e: TestEnsemble, sids: number[]): string[] {
  const first = e.member(sids[0]!).host.contents();
  for (const sid of sids.slice(1)) expect(e.member(sid).host.contents(), `member ${sid}`).toEqual(first);
  return first;
}

describe('quorum driver ensemble', () => {
  it('3 servers elect one leader and apply its proposals in the same order everywhere', async () => {
    const e = ensemble = await TestEnsemble.create(3);
    await e.start(1, 2, 3);
    const leader = await e.waitStable();
    expect(leader).toBe(3); // equal (empty) histories: the largest sid wins
    const zxids = e.proposeCreates(leader, 'a', 20);
    await e.waitApplied(zxids.at(-1)!);
    const contents = sameContents(e, [1, 2, 3]);
    expect(contents).toHaveLength(20);
    for (const sid of [1, 2, 3]) expect(e.member(sid).host.applied).toEqual(zxids);
  });

  it('a new leader takes over when the leader stops, and the old one rejoins by DIFF', async () => {
    const e = ensemble = await TestEnsemble.create(3);
    await e.start(1, 2, 3);
    const first = await e.waitStable();
    const before = e.proposeCreates(first, 'before', 5);
    await e.waitApplied(before.at(-1)!);
    await e.stop(first);
    const second = await e.waitStable();
    expect(second).not.toBe(first);
    expect(epochOf(e.driver(second).lastZxid)).toBeGreaterThan(epochOf(before[0]!));
    const after = e.proposeCreates(second, 'after', 5);
    await e.waitApplied(after.at(-1)!);
    await e.start(first);
    await e.waitStable();
    await e.waitApplied(after.at(-1)!);
    expect(e.member(second).logs.some((l) => l.includes(`sync ${first}: DIFF`))).toBe(true);
    expect(sameContents(e, [1, 2, 3])).toHaveLength(10);
  });

  it('a follower far behind the committed log gets SNAP and catches up', async () => {
    const e = ensemble = await TestEnsemble.create(3, { commitLogCount: 5 });
    await e.start(1, 2, 3);
    const leader = await e.waitStable();
    const follower = leader === 1 ? 2 : 1;
    await e.stop(follower);
    const zxids = e.proposeCreates(leader, 'far', 30);
    await e.waitApplied(zxids.at(-1)!);
    await e.start(follower);
    await e.waitStable();
    await e.waitApplied(zxids.at(-1)!);
    expect(e.member(leader).logs.some((l) => l.includes(`sync ${follower}: SNAP`))).toBe(true);
    expect(sameContents(e, [1, 2, 3])).toHaveLength(30);
    // The SNAP was made durable: after a restart the follower still has everything.
    await e.stop(follower);
    await e.start(follower);
    await e.waitStable();
    expect(sameContents(e, [1, 2, 3])).toHaveLength(30);
  });

  it('an old leader is truncated (TRUNC) past a proposal that never committed', async () => {
    const e = ensemble = await TestEnsemble.create(3);
    await e.start(1, 2, 3);
    const old = await e.waitStable();
    const committed = e.proposeCreates(old, 'c', 3);
    await e.waitApplied(committed.at(-1)!);
    const others = [1, 2, 3].filter((s) => s !== old);
    await e.stop(...others);
    const [doomed] = e.proposeCreates(old, 'doomed', 1);
    await e.waitFor('the doomed proposal logged on the old leader', () => e.driver(old).lastLoggedZxid >= doomed!);
    await e.stop(old);
    await e.start(...others);
    const next = await e.waitStable();
    await e.start(old);
    await e.waitStable();
    expect(e.member(next).logs.some((l) => l.includes(`sync ${old}: TRUNC`))).toBe(true);
    const after = e.proposeCreates(next, 'n', 2);
    await e.waitApplied(after.at(-1)!);
    const contents = sameContents(e, [1, 2, 3]);
    expect(contents.some((c) => c.startsWith('/doomed'))).toBe(false);
    expect(contents).toHaveLength(5);
    if (process.env.QUORUM_DEBUG) console.log(e.dump());
  });

  it('an observer follows the leader and applies what it commits', async () => {
    const e = ensemble = await TestEnsemble.create(3, {}, { observers: 1 });
    await e.start(1, 2, 3, 4);
    const leader = await e.waitStable();
    expect(e.driver(4).state).toBe('OBSERVING');
    expect(e.driver(leader).syncedFollowerCount).toBe(2);
    expect(e.driver(leader).syncedObserverCount).toBe(1);
    const zxids = e.proposeCreates(leader, 'o', 5);
    await e.waitApplied(zxids.at(-1)!);
    expect(sameContents(e, [1, 2, 3, 4])).toHaveLength(5);
  });

  it('a disk failure on the leader stops it with one reason; the others carry on', async () => {
    const e = ensemble = await TestEnsemble.create(3);
    await e.start(1, 2, 3);
    const leader = await e.waitStable();
    const d = e.driver(leader);
    d.disk.setFsyncFail(true);
    e.proposeCreates(leader, 'x', 1);
    const reason = await d.failed;
    expect(reason).toMatch(/disk failure in persist/);
    expect(d.running).toBe(false);
    e.member(leader).driver = null;
    const next = await e.waitStable();
    expect(next).not.toBe(leader);
    const zxids = e.proposeCreates(next, 'y', 3);
    await e.waitApplied(zxids.at(-1)!);
    expect(e.member(next).host.contents().filter((c) => c.startsWith('/y'))).toHaveLength(3);
  });

  it('takes periodic snapshots (snapCount) and recovers from them after a restart', async () => {
    const e = ensemble = await TestEnsemble.create(3, { snapCount: 4 });
    await e.start(1, 2, 3);
    const leader = await e.waitStable();
    for (let round = 0; round < 5; round++) {
      const zxids = e.proposeCreates(leader, `p${round}`, 4);
      await e.waitApplied(zxids.at(-1)!);
    }
    for (const sid of [1, 2, 3]) expect(e.member(sid).logs.some((l) => l.includes('snapshot taken at')), `member ${sid}`).toBe(true);
    await e.stop(1, 2, 3);
    await e.start(1, 2, 3);
    await e.waitStable();
    for (const sid of [1, 2, 3]) {
      expect(e.member(sid).logs.filter((l) => l.includes('loaded database')).at(-1)).not.toMatch(/snapshot 0x0,/);
    }
    expect(sameContents(e, [1, 2, 3])).toHaveLength(20);
  });

  it('commits through a slow follower disk (fsync delay)', async () => {
    const e = ensemble = await TestEnsemble.create(3);
    await e.start(1, 2, 3);
    const leader = await e.waitStable();
    const slow = leader === 1 ? 2 : 1;
    e.driver(slow).disk.setFsyncDelayMs(30);
    const zxids = e.proposeCreates(leader, 's', 10);
    await e.waitApplied(zxids.at(-1)!);
    expect(sameContents(e, [1, 2, 3])).toHaveLength(10);
  });

  it('start() fails cleanly when the election port is taken', async () => {
    const e = ensemble = await TestEnsemble.create(3);
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: e.servers[0]!.electionPort }, () => r()));
    try {
      await expect(e.start(1)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
    expect(e.member(1).driver).toBeNull();
    await e.start(1, 2);
    await e.waitStable();
  });

  it('every committed txn survives all servers losing their unsynced writes at once (in-memory disks)', async () => {
    const e = ensemble = await TestEnsemble.create(3, {}, { memDisks: true });
    await e.start(1, 2, 3);
    const leader = await e.waitStable();
    const committed: number[] = [];
    for (let round = 0; round < 5; round++) {
      const zxids = e.proposeCreates(leader, `r${round}`, 10);
      await e.waitApplied(zxids.at(-1)!, [leader]);
      committed.push(...zxids);
    }
    // Proposed but maybe not yet durable anywhere: may or may not survive.
    e.proposeCreates(leader, 'inflight', 10);
    for (const sid of [1, 2, 3]) e.member(sid).memDisk!.crash();
    await e.stop(1, 2, 3);
    await e.start(1, 2, 3);
    await e.waitStable();
    const contents = sameContents(e, [1, 2, 3]);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 10; i++) expect(contents.some((c) => c.startsWith(`/r${round}-${i}=`))).toBe(true);
    }
    expect(contents.filter((c) => c.startsWith('/r'))).toHaveLength(committed.length);
  });

  it('stop() during start() releases the ports', async () => {
    const e = ensemble = await TestEnsemble.create(3);
    const starting = e.start(1);
    await e.stop(1);
    await expect(starting).rejects.toThrow(/stopped while starting/);
    await e.start(1, 2, 3);
    await e.waitStable();
  });

  it('5 servers: broadcast, leader failover, and a restarted member catches up', async () => {
    const e = ensemble = await TestEnsemble.create(5);
    await e.start(1, 2, 3, 4, 5);
    const first = await e.waitStable();
    const a = e.proposeCreates(first, 'a', 10);
    await e.waitApplied(a.at(-1)!);
    await e.stop(first);
    const second = await e.waitStable();
    const b = e.proposeCreates(second, 'b', 10);
    await e.waitApplied(b.at(-1)!);
    await e.start(first);
    await e.waitStable();
    await e.waitApplied(b.at(-1)!);
    expect(sameContents(e, [1, 2, 3, 4, 5])).toHaveLength(20);
  });
});
