// Watch: clients set one-shot watches (getData / exists / getChildren with
// watch) on a few znodes and their parent while others create, change and
// delete them; every event delivered is recorded with its zxid. The znode
// workload is the same ops without watches, a quarter of its getData being
// `sync-read` (sync, then getData). Checked by the watch checker (no
// event missed, duplicated, reordered or invented) and zk-sequential (writes
// linearizable, reads in commit order per session), and the znode workload
// also by sync-read (a sync-read reflects every write acknowledged before it).
import type { WatchedEvent } from '../../client/index.ts';
import { fromFn } from '../generator/core.ts';
import { pick, randomInt, type Random } from '../generator/rng.ts';
import type { PlannedOp } from '../generator/types.ts';
import type { OpSpec } from '../generator/core.ts';
import { WorkerConnection } from './connection.ts';
import { ensurePath, perform } from './perform.ts';
import type { ClientContext, Workload, WorkloadOptions } from './types.ts';
import { znodeOp, type ZnodeInput } from './znode-ops.ts';

export const WATCHED_NODES = 3;
const VALUES = 10;

function nodeOp(rand: Random, dir: string, paths: readonly string[], watches: boolean): OpSpec {
  const path = pick(rand, paths);
  const r = rand();
  const watch = watches ? { watch: true } : {};
  if (r < 0.2) return { f: !watches && r < 0.05 ? 'sync-read' : 'getData', value: { path, ...watch } };
  if (r < 0.3) return { f: 'exists', value: { path, ...watch } };
  if (r < 0.4) return { f: 'getChildren', value: { path: dir, ...watch } };
  if (r < 0.7) return { f: 'setData', value: { path, data: randomInt(rand, VALUES), version: -1 } };
  if (r < 0.85) return { f: 'create', value: { path, data: randomInt(rand, VALUES) } };
  return { f: 'delete', value: { path, version: -1 } };
}

function watchClient(ctx: ClientContext, watches: boolean) {
  const conn = new WorkerConnection(ctx);
  const watcher = (e: WatchedEvent) => {
    if (e.type === 'None' || e.path === null) return;
    const { session, node } = conn.where();
    conn.notifications.add({ process: ctx.process(), type: 'ok', f: 'watch-event', value: { path: e.path, type: e.type }, time: ctx.nowNs(),
      ...(session !== undefined ? { session } : {}), ...(node !== undefined ? { node } : {}), ...(e.zxid >= 0 ? { zxid: e.zxid } : {}) });
  };
  return {
    invoke: (op: PlannedOp) => perform(conn, op.value,
      (steps) => znodeOp(conn.client(), op.f, op.value as ZnodeInput, steps, watches ? watcher : undefined)),
    completed: () => conn.notifications.release(),
    close: () => conn.close(),
  };
}

function nodesWorkload(name: string, description: string, checkers: string[], o: WorkloadOptions, watches: boolean): Workload {
  const dir = `${o.root}/${name}`;
  const paths = Array.from({ length: WATCHED_NODES }, (_, i) => `${dir}/w${i}`);
  return {
    name,
    description,
    checkers,
    async setup(admin) {
      await ensurePath(admin, o.root);
      await ensurePath(admin, dir);
    },
    generator: () => fromFn(name, (rand) => nodeOp(rand, dir, paths, watches)),
    openClient: (ctx) => watchClient(ctx, watches),
  };
}

export function watchWorkload(o: WorkloadOptions): Workload {
  return nodesWorkload('watch', `one-shot watches on ${WATCHED_NODES} znodes and their parent under create / setData / delete`,
    ['watch', 'zk-sequential'], o, true);
}

/** Plain reads (no sync) and writes: ZooKeeper's ordered sequential consistency. */
export function znodeWorkload(o: WorkloadOptions): Workload {
  return nodesWorkload('znode', `getData / exists / getChildren / create / setData / delete on ${WATCHED_NODES} znodes, reads unsynced`,
    ['zk-sequential', 'sync-read'], o, false);
}
