// Reads each reference server's log from a run's cluster directory and checks
// Zab's discovery invariants on it (harness/checker/discovery). Apache
// ZooKeeper does not log these steps, so its runs are not checked.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkDiscovery, parseDiscoveryLog, type NodeTrace } from '../checker/discovery/index.ts';
import type { CheckResult } from '../checker/types.ts';

/** A log larger than this is left out (it is not read into memory). */
const MAX_LOG_BYTES = 256 * 1024 * 1024;

export function checkRunDiscovery(clusterDir: string, nodes: readonly string[]): CheckResult {
  const traces: NodeTrace[] = [];
  for (const node of nodes) {
    const path = join(clusterDir, node, 'server.log');
    if (!existsSync(path)) continue;
    if (statSync(path).size > MAX_LOG_BYTES) continue;
    traces.push({ node, events: parseDiscoveryLog(readFileSync(path, 'utf8')) });
  }
  return checkDiscovery(traces);
}
