// Loads every node's `<clusterDir>/<node>/data/version-2/` (txn logs,
// snapshot names, the newest snapshot, the epoch files) for the pure log
// forensics checker, and runs it against a run's history. Reads are bounded:
// a file over the size limit is skipped with a note (the node then counts as
// incomplete), and the preallocated zeros at the end of a log are not kept.
import { closeSync, existsSync, fstatSync, openSync, readSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_FORENSICS_LIMITS, FORENSICS_CHECKER, ackedWrites, checkForensicsInput, type ForensicsInput, type ForensicsNodeInput, type SyncEvent,
} from '../checker/forensics/index.ts';
import type { CheckResult } from '../checker/types.ts';
import { pairOperations } from '../history/ops.ts';
import type { History } from '../history/types.ts';

export interface ForensicsLoadOptions {
  /** A log or snapshot file larger than this (apparent size) is skipped. Default 256 MiB. */
  maxFileBytes?: number;
  /** Log bytes (after trimming) read over all nodes; later files are skipped. Default: the checker's maxLogBytesTotal. */
  maxTotalBytes?: number;
  /** Read the newest snapshot to check its seal. Default true. */
  readNewestSnapshot?: boolean;
}

export interface ForensicsCheckOptions extends ForensicsLoadOptions {
  /** Wall-clock budget of the check itself. Default 60 s. */
  timeoutMs?: number;
  /** The voting members, when some nodes are observers; default every node. */
  voters?: string[];
  /** How late the observer may stamp a sync (it polls the logs). Default 1 s. */
  syncTimeSlackNs?: number;
}

const DEFAULT_SYNC_TIME_SLACK_NS = 1_000_000_000;

const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK_BYTES);

/** The data directory's `version-2` of `node` in a cluster directory (under lazyfs: its backing directory, once unmounted). */
export function versionDirOf(clusterDir: string, node: string): string {
  const backing = join(clusterDir, node, 'data.backing', 'version-2');
  return existsSync(backing) ? backing : join(clusterDir, node, 'data', 'version-2');
}

export function loadForensicsInput(clusterDir: string, nodes: readonly string[], options: ForensicsLoadOptions = {}): ForensicsNodeInput[] {
  const budget = { leftBytes: options.maxTotalBytes ?? DEFAULT_FORENSICS_LIMITS.maxLogBytesTotal };
  return nodes.map((node) => loadNode(versionDirOf(clusterDir, node), node, options, budget));
}

function loadNode(dir: string, node: string, options: ForensicsLoadOptions, budget: { leftBytes: number }): ForensicsNodeInput {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const input: ForensicsNodeInput = {
    node, logFiles: {}, snapshotNames: [], acceptedEpoch: null, currentEpoch: null, currentEpochTmp: null, skippedFiles: [],
  };
  if (!existsSync(dir)) {
    input.skippedFiles!.push({ name: dir, reason: 'no version-2 directory' });
    return input;
  }
  const names = readdirSync(dir).sort();
  for (const name of names.filter((n) => /^log\.[0-9a-fA-F]+$/.test(n))) {
    const size = statSync(join(dir, name)).size;
    if (size > maxFileBytes) {
      input.skippedFiles!.push({ name, reason: `${size} bytes, over the ${maxFileBytes}-byte limit` });
    } else if (budget.leftBytes <= 0) {
      input.skippedFiles!.push({ name, reason: 'the log bytes already read reach the total limit' });
    } else {
      input.logFiles[name] = readTrimmed(join(dir, name));
      budget.leftBytes -= input.logFiles[name]!.length;
    }
  }
  input.snapshotNames = names.filter((n) => /^snapshot\.[0-9a-fA-F]+$/.test(n));
  if (options.readNewestSnapshot !== false) readNewestSnapshot(dir, input, maxFileBytes);
  input.acceptedEpoch = readEpochFile(join(dir, 'acceptedEpoch'));
  input.currentEpoch = readEpochFile(join(dir, 'currentEpoch'));
  input.currentEpochTmp = readEpochFile(join(dir, 'currentEpoch.tmp'));
  return input;
}

function readNewestSnapshot(dir: string, input: ForensicsNodeInput, maxFileBytes: number): void {
  const newest = [...input.snapshotNames].sort((a, b) => Number.parseInt(b.slice(9), 16) - Number.parseInt(a.slice(9), 16))[0];
  if (newest === undefined) return;
  const size = statSync(join(dir, newest)).size;
  if (size > maxFileBytes) return; // only its seal goes unchecked: the name still counts
  input.newestSnapshot = { name: newest, bytes: new Uint8Array(readFileSync(join(dir, newest))) };
}

/** A decimal epoch, or null when the file is missing or does not hold one. */
function readEpochFile(path: string): number | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8').trim();
  return /^\d{1,16}$/.test(text) ? Number(text) : null;
}

/**
 * The file's bytes up to its last non-zero byte (ZooKeeper preallocates logs with zeros, 64 MiB at a time,
 * as sparse files). Reading stops at the first all-zero chunk after the data when the file system says that
 * the rest is a hole (its allocated blocks are all within the bytes read, plus the file's last block, which
 * is read too); otherwise every chunk is read. A run with hundreds of preallocated logs per node read 17 GB
 * of zeros without this.
 */
function readTrimmed(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const { size, blocks } = fstatSync(fd);
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const kept: Buffer[] = [];
    let zeroBytes = 0;
    let offset = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, offset);
      if (n === 0) break;
      offset += n;
      const end = lastNonZero(chunk.subarray(0, n)) + 1;
      if (end === 0) {
        zeroBytes += n;
        if (kept.length > 0 && restIsHole(fd, { dataEnd: offset - zeroBytes, readEnd: offset, size, blocks })) break;
        continue;
      }
      if (zeroBytes > 0) kept.push(Buffer.alloc(zeroBytes)); // zeros between data: kept, scanLog judges them
      kept.push(Buffer.from(chunk.subarray(0, end)));
      zeroBytes = n - end;
    }
    return new Uint8Array(Buffer.concat(kept));
  } finally {
    closeSync(fd);
  }
}

const BLOCK_BYTES = 4096;

/**
 * True when nothing after `readEnd` can hold data: the file's allocated blocks are no more than those under
 * the data read (which ends at `dataEnd`) and the file's last block, and that last block is all zeros.
 * ZooKeeper pads a log by writing a zero at its new end, which allocates that last block. Blind spot: one
 * allocated block elsewhere in the hole, with the last block not allocated, is taken for the pad; logs are
 * written and fsynced in order, so a crash loses a tail, not one block past a megabyte of lost data.
 */
function restIsHole(fd: number, at: { dataEnd: number; readEnd: number; size: number; blocks: number }): boolean {
  const allocatedBytes = at.blocks * 512;
  if (allocatedBytes === 0) return false; // a file system that does not count blocks: read on
  if (allocatedBytes > Math.ceil(at.dataEnd / BLOCK_BYTES) * BLOCK_BYTES + BLOCK_BYTES) return false;
  const tailStart = Math.max(at.readEnd, at.size - BLOCK_BYTES);
  const tail = Buffer.alloc(Math.max(0, at.size - tailStart));
  const n = tail.length === 0 ? 0 : readSync(fd, tail, 0, tail.length, tailStart);
  return lastNonZero(tail.subarray(0, n)) === -1;
}

function lastNonZero(b: Buffer): number {
  if (b.equals(ZEROS.subarray(0, b.length))) return -1;
  for (let i = b.length - 1; i >= 0; i--) if (b[i] !== 0) return i;
  return -1;
}

/** Loads the nodes' files and checks them against the history's acknowledged writes (and the observer's syncs). */
export function checkForensics(
  clusterDir: string, nodes: readonly string[], history: History, syncEvents?: SyncEvent[], options: ForensicsCheckOptions = {},
): CheckResult {
  const startMs = Date.now();
  const inputs = loadForensicsInput(clusterDir, nodes, options);
  const loadMs = Date.now() - startMs;
  const writes = ackedWrites(pairOperations(history.events).operations);
  const budget = { now: () => Date.now(), deadlineMs: startMs + (options.timeoutMs ?? 60_000), maxMemoryBytes: Infinity };
  const input: ForensicsInput = { nodes: inputs, writes };
  if (syncEvents) {
    input.syncEvents = syncEvents;
    input.syncTimeSlackNs = options.syncTimeSlackNs ?? DEFAULT_SYNC_TIME_SLACK_NS;
  }
  if (options.voters) input.voters = options.voters;
  const result = checkForensicsInput(input, budget, DEFAULT_FORENSICS_LIMITS);
  const checkMs = Date.now() - startMs - loadMs;
  return { ...result, details: { ...(result.details as object), timing: { loadMs, checkMs } } };
}

/** checkForensics on the cluster directory and nodes a run's history names (meta.clusterDir, meta.nodes). */
export function checkRunForensics(history: History, syncEvents?: SyncEvent[], options: ForensicsCheckOptions = {}): CheckResult {
  const { clusterDir, nodes } = history.meta;
  if (typeof clusterDir !== 'string' || !Array.isArray(nodes) || nodes.length === 0 || !existsSync(clusterDir)) {
    return { checker: FORENSICS_CHECKER, verdict: 'unknown', summary: 'No cluster directory with node data for this history (meta.clusterDir / meta.nodes).', details: { clusterDir: clusterDir ?? null } };
  }
  return checkForensics(clusterDir, nodes, history, syncEvents, options);
}
