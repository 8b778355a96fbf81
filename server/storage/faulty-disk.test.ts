import { describe, expect, it } from 'vitest';
import { FaultyDisk } from './faulty-disk.ts';
import { MemDisk } from './mem-disk.ts';

/** A manual sleep: records requested delays; the test releases them. */
function manualSleep() {
  const waiting: { durationMs: number; release: () => void }[] = [];
  const sleep = (durationMs: number) =>
    new Promise<void>((resolve) => waiting.push({ durationMs, release: resolve }));
  return { sleep, waiting };
}

async function setup() {
  const mem = new MemDisk();
  await mem.mkdirp('/d');
  const clock = manualSleep();
  const disk = new FaultyDisk(mem, clock.sleep);
  await disk.write('/d/f', 0, Uint8Array.of(1));
  return { mem, disk, clock };
}

describe('FaultyDisk', () => {
  it('passes fsync through when healthy', async () => {
    const { mem, disk } = await setup();
    await disk.fsync('/d/f');
    expect(mem.pendingOps('/d/f')).toHaveLength(0);
  });

  it('fsyncFail makes fsync and fsyncDir reject with FSYNC_FAILED and syncs nothing', async () => {
    const { mem, disk } = await setup();
    disk.setFsyncFail(true);
    await expect(disk.fsync('/d/f')).rejects.toMatchObject({ code: 'FSYNC_FAILED' });
    await expect(disk.fsyncDir('/d')).rejects.toMatchObject({ code: 'FSYNC_FAILED' });
    expect(mem.pendingOps('/d/f')).toHaveLength(1);
    expect(disk.failedFsyncs).toBe(2);
    disk.setFsyncFail(false);
    await disk.fsync('/d/f');
    expect(mem.pendingOps('/d/f')).toHaveLength(0);
  });

  it('fsyncDelayMs delays the fsync until the sleep ends', async () => {
    const { mem, disk, clock } = await setup();
    disk.setFsyncDelayMs(250);
    let done = false;
    const syncing = disk.fsync('/d/f').then(() => (done = true));
    await Promise.resolve();
    expect(clock.waiting.map((w) => w.durationMs)).toEqual([250]);
    expect(done).toBe(false);
    expect(mem.pendingOps('/d/f')).toHaveLength(1);
    clock.waiting[0]!.release();
    await syncing;
    expect(done).toBe(true);
    expect(mem.pendingOps('/d/f')).toHaveLength(0);
  });

  it('a failure switched on during a slow fsync applies to it', async () => {
    const { disk, clock } = await setup();
    disk.setFsyncDelayMs(10);
    const syncing = disk.fsync('/d/f');
    await Promise.resolve();
    disk.setFsyncFail(true);
    clock.waiting[0]!.release();
    await expect(syncing).rejects.toMatchObject({ code: 'FSYNC_FAILED' });
    disk.clearFaults();
    expect(disk.getFaults()).toEqual({ fsyncDelayMs: 0, fsyncFail: false });
  });
});

describe('FaultyDisk.writeDurable', () => {
  it('applies fsync faults to the durable-write fast path, and falls back to write + fsync', async () => {
    const inner = new MemDisk();
    const disk = new FaultyDisk(inner, async () => {});
    await disk.write('/f', 0, new Uint8Array(8));
    await disk.writeDurable('/f', 0, Uint8Array.of(1, 2, 3));
    expect([...(await disk.read('/f', 0, 3))]).toEqual([1, 2, 3]);
    disk.setFsyncFail(true);
    await expect(disk.writeDurable('/f', 0, Uint8Array.of(9))).rejects.toThrow();
    expect([...(await disk.read('/f', 0, 1))]).toEqual([1]);
  });
});
