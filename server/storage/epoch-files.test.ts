import { describe, expect, it } from 'vitest';
import { ACCEPTED_EPOCH_FILE, CURRENT_EPOCH_FILE, epochOfZxid, loadEpochs, readEpoch, writeEpoch } from './epoch-files.ts';
import { MemDisk } from './mem-disk.ts';
import { zxidOf } from './test-txns.ts';

const DATA = '/data';
const DIR = '/data/version-2';

describe('epoch files', () => {
  it('are decimal ASCII, written atomically and durably', async () => {
    const disk = new MemDisk();
    await writeEpoch(disk, DATA, CURRENT_EPOCH_FILE, 12);
    expect(new TextDecoder().decode(await disk.read(`${DIR}/currentEpoch`))).toBe('12');
    expect(await disk.exists(`${DIR}/currentEpoch.tmp`)).toBe(false);
    disk.crash();
    expect(await readEpoch(disk, DATA, CURRENT_EPOCH_FILE)).toBe(12);
    await writeEpoch(disk, DATA, CURRENT_EPOCH_FILE, 3);
    expect(await readEpoch(disk, DATA, CURRENT_EPOCH_FILE)).toBe(3);
  });

  it('read as null when absent; refuse garbage', async () => {
    const disk = new MemDisk();
    expect(await readEpoch(disk, DATA, ACCEPTED_EPOCH_FILE)).toBeNull();
    await disk.mkdirp(DIR);
    await disk.write(`${DIR}/acceptedEpoch`, 0, new TextEncoder().encode('x7'));
    await expect(readEpoch(disk, DATA, ACCEPTED_EPOCH_FILE)).rejects.toMatchObject({ code: 'BAD_EPOCH' });
    await disk.write(`${DIR}/acceptedEpoch`, 0, new TextEncoder().encode('42\n'));
    expect(await readEpoch(disk, DATA, ACCEPTED_EPOCH_FILE)).toBe(42);
  });

  it('epochOfZxid takes the high 32 bits', () => {
    expect(epochOfZxid(zxidOf(7, 0xffffffff))).toBe(7);
    expect(epochOfZxid(5)).toBe(0);
  });
});

describe('loadEpochs start-up rules', () => {
  it('creates missing files from the epoch of the last zxid', async () => {
    const disk = new MemDisk();
    const e = await loadEpochs(disk, DATA, zxidOf(4, 9));
    expect(e).toMatchObject({ acceptedEpoch: 4, currentEpoch: 4 });
    expect(e.warnings).toHaveLength(2);
    expect(await readEpoch(disk, DATA, CURRENT_EPOCH_FILE)).toBe(4);
    expect(await readEpoch(disk, DATA, ACCEPTED_EPOCH_FILE)).toBe(4);
    expect((await loadEpochs(disk, DATA, zxidOf(4, 9))).warnings).toEqual([]);
  });

  it('keeps existing epochs ahead of the data', async () => {
    const disk = new MemDisk();
    await writeEpoch(disk, DATA, CURRENT_EPOCH_FILE, 5);
    await writeEpoch(disk, DATA, ACCEPTED_EPOCH_FILE, 6);
    expect(await loadEpochs(disk, DATA, zxidOf(3, 1))).toEqual({ acceptedEpoch: 6, currentEpoch: 5, warnings: [] });
  });

  it('refuses a currentEpoch older than the last zxid, unless currentEpoch.tmp supplies it', async () => {
    const disk = new MemDisk();
    await writeEpoch(disk, DATA, CURRENT_EPOCH_FILE, 2);
    await writeEpoch(disk, DATA, ACCEPTED_EPOCH_FILE, 3);
    await expect(loadEpochs(disk, DATA, zxidOf(3, 1))).rejects.toMatchObject({ code: 'BAD_EPOCH' });
    // A crash between writing currentEpoch.tmp and renaming it leaves the tmp behind.
    await disk.write(`${DIR}/currentEpoch.tmp`, 0, new TextEncoder().encode('3'));
    const e = await loadEpochs(disk, DATA, zxidOf(3, 1));
    expect(e).toMatchObject({ acceptedEpoch: 3, currentEpoch: 3 });
    expect(e.warnings[0]).toContain('currentEpoch.tmp');
    expect(await readEpoch(disk, DATA, CURRENT_EPOCH_FILE)).toBe(3);
  });

  it('refuses acceptedEpoch < currentEpoch', async () => {
    const disk = new MemDisk();
    await writeEpoch(disk, DATA, CURRENT_EPOCH_FILE, 5);
    await writeEpoch(disk, DATA, ACCEPTED_EPOCH_FILE, 4);
    await expect(loadEpochs(disk, DATA, zxidOf(5, 1))).rejects.toMatchObject({
      code: 'BAD_EPOCH',
      message: expect.stringContaining('accepted epoch, 4'),
    });
  });
});
