// Helpers for storage tests: txn bytes that carry a real TxnHeader.
import { records } from '../wire/index.ts';

const DELETE_TYPE = 2; // OpCode.delete

/** TxnHeader{zxid} + DeleteTxn{path}: a well-formed txn whose path names `tag`. */
export function makeTxn(zxid: number, tag = `n${zxid}`): Uint8Array {
  const header = records.TxnHeader.encode({ clientId: 0x1234n, cxid: zxid % 1000, zxid, time: 1_700_000_000_000, type: DELETE_TYPE });
  const body = records.DeleteTxn.encode({ path: `/${tag}` });
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** The path inside a txn made by makeTxn. */
export function tagOf(txn: Uint8Array): string {
  return records.DeleteTxn.decode(txn.subarray(32)).path.slice(1);
}

/** zxid of epoch `epoch`, counter `counter`. */
export function zxidOf(epoch: number, counter: number): number {
  return epoch * 2 ** 32 + counter;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}
