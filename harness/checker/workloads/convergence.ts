// Convergence: after the run, every server's tree (a `final-tree` read per
// node, value = { path: {data, …} }) must be identical.
import { canonical } from '../models/hash.ts';
import type { Checker, CheckInput } from '../compose.ts';
import type { CheckResult } from '../types.ts';
import { clientOps, firstFew, result } from './util.ts';

function differingPaths(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const paths = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...paths].filter((p) => canonical(a[p]) !== canonical(b[p])).sort();
}

export function checkConvergence(input: CheckInput): CheckResult {
  const dumps = clientOps(input.operations, 'final-tree');
  const trees = dumps.filter((o) => o.status === 'ok' && typeof o.output === 'object' && o.output !== null);
  const missing = dumps.filter((o) => !trees.includes(o)).map((o) => o.node ?? `process ${o.process}`);
  if (trees.length < 2) {
    return result('convergence', 'unknown', `convergence: ${trees.length} final tree(s) read; need at least 2`, { missing });
  }
  const [reference, ...others] = trees;
  const diverged = others
    .map((o) => ({ node: o.node ?? `process ${o.process}`, paths: differingPaths(reference!.output as Record<string, unknown>, o.output as Record<string, unknown>) }))
    .filter((d) => d.paths.length > 0)
    .map((d) => ({ node: d.node, differingPaths: firstFew(d.paths), count: d.paths.length }));
  const details = { reference: reference!.node ?? null, nodes: trees.map((o) => o.node ?? null), diverged, missing };
  if (diverged.length > 0) {
    const d = diverged[0]!;
    return result('convergence', 'invalid', `convergence: ${d.node} differs from ${reference!.node} at ${d.count} path(s), e.g. ${d.differingPaths[0]}`, details);
  }
  if (missing.length > 0) return result('convergence', 'unknown', `convergence: ${trees.length} trees agree, but ${missing.join(', ')} could not be read`, details);
  return result('convergence', 'valid', `convergence: ${trees.length} servers' trees identical`, details);
}

export const convergence: Checker = { name: 'convergence', check: (input) => checkConvergence(input) };
