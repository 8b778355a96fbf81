// Reading one txn log file's bytes: the header, then records until the end.
// Where the records stop decides what recovery may do:
//   eof      - the last record ends exactly at the end of the file;
//   padding  - a zero-length record: the preallocated zeros (ZooKeeper's EOF);
//   torn     - a partial last record (cut short, or no 0x42 trailer): a write
//              interrupted by a crash, tolerated only at the very tail.
// Damage that cannot come from an interrupted append is CORRUPT_LOG at once:
// a checksum mismatch on a complete record, an impossible length, zxids not
// increasing, a bad header. A stop point (padding or torn) followed by a valid
// record later in the same file is also CORRUPT_LOG: that is a damaged record
// in the middle, and skipping it would silently drop data.
import { adler32 } from './adler32.ts';
import { StorageError } from './errors.ts';
import {
  END_OF_RECORD, FILE_FORMAT_VERSION, FILE_HEADER_BYTES, RECORD_OVERHEAD_BYTES, TXNLOG_MAGIC,
  TXN_HEADER_BYTES, hex, zxidOfTxn,
} from './log-format.ts';

export interface LogRecord {
  zxid: number;
  txn: Uint8Array;
  offsetBytes: number;
  endBytes: number;
}

export type LogEnd =
  | { kind: 'eof' }
  | { kind: 'padding'; offsetBytes: number }
  | { kind: 'torn'; offsetBytes: number; reason: string };

export interface LogScan {
  /** 'torn': the file is shorter than a header, or its header is partly zeros (never fully written). */
  header: 'ok' | 'torn';
  records: LogRecord[];
  end: LogEnd;
  /** Offset just past the last good record (or the header): where a torn tail is cut. */
  validEndBytes: number;
}

type Step = { kind: 'record'; record: LogRecord } | { kind: 'end'; end: LogEnd };

export interface ScanOptions {
  /**
   * Default true: a zxid not above the previous one is CORRUPT_LOG. False lets
   * an auditor (harness/checker/forensics) read such a file and report it itself.
   */
  requireIncreasing?: boolean;
}

/** Scans a whole log file. Throws CORRUPT_LOG (naming `fileName` and the offset) on damage. */
export function scanLog(bytes: Uint8Array, fileName: string, maxTxnBytes: number, options: ScanOptions = {}): LogScan {
  const corrupt = (offset: number, what: string) =>
    new StorageError('CORRUPT_LOG', `${fileName} at offset ${offset}: ${what}`);
  if (checkHeader(bytes, corrupt) === 'torn') {
    const later = findValidRecord(bytes, 0, maxTxnBytes);
    if (later !== null) throw corrupt(0, `damaged file header, but a valid record follows at offset ${later}`);
    return { header: 'torn', records: [], end: { kind: 'torn', offsetBytes: 0, reason: 'partial file header' }, validEndBytes: 0 };
  }
  const records: LogRecord[] = [];
  let pos = FILE_HEADER_BYTES;
  for (;;) {
    const step = readStep(bytes, pos, maxTxnBytes, corrupt);
    if (step.kind === 'end') {
      if (step.end.kind !== 'eof') {
        const later = findValidRecord(bytes, pos + 1, maxTxnBytes);
        if (later !== null) {
          throw corrupt(pos, `${describeEnd(step.end)}, but a valid record follows at offset ${later}`);
        }
      }
      return { header: 'ok', records, end: step.end, validEndBytes: pos };
    }
    const prev = records[records.length - 1];
    if (prev && step.record.zxid <= prev.zxid && options.requireIncreasing !== false) {
      throw corrupt(pos, `zxid ${hex(step.record.zxid)} does not follow ${hex(prev.zxid)}`);
    }
    records.push(step.record);
    pos = step.record.endBytes;
  }
}

export function describeEnd(end: LogEnd): string {
  if (end.kind === 'eof') return 'end of file';
  if (end.kind === 'padding') return `zero padding at offset ${end.offsetBytes}`;
  return `torn record at offset ${end.offsetBytes} (${end.reason})`;
}

function checkHeader(bytes: Uint8Array, corrupt: (o: number, w: string) => StorageError): 'ok' | 'torn' {
  const expected = new Uint8Array(8);
  const view = new DataView(expected.buffer);
  view.setInt32(0, TXNLOG_MAGIC);
  view.setInt32(4, FILE_FORMAT_VERSION);
  const seen = bytes.subarray(0, Math.min(8, bytes.length));
  let matched = 0;
  while (matched < seen.length && seen[matched] === expected[matched]) matched++;
  if (matched === 8 && bytes.length >= FILE_HEADER_BYTES) return 'ok';
  // A torn header is a prefix of the right one followed only by zeros.
  for (let i = matched; i < seen.length; i++) {
    if (seen[i] !== 0) throw corrupt(0, 'bad file header (not a version-2 ZKLG txn log)');
  }
  return 'torn';
}

function readStep(
  bytes: Uint8Array, pos: number, maxTxnBytes: number, corrupt: (o: number, w: string) => StorageError,
): Step {
  const remaining = bytes.length - pos;
  if (remaining === 0) return { kind: 'end', end: { kind: 'eof' } };
  if (remaining < 12) {
    return allZero(bytes, pos, bytes.length)
      ? { kind: 'end', end: { kind: 'padding', offsetBytes: pos } }
      : { kind: 'end', end: { kind: 'torn', offsetBytes: pos, reason: 'record header cut short' } };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const checksum = view.getBigUint64(pos);
  const length = view.getInt32(pos + 8);
  if (length === 0) {
    return checksum === 0n
      ? { kind: 'end', end: { kind: 'padding', offsetBytes: pos } }
      : { kind: 'end', end: { kind: 'torn', offsetBytes: pos, reason: 'checksum without length' } };
  }
  if (length < 0 || length > maxTxnBytes) throw corrupt(pos, `impossible record length ${length}`);
  if (remaining < length + RECORD_OVERHEAD_BYTES) {
    return { kind: 'end', end: { kind: 'torn', offsetBytes: pos, reason: 'record cut short' } };
  }
  if (bytes[pos + 12 + length] !== END_OF_RECORD) {
    return { kind: 'end', end: { kind: 'torn', offsetBytes: pos, reason: 'no end-of-record byte' } };
  }
  const txn = bytes.subarray(pos + 12, pos + 12 + length);
  if (checksum !== BigInt(adler32(txn))) throw corrupt(pos, 'CRC check failed (Adler-32 mismatch)');
  if (length < TXN_HEADER_BYTES) throw corrupt(pos, `record of ${length} bytes has no TxnHeader`);
  const record = { zxid: zxidOfTxn(txn), txn, offsetBytes: pos, endBytes: pos + length + RECORD_OVERHEAD_BYTES };
  return { kind: 'record', record };
}

function allZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** True if a complete record with a matching checksum starts at `pos`. */
export function isValidRecordAt(bytes: Uint8Array, pos: number, maxTxnBytes: number): boolean {
  if (pos < 0 || pos + RECORD_OVERHEAD_BYTES + TXN_HEADER_BYTES > bytes.length) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getInt32(pos + 8);
  if (length < TXN_HEADER_BYTES || length > maxTxnBytes) return false;
  if (pos + length + RECORD_OVERHEAD_BYTES > bytes.length) return false;
  if (bytes[pos + 12 + length] !== END_OF_RECORD) return false;
  const checksum = view.getBigUint64(pos);
  return checksum === BigInt(adler32(bytes.subarray(pos + 12, pos + 12 + length)));
}

/**
 * The first offset >= `from` where a valid record starts, or null. A record's
 * length field is non-zero, so runs of zeros (preallocation) are skipped fast.
 */
export function findValidRecord(bytes: Uint8Array, from: number, maxTxnBytes: number): number | null {
  let pos = Math.max(0, from);
  while (pos + RECORD_OVERHEAD_BYTES + TXN_HEADER_BYTES <= bytes.length) {
    // The length field occupies [pos+8, pos+12): some byte there is non-zero.
    let nonZero = pos + 8;
    while (nonZero < bytes.length && bytes[nonZero] === 0) nonZero++;
    if (nonZero >= bytes.length) return null;
    pos = Math.max(pos, nonZero - 11);
    if (isValidRecordAt(bytes, pos, maxTxnBytes)) return pos;
    pos++;
  }
  return null;
}
