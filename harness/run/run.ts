// One run, start to end: start the ensemble, set the workload up, stream the
// history while the generator runs, heal, read every server's final tree,
// tear everything down, check the history, write results.json and print the
// summary. Exit code by verdict: 0 valid, 1 invalid, 2 unknown, 255 harness error.
import { join } from 'node:path';
import { createClient } from '../../client/index.ts';
import { cleanup } from '../cluster/cleanup.ts';
import { nodeNames } from '../cluster/config.ts';
import { InfraError } from '../cluster/errors.ts';
import { interpret, type InterpreterClock, type Worker } from '../generator/interpreter.ts';
import { HISTORY_FORMAT, type RunMetadata } from '../history/types.ts';
import type { NewEvent } from '../history/writer.ts';
import { workloadNamed, workloadNames } from '../workload/index.ts';
import type { NodeAddress, Workload, WorkloadClient } from '../workload/types.ts';
import type { Checker } from '../checker/compose.ts';
import { checkerList, checkHistory, EXIT_FOR, writeResults, type CheckedRun, type ResultsFile } from './check.ts';
import { openEnvironment, type RunEnvironment } from './environment.ts';
import { recordFinalTrees } from './final-trees.ts';
import { OptionsError, reproduceCommand, type RunOptions } from './options.ts';
import { plannedFaults, runGenerator } from './plan.ts';
import { Progress } from './progress.ts';
import { HistoryRecorder } from './recorder.ts';
import { summaryText } from './summary.ts';
import { makeDirs } from '../cluster/make-dirs.ts';
import { compositeWorkload, groupOfProcess } from '../workload/composite.ts';
import { scopedChecker } from '../checker/scoped.ts';
import type { ScenarioMeta } from './scenario.ts';
import { CLUSTER_STATE_FILE, startClusterObserver, type ClusterObserver } from '../observe/observer.ts';
import { summarizeClusterState } from '../observe/summary.ts';
import type { ClusterStateRecord } from '../observe/types.ts';
import { availabilityChecker } from '../checker/availability/index.ts';
import { mergeVerdicts } from '../checker/compose.ts';
import type { CheckResult } from '../checker/types.ts';
import { readHistoryFile } from '../history/read.ts';
import type { History } from '../history/types.ts';
import { checkRunDiscovery } from './discovery.ts';
import { checkForensics } from './forensics.ts';
import { writeReports } from './report.ts';
import { eventCounts, purposeResult, syncEventsOf } from './purpose.ts';

export const ROOT = '/zooproof';
export const EXIT_HARNESS_ERROR = 255;
const SETUP_CONNECT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 5_000;

export interface RunOutcome { exitCode: number; runDir: string; results: ResultsFile }

const realClock = (t0: bigint): InterpreterClock => ({
  nowNs: () => Number(process.hrtime.bigint() - t0),
  waitUntil: (untilNs, wake) => new Promise((resolve) => {
    const ms = (untilNs - Number(process.hrtime.bigint() - t0)) / 1e6;
    const timer = Number.isFinite(ms) ? setTimeout(resolve, Math.min(Math.max(0, ms), 2 ** 31 - 1)) : undefined;
    void wake.then(() => { clearTimeout(timer); resolve(); });
  }),
});

/** The run's workload: one by name, or several joined by `+` (client threads dealt round-robin). */
function resolveWorkloads(o: RunOptions): Workload[] {
  return o.workload.split('+').map((name) => {
    const w = workloadNamed(name, { root: ROOT, concurrency: o.concurrency });
    if (w === undefined) throw new OptionsError(`unknown workload '${name}' (known: ${workloadNames().join(', ')})`);
    return w;
  });
}

/** Each workload's checkers (scoped to its own clients when there are several), plus convergence. */
function runCheckers(o: RunOptions, parts: readonly Workload[]): Checker[] {
  if (parts.length === 1 || o.checkers) return checkerList(o.checkers ?? parts[0]!.checkers, o.nodes);
  const scoped = parts.flatMap((w, i) => checkerList(w.checkers, 1).map((c) =>
    scopedChecker(c, w.name, (p) => groupOfProcess(p, o.concurrency, parts.length) === i)));
  return [...scoped, ...(o.nodes >= 2 ? checkerList([], o.nodes) : [])];
}

async function setupWorkload(w: Workload, nodes: readonly NodeAddress[]): Promise<void> {
  const admin = createClient(nodes.map((n) => `${n.host}:${n.port}`).join(','), { sessionTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
  try {
    await admin.waitConnected(SETUP_CONNECT_MS);
    await w.setup(admin);
  } finally {
    await admin.close().catch(() => undefined);
  }
}

function metadata(o: RunOptions, w: Workload, env: RunEnvironment, versions: Record<string, string>, faults: unknown): RunMetadata {
  return { format: HISTORY_FORMAT, scenario: o.scenario ?? o.workload, seed: o.seed, startedAt: new Date().toISOString(),
    nodes: env.nodes.map((n) => n.name), addresses: env.nodes.map((n) => `${n.name}=${n.host}:${n.port}`),
    model: w.checkers.join(','), workload: w.name, versions, config: o, clusterDir: env.clusterDir, faultSchedule: faults, command: reproduceCommand(o) };
}

async function closeAll(clients: Iterable<WorkloadClient>): Promise<void> {
  const all = Promise.all([...clients].map((c) => c.close().catch(() => undefined)));
  await Promise.race([all, new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS).unref())]);
}

/** Runs the generator against the environment, recording everything. */
async function drive(o: RunOptions, w: Workload, env: RunEnvironment, recorder: HistoryRecorder, clock: InterpreterClock): Promise<void> {
  const record = (e: NewEvent) => { recorder.append(e); };
  const processes = new Map<number, number>();
  const clients = new Map<number, WorkloadClient>();
  const clientFor = (thread: number): WorkloadClient => clients.get(thread) ?? clients.set(thread, w.openClient({
    nodes: env.nodes, thread, placement: o.placement, leader: () => env.leader(), record, nowNs: clock.nowNs, sessionTimeoutMs: o.sessionTimeoutMs,
    requestTimeoutMs: o.requestTimeoutMs, process: () => processes.get(thread) ?? thread })).get(thread)!;
  const workers = (thread: number | 'nemesis'): Worker => (thread === 'nemesis' ? env.nemesis : {
    invoke: (op) => { processes.set(thread, op.process as number); return clientFor(thread).invoke(op); },
    completed: () => clientFor(thread).completed?.() });
  const progress = new Progress({ elapsedMs: () => clock.nowNs() / 1e6, counts: () => recorder.clientCounts,
    activeFaults: () => env.activeFaults() }, o.timeLimitS);
  progress.start();
  try {
    const names = env.nodes.map((n) => n.name);
    await interpret({ generator: runGenerator(o, w, names), clients: o.concurrency, workers, record, clock, seed: o.seed,
      maxOps: o.maxOps, drainTimeoutNs: (o.requestTimeoutMs + 10_000) * 1e6 });
  } finally {
    progress.stop();
    await closeAll(clients.values());
  }
  if (env.nodes.length >= 2) await recordFinalTrees(env.nodes, ROOT, record, clock.nowNs, 3, 10_000, 2 * o.sessionTimeoutMs + 10_000);
}

function faultsLabel(o: RunOptions): string {
  if (o.faults.length > 0) return `faults ${o.faults.join(',')}`;
  return `nemesis ${o.nemesis.join(',') || 'none'}`;
}

const logInfra = (msg: string) => process.stderr.write(`zooproof run: ${msg}\n`);

/** Ports are chosen free but may be taken by the time a node binds: one more try with fresh ones. */
async function openWithRetry(o: RunOptions, runDir: string): Promise<RunEnvironment> {
  try {
    return await openEnvironment(o, runDir, logInfra);
  } catch (err) {
    if (!(err instanceof InfraError) || err.code !== 'START_FAILED') throw err;
    process.stderr.write(`zooproof run: ensemble did not start (${err.message}); retrying once with fresh ports\n`);
    return openEnvironment(o, join(runDir, 'retry'), logInfra);
  }
}

interface Executed { recorder?: HistoryRecorder; harnessError?: string; clusterState?: ClusterStateRecord[]; clusterDir?: string }

/** Watches the nodes (roles, epochs, syncs, elections, snapshots) on the history's clock, into cluster-state.jsonl. */
function observe(env: RunEnvironment, clock: InterpreterClock, runDir: string): ClusterObserver {
  return startClusterObserver({ ...env.observerOptions(), nowNs: clock.nowNs, outFile: join(runDir, CLUSTER_STATE_FILE),
    onError: (err) => logInfra(`cluster observer: ${err instanceof Error ? err.message : String(err)}`) });
}

async function execute(o: RunOptions, w: Workload, runDir: string, faults: ResultsFile['faults']): Promise<Executed> {
  let env: RunEnvironment | undefined;
  let observer: ClusterObserver | undefined;
  const out: Executed = {};
  const unregister = cleanup.add({ label: 'history file', run: async () => out.recorder?.close(), runSync: () => out.recorder?.close() });
  try {
    env = await openWithRetry(o, runDir);
    out.clusterDir = env.clusterDir;
    const clock = realClock(process.hrtime.bigint());
    observer = observe(env, clock, runDir);
    await setupWorkload(w, env.nodes);
    out.recorder = new HistoryRecorder(join(runDir, 'history.jsonl'), metadata(o, w, env, await env.versions(), faults));
    await drive(o, w, env, out.recorder, clock);
  } catch (err) {
    if (err instanceof OptionsError) throw err;
    out.harnessError = err instanceof Error ? (err.stack ?? err.message) : String(err);
  } finally {
    out.recorder?.close();
    unregister();
    out.clusterState = await observer?.stop().catch(() => undefined);
    await env?.teardown();
  }
  return out;
}

const NOTHING_CHECKED: CheckedRun = { verdict: 'unknown', results: [], faultsRun: [],
  counts: { ok: 0, fail: 0, info: 0, byF: {}, nemesisOps: 0, notifications: 0, byNode: {} } };

/** The history's checkers, availability (with the cluster timeline), log forensics over every node's files, and the scenario's purpose. */
type Recorded = Pick<Executed, 'harnessError' | 'clusterState' | 'clusterDir'> & { recorder?: { path: string } };

async function checkRecorded(ran: Recorded, checkers: Checker[], o: RunOptions, meta: ScenarioMeta | undefined): Promise<CheckedRun> {
  if (!ran.recorder) return NOTHING_CHECKED;
  let history: History;
  try {
    history = await readHistoryFile(ran.recorder.path);
  } catch (err) {
    ran.harnessError ??= `history unreadable: ${err instanceof Error ? err.message : String(err)}`;
    return NOTHING_CHECKED;
  }
  const records = ran.clusterState ?? [];
  const all = [...checkers, ...(o.nodes >= 2 ? [availabilityChecker(records)] : [])];
  const checked = checkHistory(history, all, { timeoutMs: o.checkTimeoutS * 1000, maxMemoryBytes: o.checkMemoryMb * 2 ** 20 });
  const purpose = purposeResult(meta?.requires ?? [], eventCounts(records, history));
  const extra = [forensicsResult(ran, history, records, o), discoveryResult(ran, history, o), purpose ? { ...purpose, checkMs: 0 } : undefined]
    .filter((r): r is CheckResult & { checkMs: number } => r !== undefined);
  const results = [...checked.results, ...extra];
  return { ...checked, results, verdict: mergeVerdicts(results.map((r) => r.verdict)), cluster: summarizeClusterState(records) };
}

function forensicsResult(ran: Recorded, history: History, records: readonly ClusterStateRecord[], o: RunOptions): (CheckResult & { checkMs: number }) | undefined {
  if (ran.clusterDir === undefined) return undefined;
  const started = performance.now();
  const nodes = history.meta.nodes ?? nodeNames(o.nodes);
  const voters = o.observers > 0 ? { voters: nodes.slice(0, nodes.length - o.observers) } : {};
  const r = checkForensics(ran.clusterDir, nodes, history, syncEventsOf(records), { timeoutMs: o.checkTimeoutS * 1000, ...voters });
  return { ...r, checkMs: Math.round(performance.now() - started) };
}

/** Zab's discovery invariants on each reference server's log (Apache ZooKeeper does not log the steps). */
function discoveryResult(ran: Recorded, history: History, o: RunOptions): (CheckResult & { checkMs: number }) | undefined {
  if (ran.clusterDir === undefined || o.target !== 'reference' || o.nodes < 2) return undefined;
  const started = performance.now();
  const r = checkRunDiscovery(ran.clusterDir, history.meta.nodes ?? nodeNames(o.nodes));
  return { ...r, checkMs: Math.round(performance.now() - started) };
}

/** Re-checks a stored run (`zooproof report`): the run's own checkers over its history, cluster-state and node files. */
export async function recheckRun(o: RunOptions, historyPath: string, clusterState: ClusterStateRecord[], clusterDir: string | undefined,
  meta?: ScenarioMeta): Promise<CheckedRun> {
  const parts = resolveWorkloads(o);
  const ran: Recorded = { recorder: { path: historyPath }, clusterState, ...(clusterDir !== undefined ? { clusterDir } : {}) };
  return checkRecorded(ran, runCheckers(o, parts), o, meta);
}

export async function executeRun(o: RunOptions, print: (text: string) => void, meta?: ScenarioMeta): Promise<RunOutcome> {
  const parts = resolveWorkloads(o);
  let w: Workload;
  let checkers: Checker[];
  try {
    w = compositeWorkload(parts, o.concurrency);
    checkers = runCheckers(o, parts);
  } catch (err) { throw new OptionsError((err as Error).message); }
  const runDir = join(o.out, o.scenario ?? o.workload, `${new Date().toISOString().replace(/[:.]/g, '-')}-${o.seed}`);
  try {
    makeDirs(runDir);
  } catch (err) {
    throw new OptionsError(`--out: ${(err as Error).message}`);
  }
  const faults = plannedFaults(o, nodeNames(o.nodes), o.seed);
  const started = Date.now();
  print(`zooproof run ${o.scenario ?? o.workload}: ${o.nodes} ${o.target} node(s), ${o.concurrency} clients, ${o.rate} ops/s, ` +
    `${o.timeLimitS} s, ${faultsLabel(o)}, placement ${o.placement}, seed ${o.seed}${o.bugs.length > 0 ? `, PLANTED BUGS ${o.bugs.join(',')}` : ''}\n  writing to ${runDir}\n`);
  const ran = await execute(o, w, runDir, faults);
  const checked = await checkRecorded(ran, checkers, o, meta);
  const exitCode = ran.harnessError !== undefined ? EXIT_HARNESS_ERROR : EXIT_FOR[checked.verdict];
  const results: ResultsFile = { verdict: checked.verdict, exitCode, workload: w.name, seed: o.seed, command: reproduceCommand(o),
    history: ran.recorder?.path ?? '(none)', durationMs: Date.now() - started, counts: checked.counts, ...(checked.cluster ? { cluster: checked.cluster } : {}), checkers: checked.results, faults, faultsRun: checked.faultsRun,
    ...(o.scenario !== undefined ? { scenario: o.scenario } : {}), ...(ran.harnessError !== undefined ? { harnessError: ran.harnessError } : {}),
    ...(meta ? { expect: meta.expect, requires: meta.requires, catches: meta.catches } : {}), ...(o.bugs.length > 0 ? { bugs: o.bugs } : {}) };
  writeResults(join(runDir, 'results.json'), results);
  print(summaryText(results, runDir));
  const written = await writeReports(runDir, o.out);
  for (const e of written.errors) logInfra(e);
  if (written.report) print(`report: ${written.report}\n${written.index ? `index: ${written.index}\n` : ''}`);
  return { exitCode, runDir, results };
}
