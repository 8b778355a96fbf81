// Set: clients add unique elements (one persistent znode each); a final read
// (sync, then getChildren) returns them all. Checked by the set-workload
// checker: acknowledged adds lost, unexpected or duplicated elements.
import { fromFn, once } from '../generator/core.ts';
import type { PlannedOp } from '../generator/types.ts';
import { WorkerConnection } from './connection.ts';
import { ensurePath, perform } from './perform.ts';
import type { ClientContext, Workload, WorkloadOptions } from './types.ts';

/** Unique across the run: history process ids are never reused. */
export function setElement(process: number, n: number): number {
  if (n >= 1_000_000) throw new RangeError('more than a million adds from one process');
  return process * 1_000_000 + n;
}

function setClient(dir: string, ctx: ClientContext) {
  const conn = new WorkerConnection(ctx);
  return {
    invoke: (op: PlannedOp) => perform(conn, op.value, async (steps) => {
      const zk = conn.client();
      if (op.f === 'add') {
        steps.writing();
        const { zxid } = await zk.create(`${dir}/e-${String(op.value)}`, String(op.value));
        return { value: op.value, zxid };
      }
      await zk.sync(dir);
      const { children, zxid } = await zk.getChildren(dir);
      const elements = children.filter((c) => c.startsWith('e-')).map((c) => Number(c.slice(2))).sort((a, b) => a - b);
      return { value: elements, zxid };
    }),
    completed: () => conn.notifications.release(),
    close: () => conn.close(),
  };
}

export function setWorkload(o: WorkloadOptions): Workload {
  const dir = `${o.root}/set`;
  return {
    name: 'set',
    description: 'unique creates, then one final read of every element',
    checkers: ['set-workload'],
    async setup(admin) {
      await ensurePath(admin, o.root);
      await ensurePath(admin, dir);
    },
    generator: () => fromFn('set', (_rand, process, n) => ({ f: 'add', value: setElement(Number(process), n) })),
    final: () => once({ f: 'read', value: null }),
    openClient: (ctx) => setClient(dir, ctx),
  };
}
