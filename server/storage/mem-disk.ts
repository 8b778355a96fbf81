// An in-memory Disk with crash semantics, for unit tests and the simulator.
//
// Each file is an inode with its live contents, its durable contents (as of
// the last fsync) and the writes/truncates made since. Names live in two maps:
// the live namespace, and the durable one (as of the last fsyncDir of each
// directory). crash() throws away everything not durable: the namespace
// reverts to the durable one, and each file to its durable contents plus
// whatever prefix of its unsynced operations the crash policy keeps (the last
// kept write may be torn at a byte boundary). Directories themselves are
// durable as soon as they are made (a simplification).
//
// A server incarnation should use `process()`: a view of the disk that fails
// with DiskError('CRASHED') once the disk has crashed, so a dead process's
// in-flight operations cannot touch the restarted disk.
import { DiskError, parentDir, type Disk } from './disk.ts';
import { invariant } from './errors.ts';
import { MemBytes } from './mem-bytes.ts';

export type PendingOp =
  | { kind: 'write'; offsetBytes: number; bytes: Uint8Array }
  | { kind: 'truncate'; sizeBytes: number };

/** How much of a file's unsynced work survives a crash: `keepOps` whole ops, then `tornBytes` of the next write. */
export interface CrashOutcome {
  keepOps: number;
  tornBytes: number;
}
export type CrashPolicy = (path: string, pending: readonly PendingOp[]) => CrashOutcome;

/** The default: every unsynced byte is lost. */
export const loseAllUnsynced: CrashPolicy = () => ({ keepOps: 0, tornBytes: 0 });

class Inode {
  live = new MemBytes();
  durable = new MemBytes();
  pending: PendingOp[] = [];

  apply(op: PendingOp): void {
    this.pending.push(op);
    applyOp(this.live, op);
  }

  sync(): void {
    this.durable = this.live.clone();
    this.pending = [];
  }

  crash(outcome: CrashOutcome): void {
    const kept = this.durable.clone();
    const keepOps = Math.min(outcome.keepOps, this.pending.length);
    for (let i = 0; i < keepOps; i++) applyOp(kept, this.pending[i]!);
    const next = this.pending[keepOps];
    if (next?.kind === 'write' && outcome.tornBytes > 0) {
      const torn = Math.min(outcome.tornBytes, next.bytes.length);
      kept.write(next.offsetBytes, next.bytes.subarray(0, torn));
    }
    this.live = kept;
    this.sync();
  }
}

function applyOp(bytes: MemBytes, op: PendingOp): void {
  if (op.kind === 'write') bytes.write(op.offsetBytes, op.bytes);
  else bytes.truncate(op.sizeBytes);
}

export class MemDisk implements Disk {
  private live = new Map<string, Inode>();
  private durable = new Map<string, Inode>();
  private dirs = new Set<string>(['/', '']);
  private generation = 0;
  /** Operations performed, for tests that want to crash "after N operations". */
  opCount = 0;

  /** A view that dies (rejects with CRASHED) at the next crash(). */
  process(): Disk {
    return new ProcessView(this, this.generation);
  }

  isCurrent(generation: number): boolean {
    return generation === this.generation;
  }

  /** Loses everything not durable, as a power failure would; the disk is usable again at once. */
  crash(policy: CrashPolicy = loseAllUnsynced): void {
    const inodes = new Map<Inode, string>();
    for (const [path, inode] of this.live) inodes.set(inode, path);
    for (const [path, inode] of this.durable) inodes.set(inode, path);
    for (const [inode, path] of inodes) inode.crash(policy(path, inode.pending));
    this.live = new Map(this.durable);
    this.generation++;
  }

  /** Bit rot: XORs `mask` into the byte at `offsetBytes`, in both live and durable contents. */
  corrupt(path: string, offsetBytes: number, mask = 0xff): void {
    const inode = this.inodeOf(path);
    for (const bytes of [inode.live, inode.durable]) {
      if (offsetBytes >= bytes.size) continue;
      const old = bytes.read(offsetBytes, 1)[0]!;
      bytes.write(offsetBytes, Uint8Array.of(old ^ mask));
    }
  }

  /** Unsynced operations of a file (for tests). */
  pendingOps(path: string): readonly PendingOp[] {
    return this.inodeOf(path).pending;
  }

  async list(dir: string): Promise<string[]> {
    this.count();
    const d = normalizeDir(dir);
    if (!this.dirs.has(d)) throw new DiskError('NOT_FOUND', dir, 'no such directory');
    const names = new Set<string>();
    for (const path of this.live.keys()) if (parentDir(path) === d) names.add(path.slice(prefixLength(d)));
    for (const sub of this.dirs) if (sub !== d && parentDir(sub) === d) names.add(sub.slice(prefixLength(d)));
    return [...names];
  }

  async exists(path: string): Promise<boolean> {
    this.count();
    return this.live.has(path) || this.dirs.has(normalizeDir(path));
  }

  async size(path: string): Promise<number> {
    this.count();
    return this.inodeOf(path).live.size;
  }

  async read(path: string, offsetBytes = 0, lengthBytes = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
    this.count();
    return this.inodeOf(path).live.read(offsetBytes, lengthBytes);
  }

  async write(path: string, offsetBytes: number, bytes: Uint8Array): Promise<void> {
    this.count();
    invariant(Number.isSafeInteger(offsetBytes) && offsetBytes >= 0, `bad write offset ${offsetBytes}`);
    this.inodeOrCreate(path).apply({ kind: 'write', offsetBytes, bytes: bytes.slice() });
  }

  async truncate(path: string, sizeBytes: number): Promise<void> {
    this.count();
    invariant(Number.isSafeInteger(sizeBytes) && sizeBytes >= 0, `bad truncate size ${sizeBytes}`);
    this.inodeOf(path).apply({ kind: 'truncate', sizeBytes });
  }

  async fsync(path: string): Promise<void> {
    this.count();
    this.inodeOf(path).sync();
  }

  async fsyncDir(dir: string): Promise<void> {
    this.count();
    const d = normalizeDir(dir);
    if (!this.dirs.has(d)) throw new DiskError('NOT_FOUND', dir, 'no such directory');
    for (const [path, inode] of this.durable) {
      if (parentDir(path) === d && this.live.get(path) !== inode) this.durable.delete(path);
    }
    for (const [path, inode] of this.live) if (parentDir(path) === d) this.durable.set(path, inode);
  }

  async rename(from: string, to: string): Promise<void> {
    this.count();
    const inode = this.inodeOf(from);
    this.requireDir(to);
    this.live.delete(from);
    this.live.set(to, inode);
  }

  async remove(path: string): Promise<void> {
    this.count();
    this.live.delete(path);
  }

  async mkdirp(dir: string): Promise<void> {
    this.count();
    let d = normalizeDir(dir);
    while (!this.dirs.has(d)) {
      this.dirs.add(d);
      d = parentDir(d);
    }
  }

  private count(): void {
    this.opCount++;
  }

  private inodeOf(path: string): Inode {
    const inode = this.live.get(path);
    if (!inode) throw new DiskError('NOT_FOUND', path, 'no such file');
    return inode;
  }

  private inodeOrCreate(path: string): Inode {
    const existing = this.live.get(path);
    if (existing) return existing;
    this.requireDir(path);
    const inode = new Inode();
    this.live.set(path, inode);
    return inode;
  }

  private requireDir(path: string): void {
    const dir = parentDir(path);
    if (!this.dirs.has(dir)) throw new DiskError('NOT_FOUND', dir, 'no such directory');
  }
}

function normalizeDir(dir: string): string {
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

function prefixLength(dir: string): number {
  if (dir === '') return 0;
  return dir === '/' ? 1 : dir.length + 1;
}

/** A Disk bound to one incarnation of a MemDisk: every call fails once the disk has crashed since. */
class ProcessView implements Disk {
  constructor(
    private readonly disk: MemDisk,
    private readonly generation: number,
  ) {}

  private guard(path: string): void {
    if (!this.disk.isCurrent(this.generation)) throw new DiskError('CRASHED', path, 'the disk crashed');
  }

  async list(dir: string) { this.guard(dir); return this.disk.list(dir); }
  async exists(path: string) { this.guard(path); return this.disk.exists(path); }
  async size(path: string) { this.guard(path); return this.disk.size(path); }
  async read(path: string, offsetBytes?: number, lengthBytes?: number) {
    this.guard(path);
    return this.disk.read(path, offsetBytes, lengthBytes);
  }
  async write(path: string, offsetBytes: number, bytes: Uint8Array) {
    this.guard(path);
    return this.disk.write(path, offsetBytes, bytes);
  }
  async truncate(path: string, sizeBytes: number) { this.guard(path); return this.disk.truncate(path, sizeBytes); }
  async fsync(path: string) { this.guard(path); return this.disk.fsync(path); }
  async fsyncDir(dir: string) { this.guard(dir); return this.disk.fsyncDir(dir); }
  async rename(from: string, to: string) { this.guard(from); return this.disk.rename(from, to); }
  async remove(path: string) { this.guard(path); return this.disk.remove(path); }
  async mkdirp(dir: string) { this.guard(dir); return this.disk.mkdirp(dir); }
}
