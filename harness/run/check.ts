// Checking a finished run: the workload's checkers plus convergence (with two
// or more nodes), each under its own time and memory budget so one exhausted
// checker yields `unknown` without starving the others; then results.json.
import { writeFileSync } from 'node:fs';
import { checkInput, mergeVerdicts, safeCheck, type Checker } from '../checker/compose.ts';
import { checkersNamed } from '../checker/registry.ts';
import type { Budget, CheckResult, Verdict } from '../checker/types.ts';
import { readHistoryFile } from '../history/read.ts';
import type { History } from '../history/types.ts';
import type { PlannedFault } from '../generator/schedule.ts';
import type { ClusterStateSummary } from '../observe/summary.ts';

export interface CheckBudget { timeoutMs: number; maxMemoryBytes: number }

export interface CheckedRun {
  verdict: Verdict;
  results: Array<CheckResult & { checkMs: number }>;
  counts: OperationCounts;
  /** The nemesis ops as they ran: when each began, and any error. */
  faultsRun: FaultRun[];
  /** What the cluster observer saw: elections, DIFF / TRUNC / SNAP syncs, snapshots, per node. */
  cluster?: ClusterStateSummary;
}

export interface FaultRun { timeNs: number; f: string; value: unknown; error?: string }

export function faultsRun(history: History): FaultRun[] {
  return checkInput(history).operations.filter((o) => o.process === 'nemesis').map((o) => ({
    timeNs: o.invokeTimeNs, f: o.f, value: o.input, ...(o.error !== undefined ? { error: o.error } : {}) }));
}

export interface OperationCounts {
  /** Client operations by outcome (`info` includes ops never completed). */
  ok: number;
  fail: number;
  info: number;
  byF: Record<string, { ok: number; fail: number; info: number }>;
  nemesisOps: number;
  notifications: number;
  /** Client operations by the server that answered (`?` when none did: never connected). */
  byNode: Record<string, { ok: number; fail: number; info: number }>;
}

export function checkerList(names: readonly string[], nodes: number): Checker[] {
  const all = [...names, ...(nodes >= 2 && !names.includes('convergence') ? ['convergence'] : [])];
  return checkersNamed(all.join(','));
}

function budget(b: CheckBudget): Budget {
  const now = () => performance.now();
  return { now, deadlineMs: now() + b.timeoutMs, maxMemoryBytes: b.maxMemoryBytes,
    memoryUsedBytes: () => process.memoryUsage().heapUsed };
}

export function countOperations(history: History): OperationCounts {
  const input = checkInput(history);
  const counts: OperationCounts = { ok: 0, fail: 0, info: 0, byF: {}, nemesisOps: 0, notifications: input.notifications.length, byNode: {} };
  for (const o of input.operations) {
    if (o.process === 'nemesis') { counts.nemesisOps++; continue; }
    if (o.f === 'final-tree') continue;
    counts[o.status]++;
    const per = (counts.byF[o.f] ??= { ok: 0, fail: 0, info: 0 });
    per[o.status]++;
    (counts.byNode[o.node ?? '?'] ??= { ok: 0, fail: 0, info: 0 })[o.status]++;
  }
  return counts;
}

export function checkHistory(history: History, checkers: readonly Checker[], b: CheckBudget): CheckedRun {
  const input = checkInput(history);
  const results = checkers.map((c) => {
    const started = performance.now();
    const r = safeCheck(c, input, budget(b));
    return { ...r, checkMs: Math.round(performance.now() - started) };
  });
  return { verdict: mergeVerdicts(results.map((r) => r.verdict)), results, counts: countOperations(history), faultsRun: faultsRun(history) };
}

export async function checkHistoryFile(path: string, checkers: readonly Checker[], b: CheckBudget): Promise<CheckedRun> {
  return checkHistory(await readHistoryFile(path), checkers, b);
}

export interface ResultsFile {
  verdict: Verdict;
  exitCode: number;
  workload: string;
  scenario?: string;
  seed: number;
  command: string;
  history: string;
  durationMs: number;
  counts: OperationCounts;
  checkers: CheckedRun['results'];
  faults: PlannedFault[];
  faultsRun: FaultRun[];
  cluster?: ClusterStateSummary;
  harnessError?: string;
  /** The scenario's meaning: the verdict a correct server must give, and the events the run needed. */
  expect?: 'valid' | 'invalid';
  requires?: string[];
  catches?: string[];
  bugs?: string[];
}

export const EXIT_FOR: Record<Verdict, number> = { valid: 0, invalid: 1, unknown: 2 };

export function writeResults(path: string, r: ResultsFile): void {
  writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
}
