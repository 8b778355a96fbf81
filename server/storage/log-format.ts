// Byte layout of ZooKeeper's txn log and snapshot files (FileTxnLog, FileSnap):
// FileHeader{int magic, int version, long dbid}; a log record is
// long checksum (Adler-32 of the txn bytes), buffer txn (int length + bytes),
// byte 0x42 ('B', end of record). Pure encoding; reading lives in log-scan.ts.
import { JuteReader, JuteWriter, WireError, records } from '../wire/index.ts';
import { adler32 } from './adler32.ts';
import { StorageError } from './errors.ts';

export const TXNLOG_MAGIC = 0x5a4b4c47; // "ZKLG"
export const SNAP_MAGIC = 0x5a4b534e; // "ZKSN"
export const FILE_FORMAT_VERSION = 2;
export const TXNLOG_DBID = 0;
export const SNAP_DBID = -1;
export const FILE_HEADER_BYTES = 16;
export const END_OF_RECORD = 0x42;
/** checksum (8) + length (4) + trailer (1). */
export const RECORD_OVERHEAD_BYTES = 13;
/** TxnHeader{long clientId, int cxid, long zxid, long time, int type}. */
export const TXN_HEADER_BYTES = 32;
/** Bound on one record's txn bytes (jute.maxbuffer is ~1 MiB; a multi may exceed it a little). */
export const DEFAULT_MAX_TXN_BYTES = 4 * 1024 * 1024;

export function encodeFileHeader(magic: number, dbid: number): Uint8Array {
  return records.FileHeader.encode({ magic, version: FILE_FORMAT_VERSION, dbid });
}

/** The bytes of one log record holding `txn`. */
export function encodeLogRecord(txn: Uint8Array): Uint8Array {
  const w = new JuteWriter(txn.length + RECORD_OVERHEAD_BYTES);
  w.writeLong(adler32(txn));
  w.writeBuffer(txn);
  w.writeByte(END_OF_RECORD);
  return w.toBytes();
}

/** The zxid from the TxnHeader at the start of `txn`; BAD_ENTRY if there is none. */
export function zxidOfTxn(txn: Uint8Array): number {
  if (txn.length < TXN_HEADER_BYTES) {
    throw new StorageError('BAD_ENTRY', `txn of ${txn.length} bytes is shorter than a TxnHeader`);
  }
  try {
    // TxnHeader is (long clientId, int cxid, long zxid, long time, int type): the zxid alone, at offset 12.
    const r = new JuteReader(txn);
    r.readRaw(12);
    return r.readLong();
  } catch (err) {
    if (err instanceof WireError) throw new StorageError('BAD_ENTRY', `unreadable TxnHeader: ${err.message}`);
    throw err;
  }
}

export function hex(zxid: number): string {
  return `0x${zxid.toString(16)}`;
}
