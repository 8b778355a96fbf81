// The real Disk (server/storage/disk.ts) over node:fs/promises. Files being
// written stay open in a small cache, so the write and the fsync that must
// report its failure go through the same file descriptor; reads use their own
// short-lived descriptors. fsyncDir opens the directory and fsyncs it (Linux).
import { constants, type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { DiskError, type Disk, type DiskErrorCode } from '../storage/disk.ts';

const MAX_OPEN_HANDLES = 32;

interface CachedHandle {
  handle: FileHandle;
  busy: number;
}

export class NodeDisk implements Disk {
  private readonly handles = new Map<string, Promise<CachedHandle>>();
  /** O_DSYNC handles already open, by file path: the txn log's writes skip the cache bookkeeping. */
  private readonly openDsync = new Map<string, CachedHandle>();

  async list(dir: string): Promise<string[]> {
    return wrap(dir, 'IO', () => readdir(dir));
  }

  async exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw toDiskError(err, path, 'IO');
    }
  }

  async size(path: string): Promise<number> {
    return wrap(path, 'IO', async () => (await stat(path)).size);
  }

  async read(path: string, offsetBytes = 0, lengthBytes?: number): Promise<Uint8Array> {
    return wrap(path, 'IO', async () => {
      if (offsetBytes === 0 && lengthBytes === undefined) return new Uint8Array(await readFile(path));
      const handle = await open(path, 'r');
      try {
        const available = Math.max(0, (await handle.stat()).size - offsetBytes);
        const out = new Uint8Array(Math.min(available, lengthBytes ?? available));
        let done = 0;
        while (done < out.length) {
          const { bytesRead } = await handle.read(out, done, out.length - done, offsetBytes + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return out.subarray(0, done);
      } finally {
        await handle.close();
      }
    });
  }

  async write(path: string, offsetBytes: number, bytes: Uint8Array): Promise<void> {
    await this.withHandle(path, true, 'IO', async (h) => {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await h.write(bytes, done, bytes.length - done, offsetBytes + done);
        done += bytesWritten;
      }
    });
  }

  /** One O_DSYNC write: durable when it returns (one thread-pool round trip instead of two). */
  async writeDurable(path: string, offsetBytes: number, bytes: Uint8Array): Promise<void> {
    const cached = this.openDsync.get(path);
    if (cached !== undefined && this.handles.has(dsyncKey(path))) return writeFully(cached, path, offsetBytes, bytes);
    await this.withHandle(path, false, 'FSYNC_FAILED', async (h) => {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await h.write(bytes, done, bytes.length - done, offsetBytes + done);
        done += bytesWritten;
      }
    }, true);
  }

  async truncate(path: string, sizeBytes: number): Promise<void> {
    await this.withHandle(path, false, 'IO', (h) => h.truncate(sizeBytes));
  }

  async fsync(path: string): Promise<void> {
    await this.withHandle(path, false, 'FSYNC_FAILED', (h) => h.sync());
  }

  async fsyncDir(dir: string): Promise<void> {
    await wrap(dir, 'FSYNC_FAILED', async () => {
      const handle = await open(dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  async rename(from: string, to: string): Promise<void> {
    await this.forget(from);
    await this.forget(to);
    await wrap(from, 'IO', () => rename(from, to));
  }

  async remove(path: string): Promise<void> {
    await this.forget(path);
    await wrap(path, 'IO', () => rm(path, { force: true }));
  }

  async mkdirp(dir: string): Promise<void> {
    await wrap(dir, 'IO', () => mkdir(dir, { recursive: true }));
  }

  /** Closes every cached file handle. */
  async close(): Promise<void> {
    const paths = [...this.handles.keys()];
    for (const path of paths) await this.forget(path);
  }

  private async withHandle<T>(
    path: string, create: boolean, code: DiskErrorCode, fn: (h: FileHandle) => Promise<T>, dsync = false,
  ): Promise<T> {
    const entry = await wrap(path, 'IO', () => this.acquire(path, create, dsync));
    entry.busy++;
    try {
      return await wrap(path, code, () => fn(entry.handle));
    } finally {
      entry.busy--;
      await this.evictIdle();
    }
  }

  private acquire(path: string, create: boolean, dsync = false): Promise<CachedHandle> {
    const key = dsync ? dsyncKey(path) : path;
    let entry = this.handles.get(key);
    if (entry) {
      this.handles.delete(key); // re-insert: most recently used last
    } else {
      const flags = constants.O_RDWR | (create ? constants.O_CREAT : 0) | (dsync ? constants.O_DSYNC : 0);
      entry = open(path, flags, 0o644).then((handle) => {
        const cached = { handle, busy: 0 };
        if (dsync && this.handles.get(key) === entry) this.openDsync.set(path, cached);
        return cached;
      });
      entry.catch(() => this.handles.delete(key));
    }
    this.handles.set(key, entry);
    return entry;
  }

  private async evictIdle(): Promise<void> {
    for (const [path, pending] of this.handles) {
      if (this.handles.size <= MAX_OPEN_HANDLES) return;
      const entry = await pending.catch(() => null);
      if (entry && entry.busy > 0) continue;
      this.handles.delete(path);
      if (path.endsWith(DSYNC_SUFFIX)) this.openDsync.delete(path.slice(0, -DSYNC_SUFFIX.length));
      await entry?.handle.close();
    }
  }

  private async forget(path: string): Promise<void> {
    if (!path.endsWith(DSYNC_SUFFIX)) await this.forget(dsyncKey(path));
    else this.openDsync.delete(path.slice(0, -DSYNC_SUFFIX.length));
    const pending = this.handles.get(path);
    if (!pending) return;
    this.handles.delete(path);
    const entry = await pending.catch(() => null);
    await entry?.handle.close().catch(() => undefined);
  }
}

const DSYNC_SUFFIX = '\0dsync';

/** Writes all of `bytes` at `offsetBytes` through an open handle (busy while writing, so never evicted then). */
async function writeFully(entry: CachedHandle, path: string, offsetBytes: number, bytes: Uint8Array): Promise<void> {
  entry.busy++;
  try {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await entry.handle.write(bytes, done, bytes.length - done, offsetBytes + done);
      done += bytesWritten;
    }
  } catch (err) {
    throw toDiskError(err, path, 'FSYNC_FAILED');
  } finally {
    entry.busy--;
  }
}

function dsyncKey(path: string): string {
  return path + DSYNC_SUFFIX;
}

async function wrap<T>(path: string, code: DiskErrorCode, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toDiskError(err, path, code);
  }
}

function toDiskError(err: unknown, path: string, code: DiskErrorCode): DiskError {
  if (err instanceof DiskError) return err;
  if (isErrno(err, 'ENOENT')) return new DiskError('NOT_FOUND', path, 'no such file or directory', { cause: err });
  return new DiskError(code, path, err instanceof Error ? err.message : String(err), { cause: err });
}

function isErrno(err: unknown, errno: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === errno;
}
