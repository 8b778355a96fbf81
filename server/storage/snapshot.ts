// Snapshots in ZooKeeper's FileSnap layout: `snapshot.<hex zxid>` in
// `<dataDir>/version-2/`, holding FileHeader{"ZKSN", 2, dbid -1}, the body (the
// data tree serializes itself: sessions, ACL cache, nodes), then the seal:
// long Adler-32 of everything before it, and ustring "/".
// Written to `<name>.tmp`, fsynced, renamed into place, directory fsynced: a
// crash leaves either the old set of snapshots or the new complete one.
import { JuteWriter } from '../wire/index.ts';
import { adler32 } from './adler32.ts';
import { joinPath, type Disk } from './disk.ts';
import { invariant } from './errors.ts';
import { SNAPSHOT_PREFIX, makeSnapshotName, sortByZxid, versionDir, type NamedFile } from './file-names.ts';
import { FILE_FORMAT_VERSION, FILE_HEADER_BYTES, SNAP_DBID, SNAP_MAGIC, encodeFileHeader, hex } from './log-format.ts';

/** long checksum (8) + ustring "/" (4 + 1). */
const SEAL_BYTES = 13;
/** FileSnap.findNValidSnapshots looks at this many candidates, newest first. */
export const MAX_SNAPSHOT_CANDIDATES = 100;
export const TMP_SUFFIX = '.tmp';

export interface Snapshot {
  zxid: number;
  body: Uint8Array;
  path: string;
}

export interface SnapshotSearch {
  snapshot: Snapshot | null;
  /** One line per snapshot skipped as invalid (for the caller to log). */
  skipped: string[];
}

/** The complete file: header, body, seal. */
export function encodeSnapshot(body: Uint8Array): Uint8Array {
  const w = new JuteWriter(FILE_HEADER_BYTES + body.length + SEAL_BYTES);
  w.writeRaw(encodeFileHeader(SNAP_MAGIC, SNAP_DBID));
  w.writeRaw(body);
  const sealed = w.toBytes();
  w.writeLong(adler32(sealed));
  w.writeString('/');
  return w.toBytes();
}

/** The body of a snapshot file, or a reason why it is not a valid one. */
export function decodeSnapshot(bytes: Uint8Array): { body: Uint8Array } | { invalid: string } {
  if (bytes.length < FILE_HEADER_BYTES + SEAL_BYTES) return { invalid: `too short (${bytes.length} bytes)` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getInt32(0) !== SNAP_MAGIC) return { invalid: 'bad magic (not ZKSN)' };
  if (view.getInt32(4) !== FILE_FORMAT_VERSION) return { invalid: `unsupported version ${view.getInt32(4)}` };
  const sealAt = bytes.length - SEAL_BYTES;
  if (view.getInt32(sealAt + 8) !== 1 || bytes[sealAt + 12] !== 0x2f) return { invalid: 'no "/" seal at the end' };
  const expected = BigInt(adler32(bytes.subarray(0, sealAt)));
  if (view.getBigInt64(sealAt) !== expected) return { invalid: 'CRC check failed (Adler-32 mismatch)' };
  return { body: bytes.subarray(FILE_HEADER_BYTES, sealAt) };
}

/** Writes `snapshot.<hex zxid>` atomically; returns its path. */
export async function writeSnapshot(disk: Disk, dataDir: string, zxid: number, body: Uint8Array): Promise<string> {
  invariant(Number.isSafeInteger(zxid) && zxid >= 0, `bad snapshot zxid ${zxid}`);
  const dir = versionDir(dataDir);
  await disk.mkdirp(dir);
  const path = joinPath(dir, makeSnapshotName(zxid));
  const tmp = path + TMP_SUFFIX;
  if (await disk.exists(tmp)) await disk.truncate(tmp, 0);
  await disk.write(tmp, 0, encodeSnapshot(body));
  await disk.fsync(tmp);
  await disk.rename(tmp, path);
  await disk.fsyncDir(dir);
  return path;
}

/** Snapshot files in `<dataDir>/version-2`, oldest first (temp files excluded). */
export async function listSnapshots(disk: Disk, dataDir: string): Promise<NamedFile[]> {
  const dir = versionDir(dataDir);
  if (!(await disk.exists(dir))) return [];
  return sortByZxid(await disk.list(dir), SNAPSHOT_PREFIX);
}

/** The newest snapshot whose seal checks out, looking at up to 100 candidates; invalid ones are skipped. */
export async function findNewestValidSnapshot(disk: Disk, dataDir: string): Promise<SnapshotSearch> {
  const dir = versionDir(dataDir);
  const candidates = (await listSnapshots(disk, dataDir)).reverse().slice(0, MAX_SNAPSHOT_CANDIDATES);
  const skipped: string[] = [];
  for (const file of candidates) {
    const path = joinPath(dir, file.name);
    const decoded = decodeSnapshot(await disk.read(path));
    if ('body' in decoded) return { snapshot: { zxid: file.zxid, body: decoded.body, path }, skipped };
    skipped.push(`skipping invalid snapshot ${path}: ${decoded.invalid}`);
  }
  return { snapshot: null, skipped };
}

/** Removes snapshots newer than `zxid` (a TRUNC to zxid must not leave a snapshot past it). */
export async function removeSnapshotsAfter(disk: Disk, dataDir: string, zxid: number): Promise<string[]> {
  const dir = versionDir(dataDir);
  const newer = (await listSnapshots(disk, dataDir)).filter((f) => f.zxid > zxid);
  for (const f of newer) await disk.remove(joinPath(dir, f.name));
  if (newer.length > 0) await disk.fsyncDir(dir);
  return newer.map((f) => `removed snapshot ${joinPath(dir, f.name)} newer than ${hex(zxid)}`);
}
