// The Disk interface: the only way storage touches files. server/io/disk.ts
// implements it over node:fs; mem-disk.ts in memory (with crash semantics);
// faulty-disk.ts wraps either to inject slow or failing fsyncs.
//
// Paths are '/'-separated strings. Durability contract (as on POSIX):
// - write/truncate change a file's contents; they survive a crash only after
//   fsync(file) of that file.
// - creating, renaming and removing names survive a crash only after
//   fsyncDir(dir) of the directory holding the name.

export type DiskErrorCode =
  | 'NOT_FOUND' // no such file or directory
  | 'IO' // any other I/O failure
  | 'FSYNC_FAILED' // fsync reported an error: the written data may be lost
  | 'CRASHED'; // the (simulated) machine is down

export class DiskError extends Error {
  constructor(
    readonly code: DiskErrorCode,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${path}: ${message}`, options);
    this.name = 'DiskError';
  }
}

export interface Disk {
  /** Names (not paths) of the entries directly inside `dir`, in no particular order. */
  list(dir: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  /** Size of a file in bytes. */
  size(path: string): Promise<number>;
  /** Reads `lengthBytes` (default: to the end) from `offsetBytes` (default 0); shorter at end of file. */
  read(path: string, offsetBytes?: number, lengthBytes?: number): Promise<Uint8Array>;
  /** Writes `bytes` at `offsetBytes`, creating the file if absent; a gap before it reads as zeros. */
  write(path: string, offsetBytes: number, bytes: Uint8Array): Promise<void>;
  /** Sets the file size: cuts, or extends with zeros. */
  truncate(path: string, sizeBytes: number): Promise<void>;
  /** Makes the file's contents durable. */
  fsync(path: string): Promise<void>;
  /**
   * Optional fast path: writes `bytes` at `offsetBytes` inside the file's
   * current size and returns once they are durable (write + fsync of the data,
   * in one step, e.g. through an O_DSYNC descriptor).
   */
  writeDurable?(path: string, offsetBytes: number, bytes: Uint8Array): Promise<void>;
  /** Makes the names in `dir` (created, renamed, removed) durable. */
  fsyncDir(dir: string): Promise<void>;
  /** Atomically replaces `to` with `from`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; removing an absent file is not an error. */
  remove(path: string): Promise<void>;
  /** Creates `dir` and its parents if needed. */
  mkdirp(dir: string): Promise<void>;
}

export function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** The directory part of a path ('' for a bare name). */
export function parentDir(path: string): string {
  const cut = path.lastIndexOf('/');
  if (cut < 0) return '';
  if (cut === 0) return '/';
  return path.slice(0, cut);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
