// The disk executor over an in-memory disk: order, group commit, fatal
// failures, ZOOKEEPER-4712 draining before a reload, TRUNC and takeSnapshot.
import { describe, expect, it } from 'vitest';
import { FaultyDisk } from '../../storage/faulty-disk.ts';
import { MemDisk } from '../../storage/mem-disk.ts';
import { recover } from '../../storage/recovery.ts';
import { readEpoch, writeEpoch } from '../../storage/epoch-files.ts';
import { TxnLog } from '../../storage/txn-log.ts';
import type { ZabEvent } from '../../zab/events.ts';
import { loadDatabase } from './database-loader.ts';
import { DiskExecutor, type DiskOp } from './disk-executor.ts';
import { createTxn, TreeHost } from './test-host.ts';

const DIRS = { dataDir: '/data', dataLogDir: '/data' };
const z = (counter: number) => 0x100000000 + counter;
const txn = (counter: number, tag = 'n') => ({ zxid: z(counter), data: createTxn(z(counter), `/${tag}${counter}`, `v${counter}`) });

async function setup() {
  const disk = new FaultyDisk(new MemDisk(), async () => undefined);
  const host = new TreeHost();
  await loadDatabase(disk, DIRS, host, 500, () => undefined);
  // The txns below are of epoch 1: a server logs them only after adopting it.
  await writeEpoch(disk, DIRS.dataDir, 'acceptedEpoch', 1);
  await writeEpoch(disk, DIRS.dataDir, 'currentEpoch', 1);
  const txnLog = await TxnLog.open(disk, { dataLogDir: DIRS.dataLogDir, preAllocSizeBytes: 4096 });
  const events: ZabEvent[] = [];
  const fatal: string[] = [];
  let settle: () => void = () => undefined;
  const executor = new DiskExecutor({
    disk, dirs: DIRS, txnLog, tree: host, commitLogCount: 500, log: () => undefined,
    onEvent: (e) => { events.push(e); settle(); }, onFatal: (r) => { fatal.push(r); settle(); },
  });
  /** Enqueues ops and waits until `count` events (or a fatal failure) arrived. */
  const run = async (ops: DiskOp[], count: number) => {
    const done = new Promise<void>((resolve) => {
      settle = () => { if (events.length >= count || fatal.length > 0) resolve(); };
    });
    for (const op of ops) executor.enqueue(op);
    await done;
  };
  return { disk, host, txnLog, executor, events, fatal, run };
}

describe('DiskExecutor', () => {
  it('answers persists in order, once durable, sharing fsyncs', async () => {
    const s = await setup();
    await s.run([1, 2, 3].map((c) => ({ kind: 'persist', token: c, txns: [txn(c)] })), 3);
    expect(s.events).toEqual([1, 2, 3].map((token) => ({ type: 'diskDone', token })));
    expect(s.txnLog.lastLoggedZxid).toBe(z(3));
    const recovered = await recover(s.disk, DIRS);
    expect(recovered.entries.map((e) => e.zxid)).toEqual([z(1), z(2), z(3)]);
  });

  it('writes epoch files atomically', async () => {
    const s = await setup();
    await s.run([{ kind: 'epoch', token: 7, file: 'acceptedEpoch', epoch: 4 }], 1);
    expect(s.events).toEqual([{ type: 'diskDone', token: 7 }]);
    expect(await readEpoch(s.disk, DIRS.dataDir, 'acceptedEpoch')).toBe(4);
  });

  it('stops at the first failure: nothing after it runs or is answered', async () => {
    const s = await setup();
    s.disk.setFsyncFail(true);
    await s.run([{ kind: 'persist', token: 1, txns: [txn(1)] }, { kind: 'epoch', token: 2, file: 'currentEpoch', epoch: 2 }], 1);
    expect(s.fatal).toHaveLength(1);
    expect(s.fatal[0]).toMatch(/disk failure in persist/);
    expect(s.events).toEqual([]);
    s.disk.setFsyncFail(false);
    s.executor.enqueue({ kind: 'epoch', token: 3, file: 'currentEpoch', epoch: 3 });
    await new Promise((r) => setTimeout(r, 20));
    expect(s.events).toEqual([]);
    expect(await readEpoch(s.disk, DIRS.dataDir, 'currentEpoch')).toBe(1);
  });

  it('drains log writes queued before a reload, then replays snapshot + whole log into the tree (ZOOKEEPER-4712)', async () => {
    const s = await setup();
    s.disk.setFsyncDelayMs(5);
    await s.run([
      { kind: 'persist', token: 1, txns: [txn(1)] },
      { kind: 'persist', token: 2, txns: [txn(2)] },
      { kind: 'reload' },
    ], 3);
    expect(s.fatal).toEqual([]);
    expect(s.events.slice(0, 2)).toEqual([{ type: 'diskDone', token: 1 }, { type: 'diskDone', token: 2 }]);
    const loaded = s.events[2]!;
    expect(loaded.type).toBe('databaseLoaded');
    if (loaded.type !== 'databaseLoaded') return;
    expect(loaded.database.lastLoggedZxid).toBe(z(2));
    expect(loaded.database.committedLog.map((t) => t.zxid)).toEqual([z(1), z(2)]);
    expect(s.host.applied).toEqual([z(1), z(2)]);
    expect(s.host.contents()).toEqual([`/n1=v1@${z(1)}`, `/n2=v2@${z(2)}`]);
  });

  it('TRUNC cuts the log after the zxid and reloads the tree from disk', async () => {
    const s = await setup();
    await s.run([1, 2, 3, 4].map((c) => ({ kind: 'persist', token: c, txns: [txn(c)] })), 4);
    s.host.applyCommitted(z(1), txn(1).data);
    await s.run([{ kind: 'truncate', token: 9, zxid: z(2) }], 5);
    expect(s.fatal).toEqual([]);
    expect(s.events[4]).toEqual({ type: 'diskDone', token: 9 });
    expect(s.host.applied).toEqual([z(1), z(2)]);
    expect((await recover(s.disk, DIRS)).lastZxid).toBe(z(2));
    await s.run([{ kind: 'persist', token: 10, txns: [txn(3, 'other')] }], 6);
    expect((await recover(s.disk, DIRS)).entries.map((e) => e.zxid)).toEqual([z(1), z(2), z(3)]);
  });

  it('takeSnapshot writes the captured tree and discards logged txns above it', async () => {
    const s = await setup();
    await s.run([1, 2, 3].map((c) => ({ kind: 'persist', token: c, txns: [txn(c)] })), 3);
    const other = new TreeHost();
    other.applyCommitted(z(1), txn(1, 'snap').data);
    const body = other.snapshotTree().body;
    await s.run([{ kind: 'snapshot', token: 4, zxid: z(1), body }], 4);
    expect(s.events[3]).toEqual({ type: 'diskDone', token: 4 });
    const recovered = await recover(s.disk, DIRS);
    expect(recovered.snapshot?.zxid).toBe(z(1));
    expect(recovered.entries).toEqual([]);
    await s.run([{ kind: 'persist', token: 5, txns: [txn(2, 'next')] }], 5);
    expect((await recover(s.disk, DIRS)).entries.map((e) => e.zxid)).toEqual([z(2)]);
  });

  it('fast-forward: after the queued writes drain, the kept tree gets the logged txns; no reload', async () => {
    const s = await setup();
    s.disk.setFsyncDelayMs(5);
    s.host.applyCommitted(z(1), txn(1).data);
    const resetsBefore = s.host.resets;
    const database = { acceptedEpoch: 1, currentEpoch: 1, lastLoggedZxid: z(3), committedLog: [txn(1), txn(2), txn(3)] };
    await s.run([
      { kind: 'persist', token: 1, txns: [txn(1)] },
      { kind: 'persist', token: 2, txns: [txn(2), txn(3)] },
      { kind: 'fastForward', txns: [txn(2), txn(3)], database },
    ], 3);
    expect(s.fatal).toEqual([]);
    expect(s.events[2]).toEqual({ type: 'databaseLoaded', database });
    expect(s.host.resets).toBe(resetsBefore);
    expect(s.host.applied).toEqual([z(1), z(2), z(3)]);
    // Same tree as a reload of the disk gives.
    const reloaded = new TreeHost();
    await loadDatabase(s.disk, DIRS, reloaded, 500, () => undefined);
    expect(s.host.contents()).toEqual(reloaded.contents());
  });

  it('fast-forward falls back to the full reload when the log does not end where the core expects', async () => {
    const s = await setup();
    const logs: string[] = [];
    const executor = new DiskExecutor({
      disk: s.disk, dirs: DIRS, txnLog: s.txnLog, tree: s.host, commitLogCount: 500, log: (m) => logs.push(m),
      onEvent: (e) => s.events.push(e), onFatal: () => undefined,
    });
    await s.run([{ kind: 'persist', token: 1, txns: [txn(1)] }, { kind: 'persist', token: 2, txns: [txn(2)] }], 2);
    const database = { acceptedEpoch: 1, currentEpoch: 1, lastLoggedZxid: z(1), committedLog: [txn(1)] };
    executor.enqueue({ kind: 'fastForward', txns: [txn(1)], database });
    for (let i = 0; i < 100 && s.events.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    const loaded = s.events[2];
    expect(loaded?.type === 'databaseLoaded' && loaded.database.lastLoggedZxid).toBe(z(2));
    expect(logs.join('\n')).toContain('full reload');
    expect(s.host.applied).toEqual([z(1), z(2)]);
  });
});
