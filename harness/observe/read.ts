// Reading a cluster-state.jsonl back (for `check` after the fact, and tests).
import { readFileSync } from 'node:fs';
import type { ClusterStateRecord } from './types.ts';

export function readClusterState(path: string): ClusterStateRecord[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim().length > 0).map((l) => JSON.parse(l) as ClusterStateRecord);
}
