// The disk executor's written-only persists (planted bug ack-before-fsync,
// docs/planted-bugs.md): answered before any fsync, lost by a crash, fsynced
// at the latest before the next other disk op (or after a delay).
import { describe, expect, it } from 'vitest';
import { MemDisk } from '../../storage/mem-disk.ts';
import { recover } from '../../storage/recovery.ts';
import { writeEpoch } from '../../storage/epoch-files.ts';
import { TxnLog } from '../../storage/txn-log.ts';
import type { ZabEvent } from '../../zab/events.ts';
import { loadDatabase } from './database-loader.ts';
import { DiskExecutor, type DiskOp } from './disk-executor.ts';
import { createTxn, TreeHost } from './test-host.ts';

const DIRS = { dataDir: '/data', dataLogDir: '/data' };
const z = (counter: number) => 0x100000000 + counter;
const txn = (counter: number) => ({ zxid: z(counter), data: createTxn(z(counter), `/n${counter}`, `v${counter}`) });

async function setup() {
  const disk = new MemDisk();
  const host = new TreeHost();
  await loadDatabase(disk, DIRS, host, 500, () => undefined);
  await writeEpoch(disk, DIRS.dataDir, 'acceptedEpoch', 1);
  await writeEpoch(disk, DIRS.dataDir, 'currentEpoch', 1);
  const txnLog = await TxnLog.open(disk, { dataLogDir: DIRS.dataLogDir, preAllocSizeBytes: 4096 });
  const events: ZabEvent[] = [];
  let settle: () => void = () => undefined;
  const executor = new DiskExecutor({
    disk, dirs: DIRS, txnLog, tree: host, commitLogCount: 500, log: () => undefined,
    onEvent: (e) => { events.push(e); settle(); }, onFatal: () => undefined,
    unsyncedFsyncDelayMs: 3_600_000, // never fires within a test: only the next other op syncs
  });
  const run = async (ops: DiskOp[], count: number) => {
    const done = new Promise<void>((resolve) => { settle = () => { if (events.length >= count) resolve(); }; });
    for (const op of ops) executor.enqueue(op);
    await done;
  };
  return { disk, txnLog, executor, events, run };
}

describe('DiskExecutor written-only persists (planted bug ack-before-fsync)', () => {
  it('answers before the fsync: a crash then loses the txn it answered for', async () => {
    const s = await setup();
    await s.run([{ kind: 'persist', token: 1, txns: [txn(1)] }, { kind: 'persist', token: 2, txns: [txn(2)], writtenOnly: true }], 2);
    expect(s.events).toEqual([{ type: 'diskDone', token: 1 }, { type: 'diskDone', token: 2 }]);
    expect(s.txnLog.lastLoggedZxid).toBe(z(1));
    await s.executor.stop();
    s.disk.crash();
    expect((await recover(s.disk, DIRS)).entries.map((e) => e.zxid)).toEqual([z(1)]);
  });

  it('control: the same persist without the bug survives the crash', async () => {
    const s = await setup();
    await s.run([{ kind: 'persist', token: 1, txns: [txn(1)] }, { kind: 'persist', token: 2, txns: [txn(2)] }], 2);
    await s.executor.stop();
    s.disk.crash();
    expect((await recover(s.disk, DIRS)).entries.map((e) => e.zxid)).toEqual([z(1), z(2)]);
  });

  it('the next other disk op fsyncs the written-only txns first', async () => {
    const s = await setup();
    await s.run([{ kind: 'persist', token: 1, txns: [txn(1)], writtenOnly: true }, { kind: 'epoch', token: 2, file: 'currentEpoch', epoch: 1 }], 2);
    expect(s.txnLog.lastLoggedZxid).toBe(z(1));
    await s.executor.stop();
    s.disk.crash();
    expect((await recover(s.disk, DIRS)).entries.map((e) => e.zxid)).toEqual([z(1)]);
  });
});
