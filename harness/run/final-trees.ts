// The convergence read: after healing, each server's tree under the run's
// root, read by a client connected to that server alone after a sync. Every
// znode is recorded with its data, full Stat (ctime/mtime aside) and ACL,
// ephemerals included (the session checker looks for abandoned sessions'
// ephemerals there). Reads repeat until every server's tree is the same and
// holds no ephemeral (every workload session has ended by now, so any
// ephemeral left belongs to a session whose close was not acknowledged and
// which is still expiring), or until `settleMs` has passed. Recorded as
// `final-tree` ops, one per node (the last round).
import { createClient, isZooKeeperError, type Stat, type ZooKeeperClient } from '../../client/index.ts';
import type { NewEvent } from '../history/writer.ts';
import { sessionHex } from '../workload/connection.ts';
import { decodeData } from '../workload/perform.ts';
import type { NodeAddress } from '../workload/types.ts';

export const MAX_TREE_NODES = 50_000;
/** Process ids of the final readers, far above any client process. */
export const FINAL_READER_BASE = 1_000_000_000;
/** Default bound on waiting for the trees to agree: the default 6 s session timeout, an election and margin. */
export const DEFAULT_SETTLE_MS = 20_000;
const RETRY_PAUSE_MS = 1000;
/** Requests in flight per tree level while reading (pipelined on one session). */
const BATCH = 64;

export interface ZnodeAcl { perms: number; scheme: string; id: string }

/** One znode as recorded: data plus the Stat fields every server must agree on, and the ACL. */
export interface FinalZnode {
  data: unknown;
  version: number;
  czxid: number;
  mzxid: number;
  pzxid: number;
  cversion: number;
  aversion: number;
  /** Hex session id, `0x0` for a persistent znode. */
  ephemeralOwner: string;
  numChildren: number;
  dataLength: number;
  acl: ZnodeAcl[];
}

export type Tree = Record<string, FinalZnode>;

function znodeOf(data: Uint8Array | null, stat: Stat, acl: ZnodeAcl[]): FinalZnode {
  return { data: decodeData(data), version: stat.version, czxid: stat.czxid, mzxid: stat.mzxid, pzxid: stat.pzxid,
    cversion: stat.cversion, aversion: stat.aversion, ephemeralOwner: sessionHex(stat.ephemeralOwner),
    numChildren: stat.numChildren, dataLength: stat.dataLength, acl };
}

const isNoNode = (e: unknown) => isZooKeeperError(e) && e.codeName === 'NONODE';

/** One znode and its children's paths; undefined if it vanished meanwhile (a session ending). */
async function readZnode(zk: ZooKeeperClient, path: string): Promise<{ node: FinalZnode; children: string[] } | undefined> {
  try {
    const [{ data, stat }, { acl }, { children }] = await Promise.all([zk.getData(path), zk.getACL(path), zk.getChildren(path)]);
    const acls = acl.map((a) => ({ perms: a.perms, scheme: a.id.scheme, id: a.id.id }));
    const base = path === '/' ? '' : path;
    return { node: znodeOf(data, stat, acls), children: [...children].sort().map((c) => `${base}/${c}`) };
  } catch (e) {
    if (isNoNode(e)) return undefined;
    throw e;
  }
}

export async function readTree(zk: ZooKeeperClient, root: string): Promise<Tree> {
  const tree: Tree = {};
  let level = [root];
  let seen = 0;
  while (level.length > 0) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += BATCH) {
      const batch = level.slice(i, i + BATCH);
      seen += batch.length;
      if (seen > MAX_TREE_NODES) throw new Error(`more than ${MAX_TREE_NODES} znodes under ${root}`);
      const read = await Promise.all(batch.map((p) => readZnode(zk, p)));
      read.forEach((r, j) => {
        if (r === undefined) return;
        tree[batch[j]!] = r.node;
        for (const child of r.children) next.push(child); // not push(...): a wide node has more children than a call has arguments
      });
    }
    level = next;
  }
  return Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function readNodeTree(node: NodeAddress, root: string, timeoutMs: number): Promise<Tree> {
  const zk = createClient(`${node.host}:${node.port}`, { sessionTimeoutMs: 10_000, requestTimeoutMs: timeoutMs });
  try {
    await zk.waitConnected(timeoutMs);
    await zk.sync(root);
    return await readTree(zk, root);
  } finally {
    await zk.close().catch(() => undefined);
  }
}

/** Every tree read, identical, and without ephemerals. */
export function settled(trees: Array<Tree | undefined>): boolean {
  const texts = trees.map((t) => (t === undefined ? undefined : JSON.stringify(t)));
  if (!texts.every((t) => t !== undefined && t === texts[0])) return false;
  return Object.values(trees[0] ?? {}).every((z) => z.ephemeralOwner === '0x0');
}

/**
 * Reads every node's tree; until they agree and hold no ephemeral, reads
 * again (at least `attempts` rounds, and more while under `settleMs`).
 * Records the last round.
 */
export async function recordFinalTrees(nodes: readonly NodeAddress[], root: string, record: (e: NewEvent) => void,
  nowNs: () => number, attempts = 3, timeoutMs = 10_000, settleMs = DEFAULT_SETTLE_MS): Promise<void> {
  let results: Array<{ tree?: Tree; error?: string }> = [];
  const startNs = nowNs();
  let roundStartNs = startNs;
  for (let i = 0; ; i++) {
    roundStartNs = nowNs();
    results = await Promise.all(nodes.map((n) => readNodeTree(n, root, timeoutMs).then((tree) => ({ tree }),
      (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }))));
    if (settled(results.map((r) => r.tree))) break;
    if (i + 1 >= attempts && (nowNs() - startNs) / 1e6 + RETRY_PAUSE_MS > settleMs) break;
    await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
  }
  nodes.forEach((n, i) => {
    const process = FINAL_READER_BASE + i;
    const r = results[i]!;
    record({ process, type: 'invoke', f: 'final-tree', value: null, node: n.name, time: roundStartNs });
    record(r.tree ? { process, type: 'ok', f: 'final-tree', value: r.tree, node: n.name, time: nowNs() }
      : { process, type: 'fail', f: 'final-tree', value: null, node: n.name, error: r.error!, time: nowNs() });
  });
}
