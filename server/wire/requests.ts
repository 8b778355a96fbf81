// Client requests: RequestHeader + body, decoded into one tagged union keyed
// by ZooKeeper's opcode names. multi / multiRead bodies are MultiHeader-framed
// lists of sub-requests (MultiOperationRecord).
import { type Infer } from './codec.ts';
import { JuteReader, JuteWriter, WireError } from './jute.ts';
import { OpCode } from './opcodes.ts';
import * as R from './records.ts';

export type CreateBody = Infer<typeof R.CreateTTLRequest>;

export type Request =
  | { op: 'create'; opcode: number; body: CreateBody }
  | { op: 'delete'; opcode: number; body: Infer<typeof R.DeleteRequest> }
  | { op: 'exists'; opcode: number; body: Infer<typeof R.ExistsRequest> }
  | { op: 'getData'; opcode: number; body: Infer<typeof R.GetDataRequest> }
  | { op: 'setData'; opcode: number; body: Infer<typeof R.SetDataRequest> }
  | { op: 'getACL'; opcode: number; body: Infer<typeof R.GetACLRequest> }
  | { op: 'setACL'; opcode: number; body: Infer<typeof R.SetACLRequest> }
  | { op: 'getChildren'; opcode: number; body: Infer<typeof R.GetChildrenRequest> }
  | { op: 'sync'; opcode: number; body: Infer<typeof R.SyncRequest> }
  | { op: 'ping'; opcode: number; body: null }
  | { op: 'check'; opcode: number; body: Infer<typeof R.CheckVersionRequest> }
  | { op: 'multi'; opcode: number; body: MultiOp[] }
  | { op: 'checkWatches'; opcode: number; body: Infer<typeof R.CheckWatchesRequest> }
  | { op: 'removeWatches'; opcode: number; body: Infer<typeof R.RemoveWatchesRequest> }
  | { op: 'auth'; opcode: number; body: Infer<typeof R.AuthPacket> }
  | { op: 'setWatches'; opcode: number; body: Infer<typeof R.SetWatches2> }
  | { op: 'getEphemerals'; opcode: number; body: Infer<typeof R.GetEphemeralsRequest> }
  | { op: 'getAllChildrenNumber'; opcode: number; body: Infer<typeof R.GetAllChildrenNumberRequest> }
  | { op: 'addWatch'; opcode: number; body: Infer<typeof R.AddWatchRequest> }
  | { op: 'whoAmI'; opcode: number; body: null }
  | { op: 'closeSession'; opcode: number; body: null }
  | { op: 'unimplemented'; opcode: number; body: null };

/** A sub-operation of multi (create/create2/createTTL/createContainer/delete/setData/check) or multiRead. */
export type MultiOp = Extract<Request, { op: 'create' | 'delete' | 'setData' | 'check' | 'getData' | 'getChildren' }>;

export interface DecodedRequest {
  xid: number;
  request: Request;
}

function decodeCreate(r: JuteReader, opcode: number): CreateBody {
  const base = R.CreateRequest.read(r);
  const ttl = opcode === OpCode.createTTL ? r.readLong() : -1;
  return { ...base, ttl };
}

/** Decodes one body for `opcode`. Unknown opcodes become `unimplemented`, never an exception. */
export function decodeBody(opcode: number, r: JuteReader): Request {
  switch (opcode) {
    case OpCode.create: case OpCode.create2: case OpCode.createContainer: case OpCode.createTTL:
      return { op: 'create', opcode, body: decodeCreate(r, opcode) };
    case OpCode.delete: return { op: 'delete', opcode, body: R.DeleteRequest.read(r) };
    case OpCode.exists: return { op: 'exists', opcode, body: R.ExistsRequest.read(r) };
    case OpCode.getData: return { op: 'getData', opcode, body: R.GetDataRequest.read(r) };
    case OpCode.setData: return { op: 'setData', opcode, body: R.SetDataRequest.read(r) };
    case OpCode.getACL: return { op: 'getACL', opcode, body: R.GetACLRequest.read(r) };
    case OpCode.setACL: return { op: 'setACL', opcode, body: R.SetACLRequest.read(r) };
    case OpCode.getChildren: case OpCode.getChildren2:
      return { op: 'getChildren', opcode, body: R.GetChildrenRequest.read(r) };
    case OpCode.sync: return { op: 'sync', opcode, body: R.SyncRequest.read(r) };
    case OpCode.ping: return { op: 'ping', opcode, body: null };
    case OpCode.check: return { op: 'check', opcode, body: R.CheckVersionRequest.read(r) };
    case OpCode.multi: case OpCode.multiRead: return { op: 'multi', opcode, body: decodeMultiOps(r, opcode) };
    case OpCode.checkWatches: return { op: 'checkWatches', opcode, body: R.CheckWatchesRequest.read(r) };
    case OpCode.removeWatches: return { op: 'removeWatches', opcode, body: R.RemoveWatchesRequest.read(r) };
    case OpCode.auth: return { op: 'auth', opcode, body: R.AuthPacket.read(r) };
    case OpCode.setWatches: return { op: 'setWatches', opcode, body: decodeSetWatches(r) };
    case OpCode.setWatches2: return { op: 'setWatches', opcode, body: R.SetWatches2.read(r) };
    case OpCode.getEphemerals: return { op: 'getEphemerals', opcode, body: R.GetEphemeralsRequest.read(r) };
    case OpCode.getAllChildrenNumber:
      return { op: 'getAllChildrenNumber', opcode, body: R.GetAllChildrenNumberRequest.read(r) };
    case OpCode.addWatch: return { op: 'addWatch', opcode, body: R.AddWatchRequest.read(r) };
    case OpCode.whoAmI: return { op: 'whoAmI', opcode, body: null };
    case OpCode.closeSession: return { op: 'closeSession', opcode, body: null };
    default: return { op: 'unimplemented', opcode, body: null };
  }
}

function decodeSetWatches(r: JuteReader): Infer<typeof R.SetWatches2> {
  const v1 = R.SetWatches.read(r);
  return { ...v1, persistentWatches: [], persistentRecursiveWatches: [] };
}

const multiWriteOps = new Set<number>([OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer,
  OpCode.delete, OpCode.setData, OpCode.check]);
const multiReadOps = new Set<number>([OpCode.getData, OpCode.getChildren]);

/** Upper bound on sub-operations; each takes at least a header, so this is generous. */
const MULTI_OPS_MAX = 1_000_000;

function decodeMultiOps(r: JuteReader, opcode: number): MultiOp[] {
  const allowed = opcode === OpCode.multi ? multiWriteOps : multiReadOps;
  const ops: MultiOp[] = [];
  for (;;) {
    const h = R.MultiHeader.read(r);
    if (h.done) return ops;
    if (!allowed.has(h.type)) {
      throw new WireError('MARSHALLING', `operation type ${h.type} not allowed in ${opcode === OpCode.multi ? 'multi' : 'multiRead'}`);
    }
    if (ops.length >= MULTI_OPS_MAX) throw new WireError('MARSHALLING', 'too many multi operations');
    ops.push(decodeBody(h.type, r) as MultiOp);
  }
}

export function decodeRequest(frameBody: Uint8Array): DecodedRequest {
  const r = new JuteReader(frameBody);
  const header = R.RequestHeader.read(r);
  const request = decodeBody(header.type, r);
  return { xid: header.xid, request };
}

// ---- Encoding (used by the project's client and the test suites)

export function encodeBody(w: JuteWriter, req: Request): void {
  switch (req.op) {
    case 'create':
      R.CreateRequest.write(w, req.body);
      if (req.opcode === OpCode.createTTL) w.writeLong(req.body.ttl);
      return;
    case 'delete': return R.DeleteRequest.write(w, req.body);
    case 'exists': return R.ExistsRequest.write(w, req.body);
    case 'getData': return R.GetDataRequest.write(w, req.body);
    case 'setData': return R.SetDataRequest.write(w, req.body);
    case 'getACL': return R.GetACLRequest.write(w, req.body);
    case 'setACL': return R.SetACLRequest.write(w, req.body);
    case 'getChildren': return R.GetChildrenRequest.write(w, req.body);
    case 'sync': return R.SyncRequest.write(w, req.body);
    case 'check': return R.CheckVersionRequest.write(w, req.body);
    case 'multi': return encodeMultiOps(w, req.body);
    case 'checkWatches': return R.CheckWatchesRequest.write(w, req.body);
    case 'removeWatches': return R.RemoveWatchesRequest.write(w, req.body);
    case 'auth': return R.AuthPacket.write(w, req.body);
    case 'setWatches':
      if (req.opcode === OpCode.setWatches) return R.SetWatches.write(w, req.body);
      return R.SetWatches2.write(w, req.body);
    case 'getEphemerals': return R.GetEphemeralsRequest.write(w, req.body);
    case 'getAllChildrenNumber': return R.GetAllChildrenNumberRequest.write(w, req.body);
    case 'addWatch': return R.AddWatchRequest.write(w, req.body);
    case 'ping': case 'whoAmI': case 'closeSession': case 'unimplemented': return;
  }
}

function encodeMultiOps(w: JuteWriter, ops: MultiOp[]): void {
  for (const op of ops) {
    R.MultiHeader.write(w, { type: op.opcode, done: false, err: -1 });
    encodeBody(w, op);
  }
  R.MultiHeader.write(w, { type: -1, done: true, err: -1 });
}

/** RequestHeader + body, without the frame length. */
export function encodeRequest(xid: number, req: Request): Uint8Array {
  const w = new JuteWriter();
  R.RequestHeader.write(w, { xid, type: req.opcode });
  encodeBody(w, req);
  return w.toBytes();
}
