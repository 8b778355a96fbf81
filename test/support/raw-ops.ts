// Request builders and reply decoders for RawSession, named after ZooKeeper's opcodes.
import {
  OpCode, readMultiResults, records as R, utf8, type MultiOp, type MultiResult, type Request,
} from '../../server/wire/index.ts';
import type { RawReply, RawSession } from './raw-session.ts';

export const OPEN_ACL_UNSAFE: R.ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

type CreateOpcode = typeof OpCode.create | typeof OpCode.create2 | typeof OpCode.createContainer | typeof OpCode.createTTL;

export interface CreateArgs {
  data?: string | Uint8Array | null;
  flags?: number;
  acl?: R.ACL[];
  ttl?: number;
  opcode?: CreateOpcode;
}

function bytesOf(data: string | Uint8Array | null | undefined): Uint8Array | null {
  if (data === undefined || data === null) return data === null ? null : new Uint8Array(0);
  return typeof data === 'string' ? utf8(data) : data;
}

export const op = {
  create(path: string, a: CreateArgs = {}): Extract<Request, { op: 'create' }> {
    const opcode = a.opcode ?? (a.ttl !== undefined ? OpCode.createTTL : OpCode.create2);
    return {
      op: 'create', opcode,
      body: { path, data: bytesOf(a.data), acl: a.acl ?? OPEN_ACL_UNSAFE, flags: a.flags ?? 0, ttl: a.ttl ?? -1 },
    };
  },
  delete: (path: string, version = -1): MultiOp => ({ op: 'delete', opcode: OpCode.delete, body: { path, version } }),
  exists: (path: string, watch = false): Request => ({ op: 'exists', opcode: OpCode.exists, body: { path, watch } }),
  getData: (path: string, watch = false): MultiOp => ({ op: 'getData', opcode: OpCode.getData, body: { path, watch } }),
  setData: (path: string, data: string | Uint8Array | null, version = -1): MultiOp =>
    ({ op: 'setData', opcode: OpCode.setData, body: { path, data: bytesOf(data), version } }),
  getChildren: (path: string, watch = false): MultiOp =>
    ({ op: 'getChildren', opcode: OpCode.getChildren, body: { path, watch } }),
  getChildren2: (path: string, watch = false): Request =>
    ({ op: 'getChildren', opcode: OpCode.getChildren2, body: { path, watch } }),
  check: (path: string, version: number): MultiOp => ({ op: 'check', opcode: OpCode.check, body: { path, version } }),
  getACL: (path: string): Request => ({ op: 'getACL', opcode: OpCode.getACL, body: { path } }),
  setACL: (path: string, acl: R.ACL[], version = -1): Request =>
    ({ op: 'setACL', opcode: OpCode.setACL, body: { path, acl, version } }),
  sync: (path: string): Request => ({ op: 'sync', opcode: OpCode.sync, body: { path } }),
  multi: (ops: MultiOp[]): Request => ({ op: 'multi', opcode: OpCode.multi, body: ops }),
  multiRead: (ops: MultiOp[]): Request => ({ op: 'multi', opcode: OpCode.multiRead, body: ops }),
  addWatch: (path: string, mode: number): Request => ({ op: 'addWatch', opcode: OpCode.addWatch, body: { path, mode } }),
  checkWatches: (path: string, type: number): Request =>
    ({ op: 'checkWatches', opcode: OpCode.checkWatches, body: { path, type } }),
  removeWatches: (path: string, type: number): Request =>
    ({ op: 'removeWatches', opcode: OpCode.removeWatches, body: { path, type } }),
  getEphemerals: (prefixPath: string): Request =>
    ({ op: 'getEphemerals', opcode: OpCode.getEphemerals, body: { prefixPath } }),
  getAllChildrenNumber: (path: string): Request =>
    ({ op: 'getAllChildrenNumber', opcode: OpCode.getAllChildrenNumber, body: { path } }),
  whoAmI: (): Request => ({ op: 'whoAmI', opcode: OpCode.whoAmI, body: null }),
};

export class ReplyError extends Error {
  constructor(readonly code: number, readonly reply: RawReply) {
    super(`reply error ${code}`);
  }
}

/** Sends `req`; resolves with the reply when err == 0, rejects with ReplyError otherwise. */
export async function ok(s: RawSession, req: Request): Promise<RawReply> {
  const reply = await s.call(req);
  if (reply.err !== 0) throw new ReplyError(reply.err, reply);
  return reply;
}

/** The reply's error code (0 when it succeeded). */
export async function codeOf(s: RawSession, req: Request): Promise<number> {
  return (await s.call(req)).err;
}

export const read = {
  create2: (r: RawReply) => R.Create2Response.read(r.reader),
  create: (r: RawReply) => R.CreateResponse.read(r.reader),
  stat: (r: RawReply) => R.Stat.read(r.reader),
  getData: (r: RawReply) => R.GetDataResponse.read(r.reader),
  getChildren: (r: RawReply) => R.GetChildrenResponse.read(r.reader),
  getChildren2: (r: RawReply) => R.GetChildren2Response.read(r.reader),
  getACL: (r: RawReply) => R.GetACLResponse.read(r.reader),
  sync: (r: RawReply) => R.SyncResponse.read(r.reader),
  multi: (r: RawReply): MultiResult[] => readMultiResults(r.reader),
  getEphemerals: (r: RawReply) => R.GetEphemeralsResponse.read(r.reader),
  getAllChildrenNumber: (r: RawReply) => R.GetAllChildrenNumberResponse.read(r.reader),
  whoAmI: (r: RawReply) => R.WhoAmIResponse.read(r.reader),
};

let counter = 0;
/** A fresh top-level path per test, so tests in one file never share nodes. */
export function uniquePath(prefix = 't'): string {
  counter += 1;
  return `/${prefix}-${process.pid}-${counter}`;
}
