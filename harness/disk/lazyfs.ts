// A LazyFS-style disk under one directory: `lazyfs` (lazyfs.c, FUSE) mounts
// `mountDir` over `backingDir`; writes not yet fsynced are lost on crash().
// Control is the root-only file `<mountDir>/.lazyfs-control`: each command is
// one write, done before the write returns (README.md says why a file).
//
//   const fs = await LazyFs.mount({ backingDir, mountDir, log });
//   await fs.crash();               // after kill -9 of every process using it
//   await fs.setFsyncDelayMs(500);  await fs.setFailIo('fsync');
//   await fs.unmount();
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, execaSync, type ResultPromise } from 'execa';
import { cleanup } from '../cluster/cleanup.ts';
import { InfraError } from '../cluster/errors.ts';
import { buildLazyFs } from './build.ts';
import { lazyFsName, parseMounts } from './mounts.ts';

export type FailIoMode = 'off' | 'fsync' | 'all';
export const FAIL_IO_MODES: readonly FailIoMode[] = ['off', 'fsync', 'all'];
export const CONTROL_FILE = '.lazyfs-control';

export interface LazyFsOptions {
  backingDir: string;
  mountDir: string;
  /** Lines lazyfs prints (crashes, fault changes) and mount / unmount notes. */
  log?: (msg: string) => void;
  mountTimeoutMs?: number;
}

export interface LazyFsStats {
  unsyncedFiles: number;
  keptPages: number;
  fsyncDelayMs: number;
  fail: FailIoMode;
  crashes: number;
}

/** Pure: the counters line lazyfs gives when its control file is read. */
export function parseStats(line: string): LazyFsStats {
  const fields = new Map(line.trim().split(' ').map((kv) => kv.split('=') as [string, string]));
  const num = (k: string) => {
    const v = Number(fields.get(k));
    if (!Number.isInteger(v)) throw new InfraError('COMMAND_FAILED', `lazyfs stats without ${k}: ${line}`);
    return v;
  };
  const fail = fields.get('fail') as FailIoMode;
  if (!FAIL_IO_MODES.includes(fail)) throw new InfraError('COMMAND_FAILED', `lazyfs stats with fail=${String(fail)}`);
  return { unsyncedFiles: num('unsynced_files'), keptPages: num('kept_pages'), fsyncDelayMs: num('fsync_delay_ms'), fail, crashes: num('crashes') };
}

/** Whether `dir` is a mount point in /proc/self/mounts (any filesystem). */
export function isMountPoint(dir: string): boolean {
  return parseMounts(readFileSync('/proc/self/mounts', 'utf8')).some((m) => m.mountPoint === dir);
}

let mountCounter = 0;
const MAX_FSYNC_DELAY_MS = 600_000;
const EXIT_WAIT_MS = 5000;

function unmountSync(mountDir: string): void {
  const r = execaSync('fusermount3', ['-u', '-z', mountDir], { reject: false, stdin: 'ignore', timeout: 10_000 });
  if (r.exitCode !== 0) execaSync('umount', ['-l', mountDir], { reject: false, stdin: 'ignore', timeout: 10_000 });
}

export class LazyFs implements LazyFsControl {
  private exitedFlag = false;
  private unregister: () => void = () => {};

  private constructor(
    readonly backingDir: string, readonly mountDir: string, readonly fsname: string,
    private readonly child: ResultPromise, private readonly log: (msg: string) => void,
  ) {
    void child.then(() => { this.exitedFlag = true; });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get controlPath(): string {
    return join(this.mountDir, CONTROL_FILE);
  }

  /** Builds lazyfs if needed, mounts it and waits until the mount is listed. Registered with cleanup. */
  static async mount(opts: LazyFsOptions): Promise<LazyFs> {
    const log = opts.log ?? (() => {});
    const binary = await buildLazyFs();
    if (isMountPoint(opts.mountDir)) throw new InfraError('BAD_ARGUMENT', `${opts.mountDir} is already a mount point`);
    const fsname = lazyFsName(process.pid, mountCounter++);
    const child = execa(binary, [opts.backingDir, opts.mountDir, '-o', `fsname=${fsname}`], {
      stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', reject: false, cleanup: false, buffer: false,
    });
    if (child.pid === undefined) throw new InfraError('START_FAILED', `could not spawn ${binary}`);
    const stderr: string[] = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter((l) => l !== '')) {
        if (stderr.length < 50) stderr.push(line);
        log(`lazyfs ${opts.mountDir}: ${line}`);
      }
    });
    const fs = new LazyFs(opts.backingDir, opts.mountDir, fsname, child, log);
    fs.unregister = cleanup.add({
      label: `lazyfs mount ${opts.mountDir} (pid ${child.pid})`,
      run: () => fs.unmount(),
      runSync: () => { unmountSync(opts.mountDir); fs.signal('SIGKILL'); },
    });
    try {
      await fs.awaitMounted(opts.mountTimeoutMs ?? 10_000, stderr);
    } catch (err) {
      await fs.unmount().catch(() => {});
      throw err;
    }
    log(`lazyfs: mounted ${opts.mountDir} over ${opts.backingDir} (pid ${child.pid}, ${fsname})`);
    return fs;
  }

  private async awaitMounted(timeoutMs: number, stderr: string[]): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (parseMounts(readFileSync('/proc/self/mounts', 'utf8')).some((m) => m.fsname === this.fsname && m.mountPoint === this.mountDir)) return;
      if (this.exitedFlag) throw new InfraError('START_FAILED', `lazyfs exited before mounting ${this.mountDir}: ${stderr.join(' | ')}`);
      if (Date.now() > deadline) throw new InfraError('START_FAILED', `lazyfs did not mount ${this.mountDir} within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  get isMounted(): boolean {
    return !this.exitedFlag;
  }

  private async command(cmd: string): Promise<void> {
    if (this.exitedFlag) throw new InfraError('NOT_RUNNING', `lazyfs ${this.mountDir} is not mounted (${cmd})`);
    try {
      await writeFile(this.controlPath, `${cmd}\n`, { flag: 'r+' });
    } catch (err) {
      throw new InfraError('COMMAND_FAILED', `lazyfs ${this.mountDir}: ${cmd}: ${(err as Error).message}`);
    }
  }

  /** Power loss: every file goes back to its last fsynced content and size. Call once no process writes to it. */
  async crash(): Promise<void> {
    await this.command('crash');
  }

  /** Every fsync / fdatasync (files and directories) sleeps this long first; 0 = none. */
  async setFsyncDelayMs(ms: number): Promise<void> {
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_FSYNC_DELAY_MS) throw new InfraError('BAD_ARGUMENT', `fsync delay must be 0..${MAX_FSYNC_DELAY_MS} ms, got ${ms}`);
    await this.command(`fsync-delay-ms ${ms}`);
  }

  /** 'fsync': fsync fails with EIO (nothing becomes durable); 'all': reads, writes, truncations and fsync fail with EIO. */
  async setFailIo(mode: FailIoMode): Promise<void> {
    if (!FAIL_IO_MODES.includes(mode)) throw new InfraError('BAD_ARGUMENT', `fail mode must be one of ${FAIL_IO_MODES.join(', ')}, got ${String(mode)}`);
    await this.command(`fail ${mode}`);
  }

  /** Back to a healthy disk without the event loop (for exit-time cleanup). */
  healSync(): void {
    if (this.exitedFlag) return;
    try {
      writeFileSync(this.controlPath, 'fsync-delay-ms 0\n', { flag: 'r+' });
      writeFileSync(this.controlPath, 'fail off\n', { flag: 'r+' });
    } catch {
      // best effort
    }
  }

  async stats(): Promise<LazyFsStats> {
    return parseStats(await readFile(this.controlPath, 'utf8'));
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.exitedFlag) return;
    try {
      process.kill(this.pid, sig);
    } catch {
      // gone
    }
  }

  /** Unmounts (lazily if still busy) and waits for lazyfs to exit. Unsynced data stays in the backing dir. */
  async unmount(): Promise<void> {
    this.unregister();
    if (!this.exitedFlag) {
      const r = await execa('fusermount3', ['-u', this.mountDir], { reject: false, stdin: 'ignore', timeout: 10_000 });
      if (r.exitCode !== 0) {
        this.log(`lazyfs: ${this.mountDir} busy (${String(r.stderr).trim()}), detaching it`);
        await execa('umount', ['-l', this.mountDir], { reject: false, stdin: 'ignore', timeout: 10_000 });
      }
    }
    const exited = await Promise.race([this.child.then(() => true), sleep(EXIT_WAIT_MS).then(() => false)]);
    if (!exited) {
      this.signal('SIGKILL');
      await this.child;
    }
    if (isMountPoint(this.mountDir)) unmountSync(this.mountDir);
    this.log(`lazyfs: unmounted ${this.mountDir}`);
  }
}

/** What the disk nemesis needs of a node's lazyfs (LazyFs, or a fake in unit tests). */
export interface LazyFsControl {
  setFsyncDelayMs(ms: number): Promise<void>;
  setFailIo(mode: FailIoMode): Promise<void>;
  healSync(): void;
}

/** A Db that may run its nodes on lazyfs (NodeDb does). */
export interface LazyFsHost {
  lazyFs(node: string): LazyFsControl | undefined;
}

/** The node's lazyfs, when the db has one for it. */
export function lazyFsOf(db: object, node: string): LazyFsControl | undefined {
  const host = db as Partial<LazyFsHost>;
  return typeof host.lazyFs === 'function' ? host.lazyFs(node) : undefined;
}
