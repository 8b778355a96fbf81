// A real client from npm (node-zookeeper-client) with a connect string of all
// three members keeps its session across a kill -9 of the leader: same
// session id, its ephemeral node still there, no expiry, writes go on.
import { describe, expect, it } from 'vitest';
import { NzkClient, ZkError } from '../support/nzk.ts';
import { forEachEnsembleKind, useEnsemble } from './fixture.ts';
import { eventually, sleep, syncedData } from './ops.ts';

const SESSION_TIMEOUT_MS = 8000;
const ELECTION_TIMEOUT_MS = 30_000;
const RETRY_TIMEOUT_MS = 20_000;
const CONNECTION_LOSS = -4;

/** Retries `call` while the client reports CONNECTIONLOSS (it is reconnecting), bounded. */
async function retryOnConnectionLoss<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RETRY_TIMEOUT_MS;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ZkError) || err.code !== CONNECTION_LOSS || Date.now() > deadline) throw err;
      await sleep(200);
    }
  }
}

forEachEnsembleKind('node-zookeeper-client across a leader kill', (kind) => {
  describe('3 voters, connect string of all members', () => {
    const ensemble = useEnsemble(kind, { voters: 3 });

    it('keeps its session, its ephemeral node and its ability to write', async () => {
      const e = ensemble();
      const leader = await e.waitForLeader();
      const client = await NzkClient.connect(e.connectString(), { sessionTimeoutMs: SESSION_TIMEOUT_MS });
      try {
        const sessionId = client.sessionId;
        await client.create('/client-failover', Buffer.from('before'));
        await client.create('/client-failover/owner', Buffer.from('ephemeral'), 1);
        await e.kill(leader);
        const newLeader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
        expect(newLeader.id).not.toBe(leader.id);
        await retryOnConnectionLoss(() => client.setData('/client-failover', Buffer.from('after')));
        expect(client.sessionId).toBe(sessionId);
        // Its server went away (the leader) or stopped serving (a follower, while it re-elected).
        expect(client.states).toContain('DISCONNECTED');
        expect(client.states).not.toContain('EXPIRED');
        const owner = await retryOnConnectionLoss(() => client.exists('/client-failover/owner'));
        expect(owner?.ephemeralOwner).toBe(sessionId);
        for (const m of e.members.filter((x) => e.isRunning(x))) {
          expect(await syncedData(m, '/client-failover'), `server.${m.id}`).toBe('after');
          expect(await syncedData(m, '/client-failover/owner'), `server.${m.id}`).toBe('ephemeral');
        }
        // Still live some session timeouts later: the new leader tracks the session.
        await sleep(SESSION_TIMEOUT_MS + 2000);
        expect(client.states).not.toContain('EXPIRED');
        expect((await retryOnConnectionLoss(() => client.getData('/client-failover'))).data?.toString()).toBe('after');
      } finally {
        await client.close();
      }
      await eventually(async () => (await syncedData(e.voters.find((m) => e.isRunning(m))!, '/client-failover/owner')) === null,
        10_000, 'the ephemeral node goes when the session is closed');
    }, 90_000);
  });
});
