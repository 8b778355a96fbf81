// Issue 13 item 1 in a 3-voter `zooproof server` ensemble: a 20,000-level
// chain is built through the leader, then a follower is wiped (everything in
// its dataDir but myid) and restarted. The leader must send it a SNAP of the
// deep tree (serialize, stream, scan, deserialize, snapshot on the follower)
// and the follower must serve the whole chain. With the recursive walk the
// leader died at that SNAP, then the next leader, until none served.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createClient, type ZooKeeperClient } from '../../client/index.ts';
import { lastSyncKind } from '../ensemble/sync-log.ts';
import { Ensemble, ensembleAvailability, type EnsembleMember } from '../support/ensemble.ts';
import { LOOPBACK } from '../support/ports.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { buildChain, chainState } from './chain.ts';

const DEPTH = 20_000;
const ROOT = '/deep';
/** Ticks long enough for a 400 MB SNAP (initLimit) and for the leader's pause while it serializes it (syncLimit). */
const CONFIG = { tickTimeMs: 2000, extraConfig: { initLimit: '30', syncLimit: '10' } };
const ELECTION_TIMEOUT_MS = 60_000;

async function clientOn(m: EnsembleMember): Promise<ZooKeeperClient> {
  const zk = createClient(`${LOOPBACK}:${m.clientPort}`, { sessionTimeoutMs: 30_000, requestTimeoutMs: 60_000 });
  await zk.waitConnected(20_000);
  return zk;
}

/** A fresh member: nothing left in its dataDir but myid (no snapshot, log or epoch files). */
function wipe(m: EnsembleMember): void {
  const dataDir = join(m.dir, 'data');
  for (const f of readdirSync(dataDir)) if (f !== 'myid') rmSync(join(dataDir, f), { recursive: true, force: true });
}

describeIfAvailable('a 20,000-level chain in a zooproof ensemble', ensembleAvailability('zooproof'), () => {
  let e: Ensemble | undefined;

  afterAll(async () => {
    await e?.stop();
  }, 60_000);

  it('reaches a wiped follower by SNAP, and the follower serves all of it', async () => {
    e = await Ensemble.start('zooproof', { voters: 3, ...CONFIG });
    try {
      const leader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
      let zk = await clientOn(leader);
      await buildChain(zk, ROOT, DEPTH);
      const built = await chainState(zk, ROOT, DEPTH);
      await zk.close();
      expect(built.descendants).toBe(DEPTH);

      const follower = e.members.find((m) => m !== leader)!;
      await e.kill(follower);
      wipe(follower);
      const offsets = new Map(e.members.map((m) => [m.id, e!.log(m).length]));
      await e.restart(follower);
      expect((await e.waitForLeader(ELECTION_TIMEOUT_MS)).id).toBe(leader.id);
      expect(lastSyncKind(e, follower, offsets)).toBe('SNAP');

      zk = await clientOn(follower);
      const served = await chainState(zk, ROOT, DEPTH);
      await zk.close();
      expect(served).toEqual(built);
      expect(await e.mode(leader)).toBe('leader');
    } catch (err) {
      process.stderr.write(`ensemble logs:\n${e.logTails(3000)}\n`);
      throw err;
    }
  }, 180_000);
});
