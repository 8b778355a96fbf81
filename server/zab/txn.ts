// A transaction as Zab sees it: its zxid and opaque bytes (TxnHeader + txn
// record, encoded by the layer above).
import type { Zxid } from './zxid.ts';

export interface Txn {
  readonly zxid: Zxid;
  readonly data: Uint8Array;
}
