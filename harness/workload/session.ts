// Session: clients create ephemeral znodes, read them back (exists with the
// owner in the stat, getChildren of their parent), and now and then end their
// own session from outside (the client gives it up, then a second connection
// with the same session id and password closes it, as an expiry would), or
// abandon it (`abandon-session`:
// the connection is closed without closeSession and never reopened, so the
// servers must expire it); the next op starts a new session. An
// `expire-session` is ok only when the server acknowledged the closeSession
// (otherwise info: the session may live until it expires); an
// `abandon-session` records the negotiated timeout as `{timeoutMs}`.
// Checked by the session checker: an ephemeral, once certainly gone (its
// session's close acked, a read showed it absent, or its abandoned session's
// expiry is certain), never shows again.
import { createClient, type ZooKeeperClient } from '../../client/index.ts';
import { fromFn } from '../generator/core.ts';
import { randomInt } from '../generator/rng.ts';
import type { PlannedOp } from '../generator/types.ts';
import { WorkerConnection } from './connection.ts';
import { ensurePath, IndeterminateError, perform, type OpResult, type Steps } from './perform.ts';
import type { ClientContext, Workload, WorkloadOptions } from './types.ts';
import { znodeOp, type ZnodeInput } from './znode-ops.ts';

const EXPIRE_CONNECT_MS = 5000;

type Where = { node?: string; session?: string };

/**
 * Runs an op that ends the client's session (`body` gives it up and resets
 * the connection): its completion still names that session and its server.
 */
async function endingSession(conn: WorkerConnection, op: PlannedOp, body: (zk: ZooKeeperClient, steps: Steps) => Promise<OpResult>) {
  let where: Where = {};
  const completion = await perform(conn, op.value, async (steps) => {
    const zk = conn.client();
    await zk.waitConnected(EXPIRE_CONNECT_MS);
    where = conn.where();
    return body(zk, steps);
  });
  return { ...completion, ...where };
}

/** Stops the session's heartbeats for good: no closeSession, no reconnect; the next op starts a new session. */
async function giveUp(conn: WorkerConnection, zk: ZooKeeperClient): Promise<void> {
  zk.abandon();
  await conn.reset();
}

/**
 * Closes the client's session from a second connection (as an expiry would),
 * after giving the first one up: were it left running, it would reconnect and
 * take the session back, cutting the second connection off before the reply.
 * ok only when the server acknowledged the closeSession.
 */
async function expireSession(conn: WorkerConnection, zk: ZooKeeperClient, steps: Steps): Promise<OpResult> {
  const { sessionId, sessionPasswd, endpoint, negotiatedTimeoutMs } = zk.info;
  if (endpoint === null) throw new Error('not connected');
  await giveUp(conn, zk);
  const other = createClient(`${endpoint.host}:${endpoint.port}`, { sessionId, sessionPasswd, sessionTimeoutMs: negotiatedTimeoutMs });
  let acked = false;
  try {
    await other.waitConnected(EXPIRE_CONNECT_MS);
    steps.writing();
    acked = await other.close();
  } finally {
    await other.close().catch(() => undefined);
  }
  if (!acked) throw new IndeterminateError('closeSession not acknowledged');
  return { value: null };
}

/** Abandons the session (the servers must expire it); records the negotiated timeout. */
async function abandonSession(conn: WorkerConnection, zk: ZooKeeperClient): Promise<OpResult> {
  const timeoutMs = zk.info.negotiatedTimeoutMs;
  await giveUp(conn, zk);
  return { value: { timeoutMs } };
}

async function sessionOp(conn: WorkerConnection, op: PlannedOp, steps: Steps): Promise<OpResult> {
  const input = op.value as ZnodeInput;
  // Reads sync first: the session checker's "never shows again once certainly gone" holds only for
  // reads no older than the moment they were issued (plain reads may be stale on a lagging server).
  if (op.f === 'exists' || op.f === 'getChildren') await conn.client().sync(input.path);
  return znodeOp(conn.client(), op.f, input, steps);
}

function sessionClient(ctx: ClientContext) {
  const conn = new WorkerConnection(ctx);
  return {
    invoke(op: PlannedOp) {
      if (op.f === 'expire-session') return endingSession(conn, op, (zk, steps) => expireSession(conn, zk, steps));
      if (op.f === 'abandon-session') return endingSession(conn, op, (zk) => abandonSession(conn, zk));
      return perform(conn, op.value, (steps) => sessionOp(conn, op, steps));
    },
    completed: () => conn.notifications.release(),
    close: () => conn.close(),
  };
}

export function sessionWorkload(o: WorkloadOptions): Workload {
  const dir = `${o.root}/session`;
  return {
    name: 'session',
    description: 'ephemeral znodes, reads of them, sessions closed from outside or abandoned (expiry)',
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
      if (r < 0.975) return { f: 'expire-session', value: null };
      return { f: 'abandon-session', value: null };
    }),
    openClient: sessionClient,
  };
}
