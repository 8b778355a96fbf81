// The convergence read: after healing, each server's tree under the run's
// root, read by a client connected to that server alone after a sync.
// Ephemeral znodes are left out (a session still closing may remove them
// between two servers' reads). Recorded as `final-tree` ops, one per node.
import { createClient, type ZooKeeperClient } from '../../client/index.ts';
import type { NewEvent } from '../history/writer.ts';
import { decodeData } from '../workload/perform.ts';
import type { NodeAddress } from '../workload/types.ts';

export const MAX_TREE_NODES = 50_000;
/** Process ids of the final readers, far above any client process. */
export const FINAL_READER_BASE = 1_000_000_000;

export type Tree = Record<string, { data: unknown; version: number }>;

export async function readTree(zk: ZooKeeperClient, root: string): Promise<Tree> {
  const tree: Tree = {};
  const queue = [root];
  let seen = 0;
  while (queue.length > 0) {
    const path = queue.shift()!;
    if (++seen > MAX_TREE_NODES) throw new Error(`more than ${MAX_TREE_NODES} znodes under ${root}`);
    const { data, stat } = await zk.getData(path);
    if (stat.ephemeralOwner !== 0n) continue;
    tree[path] = { data: decodeData(data), version: stat.version };
    const { children } = await zk.getChildren(path);
    for (const c of [...children].sort()) queue.push(`${path === '/' ? '' : path}/${c}`);
  }
  return tree;
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

function sameTrees(trees: Array<Tree | undefined>): boolean {
  const texts = trees.map((t) => (t === undefined ? undefined : JSON.stringify(t)));
  return texts.every((t) => t !== undefined && t === texts[0]);
}

/**
 * Reads every node's tree; if they differ (a commit may land between two
 * reads), reads again, up to `attempts` times. Records the last round.
 */
export async function recordFinalTrees(nodes: readonly NodeAddress[], root: string, record: (e: NewEvent) => void,
  nowNs: () => number, attempts = 3, timeoutMs = 10_000): Promise<void> {
  let results: Array<{ tree?: Tree; error?: string }> = [];
  let roundStartNs = nowNs();
  for (let i = 0; i < attempts; i++) {
    roundStartNs = nowNs();
    results = await Promise.all(nodes.map((n) => readNodeTree(n, root, timeoutMs).then((tree) => ({ tree }),
      (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }))));
    if (sameTrees(results.map((r) => r.tree))) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  nodes.forEach((n, i) => {
    const process = FINAL_READER_BASE + i;
    const r = results[i]!;
    record({ process, type: 'invoke', f: 'final-tree', value: null, node: n.name, time: roundStartNs });
    record(r.tree ? { process, type: 'ok', f: 'final-tree', value: r.tree, node: n.name, time: nowNs() }
      : { process, type: 'fail', f: 'final-tree', value: null, node: n.name, error: r.error!, time: nowNs() });
  });
}
