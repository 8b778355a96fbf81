// Issue 13 item 1 on real `zooproof server` processes: a client builds a
// 20,000-level chain with ordinary creates (paths total 400 MB: the chain's
// size grows with the square of its depth), then
// - standalone: small writes follow until a snapshot holding the whole chain
//   is taken (snapCount 2 x depth), the txn logs are removed so that the
//   snapshot alone must hold the chain, and after a restart every level is
//   there with the same Stat;
// - 3-voter ensemble: a follower is wiped (everything in its dataDir but
//   myid) and restarted; the leader must send it a SNAP of the deep tree
//   (serialize, stream, scan, deserialize, snapshot on the follower) and the
//   follower must serve all of it, the leader still leading.
// With the recursive DataTree.walk the standalone server died at the snapshot
// (RangeError) and the leader died at the SNAP. One file, so the two heavy
// halves (about 2 GB of RSS per server) run one after the other.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createClient, type ZooKeeperClient } from '../../client/index.ts';
import { lastSyncKind } from '../ensemble/sync-log.ts';
import { Ensemble, ensembleAvailability, type EnsembleMember } from '../support/ensemble.ts';
import { freePort, LOOPBACK } from '../support/ports.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { isZooproofServerAvailable } from '../support/zooproof-server.ts';
import { buildChain, chainState, removeTxnLogs, snapshotZxids } from './chain.ts';
import { StandaloneServer } from './standalone-server.ts';

const DEPTH = 20_000;
const ROOT = '/deep';
/**
 * A snapshot at least every SNAP_COUNT txns and, as ZooKeeper randomizes it,
 * not before SNAP_COUNT / 2: none before the chain's last create (DEPTH + 2
 * txns with the session and the root), one within SNAP_COUNT txns after.
 */
const SNAP_COUNT = 2 * (DEPTH + 2);
/** setData requests in flight while waiting for that snapshot. */
const WRITE_BATCH = 500;
/** Ticks long enough for a 400 MB SNAP (initLimit) and for the leader's pause while it serializes it (syncLimit). */
const ENSEMBLE_CONFIG = { tickTimeMs: 2000, extraConfig: { initLimit: '30', syncLimit: '10' } };
const ELECTION_TIMEOUT_MS = 60_000;
/** Generous: the machine is shared; nothing here measures time. */
const TEST_TIMEOUT_MS = 240_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

describeIfAvailable('a 20,000-level chain on a standalone zooproof server', isZooproofServerAvailable(), () => {
  let server: StandaloneServer | undefined;

  afterAll(async () => {
    await server?.stop();
    if (server) rmSync(server.workDir, { recursive: true, force: true });
  }, 30_000);

  it('is snapshotted, and restarts from that snapshot alone with every level in place', async () => {
    server = new StandaloneServer(mkdtempSync(join(tmpdir(), 'zooproof-deep-standalone-')), await freePort());
    try {
      await server.start(SNAP_COUNT);
      let zk = await server.client();
      const lastZxid = await buildChain(zk, ROOT, DEPTH);
      const built = await chainState(zk, ROOT, DEPTH);
      expect(built.descendants).toBe(DEPTH);
      expect(built.deepest).not.toBeNull();

      // Small writes until a snapshot at or after the chain's last create is on disk (snapCount bounds how many).
      const covered = () => snapshotZxids(server!.dataDir).some((z) => z >= lastZxid);
      for (let sent = 0; sent < 2 * SNAP_COUNT && !covered(); sent += WRITE_BATCH) {
        await Promise.all(Array.from({ length: WRITE_BATCH }, () => zk.setData(ROOT, 'x')));
      }
      for (let i = 0; i < 1200 && !covered(); i++) await sleep(100);
      await zk.close();
      await server.stop();
      expect(covered()).toBe(true);
      expect(removeTxnLogs(server.dataDir)).toBeGreaterThan(0);

      await server.start(SNAP_COUNT);
      zk = await server.client();
      const restarted = await chainState(zk, ROOT, DEPTH);
      await zk.close();
      expect(restarted).toEqual(built);
    } catch (err) {
      process.stderr.write(`server log tail:\n${server.logTail()}\n`);
      throw err;
    } finally {
      await server.stop();
    }
  }, TEST_TIMEOUT_MS);
});

describeIfAvailable('a 20,000-level chain in a zooproof ensemble', ensembleAvailability('zooproof'), () => {
  let e: Ensemble | undefined;

  afterAll(async () => {
    await e?.stop();
  }, 60_000);

  it('reaches a wiped follower by SNAP, and the follower serves all of it', async () => {
    e = await Ensemble.start('zooproof', { voters: 3, ...ENSEMBLE_CONFIG });
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
    } finally {
      await e.stop();
    }
  }, TEST_TIMEOUT_MS);
});
