// FinalRequestProcessor's read paths: exists, getData, getChildren(2),
// getACL, getAllChildrenNumber, getEphemerals, and multiRead. Each returns a
// body writer or throws KeeperError; watches are registered as ZooKeeper does
// (exists sets a watch even when the node is missing; getData/getChildren don't).
import { Code, KeeperError } from '../wire/errors.ts';
import type { JuteWriter } from '../wire/jute.ts';
import { OpCode, Perms } from '../wire/opcodes.ts';
import * as R from '../wire/records.ts';
import type { Id } from '../wire/records.ts';
import type { MultiOp, Request } from '../wire/requests.ts';
import { writeMultiResults, type MultiResult } from '../wire/responses.ts';
import { checkACL, hasPermission, redactDigests } from '../tree/acl.ts';
import type { DataNode, DataTree } from '../tree/data-tree.ts';
import type { WatcherId } from '../tree/watch-manager.ts';

export interface ReadContext {
  tree: DataTree;
  authIds: readonly Id[];
  sessionId: bigint;
  watcher: WatcherId;
}

export type BodyWriter = (w: JuteWriter) => void;

function readableNode(ctx: ReadContext, path: string): DataNode {
  const node = ctx.tree.getNode(path);
  if (!node) throw new KeeperError(Code.NONODE, path);
  checkACL(node.acl, Perms.READ, ctx.authIds, path);
  return node;
}

function getData(ctx: ReadContext, path: string, watch: boolean): { data: Uint8Array | null; stat: R.Stat } {
  const node = readableNode(ctx, path);
  if (watch) ctx.tree.dataWatches.addWatch(path, ctx.watcher);
  return { data: node.data, stat: ctx.tree.statOf(node) };
}

function getChildren(ctx: ReadContext, path: string, watch: boolean): { children: string[]; stat: R.Stat } {
  const node = readableNode(ctx, path);
  if (watch) ctx.tree.childWatches.addWatch(path, ctx.watcher);
  return { children: [...node.children], stat: ctx.tree.statOf(node) };
}

function exists(ctx: ReadContext, path: string, watch: boolean): R.Stat {
  if (path.includes('\0')) throw new KeeperError(Code.BADARGUMENTS, path);
  if (watch) ctx.tree.dataWatches.addWatch(path, ctx.watcher);
  const node = ctx.tree.getNode(path);
  if (!node) throw new KeeperError(Code.NONODE, path);
  return ctx.tree.statOf(node);
}

function getACL(ctx: ReadContext, path: string): BodyWriter {
  const node = ctx.tree.getNode(path);
  if (!node) throw new KeeperError(Code.NONODE, path);
  checkACL(node.acl, Perms.READ | Perms.ADMIN, ctx.authIds, path);
  const acl = hasPermission(node.acl, Perms.ADMIN, ctx.authIds) ? node.acl : redactDigests(node.acl);
  const stat = ctx.tree.statOf(node);
  return (w) => R.GetACLResponse.write(w, { acl, stat });
}

function getEphemerals(ctx: ReadContext, prefix: string): string[] {
  const all = [...(ctx.tree.ephemerals.get(ctx.sessionId) ?? [])];
  const p = prefix.trim();
  return p === '' || p === '/' ? all : all.filter((e) => e.startsWith(prefix));
}

function multiRead(ctx: ReadContext, ops: readonly MultiOp[]): BodyWriter {
  const results: MultiResult[] = ops.map((op) => {
    try {
      if (op.op === 'getData') return { type: OpCode.getData, ...getData(ctx, op.body.path, op.body.watch) };
      if (op.op === 'getChildren') {
        return { type: OpCode.getChildren, children: getChildren(ctx, op.body.path, op.body.watch).children };
      }
      return { type: OpCode.error, err: Code.BADARGUMENTS };
    } catch (e) {
      if (!(e instanceof KeeperError)) throw e;
      return { type: OpCode.error, err: e.code };
    }
  });
  return (w) => writeMultiResults(w, results);
}

/** Runs one read; returns the reply body writer. Throws KeeperError for error replies. */
export function runRead(ctx: ReadContext, request: Request): BodyWriter | null {
  switch (request.op) {
    case 'exists': {
      const stat = exists(ctx, request.body.path, request.body.watch);
      return (w) => R.ExistsResponse.write(w, { stat });
    }
    case 'getData': {
      const res = getData(ctx, request.body.path, request.body.watch);
      return (w) => R.GetDataResponse.write(w, res);
    }
    case 'getChildren': {
      const res = getChildren(ctx, request.body.path, request.body.watch);
      if (request.opcode === OpCode.getChildren2) return (w) => R.GetChildren2Response.write(w, res);
      return (w) => R.GetChildrenResponse.write(w, { children: res.children });
    }
    case 'getACL': return getACL(ctx, request.body.path);
    case 'getAllChildrenNumber': {
      readableNode(ctx, request.body.path);
      const totalNumber = ctx.tree.allChildrenNumber(request.body.path);
      return (w) => R.GetAllChildrenNumberResponse.write(w, { totalNumber });
    }
    case 'getEphemerals': {
      const ephemerals = getEphemerals(ctx, request.body.prefixPath);
      return (w) => R.GetEphemeralsResponse.write(w, { ephemerals });
    }
    case 'multi': return multiRead(ctx, request.body);
    case 'sync': {
      const path = request.body.path;
      return (w) => R.SyncResponse.write(w, { path });
    }
    default: return null;
  }
}
