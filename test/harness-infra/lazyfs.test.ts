// lazyfs on its own: unsynced writes are lost on crash, fsynced ones kept,
// reads see unsynced data, faults (slow fsync, EIO) switch at run time,
// unmount leaves no mount. Needs root, /dev/fuse, gcc and libfuse3-dev.
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildLazyFs, lazyFsUnavailableReason } from '../../harness/disk/build.ts';
import { isMountPoint, LazyFs } from '../../harness/disk/lazyfs.ts';
import { lazyFsName } from '../../harness/disk/mounts.ts';
import { findLeftovers, removeLeftover } from '../../harness/cluster/leftovers.ts';
import { available, unavailable, type Availability } from '../support/skip.ts';
import { describeIfAvailable } from '../support/skip.ts';

function lazyFsAvailability(): Availability {
  const why = lazyFsUnavailableReason();
  return why === undefined ? available : unavailable(why);
}

const PAGE = 4096;

/** Writes `data` at `offset` (append when undefined), fsyncs when asked, closes. */
function writeAt(path: string, data: Buffer | string, opts: { offset?: number; fsync?: boolean; flags?: string } = {}): void {
  const fd = openSync(path, opts.flags ?? 'r+');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data, 0, undefined, opts.offset);
    if (opts.fsync === true) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function errnoOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code;
  }
}

describeIfAvailable('lazyfs: a disk that loses what was not fsynced', lazyFsAvailability(), () => {
  let dir: string;
  let fs: LazyFs;
  let mnt: string;
  const at = (name: string) => join(mnt, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zooproof-lazyfs-test-'));
    mkdirSync(join(dir, 'backing'));
    mkdirSync(join(dir, 'mnt'));
    writeFileSync(join(dir, 'backing', 'myid'), '1\n');
    mnt = join(dir, 'mnt');
    fs = await LazyFs.mount({ backingDir: join(dir, 'backing'), mountDir: mnt });
  }, 120_000);

  afterAll(async () => {
    await fs?.unmount();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps files that were there before the mount', async () => {
    await fs.crash();
    expect(readFileSync(at('myid'), 'utf8')).toBe('1\n');
  });

  it('a new file written without fsync is empty after a crash; reads saw the data before', async () => {
    writeFileSync(at('new'), 'hello');
    expect(readFileSync(at('new'), 'utf8')).toBe('hello');
    expect((await fs.stats()).unsyncedFiles).toBeGreaterThanOrEqual(1);
    await fs.crash();
    expect(statSync(at('new')).size).toBe(0); // metadata (the create) is durable at once, the data is not
  });

  it('a write that was fsynced survives a crash', async () => {
    writeAt(at('synced'), 'durable', { flags: 'w', fsync: true });
    await fs.crash();
    expect(readFileSync(at('synced'), 'utf8')).toBe('durable');
  });

  it('an fsync through another, read-only descriptor makes the file durable (as on Linux)', async () => {
    writeAt(at('other-fd'), 'written, closed, then synced elsewhere', { flags: 'w' });
    const fd = openSync(at('other-fd'), 'r');
    fsyncSync(fd);
    closeSync(fd);
    await fs.crash();
    expect(readFileSync(at('other-fd'), 'utf8')).toBe('written, closed, then synced elsewhere');
  });

  it('an appended write after the fsync is lost: content and size go back', async () => {
    writeAt(at('log'), 'A'.repeat(10_000), { flags: 'w', fsync: true });
    writeAt(at('log'), 'B'.repeat(3000), { flags: 'a' });
    expect(statSync(at('log')).size).toBe(13_000);
    await fs.crash();
    expect(readFileSync(at('log'), 'utf8')).toBe('A'.repeat(10_000));
  });

  it('a partial overwrite of synced data (across a page boundary) is rolled back', async () => {
    const synced = Buffer.alloc(3 * PAGE, 0x61);
    writeAt(at('overwrite'), synced, { flags: 'w', fsync: true });
    writeAt(at('overwrite'), Buffer.alloc(100, 0x7a), { offset: PAGE - 50 });
    expect(readFileSync(at('overwrite'))[PAGE]).toBe(0x7a);
    await fs.crash();
    expect(readFileSync(at('overwrite')).equals(synced)).toBe(true);
  });

  it('a truncation of synced data is rolled back', async () => {
    const synced = Buffer.from('0123456789'.repeat(1000));
    writeAt(at('trunc'), synced, { flags: 'w', fsync: true });
    writeFileSync(at('trunc'), 'short'); // O_TRUNC, then a write
    await fs.crash();
    expect(readFileSync(at('trunc')).equals(synced)).toBe(true);
  });

  it('a 64 MiB zero pre-allocation is cheap: sparse on the backing disk, zero pages kept as flags', async () => {
    const size = 64 * 1024 * 1024;
    writeAt(at('prealloc'), Buffer.from([0]), { flags: 'w', offset: size - 1, fsync: true });
    writeAt(at('prealloc'), Buffer.alloc(10 * PAGE, 0x41), { offset: 0 });
    const stats = await fs.stats();
    expect(stats.keptPages).toBe(10);
    expect(statSync(join(dir, 'backing', 'prealloc')).blocks * 512).toBeLessThan(1024 * 1024);
    await fs.crash();
    expect(statSync(at('prealloc')).size).toBe(size);
    expect(readFileSync(at('prealloc')).subarray(0, 20 * PAGE).equals(Buffer.alloc(20 * PAGE))).toBe(true);
  });

  it('a rename and an unlink are durable at once', async () => {
    writeAt(at('tmp'), 'epoch 5', { flags: 'w', fsync: true });
    const { renameSync, unlinkSync, existsSync } = await import('node:fs');
    renameSync(at('tmp'), at('currentEpoch'));
    writeFileSync(at('gone'), 'x');
    unlinkSync(at('gone'));
    await fs.crash();
    expect(readFileSync(at('currentEpoch'), 'utf8')).toBe('epoch 5');
    expect(existsSync(at('tmp'))).toBe(false);
    expect(existsSync(at('gone'))).toBe(false);
  });

  it('a process killed -9 after writing without fsync loses the write on crash; with fsync keeps it', async () => {
    const script = (name: string, sync: boolean) => [
      "const fs = require('node:fs');",
      `const fd = fs.openSync(${JSON.stringify(at(name))}, 'w');`,
      "fs.writeSync(fd, 'written by the child');",
      sync ? 'fs.fsyncSync(fd);' : '',
      "process.stdout.write('written\\n');",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    for (const [name, sync] of [['child-unsynced', false], ['child-synced', true]] as const) {
      const child = execa(process.execPath, ['-e', script(name, sync)], { reject: false, stdin: 'ignore', buffer: false });
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      child.kill('SIGKILL');
      await child;
    }
    expect(readFileSync(at('child-unsynced'), 'utf8')).toBe('written by the child');
    await fs.crash();
    expect(readFileSync(at('child-unsynced'), 'utf8')).toBe('');
    expect(readFileSync(at('child-synced'), 'utf8')).toBe('written by the child');
  }, 30_000);

  it('fail fsync: fsync ends EIO and nothing becomes durable; fail all: reads and writes end EIO; off heals', async () => {
    writeAt(at('faulty'), 'v1', { flags: 'w', fsync: true });
    await fs.setFailIo('fsync');
    expect(errnoOf(() => writeAt(at('faulty'), 'v2', { offset: 0, fsync: true }))).toBe('EIO');
    expect((await fs.stats()).fail).toBe('fsync');
    await fs.crash();
    expect(readFileSync(at('faulty'), 'utf8')).toBe('v1');
    await fs.setFailIo('all');
    expect(errnoOf(() => readFileSync(at('faulty')))).toBe('EIO');
    expect(errnoOf(() => writeAt(at('faulty'), 'v3', { offset: 0 }))).toBe('EIO');
    await fs.setFailIo('off');
    writeAt(at('faulty'), 'v4', { offset: 0, fsync: true });
    await fs.crash();
    expect(readFileSync(at('faulty'), 'utf8')).toBe('v4');
  });

  it('a slow fsync takes at least the delay; a bad command is refused', async () => {
    const fd = openSync(at('slow'), 'w');
    writeSync(fd, 'x');
    await fs.setFsyncDelayMs(300);
    const t0 = performance.now();
    fsyncSync(fd);
    const tookMs = performance.now() - t0;
    await fs.setFsyncDelayMs(0);
    closeSync(fd);
    expect(tookMs).toBeGreaterThanOrEqual(295);
    await expect(fs.setFsyncDelayMs(-1)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(fs.setFailIo('sometimes' as never)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(errnoOf(() => writeFileSync(join(mnt, '.lazyfs-control'), 'explode\n', { flag: 'r+' }))).toBe('EINVAL');
  });

  it('unmount leaves no mount and the backing dir holds the files', async () => {
    const dir2 = join(dir, 'second');
    mkdirSync(join(dir2, 'b'), { recursive: true });
    mkdirSync(join(dir2, 'm'));
    const second = await LazyFs.mount({ backingDir: join(dir2, 'b'), mountDir: join(dir2, 'm') });
    expect(isMountPoint(join(dir2, 'm'))).toBe(true);
    writeAt(join(dir2, 'm', 'f'), 'kept', { flags: 'w', fsync: true });
    await second.unmount();
    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(join(dir2, 'm'));
    expect(second.isMounted).toBe(false);
    expect(readFileSync(join(dir2, 'b', 'f'), 'utf8')).toBe('kept');
  });

  it('a mount left by a dead harness is found and removed by the leftover sweep', async () => {
    const dir3 = join(dir, 'orphan');
    mkdirSync(join(dir3, 'b'), { recursive: true });
    mkdirSync(join(dir3, 'm'));
    const deadPid = 2 ** 22 + 12_345; // above pid_max: never alive
    const orphan = execa(await buildLazyFs(), [join(dir3, 'b'), join(dir3, 'm'), '-o', `fsname=${lazyFsName(deadPid, 0)}`], { reject: false, stdin: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!isMountPoint(join(dir3, 'm')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    orphan.kill('SIGKILL'); // the mount stays behind, answering ENOTCONN
    await orphan;
    expect(isMountPoint(join(dir3, 'm'))).toBe(true);
    const mine = (await findLeftovers(null)).filter((l) => l.kind === 'lazyfs-mount' && l.mountPoint === join(dir3, 'm'));
    expect(mine).toHaveLength(1);
    await removeLeftover(mine[0]!, null);
    expect(isMountPoint(join(dir3, 'm'))).toBe(false);
  }, 30_000);
});
