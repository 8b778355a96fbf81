// `npm run bench:ensemble`: a 3-voter ensemble of `zooproof server` and (when
// installed) one of Debian's Apache ZooKeeper 3.8, both on loopback with the
// same tickTime, driven by the same client in the same run:
// - getData / setData throughput and p50/p99 latency with 1, 8 and 32
//   sessions spread over the members (followers first, so 1 session is on a
//   follower), measured windows alternating between the two ensembles;
// - leader failover: kill -9 of the leader to the first acknowledged write
//   (a fresh session on a survivor), median of several trials, the old leader
//   restarted between trials.
// A benchmark, not a test: read the ratios, not the absolute numbers.
// Options: those of bench:server (bench/lib/options.ts) plus --failovers <n>
// and --failover-txns <n> (creates written before the failovers, so every
// survivor has that many txns in its log, as a long-running ensemble has) and
// --failover-trace (each failover's timeline from the survivors' logs).
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { OpCode, type Request } from '../server/wire/index.ts';
import { Ensemble, ensembleAvailability, type EnsembleKind, type EnsembleMember } from '../test/support/ensemble.ts';
import { LOOPBACK } from '../test/support/ports.ts';
import { BenchSession } from './lib/bench-session.ts';
import { apacheTrace, zooproofTrace } from './lib/failover-trace.ts';
import { cpuMsOf } from './lib/proc-cpu.ts';
import { parseOptions, type BenchOptions } from './lib/options.ts';
import { PointRun, prepareNodes, type PointSpec, type Samples } from './lib/runner.ts';
import { percentile, ratio, summarize, type PointStats } from './lib/stats.ts';
import { formatTable, type Row } from './lib/table.ts';

const TICK_TIME_MS = 500;
const VOTERS = 3;
const DEFAULT_FAILOVERS = 5;
const ELECTION_TIMEOUT_MS = 60_000;
const FAILOVER_TIMEOUT_MS = 60_000;
const ATTEMPT_TIMEOUT_MS = 1000;
const SESSION_TIMEOUT_MS = 10_000;
const NODE_EXISTS = -110;

const started: Ensemble[] = [];
let interrupted = false;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map((e) => e.stop().catch(() => undefined)));
}

/** Registered with process.on (as in bench:server) so execa's exit hook does not re-raise before the dirs are removed. */
function onInterrupt(): void {
  if (interrupted) return;
  interrupted = true;
  process.stderr.write('\ninterrupted: stopping the ensembles\n');
  stopAll().finally(() => process.exit(130));
}

/** `--failovers <n>`, `--failover-txns <n>` and `--failover-trace` are ours; the rest is bench:server's command line. */
function splitArgs(argv: string[]): { failovers: number; failoverTxns: number; trace: boolean; rest: string[] } {
  const rest: string[] = [];
  const counts = { failovers: DEFAULT_FAILOVERS, 'failover-txns': 0 };
  let trace = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--failover-trace') {
      trace = true;
      continue;
    }
    const m = /^--(failovers|failover-txns)(?:=(.*))?$/.exec(arg);
    if (!m) {
      rest.push(arg);
      continue;
    }
    const name = m[1] as keyof typeof counts;
    const value = m[2] ?? argv[++i];
    counts[name] = Number(value);
    if (!Number.isInteger(counts[name]) || counts[name] < 0) throw new Error(`--${name}: '${value}' is not a count`);
  }
  return { failovers: counts.failovers, failoverTxns: counts['failover-txns'], trace, rest };
}

/** `txns` creates through the leader on 16 sessions, so the failovers run with that much log behind them. */
async function writeTxns(e: Ensemble, txns: number): Promise<void> {
  const leader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
  const sessions = 16;
  const startedMs = performance.now();
  await Promise.all(Array.from({ length: sessions }, async (_, k) => {
    const s = await BenchSession.open(LOOPBACK, leader.clientPort, SESSION_TIMEOUT_MS);
    try {
      for (let i = k; i < txns; i += sessions) {
        const err = await s.call(createRequest(`/failover-log-${i}`));
        if (err !== 0 && err !== NODE_EXISTS) throw new Error(`${e.kind}: create /failover-log-${i}: error ${err}`);
      }
    } finally {
      await s.close();
    }
  }));
  process.stderr.write(`  ${e.kind.padEnd(8)} ${txns} creates written in ${(performance.now() - startedMs).toFixed(0)} ms\n`);
}

async function startEnsembles(opts: BenchOptions): Promise<Map<EnsembleKind, Ensemble>> {
  if (opts.zooproofEndpoint !== undefined) throw new Error('--zooproof-endpoint: bench:ensemble starts its own ensembles');
  const running = new Map<EnsembleKind, Ensemble>();
  for (const kind of opts.targets as EnsembleKind[]) {
    const availability = ensembleAvailability(kind);
    if (!availability.ok) {
      process.stderr.write(`[skip] ${kind}: ${availability.reason}\n`);
      continue;
    }
    const ensemble = await Ensemble.start(kind, { voters: VOTERS, tickTimeMs: TICK_TIME_MS });
    started.push(ensemble);
    const leader = await ensemble.waitForLeader(ELECTION_TIMEOUT_MS);
    running.set(kind, ensemble);
    process.stderr.write(`started ${kind} ensemble ${ensemble.connectString()} (leader server.${leader.id})\n`);
  }
  return running;
}

/** Followers first, then the leader: the order sessions are dealt to members. */
async function membersFollowersFirst(e: Ensemble): Promise<EnsembleMember[]> {
  const leader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
  return [...e.members.filter((m) => m !== leader), leader];
}

/** The sessions of one point spread round-robin over an ensemble's members: one PointRun per member. */
class SpreadRun {
  private constructor(private readonly runs: PointRun[]) {}

  static async open(members: EnsembleMember[], spec: PointSpec): Promise<SpreadRun> {
    const counts = members.map((_, i) => Math.floor(spec.clients / members.length) + (i < spec.clients % members.length ? 1 : 0));
    const runs: PointRun[] = [];
    try {
      for (const [i, m] of members.entries()) {
        if (counts[i]! > 0) runs.push(await PointRun.open({ host: LOOPBACK, port: m.clientPort }, { ...spec, clients: counts[i]! }));
      }
    } catch (err) {
      await Promise.all(runs.map((r) => r.close()));
      throw err;
    }
    return new SpreadRun(runs);
  }

  async drive(durationMs: number, into?: Samples): Promise<void> {
    await Promise.all(this.runs.map((r) => r.drive(durationMs, into)));
  }

  async close(): Promise<void> {
    await Promise.all(this.runs.map((r) => r.close()));
  }
}

/** `cpuMs`: CPU time of all members during the measured rounds (undefined without /proc). */
function report(kind: EnsembleKind, spec: PointSpec, stats: PointStats, cpuMs: number | undefined): void {
  if (stats.errors > 0) process.stderr.write(`warning: ${kind} ${spec.op} x${spec.clients}: ${stats.errors} error replies\n`);
  const ops = (stats.throughputPerS * spec.measureMs) / 1000;
  const cpu = cpuMs === undefined || ops === 0 ? '' : `, servers' CPU ${((cpuMs * 1000) / ops).toFixed(0)} us/op`;
  process.stderr.write(`  ${kind.padEnd(8)} ${spec.op} x${String(spec.clients).padEnd(2)}: ${stats.throughputPerS.toFixed(0)} ops/s, ` +
    `p50 ${stats.p50Ms.toFixed(2)} ms, p99 ${stats.p99Ms.toFixed(2)} ms${cpu}\n`);
}

/** One point on every ensemble: warm-up each, then measured rounds alternating between them. */
async function measureRow(running: Map<EnsembleKind, Ensemble>, spec: PointSpec, rounds: number): Promise<Row> {
  const kinds = [...running.keys()];
  const runs = new Map<EnsembleKind, SpreadRun>();
  try {
    for (const kind of kinds) {
      const run = await SpreadRun.open(await membersFollowersFirst(running.get(kind)!), spec);
      runs.set(kind, run);
      await run.drive(spec.warmupMs);
    }
    const samples = new Map<EnsembleKind, Samples>(kinds.map((k) => [k, { latenciesMs: [], errors: 0 }]));
    const cpuMs = new Map<EnsembleKind, number | undefined>(kinds.map((k) => [k, 0]));
    for (let round = 0; round < rounds; round++) {
      for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
        const pids = running.get(kind)!.members.flatMap((m) => (m.process ? [m.process.pid] : []));
        const before = cpuMsOf(pids);
        await runs.get(kind)!.drive(spec.measureMs / rounds, samples.get(kind));
        const after = cpuMsOf(pids);
        const spent = before === undefined || after === undefined ? undefined : after - before;
        cpuMs.set(kind, spent === undefined ? undefined : cpuMs.get(kind)! + spent);
      }
    }
    const row: Row = { op: spec.op, clients: spec.clients };
    for (const kind of kinds) {
      const { latenciesMs, errors } = samples.get(kind)!;
      const stats = summarize(latenciesMs, errors, spec.measureMs);
      report(kind, spec, stats, cpuMs.get(kind));
      if (kind === 'zooproof') row.zooproof = stats; else row.zookeeper = stats;
    }
    return row;
  } catch (err) {
    // Which ensemble failed, and why: its members' log tails (the temp dirs go at exit).
    for (const [kind, e] of running) process.stderr.write(`${kind} ensemble logs:\n${e.logTails()}\n`);
    throw err;
  } finally {
    await Promise.all([...runs.values()].map((r) => r.close()));
  }
}

function createRequest(path: string): Request {
  return { op: 'create', opcode: OpCode.create, body: {
    path, data: new Uint8Array(0), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0, ttl: -1 } };
}

/** One create through `m` on a fresh session; the time its success was acknowledged, or undefined. */
async function tryCreate(m: EnsembleMember, path: string): Promise<number | undefined> {
  let session: BenchSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    session = await BenchSession.open(LOOPBACK, m.clientPort, SESSION_TIMEOUT_MS, ATTEMPT_TIMEOUT_MS);
    const timeout = new Promise<number>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ATTEMPT_TIMEOUT_MS); });
    const err = await Promise.race([session.call(createRequest(path)), timeout]);
    // NODEEXISTS: an earlier attempt whose reply was lost did create it.
    return err === 0 || err === NODE_EXISTS ? performance.now() : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    await session?.close();
  }
}

/** kill -9 of the leader to the first acknowledged write through a survivor, in ms; the old leader is restarted after. */
/** Each survivor's log lines from the kill to the first acknowledged write (--failover-trace). */
function printTrace(e: Ensemble, survivors: EnsembleMember[], logOffsets: number[], killedAtWallMs: number, durationMs: number): void {
  const window = { killedAtMs: killedAtWallMs, durationMs };
  for (const [i, m] of survivors.entries()) {
    const after = e.log(m).slice(logOffsets[i]);
    const lines = e.kind === 'apache' ? apacheTrace(after, window) : zooproofTrace(after, window);
    const base = e.kind === 'apache' ? 'ms since it saw the leader die' : 'ms since the kill';
    process.stderr.write(`    ${e.kind} server.${m.id} (${base}):\n${lines.map((l) => `      ${l}\n`).join('')}`);
  }
}

async function failoverOnce(e: Ensemble, trial: number, trace: boolean): Promise<number> {
  const leader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
  const survivors = e.members.filter((m) => m !== leader);
  const path = `/failover-${trial}-${Date.now()}`;
  const logOffsets = survivors.map((m) => e.log(m).length);
  const killedAtWallMs = Date.now();
  const killedAtMs = performance.now();
  await e.kill(leader);
  for (let attempt = 0; performance.now() - killedAtMs < FAILOVER_TIMEOUT_MS; attempt++) {
    const ackedAtMs = await tryCreate(survivors[attempt % survivors.length]!, path);
    if (ackedAtMs !== undefined) {
      if (trace) printTrace(e, survivors, logOffsets, killedAtWallMs, ackedAtMs - killedAtMs);
      await e.restart(leader);
      await e.waitForLeader(ELECTION_TIMEOUT_MS);
      return ackedAtMs - killedAtMs;
    }
    await sleep(10);
  }
  throw new Error(`${e.kind}: no write acknowledged within ${FAILOVER_TIMEOUT_MS} ms of killing server.${leader.id}`);
}

async function measureFailovers(running: Map<EnsembleKind, Ensemble>, trials: number, trace: boolean): Promise<Map<EnsembleKind, number[]>> {
  const times = new Map<EnsembleKind, number[]>([...running.keys()].map((k) => [k, []]));
  for (let trial = 0; trial < trials; trial++) {
    for (const [kind, e] of running) {
      const ms = await failoverOnce(e, trial, trace);
      times.get(kind)!.push(ms);
      process.stderr.write(`  ${kind.padEnd(8)} failover ${trial + 1}/${trials}: ${ms.toFixed(0)} ms\n`);
    }
  }
  return times;
}

function formatFailovers(times: Map<EnsembleKind, number[]>): string {
  const median = (xs: number[]) => percentile(Float64Array.from(xs).sort(), 0.5);
  const lines = [...times].map(([kind, xs]) => {
    const sorted = Float64Array.from(xs).sort();
    return `${kind.padEnd(9)} median ${median(xs).toFixed(0).padStart(6)} ms   min ${sorted[0]!.toFixed(0).padStart(6)} ms   ` +
      `max ${sorted[sorted.length - 1]!.toFixed(0).padStart(6)} ms   (${xs.map((x) => x.toFixed(0)).join(', ')})`;
  });
  const zp = times.get('zooproof');
  const zk = times.get('apache');
  if (zp && zk) lines.push(`median zp/zk ${ratio(median(zp), median(zk)).toFixed(2)} (below 1: zooproof fails over faster)`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { failovers, failoverTxns, trace, rest } = splitArgs(argv);
  const opts = parseOptions(rest);
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    const running = await startEnsembles(opts);
    if (running.size === 0) throw new Error('no ensemble could be started');
    for (const e of running.values()) {
      const leader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
      await prepareNodes({ host: LOOPBACK, port: leader.clientPort }, Math.max(...opts.clients), opts.valueBytes);
    }
    const loadBefore = loadavg()[0]!;
    const rows: Row[] = [];
    for (const op of opts.ops) {
      for (const clients of opts.clients) {
        const spec = { op, clients, warmupMs: opts.warmupMs, measureMs: opts.measureMs, valueBytes: opts.valueBytes };
        rows.push(await measureRow(running, spec, opts.rounds));
      }
    }
    if (failovers > 0 && failoverTxns > 0) for (const e of running.values()) await writeTxns(e, failoverTxns);
    const times = failovers > 0 ? await measureFailovers(running, failovers, trace) : new Map<EnsembleKind, number[]>();
    const loadAfter = loadavg()[0]!;
    process.stdout.write(`\n${VOTERS}-voter zooproof ensemble vs ${VOTERS}-voter Apache ZooKeeper 3.8 ensemble (loopback, ` +
      `tickTime ${TICK_TIME_MS} ms, forceSync=yes), sessions spread over the members (followers first), ` +
      `${opts.valueBytes}-byte values, ${opts.warmupMs} ms warm-up + ${opts.measureMs} ms measured per point in ${opts.rounds} ` +
      `alternating rounds, one request in flight per session; node ${process.version}, ${cpus().length} CPUs, ` +
      `1-min load average ${loadBefore.toFixed(1)} before / ${loadAfter.toFixed(1)} after\n` +
      `ratios are zooproof/zookeeper: ops/s above 1 and latency below 1 mean zooproof is faster\n\n${formatTable(rows)}\n`);
    if (failovers > 0) {
      process.stdout.write(`\nleader failover: kill -9 of the leader to the first acknowledged create through a survivor ` +
        `(fresh session per attempt), ${failovers} trials each, old leader restarted between trials` +
        `${failoverTxns > 0 ? `, after ${failoverTxns} creates` : ''}\n${formatFailovers(times)}\n`);
    }
    return 0;
  } finally {
    await stopAll();
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  if (interrupted) return;
  process.stderr.write(`bench:ensemble failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
