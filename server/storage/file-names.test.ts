import { describe, expect, it } from 'vitest';
import { logFilesAfter, makeLogName, makeSnapshotName, sortByZxid, zxidFromName } from './file-names.ts';

describe('file names', () => {
  it('use lowercase unpadded hex', () => {
    expect(makeLogName(0x100000001)).toBe('log.100000001');
    expect(makeSnapshotName(0)).toBe('snapshot.0');
    expect(makeSnapshotName(255)).toBe('snapshot.ff');
  });

  it('parse only exact names', () => {
    expect(zxidFromName('log.1f', 'log')).toBe(31);
    expect(zxidFromName('snapshot.1F', 'snapshot')).toBe(31);
    expect(zxidFromName('snapshot.1f.tmp', 'snapshot')).toBeNull();
    expect(zxidFromName('log.', 'log')).toBeNull();
    expect(zxidFromName('logx.1', 'log')).toBeNull();
    expect(zxidFromName('log.ffffffffffffffff', 'log')).toBeNull(); // beyond a safe integer
  });

  it('sort by zxid, not by name', () => {
    expect(sortByZxid(['log.a', 'log.9', 'log.10', 'snapshot.1'], 'log').map((f) => f.name)).toEqual(['log.9', 'log.a', 'log.10']);
  });

  it('pick the logs needed after a snapshot (Util.getLogFiles)', () => {
    const logs = sortByZxid(['log.1', 'log.b', 'log.15'], 'log');
    expect(logFilesAfter(logs, 0).map((f) => f.zxid)).toEqual([1, 11, 21]);
    expect(logFilesAfter(logs, 11).map((f) => f.zxid)).toEqual([11, 21]);
    expect(logFilesAfter(logs, 15).map((f) => f.zxid)).toEqual([11, 21]);
    expect(logFilesAfter(logs, 99).map((f) => f.zxid)).toEqual([21]);
  });
});
