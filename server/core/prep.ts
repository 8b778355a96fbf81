// PrepRequestProcessor: turns a client write into the transaction to log,
// validating it against the current tree (paths, ACLs, versions, modes).
// A refused write throws KeeperError; the caller logs an ErrorTxn for it,
// which still consumes a zxid, as ZooKeeper does.
import { Code, KeeperError } from '../wire/errors.ts';
import { OpCode, Perms, createModeInfo } from '../wire/opcodes.ts';
import type { Id } from '../wire/records.ts';
import type { CreateBody, MultiOp, Request } from '../wire/requests.ts';
import { checkACL, fixupACL } from '../tree/acl.ts';
import type { DataNode, DataTree } from '../tree/data-tree.ts';
import { ephemeralKind, TTL_MAX_MS } from '../tree/ephemeral-type.ts';
import { SPECIAL_PATHS, parentOf, pathError } from '../tree/path.ts';
import type { TxnBody } from '../tree/txn.ts';
import { Overlay, type NodeView } from './outstanding.ts';

export interface PrepContext {
  tree: DataTree;
  authIds: readonly Id[];
  sessionId: bigint;
  extendedTypesEnabled: boolean;
  /** Changes of writes proposed but not yet applied to the tree (none for a bare tree). */
  outstanding?: Overlay;
}

function viewOf(ctx: PrepContext, overlay: Overlay | null, path: string): NodeView | null {
  const o = (overlay ?? ctx.outstanding)?.lookup(path === '' ? '/' : path);
  if (o !== undefined) return o;
  const n: DataNode | undefined = ctx.tree.getNode(path);
  if (!n) return null;
  return { version: n.stat.version, aversion: n.stat.aversion, cversion: n.stat.cversion,
    childCount: n.children.size, owner: n.stat.ephemeralOwner, acl: n.acl };
}

function requireNode(ctx: PrepContext, overlay: Overlay | null, path: string): NodeView {
  const v = viewOf(ctx, overlay, path);
  if (!v) throw new KeeperError(Code.NONODE, path);
  return v;
}

function validatePath(path: string, sequential = false): void {
  if (pathError(path, sequential) !== null) throw new KeeperError(Code.BADARGUMENTS, path);
}

function checkVersion(current: number, expected: number, path: string): number {
  if (expected !== -1 && expected !== current) throw new KeeperError(Code.BADVERSION, path);
  return current + 1;
}

function setView(overlay: Overlay | null, path: string, v: NodeView | null): void {
  overlay?.set(path, v);
}

function prepCreate(ctx: PrepContext, overlay: Overlay | null, opcode: number, req: CreateBody): TxnBody {
  const mode = createModeInfo(req.flags);
  if (!mode) throw new KeeperError(Code.BADARGUMENTS, req.path);
  if (mode.ttl && !ctx.extendedTypesEnabled) throw new KeeperError(Code.UNIMPLEMENTED, req.path);
  const ttlOk = mode.ttl ? req.ttl > 0 && req.ttl <= TTL_MAX_MS : req.ttl < 0;
  if (!ttlOk) throw new KeeperError(Code.BADARGUMENTS, req.path);
  // Only createContainer makes a container; flag 4 through create/create2 makes a plain node.
  if (opcode === OpCode.createContainer && !mode.container) throw new KeeperError(Code.BADARGUMENTS, req.path);
  if (mode.ttl !== (opcode === OpCode.createTTL)) throw new KeeperError(Code.BADARGUMENTS, req.path);
  const lastSlash = req.path.lastIndexOf('/');
  if (lastSlash === -1 || req.path.includes('\0')) throw new KeeperError(Code.BADARGUMENTS, req.path);
  const acl = fixupACL(req.path, ctx.authIds, req.acl);
  const parentPath = lastSlash === 0 ? '/' : req.path.slice(0, lastSlash);
  const parent = requireNode(ctx, overlay, parentPath);
  checkACL(parent.acl, Perms.CREATE, ctx.authIds, parentPath);
  const path = mode.sequential ? `${req.path}${String(parent.cversion).padStart(10, '0')}` : req.path;
  validatePath(path);
  if (viewOf(ctx, overlay, path)) throw new KeeperError(Code.NODEEXISTS, path);
  if (ephemeralKind(parent.owner, ctx.extendedTypesEnabled) === 'normal') {
    throw new KeeperError(Code.NOCHILDRENFOREPHEMERALS, path);
  }
  const parentCVersion = parent.cversion + 1;
  setView(overlay, parentPath, { ...parent, cversion: parentCVersion, childCount: parent.childCount + 1 });
  const owner = mode.ephemeral ? ctx.sessionId : 0n;
  setView(overlay, path, { version: 0, aversion: 0, cversion: 0, childCount: 0, owner, acl });
  const base = { path, data: req.data, acl, parentCVersion };
  if (opcode === OpCode.createContainer) return { type: OpCode.createContainer, rec: base };
  if (opcode === OpCode.createTTL) return { type: OpCode.createTTL, rec: { ...base, ttl: req.ttl } };
  const type = opcode === OpCode.create ? OpCode.create : OpCode.create2;
  return { type, rec: { ...base, ephemeral: mode.ephemeral } };
}

function prepDelete(ctx: PrepContext, overlay: Overlay | null, path: string, version: number, container: boolean): TxnBody {
  const lastSlash = path.lastIndexOf('/');
  if (lastSlash === -1 || path.includes('\0') || SPECIAL_PATHS.has(path)) throw new KeeperError(Code.BADARGUMENTS, path);
  const parentPath = lastSlash === 0 ? '/' : path.slice(0, lastSlash);
  const parent = requireNode(ctx, overlay, parentPath);
  const node = requireNode(ctx, overlay, path);
  if (container) {
    if (node.childCount > 0) throw new KeeperError(Code.NOTEMPTY, path);
    if (ephemeralKind(node.owner, ctx.extendedTypesEnabled) === 'normal' || node.owner === 0n) {
      throw new KeeperError(Code.BADVERSION, path);
    }
  } else {
    checkACL(parent.acl, Perms.DELETE, ctx.authIds, parentPath);
    checkVersion(node.version, version, path);
    if (node.childCount > 0) throw new KeeperError(Code.NOTEMPTY, path);
  }
  setView(overlay, parentPath, { ...parent, childCount: parent.childCount - 1 });
  setView(overlay, path, null);
  return { type: container ? OpCode.deleteContainer : OpCode.delete, rec: { path } };
}

function prepSetData(ctx: PrepContext, overlay: Overlay | null, path: string, data: Uint8Array | null, version: number): TxnBody {
  validatePath(path);
  const node = requireNode(ctx, overlay, path);
  checkACL(node.acl, Perms.WRITE, ctx.authIds, path);
  const newVersion = checkVersion(node.version, version, path);
  setView(overlay, path, { ...node, version: newVersion });
  return { type: OpCode.setData, rec: { path, data, version: newVersion } };
}

function prepCheck(ctx: PrepContext, overlay: Overlay | null, path: string, version: number): TxnBody {
  validatePath(path);
  const node = requireNode(ctx, overlay, path);
  checkACL(node.acl, Perms.READ, ctx.authIds, path);
  checkVersion(node.version, version, path);
  return { type: OpCode.check, rec: { path, version } };
}

function prepSetACL(ctx: PrepContext, overlay: Overlay | null, path: string, acl: Request & { op: 'setACL' }): TxnBody {
  validatePath(path);
  const fixed = fixupACL(path, ctx.authIds, acl.body.acl);
  const node = requireNode(ctx, overlay, path);
  checkACL(node.acl, Perms.ADMIN, ctx.authIds, path);
  const aversion = checkVersion(node.aversion, acl.body.version, path);
  setView(overlay, path, { ...node, aversion, acl: fixed });
  return { type: OpCode.setACL, rec: { path, acl: fixed, version: aversion } };
}

function prepOne(ctx: PrepContext, overlay: Overlay | null, op: MultiOp): TxnBody {
  switch (op.op) {
    case 'create': return prepCreate(ctx, overlay, op.opcode, op.body);
    case 'delete': return prepDelete(ctx, overlay, op.body.path, op.body.version, false);
    case 'setData': return prepSetData(ctx, overlay, op.body.path, op.body.data, op.body.version);
    case 'check': return prepCheck(ctx, overlay, op.body.path, op.body.version);
    default: throw new KeeperError(Code.BADARGUMENTS);
  }
}

/** multi: ops before the failing one keep their txns, the failing one is ErrorTxn(code), later ones ErrorTxn(-2). */
function prepMulti(ctx: PrepContext, overlay: Overlay, ops: readonly MultiOp[]): TxnBody {
  const txns: TxnBody[] = [];
  let failed = false;
  for (const op of ops) {
    if (failed) {
      txns.push({ type: OpCode.error, rec: { err: Code.RUNTIMEINCONSISTENCY } });
      continue;
    }
    try {
      txns.push(prepOne(ctx, overlay, op));
    } catch (e) {
      if (!(e instanceof KeeperError)) throw e;
      failed = true;
      overlay.clear();
      txns.push({ type: OpCode.error, rec: { err: e.code } });
    }
  }
  return { type: OpCode.multi, txns };
}

export interface Prepared {
  body: TxnBody;
  /** The changes this txn makes, to add to the outstanding changes under its zxid. */
  changes: Overlay;
}

function scratch(ctx: PrepContext): Overlay {
  return new Overlay(ctx.outstanding ?? null);
}

/** Prepares a client write. Throws KeeperError when it is refused (the caller logs an ErrorTxn). */
export function prepWrite(ctx: PrepContext, request: Request): Prepared {
  const changes = scratch(ctx);
  return { body: prepInto(ctx, changes, request), changes };
}

function prepInto(ctx: PrepContext, o: Overlay, request: Request): TxnBody {
  switch (request.op) {
    case 'create': return prepCreate(ctx, o, request.opcode, request.body);
    case 'delete': return prepDelete(ctx, o, request.body.path, request.body.version, false);
    case 'setData': return prepSetData(ctx, o, request.body.path, request.body.data, request.body.version);
    case 'check': return prepCheck(ctx, o, request.body.path, request.body.version);
    case 'setACL': return prepSetACL(ctx, o, request.body.path, request);
    case 'multi': return prepMulti(ctx, o, request.body);
    default: throw new KeeperError(Code.BADARGUMENTS);
  }
}

/** deleteContainer, posted by the container manager for empty containers and expired TTL nodes. */
export function prepDeleteContainer(ctx: PrepContext, path: string): Prepared {
  const changes = scratch(ctx);
  return { body: prepDelete(ctx, changes, path, -1, true), changes };
}

/** closeSession: the session's ephemerals, applied and pending, go in the txn (CloseSessionTxn.paths2Delete). */
export function prepCloseSession(ctx: PrepContext, sessionId: bigint): Prepared {
  const changes = scratch(ctx);
  const pendingDeletes = ctx.outstanding?.pendingDeletes() ?? new Set<string>();
  const paths = new Set([...(ctx.tree.ephemerals.get(sessionId) ?? [])].filter((p) => !pendingDeletes.has(p)));
  for (const p of ctx.outstanding?.pendingEphemerals(sessionId) ?? []) paths.add(p);
  const sorted = [...paths].sort();
  for (const p of sorted) {
    const parentPath = parentOf(p);
    const parent = viewOf(ctx, changes, parentPath);
    if (parent) changes.set(parentPath, { ...parent, childCount: parent.childCount - 1 });
    changes.set(p, null);
  }
  return { body: { type: OpCode.closeSession, rec: { paths2Delete: sorted } }, changes };
}

export { parentOf };
