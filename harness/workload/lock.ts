// Lock (and leader election, the same recipe): a candidate creates an
// ephemeral sequential znode and holds the lock (is the leader) while its node
// is the lowest; otherwise it watches its predecessor and waits, up to a bound.
// Ops alternate per process: acquire, release, acquire… An acquire that ends
// indeterminate closes the session, so its node cannot linger. Checked by the
// lock checker: no two holders at once, counting session expiry. An ok
// acquire reports `{path}` (its sequential node), checked by sequential-unique.
import type { ZooKeeperClient } from '../../client/index.ts';
import { fromFn } from '../generator/core.ts';
import type { PlannedOp } from '../generator/types.ts';
import { WorkerConnection } from './connection.ts';
import { ensurePath, perform, type Steps } from './perform.ts';
import type { ClientContext, Workload, WorkloadOptions } from './types.ts';

export const ACQUIRE_WAIT_MS = 1000;

interface Candidate { dir: string; prefix: string }

/** Resolves when `path` is deleted (or the wait is cut short), false on timeout. */
function waitGone(zk: ZooKeeperClient, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    zk.exists(path, { watch: () => { clearTimeout(timer); resolve(true); } }).then((r) => {
      if (r.stat === null) { clearTimeout(timer); resolve(true); }
    }, (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Waits until `mine` is the lowest child; false if the wait ran out. */
async function awaitTurn(zk: ZooKeeperClient, c: Candidate, mine: string, deadlineMs: number): Promise<boolean> {
  for (;;) {
    const { children } = await zk.getChildren(c.dir);
    const queue = children.filter((x) => x.startsWith(c.prefix)).sort();
    const at = queue.indexOf(mine);
    if (at < 0) throw new Error(`own node ${mine} vanished (session lost?)`);
    if (at === 0) return true;
    const left = deadlineMs - Date.now();
    if (left <= 0) return false;
    await waitGone(zk, `${c.dir}/${queue[at - 1]}`, left);
  }
}

async function acquire(zk: ZooKeeperClient, c: Candidate, steps: Steps): Promise<{ node: string | null; path?: string; zxid?: number }> {
  steps.writing();
  const created = await zk.create(`${c.dir}/${c.prefix}`, '', { mode: 'EPHEMERAL_SEQUENTIAL' });
  steps.wrote();
  const mine = created.path.slice(c.dir.length + 1);
  if (await awaitTurn(zk, c, mine, Date.now() + ACQUIRE_WAIT_MS)) return { node: mine, path: created.path, zxid: created.zxid };
  await zk.delete(created.path);
  return { node: null };
}

function lockClient(c: Candidate, ctx: ClientContext) {
  const conn = new WorkerConnection(ctx);
  let held: string | null = null;
  return {
    async invoke(op: PlannedOp) {
      if (op.f === 'acquire' && held !== null) return { type: 'fail' as const, value: op.value, error: 'already held', ...conn.where() };
      if (op.f === 'release' && held === null) return { type: 'fail' as const, value: op.value, error: 'not held', ...conn.where() };
      const completion = await perform(conn, op.value, async (steps) => {
        const zk = conn.client();
        if (op.f === 'release') {
          const path = `${c.dir}/${held}`;
          held = null;
          steps.writing();
          const { zxid } = await zk.delete(path);
          return { value: op.value, zxid };
        }
        const r = await acquire(zk, c, steps);
        if (r.node === null) { steps.refused(); return { value: op.value, fail: 'timed out waiting' }; }
        held = r.node;
        return { value: { path: r.path }, zxid: r.zxid };
      });
      // A timed-out acquire removed its node: nothing changed, so it is a definite failure.
      if (completion.error === 'timed out waiting') completion.type = 'fail';
      if (completion.type === 'info' || (op.f === 'release' && completion.type !== 'ok')) { held = null; await conn.reset(); }
      return completion;
    },
    completed: () => conn.notifications.release(),
    close: () => conn.close(),
  };
}

function candidateWorkload(name: string, description: string, o: WorkloadOptions, c: Candidate): Workload {
  return {
    name,
    description,
    checkers: ['lock', 'sequential-unique'],
    async setup(admin) {
      await ensurePath(admin, o.root);
      await ensurePath(admin, c.dir);
    },
    generator: () => fromFn(name, (_rand, _process, n) => ({ f: n % 2 === 0 ? 'acquire' : 'release', value: null, key: name })),
    openClient: (ctx) => lockClient(c, ctx),
  };
}

export function lockWorkload(o: WorkloadOptions): Workload {
  return candidateWorkload('lock', 'ZooKeeper lock recipe (ephemeral sequential, watch the predecessor); acquire / release',
    o, { dir: `${o.root}/lock`, prefix: 'lock-' });
}

/** Leader election is the lock recipe: the lowest candidate leads until it resigns or its session ends. */
export function electionWorkload(o: WorkloadOptions): Workload {
  return candidateWorkload('election', 'ZooKeeper leader election recipe: acquire = became leader, release = resigned',
    o, { dir: `${o.root}/election`, prefix: 'n_' });
}
