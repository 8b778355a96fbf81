// TxnLog.writeUnsynced: the write path of the planted bug ack-before-fsync
// (docs/planted-bugs.md). Written txns are readable at once but not durable:
// a crash loses them, unless a later commit() fsynced them.
import { describe, expect, it } from 'vitest';
import type { Disk } from './disk.ts';
import { MemDisk } from './mem-disk.ts';
import { makeTxn, zxidOf } from './test-txns.ts';
import { TxnLog } from './txn-log.ts';

const DIR = '/data';

/** A MemDisk that also offers writeDurable (as NodeDisk's O_DSYNC path), counting the durable calls. */
function countingDisk(mem: MemDisk): { disk: Disk; calls: string[] } {
  const calls: string[] = [];
  const disk: Disk = {
    list: (d) => mem.list(d), exists: (p) => mem.exists(p), size: (p) => mem.size(p),
    read: (p, o, l) => mem.read(p, o, l), write: (p, o, b) => mem.write(p, o, b), truncate: (p, s) => mem.truncate(p, s),
    fsync: (p) => { calls.push('fsync'); return mem.fsync(p); },
    writeDurable: async (p, o, b) => { calls.push('writeDurable'); await mem.write(p, o, b); await mem.fsync(p); },
    fsyncDir: (d) => { calls.push('fsyncDir'); return mem.fsyncDir(d); },
    rename: (a, b) => mem.rename(a, b), remove: (p) => mem.remove(p), mkdirp: (d) => mem.mkdirp(d),
  };
  return { disk, calls };
}

async function reopenedLastZxid(mem: MemDisk): Promise<number> {
  return (await TxnLog.open(mem, { dataLogDir: DIR, preAllocSizeBytes: 256 })).lastLoggedZxid;
}

describe('TxnLog.writeUnsynced (planted bug ack-before-fsync)', () => {
  it('control: committed txns survive a crash', async () => {
    const mem = new MemDisk();
    const log = await TxnLog.open(mem, { dataLogDir: DIR, preAllocSizeBytes: 256 });
    log.append(makeTxn(zxidOf(1, 1)));
    await log.commit();
    log.append(makeTxn(zxidOf(1, 2)));
    await log.commit();
    mem.crash();
    expect(await reopenedLastZxid(mem)).toBe(zxidOf(1, 2));
  });

  it('writes without any fsync or O_DSYNC write; a crash then loses the txn, and lastLoggedZxid never claimed it', async () => {
    const mem = new MemDisk();
    const { disk, calls } = countingDisk(mem);
    const log = await TxnLog.open(disk, { dataLogDir: DIR, preAllocSizeBytes: 256 });
    log.append(makeTxn(zxidOf(1, 1)));
    await log.commit();
    calls.length = 0;
    log.append(makeTxn(zxidOf(1, 2)));
    await log.writeUnsynced();
    expect(calls).toEqual([]);
    expect(log.hasUnsyncedWrites).toBe(true);
    expect(log.lastLoggedZxid).toBe(zxidOf(1, 1));
    expect(log.lastAppendedZxid).toBe(zxidOf(1, 2));
    mem.crash();
    expect(await reopenedLastZxid(mem)).toBe(zxidOf(1, 1));
  });

  it('the next commit() fsyncs the earlier unsynced writes too', async () => {
    const mem = new MemDisk();
    const log = await TxnLog.open(mem, { dataLogDir: DIR, preAllocSizeBytes: 256 });
    log.append(makeTxn(zxidOf(1, 1)));
    await log.writeUnsynced();
    log.append(makeTxn(zxidOf(1, 2)));
    await log.writeUnsynced();
    await log.commit();
    expect(log.hasUnsyncedWrites).toBe(false);
    expect(log.lastLoggedZxid).toBe(zxidOf(1, 2));
    mem.crash();
    expect(await reopenedLastZxid(mem)).toBe(zxidOf(1, 2));
  });
});

describe('TxnLog.truncate with dropTarget (planted bug trunc-off-by-one, ZOOKEEPER-1156)', () => {
  for (const dropTarget of [false, true]) {
    it(`truncate to (1,2) ${dropTarget ? 'loses' : 'keeps'} (1,2)`, async () => {
      const mem = new MemDisk();
      const log = await TxnLog.open(mem, { dataLogDir: DIR, preAllocSizeBytes: 256 });
      for (let c = 1; c <= 4; c++) log.append(makeTxn(zxidOf(1, c)));
      await log.commit();
      const last = await log.truncate(zxidOf(1, 2), { dropTarget });
      expect(last).toBe(dropTarget ? zxidOf(1, 1) : zxidOf(1, 2));
      mem.crash();
      expect(await reopenedLastZxid(mem)).toBe(last);
    });
  }
});
