// The consistency report's numbers: every run under a folder (a nightly's
// output, or reports/), grouped by scenario and target, with verdict counts
// over seeds, the availability checker's outages and recovery times, and the
// cluster's elections and learner syncs. Reading the runs is I/O
// (consistencyRun); grouping them is pure (consistencyTable).
import { existsSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { AvailabilityDetails } from '../checker/availability/types.ts';
import type { ResultsFile } from '../run/check.ts';
import { findRunDirs, historyMeta, readResults, verdictReason, type RunVerdict } from './run-index.ts';

export const SYNC_NAMES = ['DIFF', 'TRUNC', 'SNAP'] as const;
export type SyncName = typeof SYNC_NAMES[number];

export interface ConsistencyRun {
  /** The run directory relative to the page's directory, with `/`. */
  path: string;
  scenario: string;
  target: string;
  seed: string;
  verdict: RunVerdict;
  reason: string;
  /** Planted bugs the run was built with: such runs are left out of the catalog's columns. */
  bugs: string[];
  startedAt: string;
  hasReport: boolean;
  /** `versions.server` from the history's metadata (Apache ZooKeeper's version line, or the reference server's). */
  server?: string;
  node?: string;
  checkers: string[];
  /** From the availability checker: the longest stretch without a successful write. */
  outageDuringFaultsMs?: number;
  outageAfterHealMs?: number;
  /** Final heal to the first successful write after it; null: writes never resumed. */
  recoveryMs?: number | null;
  /** Final heal to the last server serving again; null: one never did. */
  rejoinMs?: number | null;
  elections?: number;
  syncs?: Record<SyncName, number>;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function availabilityNumbers(r: ResultsFile): Partial<ConsistencyRun> {
  const a = r.checkers?.find((c) => c.checker === 'availability');
  const d = a?.details as Partial<AvailabilityDetails> | undefined;
  if (!d || typeof d !== 'object') return {};
  const out: Partial<ConsistencyRun> = {};
  if (d.longestWriteWindowMs) {
    out.outageDuringFaultsMs = d.longestWriteWindowMs.duringFaults;
    out.outageAfterHealMs = d.longestWriteWindowMs.afterHeal;
  }
  if (isNum(d.finalHealNs)) {
    const heal = d.finalHealNs;
    if (d.judgedOn !== null && d.judgedOn !== undefined) out.recoveryMs = isNum(d.resumedNs) ? Math.max(0, (d.resumedNs - heal) / 1e6) : null;
    const rejoins = Object.values(d.nodes ?? {}).map((n) => n.rejoinedNs);
    if (rejoins.length > 0) out.rejoinMs = rejoins.every(isNum) ? Math.max(0, ...rejoins.map((t) => (t - heal) / 1e6)) : null;
  }
  return out;
}

/** One run's row, or undefined when its results.json cannot be read. */
export function consistencyRun(pageDir: string, runDir: string): ConsistencyRun | undefined {
  const r = readResults(runDir);
  if (r === undefined) return undefined;
  const meta = historyMeta(runDir);
  const config = (meta.config ?? {}) as { target?: string };
  const versions = (meta.versions ?? {}) as { server?: unknown; node?: unknown };
  const cluster = r.cluster;
  return {
    path: relative(pageDir, runDir).split(sep).join('/'), scenario: r.scenario ?? r.workload, target: config.target ?? 'reference',
    seed: String(r.seed), verdict: r.harnessError !== undefined ? 'error' : r.verdict, reason: verdictReason(r), bugs: r.bugs ?? [],
    startedAt: typeof meta.startedAt === 'string' ? meta.startedAt : statSync(join(runDir, 'results.json')).mtime.toISOString(),
    hasReport: existsSync(join(runDir, 'index.html')),
    ...(typeof versions.server === 'string' ? { server: versions.server } : {}),
    ...(typeof versions.node === 'string' ? { node: versions.node } : {}),
    checkers: (r.checkers ?? []).map((c) => c.checker),
    ...availabilityNumbers(r),
    ...(cluster ? { elections: cluster.elections, syncs: { DIFF: cluster.syncs.DIFF ?? 0, TRUNC: cluster.syncs.TRUNC ?? 0, SNAP: cluster.syncs.SNAP ?? 0 } } : {}),
  };
}

export function collectConsistencyRuns(dir: string): ConsistencyRun[] {
  return findRunDirs(dir).map((d) => consistencyRun(dir, d)).filter((r): r is ConsistencyRun => r !== undefined);
}

/** A value over seeds: lowest and highest of the `measured` ones; `never` counts the seeds where it never happened. */
export interface Spread { min: number; max: number; measured: number; never: number }

export interface ConsistencyCell {
  runs: ConsistencyRun[];
  verdicts: Record<RunVerdict, number>;
  outageDuringFaultsMs?: Spread;
  outageAfterHealMs?: Spread;
  recoveryMs?: Spread;
  rejoinMs?: Spread;
  elections?: Spread;
  syncs?: Record<SyncName, Spread>;
}

export interface ConsistencyTable {
  /** `reference` and `zookeeper` first, then any other target. */
  targets: string[];
  rows: Array<{ scenario: string; cells: Record<string, ConsistencyCell> }>;
  /** Runs built with a planted bug, left out (they are in the runs' index). */
  plantedBugRuns: number;
  /** Per target, the distinct server and Node.js versions seen. */
  versions: Record<string, { server: string[]; node: string[] }>;
  firstStartedAt?: string;
  lastStartedAt?: string;
  /** Every checker that ran, without its workload scope (`lock/sequential-unique` -> `sequential-unique`). */
  checkers: string[];
}

function spread(values: ReadonlyArray<number | null | undefined>): Spread | undefined {
  const seen = values.filter((v) => v !== undefined);
  if (seen.length === 0) return undefined;
  const nums = seen.filter(isNum);
  return { min: nums.length > 0 ? Math.min(...nums) : 0, max: nums.length > 0 ? Math.max(...nums) : 0, measured: nums.length, never: seen.length - nums.length };
}

function cellOf(runs: ConsistencyRun[]): ConsistencyCell {
  const verdicts: Record<RunVerdict, number> = { valid: 0, invalid: 0, unknown: 0, error: 0 };
  for (const r of runs) verdicts[r.verdict]++;
  const c: ConsistencyCell = { runs: [...runs].sort((a, b) => a.seed.localeCompare(b.seed, 'en', { numeric: true })), verdicts };
  const put = <K extends 'outageDuringFaultsMs' | 'outageAfterHealMs' | 'recoveryMs' | 'rejoinMs' | 'elections'>(k: K) => {
    const s = spread(runs.map((r) => r[k]));
    if (s) c[k] = s;
  };
  put('outageDuringFaultsMs'); put('outageAfterHealMs'); put('recoveryMs'); put('rejoinMs'); put('elections');
  const withSyncs = runs.filter((r) => r.syncs !== undefined);
  if (withSyncs.length > 0) {
    c.syncs = Object.fromEntries(SYNC_NAMES.map((k) => [k, spread(withSyncs.map((r) => r.syncs![k]))!])) as Record<SyncName, Spread>;
  }
  return c;
}

const TARGET_ORDER = ['reference', 'zookeeper'];
const distinct = (xs: ReadonlyArray<string | undefined>) => [...new Set(xs.filter((x): x is string => x !== undefined))].sort();

export function consistencyTable(all: readonly ConsistencyRun[]): ConsistencyTable {
  const runs = all.filter((r) => r.bugs.length === 0);
  const targets = [...new Set([...TARGET_ORDER, ...runs.map((r) => r.target)])]
    .filter((t) => TARGET_ORDER.includes(t) || runs.some((r) => r.target === t));
  const scenarios = distinct(runs.map((r) => r.scenario));
  const rows = scenarios.map((scenario) => ({
    scenario,
    cells: Object.fromEntries(targets.map((t) => [t, runs.filter((r) => r.scenario === scenario && r.target === t)])
      .filter(([, rs]) => (rs as ConsistencyRun[]).length > 0).map(([t, rs]) => [t, cellOf(rs as ConsistencyRun[])])) as Record<string, ConsistencyCell>,
  }));
  const versions = Object.fromEntries(targets.map((t) => {
    const of = runs.filter((r) => r.target === t);
    return [t, { server: distinct(of.map((r) => r.server)), node: distinct(of.map((r) => r.node)) }];
  }));
  const dates = runs.map((r) => r.startedAt).sort();
  const checkers = distinct(runs.flatMap((r) => r.checkers.map((c) => c.slice(c.lastIndexOf('/') + 1).replace(/^linearizable:.*/, 'linearizable'))));
  return { targets, rows, plantedBugRuns: all.length - runs.length, versions, checkers,
    ...(dates.length > 0 ? { firstStartedAt: dates[0]!, lastStartedAt: dates.at(-1)! } : {}) };
}
