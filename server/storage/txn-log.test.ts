import { describe, expect, it } from 'vitest';
import { adler32 } from './adler32.ts';
import { FaultyDisk } from './faulty-disk.ts';
import { TXNLOG_MAGIC } from './log-format.ts';
import { MemDisk } from './mem-disk.ts';
import { collect, makeTxn, tagOf, zxidOf } from './test-txns.ts';
import { TxnLog, paddedFileSize } from './txn-log.ts';

const DIR = '/data';
const LOG_DIR = '/data/version-2';
const PREALLOC = 256;

async function openLog(disk: MemDisk | FaultyDisk, preAllocSizeBytes = PREALLOC) {
  return TxnLog.open(disk, { dataLogDir: DIR, preAllocSizeBytes });
}

function manualSleep() {
  const waiting: (() => void)[] = [];
  return { waiting, sleep: () => new Promise<void>((resolve) => waiting.push(resolve)) };
}

/** Lets every already-resolvable promise chain run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('TxnLog format and round trip', () => {
  it('writes log.<hex zxid> with a ZKLG header, checksummed records, 0x42 trailers and zero padding', async () => {
    const disk = new MemDisk();
    const log = await openLog(disk);
    const first = zxidOf(1, 1);
    log.append(makeTxn(first));
    log.append(makeTxn(first + 1));
    await log.commit();
    expect(await disk.list(LOG_DIR)).toEqual(['log.100000001']);
    const bytes = await disk.read(`${LOG_DIR}/log.100000001`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getInt32(0)).toBe(TXNLOG_MAGIC);
    expect(view.getInt32(4)).toBe(2);
    expect(view.getBigInt64(8)).toBe(0n);
    const txn = makeTxn(first);
    expect(view.getBigInt64(16)).toBe(BigInt(adler32(txn)));
    expect(view.getInt32(24)).toBe(txn.length);
    expect(bytes.subarray(28, 28 + txn.length)).toEqual(txn);
    expect(bytes[28 + txn.length]).toBe(0x42);
    expect(bytes.length % PREALLOC).toBe(0);
    const dataEnd = 16 + 2 * (txn.length + 13);
    expect(bytes.length).toBeGreaterThan(dataEnd);
    expect(bytes.subarray(dataEnd).every((b) => b === 0)).toBe(true);
  });

  it('reads back what it committed, across rolled files and a reopen', async () => {
    const disk = new MemDisk();
    const log = await openLog(disk);
    for (let i = 1; i <= 3; i++) log.append(makeTxn(i));
    log.rollLog();
    for (let i = 4; i <= 6; i++) log.append(makeTxn(i));
    await log.commit();
    expect((await disk.list(LOG_DIR)).sort()).toEqual(['log.1', 'log.4']);
    expect((await collect(log.readFrom(2))).map((e) => tagOf(e.txn))).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
    const reopened = await openLog(disk);
    expect(reopened.lastLoggedZxid).toBe(6);
    reopened.append(makeTxn(7));
    await reopened.commit();
    expect((await disk.list(LOG_DIR)).sort()).toEqual(['log.1', 'log.4', 'log.7']);
    expect((await collect(reopened.readFrom(0))).map((e) => e.zxid)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('refuses a zxid that does not increase, and a txn without a TxnHeader', async () => {
    const log = await openLog(new MemDisk());
    log.append(makeTxn(5));
    expect(() => log.append(makeTxn(5))).toThrow(expect.objectContaining({ code: 'INVARIANT' }));
    expect(() => log.append(new Uint8Array(10))).toThrow(expect.objectContaining({ code: 'BAD_ENTRY' }));
  });

  it('pads like FilePadding', () => {
    expect(paddedFileSize(100, 16, 1024)).toBe(1024);
    expect(paddedFileSize(100, 1024, 1024)).toBe(2048); // within 4 KiB of the end: grow
    expect(paddedFileSize(100, 10_000, 1024)).toBe(10_000);
    expect(paddedFileSize(5000, 1024, 1024)).toBe(5120);
    expect(paddedFileSize(100, 16, 0)).toBe(16);
  });
});

describe('TxnLog group commit', () => {
  it('resolves each commit only after an fsync covering its entries; waiters share one fsync', async () => {
    const mem = new MemDisk();
    const clock = manualSleep();
    const disk = new FaultyDisk(mem, clock.sleep);
    const log = await openLog(disk);
    log.append(makeTxn(1));
    await log.commit(); // creates the file (file + dir fsync), no delay yet
    disk.setFsyncDelayMs(5);
    const done: string[] = [];
    log.append(makeTxn(2));
    const c1 = log.commit().then(() => done.push('c1'));
    await settle();
    log.append(makeTxn(3));
    const c2 = log.commit().then(() => done.push('c2'));
    log.append(makeTxn(4));
    const c3 = log.commit().then(() => done.push('c3'));
    await settle();
    expect(clock.waiting).toHaveLength(1); // one fsync in flight, for zxid 2
    expect(done).toEqual([]);
    expect(mem.pendingOps('/data/version-2/log.1').length).toBeGreaterThan(0);
    clock.waiting.shift()!();
    await c1;
    expect(done).toEqual(['c1']);
    await settle();
    expect(clock.waiting).toHaveLength(1); // one fsync for both zxid 3 and 4
    expect(log.lastLoggedZxid).toBe(2);
    clock.waiting.shift()!();
    await Promise.all([c2, c3]);
    expect(done.sort()).toEqual(['c1', 'c2', 'c3']);
    expect(mem.pendingOps('/data/version-2/log.1')).toHaveLength(0);
    expect(log.lastLoggedZxid).toBe(4);
  });

  it('an fsync failure rejects every waiter and blocks the log until it is reopened', async () => {
    const mem = new MemDisk();
    const disk = new FaultyDisk(mem, async () => undefined);
    const log = await openLog(disk);
    log.append(makeTxn(1));
    await log.commit();
    disk.setFsyncFail(true);
    log.append(makeTxn(2));
    const c1 = log.commit();
    log.append(makeTxn(3));
    const c2 = log.commit();
    await expect(c1).rejects.toMatchObject({ code: 'LOG_FAILED' });
    await expect(c2).rejects.toMatchObject({ code: 'LOG_FAILED' });
    disk.setFsyncFail(false);
    expect(() => log.append(makeTxn(4))).toThrow(expect.objectContaining({ code: 'LOG_FAILED' }));
    await expect(log.commit()).rejects.toMatchObject({ code: 'LOG_FAILED' });
    expect(log.lastLoggedZxid).toBe(1);
    const reopened = await openLog(disk);
    reopened.append(makeTxn(reopened.lastLoggedZxid + 10));
    await reopened.commit();
  });

  it('commit with nothing appended resolves at once', async () => {
    const log = await openLog(new MemDisk());
    await log.commit();
    expect(log.lastLoggedZxid).toBe(0);
  });
});

describe('TxnLog truncate (Zab TRUNC)', () => {
  async function threeFiles() {
    const disk = new MemDisk();
    const log = await openLog(disk);
    for (const range of [[1, 3], [4, 6], [7, 9]] as const) {
      for (let z = range[0]; z <= range[1]; z++) log.append(makeTxn(z));
      log.rollLog();
    }
    await log.commit();
    return { disk, log };
  }

  it('cuts after the record for zxid and deletes later files', async () => {
    const { disk, log } = await threeFiles();
    expect(await log.truncate(5)).toBe(5);
    expect((await disk.list(LOG_DIR)).sort()).toEqual(['log.1', 'log.4']);
    expect((await collect(log.readFrom(0))).map((e) => e.zxid)).toEqual([1, 2, 3, 4, 5]);
    log.append(makeTxn(zxidOf(2, 1)));
    await log.commit();
    disk.crash();
    const reopened = await openLog(disk);
    expect((await collect(reopened.readFrom(0))).map((e) => e.zxid)).toEqual([1, 2, 3, 4, 5, zxidOf(2, 1)]);
  });

  it('removes whole files when truncating before them, and nothing when truncating past the end', async () => {
    const { disk, log } = await threeFiles();
    expect(await log.truncate(9)).toBe(9);
    expect((await disk.list(LOG_DIR)).length).toBe(3);
    expect(await log.truncate(3)).toBe(3);
    expect(await disk.list(LOG_DIR)).toEqual(['log.1']);
    expect(await log.truncate(0)).toBe(0);
    expect(await disk.list(LOG_DIR)).toEqual([]);
  });

  it('never truncates below the committed zxid', async () => {
    const { log } = await threeFiles();
    await expect(log.truncate(4, { committedZxid: 6 })).rejects.toMatchObject({ code: 'TRUNCATE_BELOW_COMMITTED' });
    expect(log.lastLoggedZxid).toBe(9);
  });

  it('commits pending appends before truncating', async () => {
    const { log } = await threeFiles();
    log.append(makeTxn(10));
    log.append(makeTxn(11));
    expect(await log.truncate(10)).toBe(10);
    expect((await collect(log.readFrom(9))).map((e) => e.zxid)).toEqual([9, 10]);
  });
});

describe('TxnLog open', () => {
  it('refuses a torn tail that recovery has not repaired', async () => {
    const disk = new MemDisk();
    const log = await openLog(disk);
    log.append(makeTxn(1));
    await log.commit();
    const path = `${LOG_DIR}/log.1`;
    // Append half a record by hand.
    const record = makeTxn(2);
    const bytes = await disk.read(path);
    const end = 16 + record.length + 13;
    await disk.write(path, end, Uint8Array.of(0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 50, 9, 9));
    expect(bytes.length).toBeGreaterThan(end);
    await expect(openLog(disk)).rejects.toMatchObject({ code: 'CORRUPT_LOG' });
  });
});
