// A Disk wrapper that injects disk faults, settable while the server runs
// (the harness's disk nemesis drives these setters through the server's admin
// hook): slow fsyncs (fsyncDelayMs) and failing fsyncs (fsyncFail). Both apply
// to fsync and fsyncDir. The delay uses an injected sleep, so the simulator
// can run it on virtual time.
import { DiskError, type Disk } from './disk.ts';
import { invariant } from './errors.ts';

export type Sleep = (durationMs: number) => Promise<void>;

export interface DiskFaults {
  fsyncDelayMs: number;
  fsyncFail: boolean;
}

export class FaultyDisk implements Disk {
  private faults: DiskFaults = { fsyncDelayMs: 0, fsyncFail: false };
  /** fsyncs that were made to fail, for reports. */
  failedFsyncs = 0;

  constructor(
    private readonly inner: Disk,
    private readonly sleep: Sleep,
  ) {}

  setFsyncDelayMs(delayMs: number): void {
    invariant(Number.isFinite(delayMs) && delayMs >= 0, `bad fsyncDelayMs ${delayMs}`);
    this.faults = { ...this.faults, fsyncDelayMs: delayMs };
  }

  setFsyncFail(fail: boolean): void {
    this.faults = { ...this.faults, fsyncFail: fail };
  }

  /** Current faults (a copy). */
  getFaults(): DiskFaults {
    return { ...this.faults };
  }

  /** Back to a healthy disk. */
  clearFaults(): void {
    this.faults = { fsyncDelayMs: 0, fsyncFail: false };
  }

  async fsync(path: string): Promise<void> {
    await this.beforeFsync(path);
    return this.inner.fsync(path);
  }

  async writeDurable(path: string, offsetBytes: number, bytes: Uint8Array): Promise<void> {
    // No fault set: straight through (this is every txn log write; no extra await on the hot path).
    if (this.faults.fsyncDelayMs === 0 && !this.faults.fsyncFail && this.inner.writeDurable) {
      return this.inner.writeDurable(path, offsetBytes, bytes);
    }
    await this.beforeFsync(path);
    if (this.inner.writeDurable) return this.inner.writeDurable(path, offsetBytes, bytes);
    await this.inner.write(path, offsetBytes, bytes);
    return this.inner.fsync(path);
  }

  async fsyncDir(dir: string): Promise<void> {
    await this.beforeFsync(dir);
    return this.inner.fsyncDir(dir);
  }

  private async beforeFsync(path: string): Promise<void> {
    const { fsyncDelayMs } = this.faults;
    if (fsyncDelayMs > 0) await this.sleep(fsyncDelayMs);
    // Read after the delay: a failure switched on during a slow fsync applies to it.
    if (this.faults.fsyncFail) {
      this.failedFsyncs++;
      throw new DiskError('FSYNC_FAILED', path, 'injected fsync failure');
    }
  }

  list(dir: string) { return this.inner.list(dir); }
  exists(path: string) { return this.inner.exists(path); }
  size(path: string) { return this.inner.size(path); }
  read(path: string, offsetBytes?: number, lengthBytes?: number) {
    return this.inner.read(path, offsetBytes, lengthBytes);
  }
  write(path: string, offsetBytes: number, bytes: Uint8Array) { return this.inner.write(path, offsetBytes, bytes); }
  truncate(path: string, sizeBytes: number) { return this.inner.truncate(path, sizeBytes); }
  rename(from: string, to: string) { return this.inner.rename(from, to); }
  remove(path: string) { return this.inner.remove(path); }
  mkdirp(dir: string) { return this.inner.mkdirp(dir); }
}
