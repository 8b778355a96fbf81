// Session: clients create ephemeral znodes, read them back (exists with the
// owner in the stat, getChildren of their parent), and now and then end their
// own session from outside (a second connection with the same session id and
// password closes it, as an expiry would); the next op starts a new session.
// Checked by the session checker: an ephemeral, once certainly gone (its
// session's close acked, or a read showed it absent), never shows again.
import { createClient } from '../../client/index.ts';
import { fromFn } from '../generator/core.ts';
import { randomInt } from '../generator/rng.ts';
import type { PlannedOp } from '../generator/types.ts';
import { WorkerConnection } from './connection.ts';
import { ensurePath, perform } from './perform.ts';
import type { ClientContext, Workload, WorkloadOptions } from './types.ts';
import { znodeOp, type ZnodeInput } from './znode-ops.ts';

const EXPIRE_CONNECT_MS = 5000;

/** Closes the client's session from a second connection. */
async function expireSession(conn: WorkerConnection): Promise<{ value: unknown }> {
  const zk = conn.client();
  await zk.waitConnected(EXPIRE_CONNECT_MS);
  const { sessionId, sessionPasswd, endpoint } = zk.info;
  if (endpoint === null) throw new Error('not connected');
  const other = createClient(`${endpoint.host}:${endpoint.port}`, { sessionId, sessionPasswd, sessionTimeoutMs: zk.info.negotiatedTimeoutMs });
  try {
    await other.waitConnected(EXPIRE_CONNECT_MS);
    await other.close();
  } finally {
    await other.close().catch(() => undefined);
  }
  return { value: null };
}

function sessionClient(ctx: ClientContext) {
  const conn = new WorkerConnection(ctx);
  return {
    invoke: (op: PlannedOp) => perform(conn, op.value, async (steps) => {
      if (op.f !== 'expire-session') {
        const input = op.value as ZnodeInput;
        // Reads sync first: the session checker's "never shows again once certainly gone" holds only for
        // reads no older than the moment they were issued (plain reads may be stale on a lagging server).
        if (op.f === 'exists' || op.f === 'getChildren') await conn.client().sync(input.path);
        return znodeOp(conn.client(), op.f, input, steps);
      }
      steps.writing();
      return expireSession(conn);
    }),
    completed: () => conn.notifications.release(),
    close: () => conn.close(),
  };
}

export function sessionWorkload(o: WorkloadOptions): Workload {
  const dir = `${o.root}/session`;
  return {
    name: 'session',
    description: 'ephemeral znodes, reads of them, sessions closed from outside (expiry)',
    checkers: ['session'],
    async setup(admin) {
      await ensurePath(admin, o.root);
      await ensurePath(admin, dir);
    },
    generator: () => fromFn('session', (rand, process, n) => {
      const r = rand();
      const own = (m: number) => `${dir}/e-${String(process)}-${m}`;
      if (r < 0.45 || n === 0) return { f: 'create', value: { path: own(n), data: null, ephemeral: true } };
      if (r < 0.8) return { f: 'exists', value: { path: own(randomInt(rand, n)) } };
      if (r < 0.95) return { f: 'getChildren', value: { path: dir } };
      return { f: 'expire-session', value: null };
    }),
    openClient: sessionClient,
  };
}
