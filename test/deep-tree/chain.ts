// A chain of nested znodes (`<root>/a/a/…/a`), built with ordinary creates
// pipelined on one session, and the checks that it is all there. One-letter
// names keep it as small as a chain can be; even so its snapshot grows with
// the square of its depth (every node's full path is written): about
// depth × (depth + 1) bytes of paths, 400 MB at 20,000 levels.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Stat, ZooKeeperClient } from '../../client/index.ts';

/** Creates sent before waiting for the oldest reply. */
const WINDOW = 256;

/** The path of level `level` (1-based) under `root`. */
export function levelPath(root: string, level: number): string {
  return root + '/a'.repeat(level);
}

/** Creates `root` and `depth` levels under it, in order, at most WINDOW in flight; returns the last create's zxid. */
export async function buildChain(zk: ZooKeeperClient, root: string, depth: number): Promise<number> {
  await zk.create(root, null);
  const inFlight: Array<Promise<{ zxid: number }>> = [];
  let path = root;
  let lastZxid = 0;
  for (let level = 1; level <= depth; level++) {
    path += '/a';
    inFlight.push(zk.create(path, null, { withoutStat: true }));
    if (inFlight.length >= WINDOW) lastZxid = (await inFlight.shift()!).zxid;
  }
  for (const p of inFlight) lastZxid = (await p).zxid;
  return lastZxid;
}

export interface ChainState {
  /** Descendants of the chain's root (getAllChildrenNumber). */
  descendants: number;
  /** The deepest node's Stat, null if it is missing. */
  deepest: Stat | null;
}

/** What a server holds of the chain, read after a sync. */
export async function chainState(zk: ZooKeeperClient, root: string, depth: number): Promise<ChainState> {
  await zk.sync(root);
  const { totalNumber } = await zk.getAllChildrenNumber(root);
  const { stat } = await zk.exists(levelPath(root, depth));
  return { descendants: totalNumber, deepest: stat };
}

/** The zxids of the snapshot files in `<dataDir>/version-2`. */
export function snapshotZxids(dataDir: string): number[] {
  const dir = join(dataDir, 'version-2');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /^snapshot\.[0-9a-f]+$/.test(f)).map((f) => parseInt(f.slice('snapshot.'.length), 16));
}

/** Removes every txn log file of `dataDir`: what is left to load is the newest snapshot alone. */
export function removeTxnLogs(dataDir: string): number {
  const dir = join(dataDir, 'version-2');
  const logs = readdirSync(dir).filter((f) => f.startsWith('log.'));
  for (const f of logs) rmSync(join(dir, f));
  return logs.length;
}
