// The data tree (DataTree): znodes with data, ACL and persisted stat, the
// ephemerals index, containers and TTL nodes, sessions with their timeouts,
// and the watch managers. processTxn applies one logged transaction; it is
// the only way the tree changes, both live and on replay.
import { Code } from '../wire/errors.ts';
import { EventType, OpCode } from '../wire/opcodes.ts';
import type { ACL, Stat, StatPersisted } from '../wire/records.ts';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from './acl.ts';
import { CONTAINER_EPHEMERAL_OWNER, clientEphemeralOwner, ephemeralKind, ttlToEphemeralOwner } from './ephemeral-type.ts';
import { childPath, nameOf, parentOf } from './path.ts';
import type { Txn, TxnBody } from './txn.ts';
import { WatchManager, type WatcherId } from './watch-manager.ts';

export interface DataNode {
  data: Uint8Array | null;
  acl: ACL[];
  stat: StatPersisted;
  children: Set<string>;
}

export interface WatchEvent {
  type: number;
  path: string;
  zxid: number;
  watchers: ReadonlySet<WatcherId>;
}

export interface ProcessTxnResult {
  type: number;
  err: number;
  path?: string;
  stat?: Stat;
  multiResult?: ProcessTxnResult[];
}

export class TreeInvariantError extends Error {
  readonly code = 'TREE_INVARIANT';
}

function emptyStat(): StatPersisted {
  return { czxid: 0, mzxid: 0, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, pzxid: 0 };
}

class TxnFailure extends Error {
  constructor(readonly err: number) { super(`txn failed with ${err}`); }
}

export class DataTree {
  readonly nodes = new Map<string, DataNode>();
  readonly ephemerals = new Map<bigint, Set<string>>();
  readonly containers = new Set<string>();
  readonly ttls = new Set<string>();
  readonly sessions = new Map<bigint, number>();
  readonly dataWatches = new WatchManager();
  readonly childWatches = new WatchManager();
  lastProcessedZxid = 0;
  private pendingEvents: WatchEvent[] = [];

  constructor(readonly extendedTypesEnabled = false) {
    const empty = new Uint8Array(0);
    this.nodes.set('/', { data: empty, acl: OPEN_ACL_UNSAFE, stat: emptyStat(), children: new Set(['zookeeper']) });
    this.nodes.set('/zookeeper', { data: empty, acl: OPEN_ACL_UNSAFE, stat: emptyStat(), children: new Set(['quota', 'config']) });
    this.nodes.set('/zookeeper/quota', { data: empty, acl: OPEN_ACL_UNSAFE, stat: emptyStat(), children: new Set() });
    this.nodes.set('/zookeeper/config', { data: empty, acl: READ_ACL_UNSAFE, stat: { ...emptyStat(), aversion: -1 }, children: new Set() });
  }

  /**
   * ZKDatabase.initConfigInZKDatabase: an ensemble member keeps its quorum
   * configuration in /zookeeper/config, set locally (not a txn) with version -1.
   */
  initConfigNode(data: Uint8Array, mtimeMs: number): void {
    const node = this.nodes.get('/zookeeper/config');
    if (!node) return;
    node.data = data;
    node.stat.version = -1;
    node.stat.mtime = mtimeMs;
  }

  /** The node at `path`; "" names the root too, as in ZooKeeper. */
  getNode(path: string): DataNode | undefined {
    return this.nodes.get(path === '' ? '/' : path);
  }

  /** The client-visible Stat (DataNode.copyStat). */
  statOf(node: DataNode): Stat {
    const s = node.stat;
    const numChildren = node.children.size;
    return {
      czxid: s.czxid, mzxid: s.mzxid, ctime: s.ctime, mtime: s.mtime, version: s.version,
      // The stored cversion counts creates; clients see creates + deletes.
      cversion: s.cversion * 2 - numChildren,
      aversion: s.aversion,
      ephemeralOwner: clientEphemeralOwner(s.ephemeralOwner, this.extendedTypesEnabled),
      dataLength: node.data?.byteLength ?? 0, numChildren, pzxid: s.pzxid,
    };
  }

  /** ZooKeeper's node count: its node map holds the root twice (as "" and "/"). */
  get nodeCount(): number {
    return this.nodes.size + 1;
  }

  approximateDataSize(): number {
    let n = 0;
    for (const [path, node] of this.nodes) n += path.length + (node.data?.byteLength ?? 0);
    return n;
  }

  /** Applies one transaction; returns its result and the watch events it fired. */
  processTxn(txn: Txn): { result: ProcessTxnResult; events: WatchEvent[] } {
    const zxid = txn.hdr.zxid;
    if (zxid < this.lastProcessedZxid) {
      throw new TreeInvariantError(`zxid went backwards: ${zxid} after ${this.lastProcessedZxid}`);
    }
    this.pendingEvents = [];
    const result = this.apply(txn, txn.body);
    this.lastProcessedZxid = zxid;
    return { result, events: this.pendingEvents };
  }

  private apply(txn: Txn, body: TxnBody): ProcessTxnResult {
    const rc: ProcessTxnResult = { type: body.type, err: 0 };
    try {
      this.applyBody(txn, body, rc);
    } catch (e) {
      if (!(e instanceof TxnFailure)) throw e;
      rc.err = e.err;
    }
    return rc;
  }

  private applyBody(txn: Txn, body: TxnBody, rc: ProcessTxnResult): void {
    const { zxid, time, clientId } = txn.hdr;
    switch (body.type) {
      case OpCode.create: case OpCode.create2:
        rc.path = body.rec.path;
        rc.stat = this.createNode(body.rec.path, body.rec.data, body.rec.acl, body.rec.ephemeral ? clientId : 0n,
          body.rec.parentCVersion, zxid, time);
        return;
      case OpCode.createContainer:
        rc.path = body.rec.path;
        rc.stat = this.createNode(body.rec.path, body.rec.data, body.rec.acl, CONTAINER_EPHEMERAL_OWNER,
          body.rec.parentCVersion, zxid, time);
        return;
      case OpCode.createTTL:
        rc.path = body.rec.path;
        rc.stat = this.createNode(body.rec.path, body.rec.data, body.rec.acl, ttlToEphemeralOwner(body.rec.ttl),
          body.rec.parentCVersion, zxid, time);
        return;
      case OpCode.delete: case OpCode.deleteContainer:
        rc.path = body.rec.path;
        this.deleteNode(body.rec.path, zxid);
        return;
      case OpCode.setData:
        rc.path = body.rec.path;
        rc.stat = this.setData(body.rec.path, body.rec.data, body.rec.version, zxid, time);
        return;
      case OpCode.setACL:
        rc.path = body.rec.path;
        rc.stat = this.setACL(body.rec.path, body.rec.acl, body.rec.version);
        return;
      case OpCode.check:
        rc.path = body.rec.path;
        return;
      case OpCode.createSession:
        this.sessions.set(clientId, body.rec.timeOut);
        return;
      case OpCode.closeSession:
        this.killSession(clientId, zxid, body.rec.paths2Delete);
        return;
      case OpCode.error:
        rc.err = body.rec.err;
        return;
      case OpCode.multi:
        rc.multiResult = this.applyMulti(txn, body.txns);
        return;
    }
  }

  private applyMulti(txn: Txn, txns: TxnBody[]): ProcessTxnResult[] {
    const failed = txns.some((t) => t.type === OpCode.error);
    if (!failed) return txns.map((t) => this.apply(txn, t));
    let postFailed = false;
    return txns.map((t) => {
      if (t.type === OpCode.error) {
        postFailed = true;
        return { type: OpCode.error, err: t.rec.err };
      }
      return { type: OpCode.error, err: postFailed ? Code.RUNTIMEINCONSISTENCY : Code.OK };
    });
  }

  private fire(path: string, type: number, zxid: number, manager: WatchManager, suppress?: ReadonlySet<WatcherId>): ReadonlySet<WatcherId> {
    const watchers = manager.trigger(path, type, suppress);
    if (watchers.size > 0) this.pendingEvents.push({ type, path, zxid, watchers });
    return watchers;
  }

  createNode(path: string, data: Uint8Array | null, acl: ACL[], owner: bigint, parentCVersion: number,
    zxid: number, time: number): Stat {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent) throw new TxnFailure(Code.NONODE);
    if (this.nodes.has(path)) throw new TxnFailure(Code.NODEEXISTS);
    const cversion = parentCVersion === -1 ? parent.stat.cversion + 1 : parentCVersion;
    if (cversion > parent.stat.cversion) {
      parent.stat.cversion = cversion;
      parent.stat.pzxid = zxid;
    }
    const node: DataNode = {
      data, acl,
      stat: { czxid: zxid, mzxid: zxid, ctime: time, mtime: time, version: 0, cversion: 0, aversion: 0,
        ephemeralOwner: owner, pzxid: zxid },
      children: new Set(),
    };
    parent.children.add(nameOf(path));
    this.nodes.set(path, node);
    this.indexOwner(path, owner, true);
    this.fire(path, EventType.NodeCreated, zxid, this.dataWatches);
    this.fire(parentPath, EventType.NodeChildrenChanged, zxid, this.childWatches);
    return this.statOf(node);
  }

  private indexOwner(path: string, owner: bigint, add: boolean): void {
    const kind = ephemeralKind(owner, this.extendedTypesEnabled);
    if (kind === 'container') {
      if (add) this.containers.add(path); else this.containers.delete(path);
    } else if (kind === 'ttl') {
      if (add) this.ttls.add(path); else this.ttls.delete(path);
    } else if (kind === 'normal') {
      let set = this.ephemerals.get(owner);
      if (add) {
        if (!set) this.ephemerals.set(owner, (set = new Set()));
        set.add(path);
      } else {
        set?.delete(path);
        if (set?.size === 0) this.ephemerals.delete(owner);
      }
    }
  }

  deleteNode(path: string, zxid: number): void {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    const node = this.nodes.get(path);
    if (!parent || !node) throw new TxnFailure(Code.NONODE);
    parent.children.delete(nameOf(path));
    if (zxid > parent.stat.pzxid) parent.stat.pzxid = zxid;
    this.nodes.delete(path);
    this.indexOwner(path, node.stat.ephemeralOwner, false);
    const notified = this.fire(path, EventType.NodeDeleted, zxid, this.dataWatches);
    this.fire(path, EventType.NodeDeleted, zxid, this.childWatches, notified);
    this.fire(parentPath, EventType.NodeChildrenChanged, zxid, this.childWatches);
  }

  setData(path: string, data: Uint8Array | null, version: number, zxid: number, time: number): Stat {
    const node = this.nodes.get(path);
    if (!node) throw new TxnFailure(Code.NONODE);
    node.data = data;
    node.stat.mtime = time;
    node.stat.mzxid = zxid;
    node.stat.version = version;
    this.fire(path, EventType.NodeDataChanged, zxid, this.dataWatches);
    return this.statOf(node);
  }

  setACL(path: string, acl: ACL[], aversion: number): Stat {
    const node = this.nodes.get(path);
    if (!node) throw new TxnFailure(Code.NONODE);
    node.stat.aversion = aversion;
    node.acl = acl;
    return this.statOf(node);
  }

  killSession(sessionId: bigint, zxid: number, paths2Delete: readonly string[]): void {
    this.sessions.delete(sessionId);
    const owned = this.ephemerals.get(sessionId) ?? new Set<string>();
    const ordered = [...paths2Delete, ...[...owned].filter((p) => !paths2Delete.includes(p)).sort()];
    for (const path of ordered) {
      const node = this.nodes.get(path);
      if (node && node.stat.ephemeralOwner === sessionId) this.deleteNode(path, zxid);
    }
    this.ephemerals.delete(sessionId);
  }

  /** Total number of descendants (DataTree.getAllChildrenNumber: for "/", its node map's size less two root entries). */
  allChildrenNumber(path: string): number {
    if (path === '/') return this.nodes.size - 1;
    const prefix = `${path}/`;
    let n = 0;
    for (const p of this.nodes.keys()) if (p.startsWith(prefix)) n++;
    return n;
  }

  /**
   * Every path in pre-order, children in sorted order. Iterative (an explicit
   * stack of paths still to visit, next on top): a chain of any depth is
   * walked in constant call-stack depth.
   */
  *walk(path = '/'): Generator<[string, DataNode]> {
    const pending = [path];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      const node = this.nodes.get(next);
      if (!node) continue;
      yield [next, node];
      const names = [...node.children].sort();
      for (let i = names.length - 1; i >= 0; i--) pending.push(childPath(next, names[i]!));
    }
  }
}
