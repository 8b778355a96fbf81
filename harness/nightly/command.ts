// `zooproof nightly [--budget-minutes M] [--shard i/n] [--seeds k] [--quick]`:
// runs the plan (harness/nightly/plan.ts) job by job, each as its own
// `zooproof run` child process with a hard time bound, skips the jobs the
// budget cannot fit, and writes matrix.json, junit.xml, index.html and
// index.json to --out. Ctrl-C ends the current run cleanly (the child's own
// handlers tear its ensemble down) and writes what was done.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXIT_BAD_ARGS, newProgram } from '../cli.ts';
import { makeDirs } from '../cluster/make-dirs.ts';
import { REPO_ROOT, targetUnavailableReason } from '../cluster/targets.ts';
import { parseBugList } from '../../server/bugs/catalog.ts';
import { loadAllScenarios, scenarioNames } from '../run/scenario.ts';
import { buildMatrix, indexHtml, junitXml, medianSecondsToDetect, type JobResult, type JobVerdict } from './matrix.ts';
import { parseShard, planNightly, type NightlyJob, type PlanOptions, type ScenarioInfo } from './plan.ts';
import { writeRunIndex } from '../report/run-index.ts';
import { writeConsistencyPage } from '../report/consistency-write.ts';

/** Seconds a run takes beyond its workload time: start, heal, final reads, checks. */
const OVERHEAD_S = 45;
const KILL_GRACE_MS = 20_000;

interface Flags { budgetMinutes?: string; shard?: string; seeds?: string; bugSeeds?: string; quick?: boolean; out?: string; bugs?: string; zookeeper?: boolean; correct?: boolean; firstSeed?: string; scenarios?: string }

function scenarioInfos(): ScenarioInfo[] {
  return [...loadAllScenarios()].map(([name, s]) => ({
    name, target: s.target ?? 'reference', timeLimitS: s.timeLimitS ?? 20, catches: s.meta.catches, quick: s.meta.quick, expect: s.meta.expect,
    referenceOnly: (s.bugs?.length ?? 0) > 0 || ((s.nemesis ?? []).includes('disk') && s.lazyfs !== true),
  }));
}

function runArgs(job: NightlyJob, out: string): string[] {
  const args = [join(REPO_ROOT, 'bin', 'zooproof.mjs'), 'run', job.scenario, '--seed', String(job.seed), '--out', out];
  if (job.target === 'zookeeper') args.push('--target', 'zookeeper');
  if (job.bug !== undefined) args.push('--bugs', job.bug);
  return args;
}

function findResults(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isFile() && e.name === 'results.json') return p;
    if (e.isDirectory()) {
      const found = findResults(p);
      if (found) return found;
    }
  }
  return undefined;
}

interface ResultsView { verdict: JobVerdict; harnessError?: string; checkers?: Array<{ checker: string; verdict: string; summary: string }> }

function reasonOf(r: ResultsView): string {
  if (r.harnessError) return `harness error: ${r.harnessError.split('\n')[0]}`;
  const bad = r.checkers?.find((c) => c.verdict === 'invalid') ?? r.checkers?.find((c) => c.verdict === 'unknown');
  return bad ? `${bad.checker}: ${bad.summary}` : 'all checks valid';
}

let current: ChildProcess | undefined;
let interrupted = false;

function runChild(args: string[], logPath: string, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const log = createWriteStream(logPath);
    const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    current = child;
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const stop = () => {
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
      setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(stop, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      current = undefined;
      log.end();
      resolve(code);
    });
  });
}

async function runJob(job: NightlyJob, outDir: string): Promise<JobResult> {
  const jobDir = join(outDir, 'runs', job.id.replace(/[^A-Za-z0-9._-]+/g, '_'));
  makeDirs(jobDir);
  const started = Date.now();
  const code = await runChild(runArgs(job, jobDir), join(jobDir, 'run.log'), (job.timeLimitS * 2 + 240) * 1000);
  const durationMs = Date.now() - started;
  const resultsPath = findResults(jobDir);
  if (resultsPath === undefined) {
    return { job, verdict: 'error', reason: `no results.json (exit ${code}); see ${join(jobDir, 'run.log')}`, runDir: relative(outDir, jobDir), durationMs };
  }
  const r = JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsView;
  const verdict: JobVerdict = r.harnessError !== undefined ? 'error' : r.verdict;
  return { job, verdict, reason: reasonOf(r), runDir: relative(outDir, join(resultsPath, '..')), durationMs };
}

function writeOutputs(outDir: string, results: readonly JobResult[]): void {
  const m = buildMatrix(results);
  writeFileSync(join(outDir, 'matrix.json'), `${JSON.stringify({ ...m, medianSecondsToDetect: medianSecondsToDetect(m) }, null, 2)}\n`);
  writeFileSync(join(outDir, 'junit.xml'), junitXml(results, m));
  writeFileSync(join(outDir, 'index.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, 'index.html'), indexHtml(results, m, `zooproof nightly ${new Date().toISOString()}`));
  // Every run's own report, filterable by scenario, target and verdict, and one JUnit testcase per run.
  if (existsSync(join(outDir, 'runs'))) {
    try { writeRunIndex(join(outDir, 'runs'), 'zooproof nightly runs'); } catch (err) { process.stderr.write(`zooproof nightly: run index: ${(err as Error).message}\n`); }
    try { writeConsistencyPage(join(outDir, 'runs'), 'zooproof nightly consistency report'); } catch (err) { process.stderr.write(`zooproof nightly: consistency page: ${(err as Error).message}\n`); }
  }
}

function skipReason(job: NightlyJob, caught: ReadonlySet<string>, elapsedS: number, budgetS: number): string | undefined {
  if (interrupted) return 'interrupted';
  if (job.bug !== undefined && caught.has(job.bug)) return 'bug already caught';
  if (job.target === 'zookeeper' && targetUnavailableReason('zookeeper') !== undefined) return `Apache ZooKeeper unavailable: ${targetUnavailableReason('zookeeper')}`;
  if (elapsedS + job.timeLimitS + OVERHEAD_S > budgetS) return 'over the time budget';
  return undefined;
}

function parseFlags(f: Flags): { plan: PlanOptions; budgetS: number; out: string } {
  const int = (s: string | undefined, d: number, name: string, lo: number) => {
    const n = s === undefined ? d : Number(s);
    if (!Number.isInteger(n) || n < lo) throw new RangeError(`${name} must be an integer >= ${lo}, got '${s}'`);
    return n;
  };
  const bugs = f.bugs === undefined ? undefined : f.bugs.trim() === 'none' ? [] : parseBugList(f.bugs);
  const scenarios = f.scenarios === undefined ? undefined : f.scenarios.split(',').map((x) => x.trim()).filter((x) => x !== '');
  for (const name of scenarios ?? []) if (!scenarioNames().includes(name)) throw new RangeError(`--scenarios: unknown scenario '${name}' (zooproof list)`);
  const plan: PlanOptions = {
    seeds: int(f.seeds, f.quick ? 1 : 3, '--seeds', 1), bugSeeds: int(f.bugSeeds, f.quick ? 1 : 2, '--bug-seeds', 1),
    quick: f.quick ?? false, shard: parseShard(f.shard ?? '1/1'), firstSeed: int(f.firstSeed, 1, '--first-seed', 0),
    zookeeper: f.zookeeper !== false, correct: f.correct !== false, ...(bugs ? { bugs } : {}), ...(scenarios ? { scenarios } : {}),
  };
  const budgetS = int(f.budgetMinutes, 120, '--budget-minutes', 1) * 60;
  return { plan, budgetS, out: f.out ?? join(REPO_ROOT, 'reports', 'nightly', new Date().toISOString().replace(/[:.]/g, '-')) };
}

export async function nightlyCommand(args: string[]): Promise<number> {
  const p = newProgram('nightly').description('run the scenario catalog on the correct server, every planted bug, and Apache ZooKeeper; write matrix.json, junit.xml, index.html')
    .option('--budget-minutes <m>', 'stop starting runs after this many minutes (default 120)')
    .option('--shard <i/n>', 'run every n-th job starting at i (1-based), for CI matrices', '1/1')
    .option('--seeds <k>', 'seeds per scenario on the correct server and on Apache (default 3; quick 1)')
    .option('--bug-seeds <k>', 'seeds per (bug, scenario) before giving up (default 2; quick 1)')
    .option('--first-seed <n>', 'the first seed (default 1)')
    .option('--quick', 'only the scenarios marked quick')
    .option('--bugs <list>', 'only these planted bugs (\'none\': no planted-bug runs)')
    .option('--scenarios <list>', 'only these scenarios')
    .option('--no-zookeeper', 'skip the Apache ZooKeeper runs')
    .option('--no-correct', 'skip the correct-server runs (planted bugs only, with --no-zookeeper)')
    .option('--out <dir>', 'output directory (default reports/nightly/<time>)');
  p.parse(args, { from: 'user' });
  let parsed: ReturnType<typeof parseFlags>;
  let jobs: NightlyJob[];
  try {
    parsed = parseFlags(p.opts<Flags>());
    jobs = planNightly(scenarioInfos(), parsed.plan);
    makeDirs(parsed.out);
  } catch (err) {
    process.stderr.write(`zooproof nightly: ${(err as Error).message}\n`);
    return EXIT_BAD_ARGS;
  }
  return executeNightly(jobs, parsed.out, parsed.budgetS);
}

async function executeNightly(jobs: readonly NightlyJob[], out: string, budgetS: number): Promise<number> {
  const onSignal = () => {
    interrupted = true;
    if (current?.pid !== undefined) try { process.kill(-current.pid, 'SIGTERM'); } catch { /* gone */ }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = Date.now();
  const results: JobResult[] = [];
  const caught = new Set<string>();
  process.stdout.write(`zooproof nightly: ${jobs.length} job(s), budget ${budgetS / 60} min, writing to ${out}\n`);
  for (const job of jobs) {
    const why = skipReason(job, caught, (Date.now() - started) / 1000, budgetS);
    if (why !== undefined) { results.push({ job, verdict: 'skipped', reason: why, durationMs: 0 }); continue; }
    const r = await runJob(job, out);
    results.push(r);
    if (r.job.bug !== undefined && r.verdict === 'invalid') caught.add(r.job.bug);
    process.stdout.write(`  ${r.verdict.toUpperCase().padEnd(8)} ${job.id} (${(r.durationMs / 1000).toFixed(0)} s)  ${r.reason}\n`);
    writeOutputs(out, results);
  }
  writeOutputs(out, results);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const m = buildMatrix(results);
  process.stdout.write(`zooproof nightly: ${m.totals.bugsCaught}/${m.totals.bugsTried} planted bugs caught (median ≤ ${medianSecondsToDetect(m) ?? '-'} s of run time); ` +
    `${m.totals.correctInvalid} invalid of ${m.correct.length} correct-server runs; ${m.zookeeper.length} Apache runs; ${m.totals.skipped} skipped\n  ${join(out, 'index.html')}\n`);
  if (interrupted) return 130;
  const ok = m.totals.correctInvalid === 0 && m.bugs.every((b) => b.caught) && !results.some((r) => r.verdict === 'error');
  return ok ? 0 : 1;
}
