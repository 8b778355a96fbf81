// Transactions as ZooKeeper logs them: TxnHeader + one txn record, keyed by
// the header's type (an OpCode). Used by the data tree (apply), the prep step
// (produce), storage (opaque bytes) and Zab (opaque bytes + zxid).
import { type Infer } from '../wire/codec.ts';
import { JuteReader, JuteWriter, WireError } from '../wire/jute.ts';
import { OpCode } from '../wire/opcodes.ts';
import * as R from '../wire/records.ts';

export type TxnBody =
  | { type: typeof OpCode.create | typeof OpCode.create2; rec: Infer<typeof R.CreateTxn> }
  | { type: typeof OpCode.createContainer; rec: Infer<typeof R.CreateContainerTxn> }
  | { type: typeof OpCode.createTTL; rec: Infer<typeof R.CreateTTLTxn> }
  | { type: typeof OpCode.delete | typeof OpCode.deleteContainer; rec: Infer<typeof R.DeleteTxn> }
  | { type: typeof OpCode.setData; rec: Infer<typeof R.SetDataTxn> }
  | { type: typeof OpCode.setACL; rec: Infer<typeof R.SetACLTxn> }
  | { type: typeof OpCode.check; rec: Infer<typeof R.CheckVersionTxn> }
  | { type: typeof OpCode.multi; txns: TxnBody[] }
  | { type: typeof OpCode.createSession; rec: Infer<typeof R.CreateSessionTxn> }
  | { type: typeof OpCode.closeSession; rec: Infer<typeof R.CloseSessionTxn> }
  | { type: typeof OpCode.error; rec: Infer<typeof R.ErrorTxn> };

export interface Txn {
  hdr: R.TxnHeader;
  body: TxnBody;
}

function writeBody(w: JuteWriter, body: TxnBody): void {
  switch (body.type) {
    case OpCode.create: case OpCode.create2: return R.CreateTxn.write(w, body.rec);
    case OpCode.createContainer: return R.CreateContainerTxn.write(w, body.rec);
    case OpCode.createTTL: return R.CreateTTLTxn.write(w, body.rec);
    case OpCode.delete: case OpCode.deleteContainer: return R.DeleteTxn.write(w, body.rec);
    case OpCode.setData: return R.SetDataTxn.write(w, body.rec);
    case OpCode.setACL: return R.SetACLTxn.write(w, body.rec);
    case OpCode.check: return R.CheckVersionTxn.write(w, body.rec);
    case OpCode.createSession: return R.CreateSessionTxn.write(w, body.rec);
    case OpCode.closeSession: return R.CloseSessionTxn.write(w, body.rec);
    case OpCode.error: return R.ErrorTxn.write(w, body.rec);
    case OpCode.multi:
      R.MultiTxn.write(w, { txns: body.txns.map((t) => ({ type: t.type, data: encodeSubTxn(t) })) });
      return;
  }
}

/** One txn inside a MultiTxn: never a multi (see readSubTxn). */
function encodeSubTxn(body: TxnBody): Uint8Array {
  if (body.type === OpCode.multi) throw new WireError('MARSHALLING', 'multi txn inside a multi txn');
  return encodeBody(body);
}

export function encodeBody(body: TxnBody): Uint8Array {
  const w = new JuteWriter(128);
  writeBody(w, body);
  return w.toBytes();
}

function readBody(type: number, r: JuteReader): TxnBody {
  switch (type) {
    case OpCode.create: case OpCode.create2: return { type, rec: R.CreateTxn.read(r) };
    case OpCode.createContainer: return { type, rec: R.CreateContainerTxn.read(r) };
    case OpCode.createTTL: return { type, rec: R.CreateTTLTxn.read(r) };
    case OpCode.delete: case OpCode.deleteContainer: return { type, rec: R.DeleteTxn.read(r) };
    case OpCode.setData: return { type, rec: R.SetDataTxn.read(r) };
    case OpCode.setACL: return { type, rec: R.SetACLTxn.read(r) };
    case OpCode.check: return { type, rec: R.CheckVersionTxn.read(r) };
    case OpCode.createSession: return { type, rec: R.CreateSessionTxn.read(r) };
    case OpCode.closeSession:
      // ZooKeeper before 3.6 logged closeSession without a body.
      return { type, rec: r.remaining > 0 ? R.CloseSessionTxn.read(r) : { paths2Delete: [] } };
    case OpCode.error: return { type, rec: R.ErrorTxn.read(r) };
    case OpCode.multi: {
      const { txns } = R.MultiTxn.read(r);
      return { type, txns: txns.map((t) => readSubTxn(t.type, t.data)) };
    }
    default: throw new WireError('MARSHALLING', `unknown txn type ${type}`);
  }
}

/**
 * One txn inside a MultiTxn. A multi holds no multi (DataTree.processTxn
 * refuses one as "Invalid type of op"), so reading never nests deeper than
 * one level, whatever the bytes say.
 */
function readSubTxn(type: number, data: Uint8Array | null): TxnBody {
  if (type === OpCode.multi) throw new WireError('MARSHALLING', 'multi txn inside a multi txn');
  return readBody(type, new JuteReader(data ?? new Uint8Array(0)));
}

/** TxnHeader + body: the bytes a txn-log entry holds. */
export function encodeTxn(txn: Txn): Uint8Array {
  const w = new JuteWriter(160);
  R.TxnHeader.write(w, txn.hdr);
  writeBody(w, txn.body);
  return w.toBytes();
}

export function decodeTxn(bytes: Uint8Array): Txn {
  const r = new JuteReader(bytes);
  const hdr = R.TxnHeader.read(r);
  return { hdr, body: readBody(hdr.type, r) };
}
