// Register: a few keys (znodes) read, written and compare-and-set. A cas is a
// versioned setData: read the value and its version, and write only if the
// value is the expected one and the version is unchanged. Reads sync first
// (ZooKeeper's recipe for an up-to-date read), so the history can be checked
// for linearizability with the cas-register model, partitioned by key. A
// quarter of the reads are `sync-read` ops instead (input `{path}`, output
// the data and stat; left out of the cas-register model), checked by the
// sync-read checker: each reflects every write acknowledged before it.
import type { ZooKeeperClient } from '../../client/index.ts';
import { fromFn } from '../generator/core.ts';
import { pick, randomInt } from '../generator/rng.ts';
import type { PlannedOp } from '../generator/types.ts';
import { WorkerConnection } from './connection.ts';
import { decodeData, encodeData, ensurePath, perform } from './perform.ts';
import { syncRead } from './znode-ops.ts';
import type { ClientContext, Workload, WorkloadOptions } from './types.ts';

export const REGISTER_KEYS = 3;
const VALUES = 5;

function keyPaths(root: string): string[] {
  return Array.from({ length: REGISTER_KEYS }, (_, i) => `${root}/register/k${i}`);
}

async function read(zk: ZooKeeperClient, path: string): Promise<{ value: unknown; zxid: number }> {
  await zk.sync(path);
  const { data, zxid } = await zk.getData(path);
  return { value: decodeData(data), zxid };
}

function registerClient(ctx: ClientContext) {
  const conn = new WorkerConnection(ctx);
  return {
    invoke: (op: PlannedOp) => perform(conn, op.value, async (steps) => {
      const zk = conn.client();
      const path = String(op.key);
      if (op.f === 'read') return read(zk, path);
      if (op.f === 'sync-read') return syncRead(zk, { path });
      if (op.f === 'write') {
        steps.writing();
        const { zxid } = await zk.setData(path, encodeData(op.value));
        return { value: op.value, zxid };
      }
      const [expected, next] = op.value as [unknown, unknown];
      const { data, stat } = await zk.getData(path);
      if (JSON.stringify(decodeData(data)) !== JSON.stringify(expected)) return { value: op.value, fail: 'value differs' };
      steps.writing();
      const { zxid } = await zk.setData(path, encodeData(next), stat.version);
      return { value: op.value, zxid };
    }),
    completed: () => conn.notifications.release(),
    close: () => conn.close(),
  };
}

export function registerWorkload(o: WorkloadOptions): Workload {
  const keys = keyPaths(o.root);
  return {
    name: 'register',
    description: `read / sync-read / write / cas (versioned setData) on ${REGISTER_KEYS} keys; reads sync first`,
    checkers: ['cas-register', 'sync-read'],
    async setup(admin) {
      await ensurePath(admin, o.root);
      await ensurePath(admin, `${o.root}/register`);
      for (const k of keys) await ensurePath(admin, k);
    },
    generator: () => fromFn('register', (rand) => {
      const key = pick(rand, keys);
      const r = rand();
      if (r < 0.375) return { f: 'read', value: null, key };
      if (r < 0.5) return { f: 'sync-read', value: { path: key }, key };
      if (r < 0.75) return { f: 'write', value: randomInt(rand, VALUES), key };
      return { f: 'cas', value: [randomInt(rand, VALUES), randomInt(rand, VALUES)], key };
    }),
    openClient: registerClient,
  };
}
