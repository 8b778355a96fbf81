import { describe, expect, it } from 'vitest';
import { MemDisk } from './mem-disk.ts';
import { purge } from './purge.ts';
import { recover } from './recovery.ts';
import { writeSnapshot } from './snapshot.ts';
import { makeTxn } from './test-txns.ts';
import { TxnLog } from './txn-log.ts';

const DATA = '/data';
const LOGS = '/logs';
const OPTIONS = { dataDir: DATA, dataLogDir: LOGS };

/** Log files starting at 1, 11, 21, ... each with 10 txns; a snapshot after every 10 txns (plus one at 0). */
async function history(files: number): Promise<MemDisk> {
  const disk = new MemDisk();
  await writeSnapshot(disk, DATA, 0, new Uint8Array(0));
  const log = await TxnLog.open(disk, { dataLogDir: LOGS, preAllocSizeBytes: 128 });
  for (let f = 0; f < files; f++) {
    log.rollLog();
    for (let i = 1; i <= 10; i++) log.append(makeTxn(f * 10 + i));
    await log.commit();
    // A fuzzy snapshot: taken at zxid 5 into the file, so replay needs this file's tail.
    await writeSnapshot(disk, DATA, f * 10 + 5, new Uint8Array(0));
  }
  return disk;
}

const names = async (disk: MemDisk, dir: string) => (await disk.list(dir)).sort();

describe('purge', () => {
  it('keeps the newest N snapshots and the logs needed to replay from the oldest kept', async () => {
    const disk = await history(6); // snapshots 0, 5, 15, 25, 35, 45, 55; logs 1, b(11), 15, 1f, 29, 33
    const result = await purge(disk, { ...OPTIONS, snapRetainCount: 3 });
    expect(result.oldestRetainedZxid).toBe(35);
    expect(await names(disk, `${DATA}/version-2`)).toEqual(['snapshot.23', 'snapshot.2d', 'snapshot.37']);
    // snapshot 35 (0x23) lies inside log.1f (31..40): that file and every later one stay.
    expect(await names(disk, `${LOGS}/version-2`)).toEqual(['log.1f', 'log.29', 'log.33']);
    expect(result.removed).toHaveLength(4 + 3);
    // Still recoverable after a crash, to the same state.
    disk.crash();
    const r = await recover(disk, OPTIONS);
    expect(r.snapshot?.zxid).toBe(55);
    expect(r.entries.map((e) => e.zxid)).toEqual([56, 57, 58, 59, 60]);
  });

  it('never keeps fewer than 3 snapshots', async () => {
    const disk = await history(5);
    const result = await purge(disk, { ...OPTIONS, snapRetainCount: 1 });
    expect(result.oldestRetainedZxid).toBe(25);
    expect((await disk.list(`${DATA}/version-2`)).length).toBe(3);
  });

  it('does nothing with fewer valid snapshots than the retain count allows to purge', async () => {
    const disk = await history(1);
    const before = await names(disk, `${LOGS}/version-2`);
    expect(await purge(disk, { ...OPTIONS, snapRetainCount: 3 })).toEqual({ oldestRetainedZxid: 0, removed: [] });
    expect(await names(disk, `${LOGS}/version-2`)).toEqual(before);
    expect(await purge(new MemDisk(), { ...OPTIONS, snapRetainCount: 3 })).toEqual({ oldestRetainedZxid: null, removed: [] });
  });

  it('does not count invalid snapshots among those kept', async () => {
    const disk = await history(4); // snapshots 0, 5, 15, 25, 35
    disk.corrupt(`${DATA}/version-2/snapshot.23`, 20);
    const result = await purge(disk, { ...OPTIONS, snapRetainCount: 3 });
    expect(result.oldestRetainedZxid).toBe(5); // kept: 25 (0x19), 15 (0xf), 5 — 35 is invalid
    const r = await recover(disk, OPTIONS);
    expect(r.snapshot?.zxid).toBe(25);
    expect(r.warnings.join()).toContain('snapshot.23');
  });

  it('removes leftover snapshot temp files older than the oldest kept snapshot', async () => {
    const disk = await history(4);
    await disk.write(`${DATA}/version-2/snapshot.3.tmp`, 0, Uint8Array.of(1));
    await disk.write(`${DATA}/version-2/snapshot.99.tmp`, 0, Uint8Array.of(1));
    await purge(disk, { ...OPTIONS, snapRetainCount: 3 });
    const left = await disk.list(`${DATA}/version-2`);
    expect(left).not.toContain('snapshot.3.tmp');
    expect(left).toContain('snapshot.99.tmp');
  });
});
