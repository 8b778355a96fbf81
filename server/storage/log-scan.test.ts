import { describe, expect, it } from 'vitest';
import { encodeFileHeader, encodeLogRecord, TXNLOG_DBID, TXNLOG_MAGIC } from './log-format.ts';
import { findValidRecord, scanLog } from './log-scan.ts';
import { makeTxn } from './test-txns.ts';

const MAX = 1 << 20;

function file(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const header = encodeFileHeader(TXNLOG_MAGIC, TXNLOG_DBID);
const rec = (z: number) => encodeLogRecord(makeTxn(z));

describe('scanLog', () => {
  it('reads records to the end of the file', () => {
    const s = scanLog(file(header, rec(1), rec(2)), 'log.1', MAX);
    expect(s.header).toBe('ok');
    expect(s.records.map((r) => r.zxid)).toEqual([1, 2]);
    expect(s.end).toEqual({ kind: 'eof' });
    expect(s.validEndBytes).toBe(16 + 2 * rec(1).length);
  });

  it('stops at zero padding, however long', () => {
    const s = scanLog(file(header, rec(1), new Uint8Array(1 << 16)), 'log.1', MAX);
    expect(s.records).toHaveLength(1);
    expect(s.end.kind).toBe('padding');
    const short = scanLog(file(header, rec(1), new Uint8Array(5)), 'log.1', MAX);
    expect(short.end.kind).toBe('padding');
  });

  it('classifies a partial last record as torn', () => {
    const r2 = rec(2);
    const cutShort = scanLog(file(header, rec(1), r2.subarray(0, r2.length - 1)), 'log.1', MAX);
    expect(cutShort.end).toMatchObject({ kind: 'torn', reason: 'record cut short' });
    const noTrailer = scanLog(file(header, rec(1), r2.subarray(0, r2.length - 1), new Uint8Array(30)), 'log.1', MAX);
    expect(noTrailer.end).toMatchObject({ kind: 'torn', reason: 'no end-of-record byte' });
    expect(noTrailer.validEndBytes).toBe(16 + rec(1).length);
  });

  it('treats a short or zeroed header as torn and anything else as corrupt', () => {
    expect(scanLog(new Uint8Array(0), 'log.1', MAX).header).toBe('torn');
    expect(scanLog(header.subarray(0, 6), 'log.1', MAX).header).toBe('torn');
    expect(scanLog(new Uint8Array(100), 'log.1', MAX).header).toBe('torn');
    expect(() => scanLog(file(Uint8Array.of(1, 2, 3, 4), new Uint8Array(20)), 'log.1', MAX)).toThrow(/CORRUPT_LOG.*header/);
    // A zeroed header in front of real records is damage, not a torn write.
    expect(() => scanLog(file(new Uint8Array(16), rec(1)), 'log.1', MAX)).toThrow(/valid record follows/);
  });

  it('refuses a checksum mismatch, an impossible length and zxids going backwards', () => {
    const bad = file(header, rec(1));
    bad[16 + 12 + 3]! ^= 1;
    expect(() => scanLog(bad, 'log.1', MAX)).toThrow(/log.1 at offset 16: CRC check failed/);
    const huge = file(header, rec(1));
    huge[16 + 8] = 0x7f;
    expect(() => scanLog(huge, 'log.1', MAX)).toThrow(/impossible record length/);
    expect(() => scanLog(file(header, rec(2), rec(1)), 'log.2', MAX)).toThrow(/does not follow/);
  });
});

describe('findValidRecord', () => {
  it('finds a record at any alignment after zeros and junk', () => {
    const bytes = file(new Uint8Array(1000), Uint8Array.of(9, 9, 9), rec(7), new Uint8Array(50));
    expect(findValidRecord(bytes, 0, MAX)).toBe(1003);
    expect(findValidRecord(bytes, 1004, MAX)).toBeNull();
    expect(findValidRecord(new Uint8Array(1 << 20), 0, MAX)).toBeNull();
  });
});
