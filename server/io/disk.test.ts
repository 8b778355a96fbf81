// NodeDisk against a real temporary directory (removed afterwards).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recover } from '../storage/recovery.ts';
import { writeSnapshot } from '../storage/snapshot.ts';
import { makeTxn } from '../storage/test-txns.ts';
import { TxnLog } from '../storage/txn-log.ts';
import { NodeDisk } from './disk.ts';

let root = '';
let disk: NodeDisk;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'zooproof-disk-'));
  disk = new NodeDisk();
});

afterEach(async () => {
  await disk.close();
  await rm(root, { recursive: true, force: true });
});

describe('NodeDisk', () => {
  it('writes at offsets, reads ranges, extends with zeros and truncates', async () => {
    const f = join(root, 'f');
    await disk.write(f, 2, Uint8Array.of(7, 8));
    expect(await disk.read(f)).toEqual(Uint8Array.of(0, 0, 7, 8));
    await disk.truncate(f, 6);
    expect(await disk.size(f)).toBe(6);
    expect(await disk.read(f, 3, 10)).toEqual(Uint8Array.of(8, 0, 0));
    await disk.truncate(f, 3);
    expect(await disk.read(f)).toEqual(Uint8Array.of(0, 0, 7));
    await disk.fsync(f);
    await disk.fsyncDir(root);
  });

  it('durable writes through a cached handle land at their offsets, and a removed file is reopened, not written through a stale handle', async () => {
    const f = join(root, 'log');
    await disk.write(f, 0, new Uint8Array(4));
    await disk.writeDurable(f, 0, Uint8Array.of(1, 2));
    await disk.writeDurable(f, 2, Uint8Array.of(3, 4));
    expect(await disk.read(f)).toEqual(Uint8Array.of(1, 2, 3, 4));
    await disk.remove(f);
    await disk.write(f, 0, new Uint8Array(2));
    await disk.writeDurable(f, 0, Uint8Array.of(9));
    expect(await disk.read(f)).toEqual(Uint8Array.of(9, 0));
  });

  it('lists, renames atomically over an existing file, removes (absent is fine)', async () => {
    await disk.mkdirp(join(root, 'a/b'));
    await disk.write(join(root, 'a/x.tmp'), 0, Uint8Array.of(1));
    await disk.write(join(root, 'a/x'), 0, Uint8Array.of(2, 2));
    await disk.rename(join(root, 'a/x.tmp'), join(root, 'a/x'));
    expect((await disk.list(join(root, 'a'))).sort()).toEqual(['b', 'x']);
    expect(await disk.read(join(root, 'a/x'))).toEqual(Uint8Array.of(1));
    await disk.remove(join(root, 'a/x'));
    await disk.remove(join(root, 'a/x'));
    expect(await disk.exists(join(root, 'a/x'))).toBe(false);
    expect(await disk.exists(join(root, 'a/b'))).toBe(true);
  });

  it('reports missing files as NOT_FOUND', async () => {
    await expect(disk.read(join(root, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(disk.fsync(join(root, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(disk.list(join(root, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(disk.write(join(root, 'nodir/f'), 0, Uint8Array.of(1))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the number of open handles bounded', async () => {
    for (let i = 0; i < 50; i++) await disk.write(join(root, `f${i}`), 0, Uint8Array.of(i));
    for (let i = 0; i < 50; i++) expect(await disk.read(join(root, `f${i}`))).toEqual(Uint8Array.of(i));
    expect((disk as unknown as { handles: Map<string, unknown> }).handles.size).toBeLessThanOrEqual(32);
  });

  it('runs the txn log, a snapshot and recovery on a real directory', async () => {
    await writeSnapshot(disk, root, 0, new Uint8Array(0));
    const log = await TxnLog.open(disk, { dataLogDir: root, preAllocSizeBytes: 4096 });
    for (let z = 1; z <= 20; z++) log.append(makeTxn(z));
    await log.commit();
    expect(await disk.size(join(root, 'version-2', 'log.1'))).toBe(4096); // one preallocation step, zero-filled past the records
    await log.close();
    const r = await recover(disk, { dataDir: root, dataLogDir: root });
    expect(r.entries.map((e) => e.zxid)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(r.warnings).toEqual([]);
  });
});
