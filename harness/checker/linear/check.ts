// checkLinearizable: select, partition by key, search each partition under
// one shared budget, and report valid / invalid (with evidence) / unknown
// (with the reason and how far it got).
import type { Key, Operation } from '../../history/types.ts';
import type { Model } from '../models/model.ts';
import { opFinding } from '../findings.ts';
import { UNLIMITED, type Budget, type CheckResult } from '../types.ts';
import { BudgetGuard } from './budget.ts';
import { explainIllegal } from './explain.ts';
import { selectOperations } from './partition.ts';
import { searchPartition, type SearchOptions, type SearchResult } from './wgl.ts';

export interface LinearizabilityCounts {
  partitions: number;
  partitionsChecked: number;
  operations: number;
  ignored: number;
  dropped: number;
  memoEntries: number;
}

export function checkLinearizable<S>(model: Model<S>, operations: readonly Operation[], budget: Budget = UNLIMITED,
  options: SearchOptions = {}): CheckResult {
  const checker = `linearizable:${model.name}`;
  const selection = selectOperations(model as Model<unknown>, operations);
  const guard = new BudgetGuard(budget);
  const counts: LinearizabilityCounts = {
    partitions: selection.partitions.size, partitionsChecked: 0,
    operations: [...selection.partitions.values()].reduce((n, p) => n + p.length, 0),
    ignored: selection.ignored, dropped: selection.dropped, memoEntries: 0,
  };
  // Smallest partitions first: an anomaly in a small one is found before the budget goes on a big one.
  const parts = [...selection.partitions.entries()].sort((a, b) => a[1].length - b[1].length);
  for (const [key, ops] of parts) {
    const reason = guard.exhausted(0);
    const r: SearchResult<S> = reason ? { kind: 'exhausted', reason, deepest: 0, okTotal: ops.filter((o) => o.status === 'ok').length, memoEntries: 0 }
      : searchPartition(model, ops, guard, options);
    counts.memoEntries += r.memoEntries;
    if (r.kind === 'illegal') return illegal(checker, model, key, r, counts);
    if (r.kind === 'exhausted') return exhausted(checker, key, r, counts);
    counts.partitionsChecked++;
  }
  if (counts.operations === 0 && counts.ignored > 0) {
    return { checker, verdict: 'unknown', details: { counts },
      summary: `nothing to check: none of the ${counts.ignored} client ops is a ${[...model.fs].join('/')} (wrong --model?)` };
  }
  const extra = counts.ignored > 0 ? `; ${counts.ignored} ops with other fs left out` : '';
  return { checker, verdict: 'valid',
    summary: `linearizable: ${counts.operations} ops in ${counts.partitions} partition(s)${extra}`, details: { counts }, findings: [] };
}

function illegal<S>(checker: string, model: Model<S>, key: Key | undefined, r: Extract<SearchResult<S>, { kind: 'illegal' }>,
  counts: LinearizabilityCounts): CheckResult {
  const explanation = explainIllegal(model, r.ops, r.leaves);
  const first = explanation.firstUnlinearizable;
  const at = first ? `: cannot linearize ${first.op} by process ${first.process} (index ${first.index})` : '';
  const where = key === undefined ? '' : ` ${JSON.stringify(key)}`;
  const op = first ? r.ops.find((o) => o.invokeIndex === first.index) : undefined;
  const path = key === undefined ? {} : { path: String(key) };
  const findings = op ? [opFinding('not-linearizable', `cannot linearize ${first!.op} by process ${String(first!.process)}`, [op], path)]
    : [{ code: 'not-linearizable', message: `no linearization of the ops${where}`, ...path }];
  return { checker, verdict: 'invalid', summary: `not linearizable${where}${at}`, details: { partition: key ?? null, ...explanation, counts }, findings };
}

function exhausted<S>(checker: string, key: Key | undefined, r: Extract<SearchResult<S>, { kind: 'exhausted' }>,
  counts: LinearizabilityCounts): CheckResult {
  const where = key === undefined ? '' : ` at key ${JSON.stringify(key)}`;
  const summary = `gave up (${r.reason})${where} after linearizing ${r.deepest} of ${r.okTotal} ok ops; ` +
    `${counts.partitionsChecked} of ${counts.partitions} partitions done`;
  return { checker, verdict: 'unknown', summary,
    details: { reason: r.reason, partition: key ?? null, linearizedOps: r.deepest, okOps: r.okTotal, counts } };
}
