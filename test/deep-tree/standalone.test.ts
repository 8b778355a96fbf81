// Issue 13 item 1 on a real standalone `zooproof server`: a client builds a
// 20,000-level chain with ordinary creates, a snapshot of it is forced
// (snapCount 2: the next txn triggers one), the txn logs are removed so the
// snapshot alone must hold the chain, and after a restart every level is
// there with the same Stat. Before the walk was made iterative the server
// threw RangeError at the snapshot (chains of 8,000-10,000 levels already).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../support/ports.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { isZooproofServerAvailable } from '../support/zooproof-server.ts';
import { buildChain, chainState, removeTxnLogs, snapshotZxids } from './chain.ts';
import { StandaloneServer } from './standalone-server.ts';

const DEPTH = 20_000;
const ROOT = '/deep';
/** Large enough that no snapshot is taken while the chain is built. */
const QUIET_SNAP_COUNT = 1_000_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeIfAvailable('a 20,000-level chain on a standalone zooproof server', isZooproofServerAvailable(), () => {
  let server: StandaloneServer | undefined;

  afterAll(async () => {
    await server?.stop();
    if (server) rmSync(server.workDir, { recursive: true, force: true });
  }, 30_000);

  it('is snapshotted, and restarts from that snapshot alone with every level in place', async () => {
    server = new StandaloneServer(mkdtempSync(join(tmpdir(), 'zooproof-deep-standalone-')), await freePort());
    try {
      await server.start(QUIET_SNAP_COUNT);
      let zk = await server.client();
      const lastZxid = await buildChain(zk, ROOT, DEPTH);
      const built = await chainState(zk, ROOT, DEPTH);
      await zk.close();
      expect(built.descendants).toBe(DEPTH);
      expect(built.deepest).not.toBeNull();

      // snapCount 2 snapshots after every txn: the next session's createSession snapshots the whole chain.
      await server.stop();
      await server.start(2);
      zk = await server.client();
      for (let i = 0; i < 600 && !snapshotZxids(server.dataDir).some((z) => z >= lastZxid); i++) await sleep(100);
      await zk.close();
      await server.stop();
      expect(Math.max(...snapshotZxids(server.dataDir))).toBeGreaterThanOrEqual(lastZxid);
      expect(removeTxnLogs(server.dataDir)).toBeGreaterThan(0);

      await server.start(QUIET_SNAP_COUNT);
      zk = await server.client();
      const restarted = await chainState(zk, ROOT, DEPTH);
      await zk.close();
      expect(restarted).toEqual(built);
    } catch (err) {
      process.stderr.write(`server log tail:\n${server.logTail()}\n`);
      throw err;
    }
  }, 150_000);
});
