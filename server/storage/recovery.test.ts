import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StorageError } from './errors.ts';
import { encodeLogRecord } from './log-format.ts';
import { MemDisk } from './mem-disk.ts';
import { recover } from './recovery.ts';
import { writeSnapshot } from './snapshot.ts';
import { makeTxn, tagOf, zxidOf } from './test-txns.ts';
import { TxnLog } from './txn-log.ts';

const DATA = '/data';
const LOGS = '/logs';
const LOG_DIR = '/logs/version-2';
const OPTIONS = { dataDir: DATA, dataLogDir: LOGS };
const RECORD_BYTES = makeTxn(1).length + 13; // every test txn here has the same size (tags n1..n9)

/** Initial empty snapshot, then `files` log files of the given zxids, all committed. */
async function setup(files: number[][], preAllocSizeBytes = 512): Promise<MemDisk> {
  const disk = new MemDisk();
  await writeSnapshot(disk, DATA, 0, new Uint8Array(0));
  const log = await TxnLog.open(disk, { dataLogDir: LOGS, preAllocSizeBytes });
  for (const zxids of files) {
    log.rollLog();
    for (const z of zxids) log.append(makeTxn(z));
  }
  await log.commit();
  return disk;
}

const zxidsOf = (r: { entries: { zxid: number }[] }) => r.entries.map((e) => e.zxid);

describe('recover: normal cases', () => {
  it('a fresh data dir recovers to nothing', async () => {
    expect(await recover(new MemDisk(), OPTIONS)).toEqual({ snapshot: null, entries: [], lastZxid: 0, warnings: [] });
  });

  it('replays every txn after the snapshot, across files, in order', async () => {
    const disk = await setup([[1, 2, 3], [4, 5], [6]]);
    await writeSnapshot(disk, DATA, 2, new TextEncoder().encode('tree@2'));
    const r = await recover(disk, OPTIONS);
    expect(r.snapshot?.zxid).toBe(2);
    expect(zxidsOf(r)).toEqual([3, 4, 5, 6]);
    expect(r.entries.map((e) => tagOf(e.txn))).toEqual(['n3', 'n4', 'n5', 'n6']);
    expect(r.lastZxid).toBe(6);
    expect(r.warnings).toEqual([]);
  });

  it('reports the snapshot zxid as last when no txn follows it', async () => {
    const disk = await setup([[1, 2]]);
    await writeSnapshot(disk, DATA, 2, new Uint8Array(0));
    const r = await recover(disk, OPTIONS);
    expect(r.entries).toEqual([]);
    expect(r.lastZxid).toBe(2);
  });

  it('falls back to an older valid snapshot and replays from there', async () => {
    const disk = await setup([[1, 2, 3, 4]]);
    await writeSnapshot(disk, DATA, 3, new Uint8Array(4));
    disk.corrupt(`${DATA}/version-2/snapshot.3`, 18);
    const r = await recover(disk, OPTIONS);
    expect(r.snapshot?.zxid).toBe(0);
    expect(zxidsOf(r)).toEqual([1, 2, 3, 4]);
    expect(r.warnings.join()).toContain('snapshot.3');
  });

  it('accepts epoch changes and refuses a gap inside an epoch', async () => {
    const ok = await setup([[1, 2], [zxidOf(1, 1), zxidOf(1, 2)]]);
    expect(zxidsOf(await recover(ok, OPTIONS))).toEqual([1, 2, zxidOf(1, 1), zxidOf(1, 2)]);
    const gap = await setup([[1, 2], [4]]);
    await expect(recover(gap, OPTIONS)).rejects.toMatchObject({ code: 'CORRUPT_LOG', message: expect.stringContaining('missing') });
  });
});

describe('recover: snapshots', () => {
  it('refuses logs without any snapshot (MISSING_SNAPSHOT) unless told to trust an empty database', async () => {
    const disk = await setup([[1, 2]]);
    await disk.remove(`${DATA}/version-2/snapshot.0`);
    await expect(recover(disk, OPTIONS)).rejects.toMatchObject({ code: 'MISSING_SNAPSHOT' });
    const trusted = await recover(disk, { ...OPTIONS, trustEmptySnapshot: true });
    expect(zxidsOf(trusted)).toEqual([1, 2]);
    expect(trusted.warnings).toHaveLength(1);
  });

  it('refuses when snapshot files exist but none is valid', async () => {
    const disk = new MemDisk();
    await writeSnapshot(disk, DATA, 0, new Uint8Array(0));
    disk.corrupt(`${DATA}/version-2/snapshot.0`, 3);
    await expect(recover(disk, OPTIONS)).rejects.toMatchObject({ code: 'CORRUPT_SNAPSHOT' });
  });
});

describe('recover: torn tail', () => {
  const path = `${LOG_DIR}/log.1`;
  const thirdStart = 16 + 2 * RECORD_BYTES;

  /** Three committed records, then the third is torn at `cut` bytes: zeros (padding) or end of file after. */
  async function tornAt(cut: number, style: 'zeros' | 'short'): Promise<MemDisk> {
    const disk = await setup([[1, 2, 3]]);
    if (style === 'short') {
      await disk.truncate(path, thirdStart + cut);
    } else {
      await disk.write(path, thirdStart + cut, new Uint8Array(RECORD_BYTES - cut));
    }
    await disk.fsync(path);
    return disk;
  }

  const thirdRecord = encodeLogRecord(makeTxn(3));
  const writtenPrefixIsZeros = (cut: number) => thirdRecord.subarray(0, cut).every((b) => b === 0);

  it('the torn-record fixture really is the third record', () => {
    expect(thirdRecord.length).toBe(RECORD_BYTES);
    expect(writtenPrefixIsZeros(4)).toBe(true); // the checksum is a 32-bit value in a long
    expect(writtenPrefixIsZeros(8)).toBe(false);
  });

  for (const style of ['zeros', 'short'] as const) {
    it(`is cut away and reported at every cut point of the last record (${style})`, async () => {
      for (let cut = 1; cut < RECORD_BYTES; cut++) {
        const disk = await tornAt(cut, style);
        const r = await recover(disk, OPTIONS);
        expect(zxidsOf(r), `cut ${cut}`).toEqual([1, 2]);
        if (writtenPrefixIsZeros(cut)) {
          // Only zero bytes of the checksum's high half reached the disk: identical to a clean end.
          expect(r.warnings, `cut ${cut}`).toEqual([]);
        } else {
          expect(r.warnings, `cut ${cut}`).toHaveLength(1);
          expect(r.warnings[0]).toContain(path);
          expect(await disk.size(path)).toBe(thirdStart);
        }
        // The repaired log opens, takes the lost txn again, and recovers cleanly.
        const log = await TxnLog.open(disk, { dataLogDir: LOGS, preAllocSizeBytes: 512 });
        log.append(makeTxn(3));
        await log.commit();
        const again = await recover(disk, OPTIONS);
        expect(zxidsOf(again)).toEqual([1, 2, 3]);
        expect(again.warnings).toEqual([]);
      }
    });
  }

  it('a cut at the record boundary is a clean end, not a repair', async () => {
    const r = await recover(await tornAt(0, 'zeros'), OPTIONS);
    expect(zxidsOf(r)).toEqual([1, 2]);
    expect(r.warnings).toEqual([]);
  });

  it('removes a trailing log file that never got a complete record', async () => {
    const disk = await setup([[1, 2]]);
    await disk.write(`${LOG_DIR}/log.3`, 0, Uint8Array.of(0x5a, 0x4b, 0x4c));
    await disk.fsync(`${LOG_DIR}/log.3`);
    await disk.fsyncDir(LOG_DIR);
    const r = await recover(disk, OPTIONS);
    expect(zxidsOf(r)).toEqual([1, 2]);
    expect(r.warnings[0]).toContain('removed log file /logs/version-2/log.3');
    expect(await disk.exists(`${LOG_DIR}/log.3`)).toBe(false);
  });
});

describe('recover: corruption is refused', () => {
  const path = `${LOG_DIR}/log.1`;
  const second = 16 + RECORD_BYTES;

  async function corruptAt(offset: number, mask = 0xff) {
    const disk = await setup([[1, 2, 3]]);
    disk.corrupt(path, offset, mask);
    return recover(disk, OPTIONS);
  }

  it('a flipped data byte in a middle record (checksum mismatch)', async () => {
    await expect(corruptAt(second + 12 + 20)).rejects.toMatchObject({
      code: 'CORRUPT_LOG',
      message: expect.stringMatching(new RegExp(`${path} at offset ${second}: CRC`)),
    });
  });

  it('a flipped checksum byte of the last record', async () => {
    await expect(corruptAt(16 + 2 * RECORD_BYTES + 7)).rejects.toMatchObject({ code: 'CORRUPT_LOG' });
  });

  it('a middle record without its 0x42 trailer (looks torn, but valid records follow)', async () => {
    await expect(corruptAt(second + RECORD_BYTES - 1)).rejects.toMatchObject({
      code: 'CORRUPT_LOG',
      message: expect.stringContaining('valid record follows'),
    });
  });

  it('a middle record whose length was zeroed (looks like padding) or enlarged past the end', async () => {
    const lengthLowByte = second + 11;
    const disk = await setup([[1, 2, 3]]);
    await disk.write(path, second + 8, new Uint8Array(4));
    await expect(recover(disk, OPTIONS)).rejects.toMatchObject({ code: 'CORRUPT_LOG' });
    await expect(corruptAt(lengthLowByte - 1, 0x01)).rejects.toMatchObject({ code: 'CORRUPT_LOG' });
    await expect(corruptAt(lengthLowByte - 2, 0x01)).rejects.toMatchObject({ code: 'CORRUPT_LOG' });
  });

  it('a torn end in an earlier file when a later file holds records', async () => {
    const disk = await setup([[1, 2], [3, 4]]);
    await disk.truncate(path, 16 + RECORD_BYTES + 5);
    await expect(recover(disk, OPTIONS)).rejects.toMatchObject({
      code: 'CORRUPT_LOG',
      message: expect.stringContaining('log.3'),
    });
  });

  it('a bad file header', async () => {
    await expect(corruptAt(1, 0x01)).rejects.toMatchObject({ code: 'CORRUPT_LOG', message: expect.stringContaining('header') });
  });
});

describe('recover: any single damaged byte (property)', () => {
  it('either refuses with a StorageError, or returns the original txns, losing at most the last with a warning', async () => {
    const zxids = [1, 2, 3, 4, 5];
    const path = `${LOG_DIR}/log.1`;
    const fileBytes = 1024; // preallocated size for these five records
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: fileBytes - 1 }), fc.integer({ min: 1, max: 255 }), async (offset, mask) => {
        const disk = await setup([zxids], fileBytes);
        expect(await disk.size(path)).toBe(fileBytes);
        disk.corrupt(path, offset, mask);
        let r;
        try {
          r = await recover(disk, OPTIONS);
        } catch (err) {
          expect(err).toBeInstanceOf(StorageError);
          return;
        }
        const got = zxidsOf(r);
        expect(r.entries.map((e) => tagOf(e.txn))).toEqual(got.map((z) => `n${z}`));
        if (got.length === zxids.length) expect(got).toEqual(zxids);
        else {
          expect(got).toEqual(zxids.slice(0, -1));
          expect(r.warnings).toHaveLength(1);
        }
      }),
      { numRuns: 400 },
    );
  });
});
