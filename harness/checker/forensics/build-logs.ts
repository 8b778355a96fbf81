// Test helper: txn log files built with the server's own encoders
// (encodeTxn, encodeLogRecord, encodeFileHeader), in memory.
import { TXNLOG_DBID, TXNLOG_MAGIC, encodeFileHeader, encodeLogRecord } from '../../../server/storage/log-format.ts';
import { encodeTxn, type TxnBody } from '../../../server/tree/txn.ts';
import { OpCode } from '../../../server/wire/opcodes.ts';
import type { ForensicsNodeInput } from './types.ts';

export const SESSION = 0x1000n;

export function zxid(epoch: number, counter: number): number {
  return epoch * 2 ** 32 + counter;
}

/** A setData txn at `z` by `session` writing `value` to /k. */
export function setDataTxn(z: number, value = `v${z}`, session = SESSION): Uint8Array {
  const body: TxnBody = { type: OpCode.setData, rec: { path: '/k', data: new TextEncoder().encode(value), version: -1 } };
  return encodeTxn({ hdr: { clientId: session, cxid: z % 1000, zxid: z, time: 1_700_000_000_000, type: OpCode.setData }, body });
}

/** A log file holding `txns`, then `paddingBytes` of preallocation zeros. */
export function logFile(txns: Uint8Array[], paddingBytes = 64): Uint8Array {
  const parts = [encodeFileHeader(TXNLOG_MAGIC, TXNLOG_DBID), ...txns.map(encodeLogRecord), new Uint8Array(paddingBytes)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** `log.<hex first zxid>` → setData txns at the given zxids. */
export function logOf(zxids: number[]): Record<string, Uint8Array> {
  return { [`log.${zxids[0]!.toString(16)}`]: logFile(zxids.map((z) => setDataTxn(z))) };
}

export function nodeInput(node: string, logFiles: Record<string, Uint8Array>, o: Partial<ForensicsNodeInput> = {}): ForensicsNodeInput {
  return { node, logFiles, snapshotNames: ['snapshot.0'], acceptedEpoch: 1, currentEpoch: 1, ...o };
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
