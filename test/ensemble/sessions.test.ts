// Sessions and watches across members: the leader owns every session, so a
// session moves between servers, survives its server's death, and expires
// (ephemerals removed everywhere) on whichever server leads by then; watches
// set on one member fire for writes made through another.
import { describe, expect, it } from 'vitest';
import { Code, EventType } from '../../server/wire/index.ts';
import type { Ensemble, EnsembleMember } from '../support/ensemble.ts';
import { LOOPBACK } from '../support/ports.ts';
import { codeOf, ok, op, read } from '../support/raw-ops.ts';
import { RawSession } from '../support/raw-session.ts';
import { forEachEnsembleKind, TICK_TIME_MS, useEnsemble } from './fixture.ts';
import { createOn, eventually, openOn, syncedData } from './ops.ts';

const ELECTION_TIMEOUT_MS = 30_000;
const SHORT_SESSION_MS = 4 * TICK_TIME_MS;
/** Session timeout, rounded up to the next tick, plus a few ticks of slack (and an election where there is one). */
const EXPIRY_BOUND_MS = SHORT_SESSION_MS + 6 * TICK_TIME_MS + 10_000;

const running = (e: Ensemble) => e.members.filter((m) => e.isRunning(m));

async function followers(e: Ensemble): Promise<EnsembleMember[]> {
  const leader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
  return e.members.filter((m) => m !== leader && e.isRunning(m));
}

/** Waits until `path` is gone on every running member (read after sync). */
async function goneEverywhere(e: Ensemble, path: string, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    for (const m of running(e)) if (await syncedData(m, path) !== null) return false;
    return true;
  }, timeoutMs, `${path} removed on every member`);
}

function reconnect(m: EnsembleMember, s: RawSession, sessionTimeoutMs: number): Promise<RawSession> {
  return RawSession.connect(LOOPBACK, m.clientPort, { sessionId: s.sessionId, passwd: s.passwd, sessionTimeoutMs });
}

forEachEnsembleKind('sessions across members', (kind) => {
  describe('3 voters', () => {
    const ensemble = useEnsemble(kind, { voters: 3 });

    it('closing a session through a follower removes its ephemerals on every member', async () => {
      const e = ensemble();
      const [f] = await followers(e);
      const s = await openOn(f!);
      await ok(s, op.create('/closed-eph', { flags: 1 }));
      for (const m of e.members) expect(await syncedData(m, '/closed-eph'), `server.${m.id}`).toBe('');
      await s.close();
      await goneEverywhere(e, '/closed-eph', 5000);
    });

    it('a session moves to another member with its id and password; the ephemeral stays; a write through the old connection fails', async () => {
      const e = ensemble();
      const [a, b] = await followers(e);
      const s = await openOn(a!);
      await ok(s, op.create('/moved-eph', { flags: 1 }));
      const moved = await reconnect(b!, s, 6000);
      try {
        expect(moved.response.sessionId).toBe(s.sessionId);
        const stat = read.stat(await ok(moved, op.exists('/moved-eph')));
        expect(stat.ephemeralOwner).toBe(s.sessionId);
        // ZooKeeper: the leader now has the session on b; a write from the old connection is SESSIONMOVED
        // (or the old server has already closed that connection).
        const outcome = await s.call(op.create('/moved-write')).then((r) => r.err, () => 'connection closed');
        expect([Code.SESSIONMOVED, 'connection closed']).toContain(outcome);
        expect(await codeOf(moved, op.exists('/moved-write'))).toBe(Code.NONODE);
      } finally {
        s.drop();
        await moved.close();
      }
    });

    it('a watch set on one follower fires for a write through another member', async () => {
      const e = ensemble();
      const [a, b] = await followers(e);
      await createOn(a!, '/watched', 'v0');
      const watcher = await openOn(a!);
      try {
        await ok(watcher, op.getData('/watched', true));
        const writer = await openOn(b!);
        await ok(writer, op.setData('/watched', 'v1'));
        await writer.close();
        const event = await watcher.nextEvent(5000);
        // zxid -1: ZooKeeper 3.8.0 does not put the change's zxid in notifications (ZOOKEEPER-4655, 3.9).
        expect(event).toMatchObject({ type: EventType.NodeDataChanged, path: '/watched', zxid: -1 });
        expect(Buffer.from(read.getData(await ok(watcher, op.getData('/watched'))).data!).toString()).toBe('v1');
      } finally {
        await watcher.close();
      }
    });

    it('sequential nodes created through different members get distinct, increasing sequence numbers', async () => {
      const e = ensemble();
      await createOn(e.members[0]!, '/seq', '');
      const names: string[] = [];
      for (let round = 0; round < 2; round++) {
        for (const m of e.members) {
          const s = await openOn(m);
          names.push(read.create2(await ok(s, op.create('/seq/n-', { flags: 2 }))).path);
          await s.close();
        }
      }
      expect(names).toEqual(names.map((_, i) => `/seq/n-${String(i).padStart(10, '0')}`));
    });

    it('a session whose client vanished expires after its timeout: ephemerals go everywhere, reconnecting is refused', async () => {
      const e = ensemble();
      const [f] = await followers(e);
      const s = await openOn(f!, { sessionTimeoutMs: SHORT_SESSION_MS });
      expect(s.response.timeOut).toBe(SHORT_SESSION_MS);
      await ok(s, op.create('/vanished-eph', { flags: 1 }));
      s.drop();
      await goneEverywhere(e, '/vanished-eph', EXPIRY_BOUND_MS);
      const refused = await reconnect(f!, s, SHORT_SESSION_MS);
      expect(refused.response.timeOut).toBe(0);
      refused.drop();
    }, 60_000);

    it('a session on the killed leader survives by reconnecting to a follower', async () => {
      const e = ensemble();
      const leader = await e.waitForLeader();
      const s = await openOn(leader, { sessionTimeoutMs: 10_000 });
      await ok(s, op.create('/leader-session-eph', { flags: 1 }));
      await e.kill(leader);
      await s.closed;
      const [f] = await followers(e);
      const again = await reconnect(f!, s, 10_000);
      try {
        expect(again.response.sessionId).toBe(s.sessionId);
        expect(read.stat(await ok(again, op.exists('/leader-session-eph'))).ephemeralOwner).toBe(s.sessionId);
        await ok(again, op.create('/leader-session-write'));
      } finally {
        await again.close();
      }
      await goneEverywhere(e, '/leader-session-eph', 5000);
      await e.restart(leader);
    }, 60_000);

    it('a session whose client vanished while the leader died is expired by the new leader', async () => {
      const e = ensemble();
      const [f] = await followers(e);
      const s = await openOn(f!, { sessionTimeoutMs: SHORT_SESSION_MS });
      await ok(s, op.create('/orphan-eph', { flags: 1 }));
      s.drop();
      const leader = await e.waitForLeader();
      await e.kill(leader);
      await e.waitForLeader(ELECTION_TIMEOUT_MS);
      await goneEverywhere(e, '/orphan-eph', EXPIRY_BOUND_MS);
      await e.restart(leader);
    }, 60_000);
  });
});
