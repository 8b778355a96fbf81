import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logFile, range, setDataTxn, zxid } from '../checker/forensics/build-logs.ts';
import type { ForensicsDetails } from '../checker/forensics/types.ts';
import { HISTORY_FORMAT, type History, type HistoryEvent } from '../history/types.ts';
import { checkForensics, checkRunForensics, loadForensicsInput, versionDirOf } from './forensics.ts';

const PREALLOC_BYTES = 3 * 1024 * 1024; // more than one read chunk of zeros after the records
let dirs: string[] = [];

afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function cluster(logs: Record<string, number[]>, epochs = '1'): string {
  const dir = mkdtempSync(join(tmpdir(), 'zooproof-forensics-'));
  dirs.push(dir);
  for (const [node, zxids] of Object.entries(logs)) {
    const v2 = versionDirOf(dir, node);
    mkdirSync(v2, { recursive: true });
    const path = join(v2, `log.${zxids[0]!.toString(16)}`);
    writeFileSync(path, logFile(zxids.map((z) => setDataTxn(z, node === 'n3' && z === zxid(1, 4) ? 'other' : `v${z}`)), 0));
    truncateSync(path, PREALLOC_BYTES); // sparse zeros, as ZooKeeper preallocates
    writeFileSync(join(v2, 'snapshot.0'), 'not a real snapshot');
    writeFileSync(join(v2, 'acceptedEpoch'), epochs);
    writeFileSync(join(v2, 'currentEpoch'), epochs);
  }
  return dir;
}

function historyOf(writes: { z: number; node: string }[]): History {
  const events: HistoryEvent[] = [];
  writes.forEach((w, i) => {
    events.push({ index: events.length, process: i, type: 'invoke', f: 'write', value: i, time: i * 10 });
    events.push({ index: events.length, process: i, type: 'ok', f: 'write', value: i, time: i * 10 + 5, zxid: w.z, node: w.node, session: '0x1000' });
  });
  events.push({ index: events.length, process: 9, type: 'invoke', f: 'read', value: null, time: 1000 });
  events.push({ index: events.length, process: 9, type: 'ok', f: 'read', value: 1, time: 1001, zxid: zxid(1, 99), node: 'n1' });
  return { meta: { format: HISTORY_FORMAT, nodes: ['n1', 'n2', 'n3'] }, events };
}

describe('loadForensicsInput', () => {
  it('reads logs without their preallocated zeros, snapshot names, the newest snapshot and the epochs', () => {
    const dir = cluster({ n1: range(zxid(1, 1), zxid(1, 5)) }, '1\n');
    const [n1] = loadForensicsInput(dir, ['n1']);
    expect(Object.keys(n1!.logFiles)).toEqual(['log.100000001']);
    expect(n1!.logFiles['log.100000001']).toEqual(logFile(range(zxid(1, 1), zxid(1, 5)).map((z) => setDataTxn(z)), 0));
    expect(n1).toMatchObject({ snapshotNames: ['snapshot.0'], acceptedEpoch: 1, currentEpoch: 1, currentEpochTmp: null, skippedFiles: [] });
    expect(n1!.newestSnapshot?.name).toBe('snapshot.0');
  });

  it('keeps data written after a hole in a sparse log, and in its last block (only the hole is skipped unread)', () => {
    const dir = cluster({ n1: [zxid(1, 1)] });
    const path = join(versionDirOf(dir, 'n1'), 'log.100000001');
    const records = logFile([setDataTxn(zxid(1, 1))], 0);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from([5]), 0, 1, 2 * 1024 * 1024 - 100); // data beyond the first all-zero chunk,
    writeSync(fd, Buffer.from([7]), 0, 1, 2 * 1024 * 1024 + 5); // in two blocks (one is taken for ZooKeeper's pad)
    closeSync(fd);
    const middle = loadForensicsInput(dir, ['n1'])[0]!.logFiles['log.100000001']!;
    expect(middle.length).toBe(2 * 1024 * 1024 + 6);
    expect(middle.subarray(0, records.length)).toEqual(records);
    const fd2 = openSync(path, 'r+');
    writeSync(fd2, Buffer.from([0]), 0, 1, 2 * 1024 * 1024 - 100);
    writeSync(fd2, Buffer.from([0]), 0, 1, 2 * 1024 * 1024 + 5);
    writeSync(fd2, Buffer.from([9]), 0, 1, PREALLOC_BYTES - 2); // in the last block only
    closeSync(fd2);
    expect(loadForensicsInput(dir, ['n1'])[0]!.logFiles['log.100000001']!.length).toBe(PREALLOC_BYTES - 1);
  });

  it('skips a file over the size limit, with the reason', () => {
    const dir = cluster({ n1: range(zxid(1, 1), zxid(1, 5)) });
    const [n1] = loadForensicsInput(dir, ['n1'], { maxFileBytes: 1024 });
    expect(n1!.logFiles).toEqual({});
    expect(n1!.skippedFiles![0]!.reason).toContain('over the 1024-byte limit');
  });

  it('stops reading logs at the total limit, naming what it skipped', () => {
    const dir = cluster({ n1: range(zxid(1, 1), zxid(1, 5)), n2: range(zxid(1, 1), zxid(1, 5)) });
    const [n1, n2] = loadForensicsInput(dir, ['n1', 'n2'], { maxTotalBytes: 100 });
    expect(Object.keys(n1!.logFiles)).toEqual(['log.100000001']);
    expect(n2!.skippedFiles).toEqual([{ name: 'log.100000001', reason: 'the log bytes already read reach the total limit' }]);
  });

  it('a node without a data directory is incomplete, not empty', () => {
    const dir = cluster({ n1: [zxid(1, 1)] });
    const [n9] = loadForensicsInput(dir, ['n9']);
    expect(n9!.skippedFiles![0]!.reason).toBe('no version-2 directory');
  });
});

describe('checkForensics', () => {
  it('valid on agreeing nodes; the read\'s zxid (past every log) is not taken for a write', () => {
    const all = range(zxid(1, 1), zxid(1, 6));
    const dir = cluster({ n1: all, n2: all });
    const r = checkForensics(dir, ['n1', 'n2'], historyOf([{ z: zxid(1, 3), node: 'n1' }, { z: zxid(1, 6), node: 'n2' }]));
    expect(r.verdict).toBe('valid');
    expect((r.details as ForensicsDetails).stats).toMatchObject({ nodes: 2, txnRecords: 12, zxidsCompared: 6, ackedWrites: 2 });
  });

  it('invalid when one node holds another txn at a zxid', () => {
    const all = range(zxid(1, 1), zxid(1, 6));
    const dir = cluster({ n1: all, n2: all, n3: all });
    const r = checkForensics(dir, ['n1', 'n2', 'n3'], historyOf([]));
    expect(r.verdict).toBe('invalid');
    const conflicts = (r.details as ForensicsDetails).findings.filter((f) => f.kind === 'conflicting-txn');
    expect(conflicts).toMatchObject([{ nodes: ['n1', 'n3'], zxids: ['0x100000004'] }]);
  });

  it('checkRunForensics finds the cluster from the history\'s metadata, and is unknown without one', () => {
    const all = range(zxid(1, 1), zxid(1, 3));
    const dir = cluster({ n1: all, n2: all });
    const h = historyOf([{ z: zxid(1, 2), node: 'n1' }]);
    expect(checkRunForensics({ ...h, meta: { ...h.meta, clusterDir: dir, nodes: ['n1', 'n2'] } }).verdict).toBe('valid');
    expect(checkRunForensics(h).verdict).toBe('unknown');
  });
});
