// One builder per ZooKeeper operation: the wire request (chroot applied) and
// the reply decoder (chroot stripped). Pure; client.ts sends them.
import {
  AddWatchMode, Code, CreateMode, OpCode, WatcherType, records as R, type Request,
} from '../server/wire/index.ts';
import { isUnderChroot, prependChroot, stripChroot } from './connect-string.ts';
import { badArguments, checkPath, checkVersion, toBytes, type DataInput, type OpSpec } from './op-spec.ts';
import type { Watcher, WatcherTypeName } from './watch-registry.ts';

export type Stat = R.Stat;
export type ACL = R.ACL;
export type CreateModeName = keyof typeof CreateMode;

export const OPEN_ACL_UNSAFE: readonly ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
export const CREATOR_ALL_ACL: readonly ACL[] = [{ perms: 31, id: { scheme: 'auth', id: '' } }];
export const READ_ACL_UNSAFE: readonly ACL[] = [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }];

export interface CreateOptions {
  acl?: readonly ACL[];
  mode?: CreateModeName;
  /** Required for the *_WITH_TTL modes. */
  ttlMs?: number;
  /** Use opcode create (no Stat in the reply) instead of create2. Ignored for containers and TTL nodes. */
  withoutStat?: boolean;
}

export interface CreateResult { path: string; stat: Stat | null; zxid: number }
export interface StatResult { stat: Stat; zxid: number }
export interface ExistsResult { stat: Stat | null; zxid: number }
export interface DataResult { data: Uint8Array | null; stat: Stat; zxid: number }
export interface ChildrenResult { children: string[]; zxid: number }
export interface Children2Result { children: string[]; stat: Stat; zxid: number }
export interface AclResult { acl: ACL[]; stat: Stat; zxid: number }
export interface ZxidResult { zxid: number }
export interface PathResult { path: string; zxid: number }
export interface ListResult { paths: string[]; zxid: number }
export interface CountResult { totalNumber: number; zxid: number }
export interface ClientInfo { authScheme: string; user: string }
export interface WhoAmIResult { clientInfo: ClientInfo[]; zxid: number }

/** The wire request for a create (shared with multi). */
export function createRequest(chroot: string, path: string, data: DataInput, opts: CreateOptions = {}): Request {
  const mode = opts.mode ?? 'PERSISTENT';
  const flags = CreateMode[mode];
  if (flags === undefined) throw badArguments('create', path, `unknown create mode ${String(mode)}`);
  checkPath('create', path, mode.includes('SEQUENTIAL'));
  const isTtl = mode.includes('TTL');
  const ttl = opts.ttlMs ?? -1;
  if (isTtl && !(ttl > 0)) throw badArguments('create', path, 'a TTL mode needs ttlMs > 0');
  if (!isTtl && opts.ttlMs !== undefined) throw badArguments('create', path, 'ttlMs given for a mode without TTL');
  const acl = [...(opts.acl ?? OPEN_ACL_UNSAFE)];
  if (acl.length === 0) throw badArguments('create', path, 'empty ACL');
  const opcode = mode === 'CONTAINER' ? OpCode.createContainer : isTtl ? OpCode.createTTL
    : opts.withoutStat ? OpCode.create : OpCode.create2;
  const body = { path: prependChroot(chroot, path), data: toBytes(data), acl, flags, ttl };
  return { op: 'create', opcode, body };
}

export function createOp(chroot: string, path: string, data: DataInput, opts?: CreateOptions): OpSpec<CreateResult> {
  const request = createRequest(chroot, path, data, opts);
  return {
    name: 'create', path, request,
    decode: (r, zxid) => {
      if (request.opcode === OpCode.create) return { path: stripChroot(chroot, R.CreateResponse.read(r).path), stat: null, zxid };
      const res = R.Create2Response.read(r);
      return { path: stripChroot(chroot, res.path), stat: res.stat, zxid };
    },
  };
}

export function deleteOp(chroot: string, path: string, version = -1): OpSpec<ZxidResult> {
  checkPath('delete', path);
  checkVersion('delete', path, version);
  if (path === '/') throw badArguments('delete', path, 'cannot delete the root');
  const request: Request = { op: 'delete', opcode: OpCode.delete, body: { path: prependChroot(chroot, path), version } };
  return { name: 'delete', path, request, decode: (_r, zxid) => ({ zxid }) };
}

export function existsOp(chroot: string, path: string, watcher?: Watcher): OpSpec<ExistsResult> {
  checkPath('exists', path);
  const request: Request = { op: 'exists', opcode: OpCode.exists,
    body: { path: prependChroot(chroot, path), watch: watcher !== undefined } };
  return {
    name: 'exists', path, request,
    decode: (r, zxid) => ({ stat: R.ExistsResponse.read(r).stat, zxid }),
    acceptError: (err, zxid) => (err === Code.NONODE ? { stat: null, zxid } : undefined),
    watch: watcher && { path, watcher,
      kindFor: (err) => (err === Code.OK ? 'data' : err === Code.NONODE ? 'exist' : null) },
  };
}

export function getDataOp(chroot: string, path: string, watcher?: Watcher): OpSpec<DataResult> {
  checkPath('getData', path);
  const request: Request = { op: 'getData', opcode: OpCode.getData,
    body: { path: prependChroot(chroot, path), watch: watcher !== undefined } };
  return {
    name: 'getData', path, request,
    decode: (r, zxid) => {
      const res = R.GetDataResponse.read(r);
      return { data: res.data, stat: res.stat, zxid };
    },
    watch: watcher && { path, watcher, kindFor: (err) => (err === Code.OK ? 'data' : null) },
  };
}

export function setDataOp(chroot: string, path: string, data: DataInput, version = -1): OpSpec<StatResult> {
  checkPath('setData', path);
  checkVersion('setData', path, version);
  const request: Request = { op: 'setData', opcode: OpCode.setData,
    body: { path: prependChroot(chroot, path), data: toBytes(data), version } };
  return { name: 'setData', path, request, decode: (r, zxid) => ({ stat: R.SetDataResponse.read(r).stat, zxid }) };
}

export function getChildrenOp(chroot: string, path: string, watcher?: Watcher): OpSpec<ChildrenResult> {
  checkPath('getChildren', path);
  const request: Request = { op: 'getChildren', opcode: OpCode.getChildren,
    body: { path: prependChroot(chroot, path), watch: watcher !== undefined } };
  return {
    name: 'getChildren', path, request,
    decode: (r, zxid) => ({ children: R.GetChildrenResponse.read(r).children, zxid }),
    watch: watcher && { path, watcher, kindFor: (err) => (err === Code.OK ? 'child' : null) },
  };
}

export function getChildren2Op(chroot: string, path: string, watcher?: Watcher): OpSpec<Children2Result> {
  checkPath('getChildren2', path);
  const request: Request = { op: 'getChildren', opcode: OpCode.getChildren2,
    body: { path: prependChroot(chroot, path), watch: watcher !== undefined } };
  return {
    name: 'getChildren2', path, request,
    decode: (r, zxid) => ({ ...R.GetChildren2Response.read(r), zxid }),
    watch: watcher && { path, watcher, kindFor: (err) => (err === Code.OK ? 'child' : null) },
  };
}

export function getACLOp(chroot: string, path: string): OpSpec<AclResult> {
  checkPath('getACL', path);
  const request: Request = { op: 'getACL', opcode: OpCode.getACL, body: { path: prependChroot(chroot, path) } };
  return { name: 'getACL', path, request, decode: (r, zxid) => ({ ...R.GetACLResponse.read(r), zxid }) };
}

export function setACLOp(chroot: string, path: string, acl: readonly ACL[], version = -1): OpSpec<StatResult> {
  checkPath('setACL', path);
  checkVersion('setACL', path, version);
  if (acl.length === 0) throw badArguments('setACL', path, 'empty ACL');
  const request: Request = { op: 'setACL', opcode: OpCode.setACL,
    body: { path: prependChroot(chroot, path), acl: [...acl], version } };
  return { name: 'setACL', path, request, decode: (r, zxid) => ({ stat: R.SetACLResponse.read(r).stat, zxid }) };
}

export function syncOp(chroot: string, path: string): OpSpec<PathResult> {
  checkPath('sync', path);
  const request: Request = { op: 'sync', opcode: OpCode.sync, body: { path: prependChroot(chroot, path) } };
  return { name: 'sync', path, request,
    decode: (r, zxid) => ({ path: stripChroot(chroot, R.SyncResponse.read(r).path), zxid }) };
}

export type AddWatchModeName = keyof typeof AddWatchMode;

export function addWatchOp(chroot: string, path: string, mode: AddWatchModeName, watcher: Watcher): OpSpec<ZxidResult> {
  checkPath('addWatch', path);
  const modeCode = AddWatchMode[mode];
  if (modeCode === undefined) throw badArguments('addWatch', path, `unknown mode ${String(mode)}`);
  const request: Request = { op: 'addWatch', opcode: OpCode.addWatch, body: { path: prependChroot(chroot, path), mode: modeCode } };
  const kind = mode === 'persistent' ? 'persistent' as const : 'persistentRecursive' as const;
  return { name: 'addWatch', path, request, decode: (_r, zxid) => ({ zxid }),
    watch: { path, watcher, kindFor: (err) => (err === Code.OK ? kind : null) } };
}

/** checkWatches when one watcher is named (the server keeps its watch), removeWatches for all. */
export function removeWatchesOp(chroot: string, path: string, type: WatcherTypeName, oneWatcher: boolean): OpSpec<ZxidResult> {
  checkPath('removeWatches', path);
  const opcode = oneWatcher ? OpCode.checkWatches : OpCode.removeWatches;
  const body = { path: prependChroot(chroot, path), type: WatcherType[type] };
  const request: Request = oneWatcher ? { op: 'checkWatches', opcode, body } : { op: 'removeWatches', opcode, body };
  return { name: oneWatcher ? 'checkWatches' : 'removeWatches', path, request, decode: (_r, zxid) => ({ zxid }) };
}

export function getEphemeralsOp(chroot: string, prefixPath: string): OpSpec<ListResult> {
  checkPath('getEphemerals', prefixPath);
  const request: Request = { op: 'getEphemerals', opcode: OpCode.getEphemerals,
    body: { prefixPath: prependChroot(chroot, prefixPath) } };
  return {
    name: 'getEphemerals', path: prefixPath, request,
    decode: (r, zxid) => ({
      paths: R.GetEphemeralsResponse.read(r).ephemerals.filter((p) => isUnderChroot(chroot, p))
        .map((p) => stripChroot(chroot, p)),
      zxid,
    }),
  };
}

export function getAllChildrenNumberOp(chroot: string, path: string): OpSpec<CountResult> {
  checkPath('getAllChildrenNumber', path);
  const request: Request = { op: 'getAllChildrenNumber', opcode: OpCode.getAllChildrenNumber,
    body: { path: prependChroot(chroot, path) } };
  return { name: 'getAllChildrenNumber', path, request,
    decode: (r, zxid) => ({ totalNumber: R.GetAllChildrenNumberResponse.read(r).totalNumber, zxid }) };
}

export function whoAmIOp(): OpSpec<WhoAmIResult> {
  const request: Request = { op: 'whoAmI', opcode: OpCode.whoAmI, body: null };
  return { name: 'whoAmI', path: undefined, request,
    decode: (r, zxid) => ({ clientInfo: R.WhoAmIResponse.read(r).clientInfo, zxid }) };
}
