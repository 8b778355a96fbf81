import { describe, expect, it } from 'vitest';
import { DiskError } from './disk.ts';
import { MemDisk } from './mem-disk.ts';

const bytes = (...xs: number[]) => Uint8Array.from(xs);

async function diskWithDir(): Promise<MemDisk> {
  const disk = new MemDisk();
  await disk.mkdirp('/d/sub');
  return disk;
}

describe('MemDisk basics', () => {
  it('writes, reads, extends with zeros and truncates', async () => {
    const disk = await diskWithDir();
    await disk.write('/d/f', 2, bytes(7, 8));
    expect(await disk.read('/d/f')).toEqual(bytes(0, 0, 7, 8));
    await disk.truncate('/d/f', 6);
    expect(await disk.read('/d/f')).toEqual(bytes(0, 0, 7, 8, 0, 0));
    await disk.truncate('/d/f', 3);
    await disk.truncate('/d/f', 5);
    expect(await disk.read('/d/f')).toEqual(bytes(0, 0, 7, 0, 0));
    expect(await disk.read('/d/f', 2, 2)).toEqual(bytes(7, 0));
    expect(await disk.size('/d/f')).toBe(5);
  });

  it('lists direct children only and reports missing paths as NOT_FOUND', async () => {
    const disk = await diskWithDir();
    await disk.write('/d/a', 0, bytes(1));
    await disk.write('/d/sub/b', 0, bytes(1));
    expect((await disk.list('/d')).sort()).toEqual(['a', 'sub']);
    expect(await disk.list('/d/sub')).toEqual(['b']);
    await expect(disk.read('/d/nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(disk.write('/nodir/x', 0, bytes(1))).rejects.toBeInstanceOf(DiskError);
    expect(await disk.exists('/d/a')).toBe(true);
    expect(await disk.exists('/d/sub')).toBe(true);
    await disk.remove('/d/a');
    expect(await disk.exists('/d/a')).toBe(false);
  });
});

describe('MemDisk crash semantics', () => {
  it('keeps synced contents and names, drops the rest', async () => {
    const disk = await diskWithDir();
    await disk.write('/d/f', 0, bytes(1, 2, 3));
    await disk.fsync('/d/f');
    await disk.fsyncDir('/d');
    await disk.write('/d/f', 3, bytes(4, 5));
    await disk.write('/d/g', 0, bytes(9)); // name never made durable
    await disk.fsync('/d/g');
    disk.crash();
    expect(await disk.read('/d/f')).toEqual(bytes(1, 2, 3));
    expect(await disk.exists('/d/g')).toBe(false);
  });

  it('a fsynced file whose name was never fsyncDir-ed disappears', async () => {
    const disk = await diskWithDir();
    await disk.write('/d/f', 0, bytes(1));
    await disk.fsync('/d/f');
    disk.crash();
    expect(await disk.list('/d')).toEqual(['sub']);
  });

  it('reverts an unsynced rename and an unsynced remove', async () => {
    const disk = await diskWithDir();
    await disk.write('/d/a', 0, bytes(1));
    await disk.write('/d/b', 0, bytes(2));
    await disk.fsync('/d/a');
    await disk.fsync('/d/b');
    await disk.fsyncDir('/d');
    await disk.rename('/d/a', '/d/c');
    await disk.remove('/d/b');
    expect((await disk.list('/d')).sort()).toEqual(['c', 'sub']);
    disk.crash();
    expect((await disk.list('/d')).sort()).toEqual(['a', 'b', 'sub']);
    await disk.rename('/d/a', '/d/c');
    await disk.fsyncDir('/d');
    disk.crash();
    expect((await disk.list('/d')).sort()).toEqual(['b', 'c', 'sub']);
    expect(await disk.read('/d/c')).toEqual(bytes(1));
  });

  it('a crash policy keeps a prefix of unsynced writes and tears the next one', async () => {
    const disk = await diskWithDir();
    await disk.write('/d/f', 0, bytes(1));
    await disk.fsync('/d/f');
    await disk.fsyncDir('/d');
    await disk.write('/d/f', 1, bytes(2, 3));
    await disk.write('/d/f', 3, bytes(4, 5, 6));
    expect(disk.pendingOps('/d/f')).toHaveLength(2);
    disk.crash(() => ({ keepOps: 1, tornBytes: 2 }));
    expect(await disk.read('/d/f')).toEqual(bytes(1, 2, 3, 4, 5));
    expect(disk.pendingOps('/d/f')).toHaveLength(0);
  });

  it('an unsynced truncate is undone by a crash', async () => {
    const disk = await diskWithDir();
    await disk.write('/d/f', 0, bytes(1, 2, 3));
    await disk.fsync('/d/f');
    await disk.fsyncDir('/d');
    await disk.truncate('/d/f', 1);
    disk.crash();
    expect(await disk.read('/d/f')).toEqual(bytes(1, 2, 3));
  });

  it('a process view fails with CRASHED after a crash, a new view works', async () => {
    const disk = await diskWithDir();
    const before = disk.process();
    await before.write('/d/f', 0, bytes(1));
    disk.crash();
    await expect(before.write('/d/f', 0, bytes(1))).rejects.toMatchObject({ code: 'CRASHED' });
    const after = disk.process();
    await after.write('/d/f', 0, bytes(2));
    expect(await after.read('/d/f')).toEqual(bytes(2));
  });

  it('corrupt() flips bits in live and durable contents', async () => {
    const disk = await diskWithDir();
    await disk.write('/d/f', 0, bytes(0x0f));
    await disk.fsync('/d/f');
    await disk.fsyncDir('/d');
    disk.corrupt('/d/f', 0, 0x01);
    expect(await disk.read('/d/f')).toEqual(bytes(0x0e));
    disk.crash();
    expect(await disk.read('/d/f')).toEqual(bytes(0x0e));
  });
});
