// ZooKeeper operations in the vocabulary the znode, watch, session and
// zk-sequential checkers read: inputs `{path, data?, version?, watch?}`,
// outputs the input plus what came back (`data`, `stat` with version, mzxid
// and ephemeralOwner, `children`, the created `path`). `sync-read` is
// sync(path) then getData on the same session; a missing node reads as
// `{data: null, stat: null}` (the reply still carries the server's zxid), and
// the sync's reply zxid is kept as `syncZxid`.
import { isZooKeeperError, type Stat, type Watcher, type ZooKeeperClient } from '../../client/index.ts';
import { sessionHex } from './connection.ts';
import { decodeData, encodeData, type OpResult, type Steps } from './perform.ts';

export interface ZnodeInput {
  path: string;
  data?: unknown;
  version?: number;
  watch?: boolean;
  ephemeral?: boolean;
}

export const ZNODE_READS = new Set(['getData', 'exists', 'getChildren', 'sync-read']);
export const ZNODE_WRITES = new Set(['create', 'delete', 'setData']);

export function statView(stat: Stat): { version: number; mzxid: number; czxid: number; ephemeralOwner?: string } {
  const view: { version: number; mzxid: number; czxid: number; ephemeralOwner?: string } =
    { version: stat.version, mzxid: stat.mzxid, czxid: stat.czxid };
  if (stat.ephemeralOwner !== 0n) view.ephemeralOwner = sessionHex(stat.ephemeralOwner);
  return view;
}

/** sync(path), then getData on the same session. */
export async function syncRead(zk: ZooKeeperClient, i: ZnodeInput): Promise<OpResult> {
  const synced = await zk.sync(i.path);
  try {
    const { data, stat, zxid } = await zk.getData(i.path);
    return { value: { ...i, data: decodeData(data), stat: statView(stat), syncZxid: synced.zxid }, zxid };
  } catch (e) {
    if (!isZooKeeperError(e) || e.codeName !== 'NONODE' || e.zxid === undefined) throw e;
    return { value: { ...i, data: null, stat: null, syncZxid: synced.zxid }, zxid: e.zxid };
  }
}

async function read(zk: ZooKeeperClient, f: string, i: ZnodeInput, watch?: Watcher): Promise<OpResult> {
  const opts = i.watch && watch ? { watch } : {};
  if (f === 'sync-read') return syncRead(zk, i);
  if (f === 'getData') {
    const { data, stat, zxid } = await zk.getData(i.path, opts);
    return { value: { ...i, data: decodeData(data), stat: statView(stat) }, zxid };
  }
  if (f === 'exists') {
    const { stat, zxid } = await zk.exists(i.path, opts);
    return { value: { ...i, stat: stat === null ? null : statView(stat) }, zxid };
  }
  const { children, zxid } = await zk.getChildren(i.path, opts);
  return { value: { ...i, children: [...children].sort() }, zxid };
}

async function write(zk: ZooKeeperClient, f: string, i: ZnodeInput, steps: Steps): Promise<OpResult> {
  steps.writing();
  if (f === 'create') {
    const mode = i.ephemeral ? 'EPHEMERAL' : 'PERSISTENT';
    const { path, stat, zxid } = await zk.create(i.path, encodeData(i.data), { mode });
    return { value: { ...i, path, ...(stat ? { stat: statView(stat) } : {}) }, zxid };
  }
  if (f === 'delete') {
    const { zxid } = await zk.delete(i.path, i.version ?? -1);
    return { value: i, zxid };
  }
  const { stat, zxid } = await zk.setData(i.path, encodeData(i.data), i.version ?? -1);
  return { value: { ...i, stat: statView(stat) }, zxid };
}

/** Performs one znode op; `watch` is used when the input asks for a watch. */
export function znodeOp(zk: ZooKeeperClient, f: string, input: ZnodeInput, steps: Steps, watch?: Watcher): Promise<OpResult> {
  if (ZNODE_READS.has(f)) return read(zk, f, input, watch);
  if (ZNODE_WRITES.has(f)) return write(zk, f, input, steps);
  throw new RangeError(`not a znode op: ${f}`);
}
