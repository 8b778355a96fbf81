import { describe, expect, it } from 'vitest';
import { adler32 } from './adler32.ts';
import { MemDisk } from './mem-disk.ts';
import {
  decodeSnapshot, encodeSnapshot, findNewestValidSnapshot, listSnapshots, removeSnapshotsAfter, writeSnapshot,
} from './snapshot.ts';

const DIR = '/data';
const SNAP_DIR = '/data/version-2';
const body = (s: string) => new TextEncoder().encode(s);

describe('snapshot format', () => {
  it('is header ZKSN/2/-1, body, Adler-32 of all before, ustring "/"', () => {
    const bytes = encodeSnapshot(body('tree'));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getInt32(0)).toBe(0x5a4b534e);
    expect(view.getInt32(4)).toBe(2);
    expect(view.getBigInt64(8)).toBe(-1n);
    expect(new TextDecoder().decode(bytes.subarray(16, 20))).toBe('tree');
    expect(view.getBigInt64(20)).toBe(BigInt(adler32(bytes.subarray(0, 20))));
    expect(view.getInt32(28)).toBe(1);
    expect(bytes[32]).toBe(0x2f);
    expect(bytes.length).toBe(33);
  });

  it('decodes its own output and rejects any single flipped byte', () => {
    const bytes = encodeSnapshot(body('some tree bytes'));
    expect(decodeSnapshot(bytes)).toEqual({ body: body('some tree bytes') });
    for (let i = 0; i < bytes.length; i++) {
      const copy = bytes.slice();
      copy[i]! ^= 0x10;
      expect(decodeSnapshot(copy)).toHaveProperty('invalid');
    }
    expect(decodeSnapshot(bytes.subarray(0, bytes.length - 1))).toHaveProperty('invalid');
  });
});

describe('snapshot files', () => {
  it('round trips and finds the newest valid snapshot', async () => {
    const disk = new MemDisk();
    await writeSnapshot(disk, DIR, 0, body('empty'));
    await writeSnapshot(disk, DIR, 0x10, body('at 16'));
    await writeSnapshot(disk, DIR, 0x100000005, body('epoch 1'));
    expect((await disk.list(SNAP_DIR)).sort()).toEqual(['snapshot.0', 'snapshot.10', 'snapshot.100000005']);
    const found = await findNewestValidSnapshot(disk, DIR);
    expect(found.snapshot?.zxid).toBe(0x100000005);
    expect(found.snapshot?.body).toEqual(body('epoch 1'));
    expect(found.skipped).toEqual([]);
  });

  it('skips a corrupt newest snapshot and reports it', async () => {
    const disk = new MemDisk();
    await writeSnapshot(disk, DIR, 1, body('one'));
    await writeSnapshot(disk, DIR, 2, body('two'));
    disk.corrupt(`${SNAP_DIR}/snapshot.2`, 17);
    const found = await findNewestValidSnapshot(disk, DIR);
    expect(found.snapshot?.zxid).toBe(1);
    expect(found.skipped).toHaveLength(1);
    expect(found.skipped[0]).toContain('snapshot.2');
  });

  it('is atomic: a crash before the rename is durable leaves no new snapshot, and a temp file is ignored', async () => {
    const disk = new MemDisk();
    await writeSnapshot(disk, DIR, 1, body('one'));
    await disk.write(`${SNAP_DIR}/snapshot.2.tmp`, 0, body('half'));
    expect((await listSnapshots(disk, DIR)).map((f) => f.zxid)).toEqual([1]);
    // Crash with the tmp file written and fsynced but the rename not yet made durable.
    await disk.fsync(`${SNAP_DIR}/snapshot.2.tmp`);
    await disk.rename(`${SNAP_DIR}/snapshot.2.tmp`, `${SNAP_DIR}/snapshot.2`);
    disk.crash();
    expect((await findNewestValidSnapshot(disk, DIR)).snapshot?.zxid).toBe(1);
    await writeSnapshot(disk, DIR, 2, body('two'));
    disk.crash();
    expect((await findNewestValidSnapshot(disk, DIR)).snapshot?.body).toEqual(body('two'));
  });

  it('finds nothing in an empty or missing directory', async () => {
    const disk = new MemDisk();
    expect(await findNewestValidSnapshot(disk, DIR)).toEqual({ snapshot: null, skipped: [] });
  });

  it('removes snapshots newer than a zxid', async () => {
    const disk = new MemDisk();
    for (const z of [1, 5, 9]) await writeSnapshot(disk, DIR, z, body(`s${z}`));
    expect(await removeSnapshotsAfter(disk, DIR, 5)).toHaveLength(1);
    disk.crash();
    expect((await listSnapshots(disk, DIR)).map((f) => f.zxid)).toEqual([1, 5]);
  });
});
