// TTL nodes: each client process creates znodes with a TTL (CreateMode
// PERSISTENT_WITH_TTL, opcode createTTL), touches some of them (setData
// refreshes mtime) and reads them back (sync, then exists or getData), from
// its own session. The leader's container manager deletes a TTL node once its
// wall clock says the TTL has passed since mtime, so clock bumps matter. A
// final `list` reads which nodes are left. Checked by the `ttl` checker
// (harness/checker/workloads/ttl.ts): never gone while younger than its TTL
// (clock bumps excused), and gone in the end once its TTL has long passed.
import type { Stat, ZooKeeperClient } from '../../client/index.ts';
import { fromFn, once } from '../generator/core.ts';
import { randomInt } from '../generator/rng.ts';
import type { PlannedOp } from '../generator/types.ts';
import { WorkerConnection } from './connection.ts';
import { ensurePath, perform, type OpResult, type Steps } from './perform.ts';
import type { ClientContext, Workload, WorkloadOptions } from './types.ts';

export const TTL_MIN_MS = 2000;
export const TTL_MAX_MS = 10_000;
const TTL_STEP_MS = 1000;
/** One op in CREATE_EVERY creates a node; the others touch or read one of the process's last RECENT nodes. */
const CREATE_EVERY = 4;
const RECENT = 30;
const TOUCH_PERCENT = 15;
/** The final list waits this long first, so nodes whose TTL passed near the end have had time to go. */
export const FINAL_WAIT_MS = 5000;

export interface TtlInput {
  path: string;
  ttlMs?: number;
}

/** Node `k` of a history process (processes are never reused, so paths are unique in a run). */
export function ttlPath(dir: string, process: number, k: number): string {
  return `${dir}/t-${process}-${k}`;
}

/** The n-th op of a process: creates every CREATE_EVERY ops, otherwise a touch or a read of a recent node. */
export function ttlOp(dir: string, rand: () => number, process: number, n: number): { f: string; value: TtlInput; key: string } {
  const created = Math.floor(n / CREATE_EVERY);
  if (n % CREATE_EVERY === 0) {
    const path = ttlPath(dir, process, created);
    const ttlMs = TTL_MIN_MS + TTL_STEP_MS * randomInt(rand, (TTL_MAX_MS - TTL_MIN_MS) / TTL_STEP_MS + 1);
    return { f: 'create', value: { path, ttlMs }, key: path };
  }
  const k = created - randomInt(rand, Math.min(RECENT, created + 1));
  const path = ttlPath(dir, process, k);
  const roll = randomInt(rand, 100);
  const f = roll < TOUCH_PERCENT ? 'touch' : roll < 50 + TOUCH_PERCENT / 2 ? 'exists' : 'getData';
  return { f, value: { path }, key: path };
}

/** What the history keeps of a Stat: mtime is the stamping leader's wall clock (ms). */
function statOf(s: Stat): { version: number; mtime: number; mzxid: number } {
  return { version: s.version, mtime: s.mtime, mzxid: s.mzxid };
}

async function ttlCall(zk: ZooKeeperClient, dir: string, op: PlannedOp, steps: Steps, nowNs: () => number): Promise<OpResult> {
  const input = op.value as TtlInput;
  if (op.f === 'create') {
    steps.writing();
    const { stat, zxid } = await zk.create(input.path, '', { mode: 'PERSISTENT_WITH_TTL', ttlMs: input.ttlMs! });
    return { value: { ...input, ...(stat ? { stat: statOf(stat) } : {}) }, zxid };
  }
  if (op.f === 'touch') {
    steps.writing();
    const { stat, zxid } = await zk.setData(input.path, String(op.process), -1);
    return { value: { ...input, stat: statOf(stat) }, zxid };
  }
  if (op.f === 'list') {
    const { afterMs } = op.value as { afterMs: number };
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    const readAtNs = nowNs();
    await zk.sync(dir);
    const { children, zxid } = await zk.getChildren(dir);
    return { value: { afterMs, readAtNs, children: children.map((c) => `${dir}/${c}`).sort() }, zxid };
  }
  await zk.sync(input.path);
  if (op.f === 'exists') {
    const { stat, zxid } = await zk.exists(input.path);
    return { value: { ...input, stat: stat === null ? null : statOf(stat) }, zxid };
  }
  const { stat, zxid } = await zk.getData(input.path);
  return { value: { ...input, stat: statOf(stat) }, zxid };
}

function ttlClient(dir: string, ctx: ClientContext) {
  const conn = new WorkerConnection(ctx);
  return {
    invoke: (op: PlannedOp) => perform(conn, op.value, (steps) => ttlCall(conn.client(), dir, op, steps, ctx.nowNs)),
    completed: () => conn.notifications.release(),
    close: () => conn.close(),
  };
}

export function ttlWorkload(o: WorkloadOptions): Workload {
  const dir = `${o.root}/ttl`;
  return {
    name: 'ttl',
    description: `TTL nodes (${TTL_MIN_MS / 1000}-${TTL_MAX_MS / 1000} s) created, touched (setData) and read (sync + exists/getData) by their own client; a final list`,
    checkers: ['ttl'],
    async setup(admin) {
      await ensurePath(admin, o.root);
      await ensurePath(admin, dir);
    },
    generator: () => fromFn('ttl', (rand, process, n) => ttlOp(dir, rand, Number(process), n)),
    final: () => once({ f: 'list', value: { afterMs: FINAL_WAIT_MS } }),
    openClient: (ctx) => ttlClient(dir, ctx),
  };
}
