// One node's logged history, decoded with the server's own readers
// (scanLog, decodeTxn): every txn in file order, the newest snapshot, and
// the per-node invariants (zxids strictly increase; no unexplained gap inside
// one file and one epoch; acceptedEpoch >= currentEpoch >= every logged epoch).
import { StorageError } from '../../../server/storage/errors.ts';
import { LOG_PREFIX, SNAPSHOT_PREFIX, sortByZxid } from '../../../server/storage/file-names.ts';
import { scanLog } from '../../../server/storage/log-scan.ts';
import { decodeSnapshot } from '../../../server/storage/snapshot.ts';
import { encodeBody, decodeTxn } from '../../../server/tree/txn.ts';
import { TxnHeader } from '../../../server/wire/records.ts';
import type { Finding, ForensicsNodeInput, SyncEvent } from './types.ts';
import { describe, difference } from './txn-compare.ts';
import { epochOf, finding, hexZxid } from './zxid.ts';

export interface LoggedTxn {
  zxid: number;
  file: string;
  clientId: bigint;
  cxid: number;
  type: number;
  timeMs: number;
  /** The txn record re-encoded from its decoded form (a trailing TxnDigest is left out); raw bytes if undecodable. */
  body: Uint8Array;
}

export interface NodeHistory {
  node: string;
  /** In log order (files by name, records by offset). */
  txns: LoggedTxn[];
  byZxid: Map<number, LoggedTxn>;
  /** The newest snapshot that counts (seal checked when its bytes were given), or null. */
  snapshotZxid: number | null;
  lastLoggedZxid: number | null;
  /** False when a file was skipped or unreadable: absences on this node prove nothing. */
  complete: boolean;
  /** The record with the highest zxid so far (reading in order). */
  highest: LoggedTxn | null;
  /** Records that repeat a txn this node had already logged (see stepBack). */
  relogged: { count: number; first?: number; last?: number };
  findings: Finding[];
}

/** Called once per record; throws to stop (over budget). */
export type Tick = () => void;

export function readNodeHistory(input: ForensicsNodeInput, maxTxnBytes: number, syncs: SyncEvent[], tick: Tick): NodeHistory {
  const h: NodeHistory = {
    node: input.node, txns: [], byZxid: new Map(), snapshotZxid: null, lastLoggedZxid: null,
    complete: (input.skippedFiles ?? []).length === 0, findings: [], highest: null, relogged: { count: 0 },
  };
  for (const s of input.skippedFiles ?? []) {
    h.findings.push(finding('skipped-file', 'note', [input.node], [], [], `${input.node}: ${s.name} not read (${s.reason})`));
  }
  const snapshots = sortByZxid(input.snapshotNames, SNAPSHOT_PREFIX);
  h.snapshotZxid = newestSnapshotZxid(input, snapshots.map((s) => s.zxid), h.findings);
  const snapSyncs = syncs.filter((e) => e.node === input.node && e.kind === 'SNAP').map((e) => e.zxid);
  const snapshotMarks = [...snapshots.map((s) => s.zxid), ...snapSyncs];
  for (const file of sortByZxid(Object.keys(input.logFiles), LOG_PREFIX)) {
    readFile(h, file.name, input.logFiles[file.name]!, maxTxnBytes, snapshotMarks, tick);
  }
  if (h.relogged.count > 0) {
    const [first, last] = [hexZxid(h.relogged.first!), hexZxid(h.relogged.last!)];
    h.findings.push(finding('zxid-relogged', 'note', [input.node], [first, last], [],
      `${input.node} logged ${h.relogged.count} txns (between ${first} and ${last}) a second time, identical`));
  }
  checkEpochs(input, h);
  return h;
}

function newestSnapshotZxid(input: ForensicsNodeInput, zxids: number[], findings: Finding[]): number | null {
  let newest = zxids.length > 0 ? zxids[zxids.length - 1]! : null;
  const given = input.newestSnapshot;
  if (newest !== null && given && given.name === `${SNAPSHOT_PREFIX}.${newest.toString(16)}`) {
    const decoded = decodeSnapshot(given.bytes);
    if ('invalid' in decoded) {
      findings.push(finding('invalid-snapshot', 'note', [input.node], [hexZxid(newest)], [],
        `${input.node}: newest snapshot ${given.name} is not valid (${decoded.invalid}); the one before it counts`));
      newest = zxids.length > 1 ? zxids[zxids.length - 2]! : null;
    }
  }
  return newest;
}

function readFile(h: NodeHistory, name: string, bytes: Uint8Array, maxTxnBytes: number, snapshotMarks: number[], tick: Tick): void {
  let records;
  try {
    records = scanLog(bytes, name, maxTxnBytes, { requireIncreasing: false }).records;
  } catch (err) {
    if (!(err instanceof StorageError)) throw err;
    h.complete = false;
    h.findings.push(finding('unreadable-log', 'unknown', [h.node], [], [], `${h.node}: ${err.message}`));
    return;
  }
  for (const r of records) {
    tick();
    const txn = decodeLogged(r.txn, r.zxid, name);
    const top = h.highest;
    if (top && txn.zxid <= top.zxid) {
      stepBack(h, txn, top);
    } else {
      if (top && isUnexplainedGap(top, txn, snapshotMarks)) {
        h.findings.push(finding('zxid-gap', 'invalid', [h.node], [hexZxid(top.zxid), hexZxid(txn.zxid)], [],
          `${h.node}: ${name} goes from ${hexZxid(top.zxid)} to ${hexZxid(txn.zxid)} in one epoch ` +
          `(${txn.zxid - top.zxid - 1} txns skipped) with no snapshot or SNAP in between`));
      }
      h.highest = txn;
      h.byZxid.set(txn.zxid, txn);
      h.lastLoggedZxid = txn.zxid;
    }
    h.txns.push(txn);
  }
}

/**
 * A record at or below the highest zxid already logged. The same txn again is
 * a re-log: Apache ZooKeeper 3.8's FileTxnLog appends it with a warning
 * ("Current zxid … is <= … for …") when a learner is DIFF-synced again from
 * its in-memory zxid after its SyncThread died, and its replay tolerates it;
 * no txn changes, so it is a note. A zxid this node never logged, arriving
 * late, or another txn at a logged zxid, breaks the log's order: invalid.
 */
function stepBack(h: NodeHistory, txn: LoggedTxn, top: LoggedTxn): void {
  const earlier = h.byZxid.get(txn.zxid);
  const z = hexZxid(txn.zxid);
  if (!earlier) {
    h.findings.push(finding('zxid-not-increasing', 'invalid', [h.node], [hexZxid(top.zxid), z], [],
      `${h.node}: ${z} in ${txn.file} comes after ${hexZxid(top.zxid)} in ${top.file}, and was not logged before`));
    return;
  }
  const diff = difference(earlier, txn);
  if (diff !== null) {
    h.findings.push(finding('conflicting-txn', 'invalid', [h.node], [z], [],
      `${h.node} logged ${z} twice: ${describe(earlier)} (${earlier.file}), then ${describe(txn)} (${txn.file}): ${diff} differ`));
    return;
  }
  h.relogged.count++;
  h.relogged.first ??= txn.zxid;
  h.relogged.last = txn.zxid;
}

/** A skip inside one file and one epoch, with no snapshot (or SNAP sync) at a zxid in [prev, next). */
function isUnexplainedGap(prev: LoggedTxn, next: LoggedTxn, snapshotMarks: number[]): boolean {
  if (prev.file !== next.file || epochOf(prev.zxid) !== epochOf(next.zxid) || next.zxid === prev.zxid + 1) return false;
  return !snapshotMarks.some((s) => s >= prev.zxid && s < next.zxid);
}

function decodeLogged(bytes: Uint8Array, zxid: number, file: string): LoggedTxn {
  const hdr = TxnHeader.decode(bytes.subarray(0, 32));
  let body: Uint8Array;
  try {
    body = encodeBody(decodeTxn(bytes).body);
  } catch {
    body = bytes.slice(32); // a type this server does not model (e.g. reconfig): compare raw
  }
  return { zxid, file, clientId: hdr.clientId, cxid: hdr.cxid, type: hdr.type, timeMs: hdr.time, body };
}

/**
 * ZooKeeper's start-up (QuorumPeer.loadDataBase) refuses acceptedEpoch <
 * currentEpoch, and a currentEpoch older than the last zxid's epoch unless
 * currentEpoch.tmp supplies it; the epoch files are written before any txn of
 * the epoch is logged, so both hold at every instant, not only at start-up.
 */
function checkEpochs(input: ForensicsNodeInput, h: NodeHistory): void {
  const { node, acceptedEpoch, currentEpoch } = input;
  if (acceptedEpoch === null || currentEpoch === null) {
    const missing = [acceptedEpoch === null ? 'acceptedEpoch' : '', currentEpoch === null ? 'currentEpoch' : ''].filter(Boolean);
    h.findings.push(finding('epoch-file-missing', 'note', [node], [], [], `${node}: ${missing.join(' and ')} missing (ZooKeeper recreates it at start-up)`));
  }
  if (acceptedEpoch !== null && currentEpoch !== null && acceptedEpoch < currentEpoch) {
    h.findings.push(finding('accepted-epoch-below-current', 'invalid', [node], [], [],
      `${node}: acceptedEpoch ${acceptedEpoch} < currentEpoch ${currentEpoch}`));
  }
  if (currentEpoch === null) return;
  const effective = Math.max(currentEpoch, input.currentEpochTmp ?? 0);
  // The log only: a SNAP's snapshot is written before currentEpoch (Learner.syncWithLeader), so a
  // crash between the two leaves a newer snapshot legitimately (ZooKeeper then stops at start-up).
  const last = h.lastLoggedZxid ?? 0;
  if (epochOf(last) > effective) {
    h.findings.push(finding('txn-epoch-above-current', 'invalid', [node], [hexZxid(last)], [],
      `${node}: log reaches ${hexZxid(last)} (epoch ${epochOf(last)}) but currentEpoch is ${effective}`));
  }
}
