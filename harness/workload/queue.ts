// Queue: enqueue = a persistent sequential znode holding a unique value;
// dequeue = take the lowest child: an atomic multi deletes it and creates a
// marker under queue-taken/ holding `{taker, value}`, so an indeterminate
// dequeue can be resolved by the taker reading the marker, and by the checker
// from the final trees. A final drain dequeues until empty. An ok enqueue
// reports `{value, path}` (the sequential name it got). Checked by the
// queue-workload checker (nothing lost, nothing twice) and sequential-unique.
import { isZooKeeperError, type ZooKeeperClient } from '../../client/index.ts';
import { fromFn, once } from '../generator/core.ts';
import type { PlannedOp } from '../generator/types.ts';
import { WorkerConnection } from './connection.ts';
import { decodeData, encodeData, ensurePath, IndeterminateError, perform, type Steps } from './perform.ts';
import { setElement } from './set.ts';
import type { ClientContext, Workload, WorkloadOptions } from './types.ts';

const CANDIDATES_PER_DEQUEUE = 8;
const MAX_DRAINED = 100_000;
/** Resolving an indeterminate take: reconnect (same session) and read the marker, a few times. */
const RESOLVE_ATTEMPTS = 3;
const RESOLVE_CONNECT_MS = 3000;

interface Dirs { items: string; taken: string }

const code = (e: unknown) => (isZooKeeperError(e) ? e.codeName : undefined);

/**
 * After an indeterminate take: did our marker land? true / false, or throws
 * IndeterminateError if it cannot tell (any failure here leaves the take
 * unresolved, even a definite one: the read failed, not the take).
 */
async function resolveTake(zk: ZooKeeperClient, marker: string, token: string): Promise<boolean> {
  let why = '';
  for (let attempt = 0; attempt < RESOLVE_ATTEMPTS; attempt++) {
    try {
      await zk.waitConnected(RESOLVE_CONNECT_MS);
      await zk.sync(marker);
      const { data } = await zk.getData(marker);
      return markerTaker(decodeData(data)) === token;
    } catch (e) {
      why = code(e) === 'NONODE' ? 'no marker yet' : e instanceof Error ? e.message : String(e);
      if (code(e) === 'NONODE' || zk.state === 'EXPIRED' || zk.state === 'CLOSED') break;
    }
  }
  throw new IndeterminateError(`take of ${marker} indeterminate (${why})`);
}

/** Marker data: who took the item, and its value (so the checker can name what an indeterminate take removed). */
export function markerData(token: string, value: unknown): string {
  return encodeData({ taker: token, value });
}

function markerTaker(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as { taker?: unknown }).taker : data;
}

async function tryTake(zk: ZooKeeperClient, d: Dirs, child: string, token: string, steps: Steps): Promise<{ taken: boolean; value?: unknown }> {
  let data: Uint8Array;
  try {
    data = (await zk.getData(`${d.items}/${child}`)).data ?? new Uint8Array(0);
  } catch (e) {
    if (code(e) === 'NONODE') return { taken: false };
    throw e;
  }
  const marker = `${d.taken}/${child}`;
  const value = decodeData(data);
  steps.writing();
  try {
    await zk.multi([{ op: 'delete', path: `${d.items}/${child}` }, { op: 'create', path: marker, data: markerData(token, value) }]);
  } catch (e) {
    if (isZooKeeperError(e) && e.definite) { steps.refused(); return { taken: false }; }
    if (!(await resolveTake(zk, marker, token))) { steps.refused(); return { taken: false }; }
  }
  steps.wrote();
  return { taken: true, value };
}

/** The head of the queue (ok null when empty); `fail` if every candidate was taken by others first. */
async function dequeue(zk: ZooKeeperClient, d: Dirs, token: string, steps: Steps): Promise<{ value: unknown; fail?: string }> {
  const { children } = await zk.getChildren(d.items);
  const items = children.filter((c) => c.startsWith('q-')).sort();
  if (items.length === 0) return { value: null };
  for (const child of items.slice(0, CANDIDATES_PER_DEQUEUE)) {
    const r = await tryTake(zk, d, child, token, steps);
    if (r.taken) return { value: r.value };
  }
  return { value: null, fail: 'every candidate taken by others' };
}

function queueClient(d: Dirs, ctx: ClientContext) {
  const conn = new WorkerConnection(ctx);
  let attempt = 0;
  const token = () => `${ctx.process()}-${attempt++}`;
  return {
    invoke: (op: PlannedOp) => perform(conn, op.value, async (steps) => {
      const zk = conn.client();
      if (op.f === 'enqueue') {
        steps.writing();
        const { path, zxid } = await zk.create(`${d.items}/q-`, encodeData(op.value), { mode: 'PERSISTENT_SEQUENTIAL' });
        return { value: { value: op.value, path }, zxid };
      }
      if (op.f === 'dequeue') return dequeue(zk, d, token(), steps);
      const drained: unknown[] = [];
      for (let i = 0; i < MAX_DRAINED; i++) {
        const r = await dequeue(zk, d, token(), steps);
        if (r.fail === undefined && r.value === null) return { value: drained };
        if (r.fail === undefined) drained.push(r.value);
      }
      throw new IndeterminateError(`drain stopped after ${MAX_DRAINED} elements`);
    }),
    completed: () => conn.notifications.release(),
    close: () => conn.close(),
  };
}

export function queueWorkload(o: WorkloadOptions): Workload {
  const d: Dirs = { items: `${o.root}/queue`, taken: `${o.root}/queue-taken` };
  return {
    name: 'queue',
    description: 'sequential-znode FIFO queue: enqueue unique values, dequeue the head, drain at the end',
    checkers: ['queue-workload', 'sequential-unique'],
    async setup(admin) {
      for (const p of [o.root, d.items, d.taken]) await ensurePath(admin, p);
    },
    generator: () => fromFn('queue', (rand, process, n) =>
      (rand() < 0.5 ? { f: 'enqueue', value: setElement(Number(process), n) } : { f: 'dequeue', value: null })),
    final: () => once({ f: 'drain', value: null }),
    openClient: (ctx) => queueClient(d, ctx),
  };
}
