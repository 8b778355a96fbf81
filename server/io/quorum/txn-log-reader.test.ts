// The leader's txn log read for a lagging learner, over an in-memory disk.
import { describe, expect, it } from 'vitest';
import { MemDisk } from '../../storage/mem-disk.ts';
import { writeSnapshot } from '../../storage/snapshot.ts';
import { makeTxn, zxidOf } from '../../storage/test-txns.ts';
import { TxnLog } from '../../storage/txn-log.ts';
import { readTxnLogAfter } from './txn-log-reader.ts';

const DIRS = { dataDir: '/data', dataLogDir: '/log' };
const z = (c: number) => zxidOf(1, c);

/** A log of (1,1)..(1,n) in two files (rolled after (1,split)), and a snapshot of `snapshotBytes` at snapshotZxid. */
async function setup(n: number, split: number, snapshotZxid: number, snapshotBytes: number): Promise<MemDisk> {
  const disk = new MemDisk();
  await writeSnapshot(disk, DIRS.dataDir, snapshotZxid, new Uint8Array(snapshotBytes));
  const log = await TxnLog.open(disk, { dataLogDir: DIRS.dataLogDir, preAllocSizeBytes: 4096 });
  for (let c = 1; c <= n; c++) {
    log.append(makeTxn(z(c)));
    if (c === split) { await log.commit(); log.rollLog(); }
  }
  await log.commit();
  await log.close();
  return disk;
}

describe('readTxnLogAfter', () => {
  it('covered: the txns after the learner\'s zxid, across log files, with their record bytes', async () => {
    const disk = await setup(10, 4, 0, 100_000);
    const read = await readTxnLogAfter(disk, DIRS, z(3), 0.33);
    expect(read.txns?.map((t) => t.zxid)).toEqual([4, 5, 6, 7, 8, 9, 10].map(z));
    expect(read.txns?.[0]?.data).toEqual(makeTxn(z(4)));
    expect(read.bytes).toBe(read.txns!.reduce((sum, t) => sum + t.data.byteLength + 13, 0));
  });

  it('the learner at the log\'s last txn: covered, nothing to send', async () => {
    const disk = await setup(5, 2, 0, 100_000);
    expect((await readTxnLogAfter(disk, DIRS, z(5), 0.33)).txns).toEqual([]);
  });

  it('no txn with the learner\'s zxid (a zxid the log never had, or beyond it): null', async () => {
    const disk = await setup(5, 2, 0, 100_000);
    expect((await readTxnLogAfter(disk, DIRS, zxidOf(1, 0), 0.33)).txns).toBeNull();
    expect((await readTxnLogAfter(disk, DIRS, z(9), 0.33)).txns).toBeNull();
    expect((await readTxnLogAfter(disk, DIRS, zxidOf(0, 7), 0.33)).summary).toMatch(/no txn with that zxid/);
  });

  it('a zxid below the newest snapshot is not trusted: null', async () => {
    const disk = await setup(10, 4, z(6), 100_000);
    expect((await readTxnLogAfter(disk, DIRS, z(5), 0.33)).summary).toMatch(/older than the newest snapshot/);
    expect((await readTxnLogAfter(disk, DIRS, z(6), 0.33)).txns?.map((t) => t.zxid)).toEqual([7, 8, 9, 10].map(z));
  });

  it('over snapshotSizeFactor x the snapshot file size: null; a negative factor disables it', async () => {
    const disk = await setup(10, 4, 0, 1000);
    const all = await readTxnLogAfter(disk, DIRS, z(1), 100);
    expect(all.txns).toHaveLength(9);
    const snapshotFileBytes = await disk.size('/data/version-2/snapshot.0');
    const factor = (all.bytes - 1) / snapshotFileBytes;
    expect((await readTxnLogAfter(disk, DIRS, z(1), factor)).summary).toMatch(/over \d+ bytes/);
    expect((await readTxnLogAfter(disk, DIRS, z(1), all.bytes / snapshotFileBytes)).txns).toHaveLength(9);
    expect((await readTxnLogAfter(disk, DIRS, z(1), -1)).txns).toBeNull();
  });
});
