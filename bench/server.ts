// `npm run bench:server`: throughput and p50/p99 latency of getData and
// setData (100-byte values) with 1, 8 and 32 concurrent sessions, against
// `zooproof server` and (when installed) Debian's Apache ZooKeeper 3.8, both
// standalone on this machine with their default forceSync=yes, driven by the
// same client in the same run, point by point side by side.
// A benchmark, not a test: the machine is noisy, read the ratios, not the
// absolute numbers.
import { cpus, loadavg } from 'node:os';
import { startTarget, targetAvailability, type Target, type TargetName } from '../test/support/targets.ts';
import { parseOptions } from './lib/options.ts';
import { PointRun, prepareNodes, type Endpoint, type PointSpec, type Samples } from './lib/runner.ts';
import { summarize, type PointStats } from './lib/stats.ts';
import { formatTable, type Row } from './lib/table.ts';

const started: Target[] = [];

async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map((t) => t.stop().catch(() => undefined)));
}

let interrupted = false;

/**
 * Registered with process.on, not once: execa's exit hook re-raises the signal
 * (killing us before the servers' temp dirs are removed) when it finds no other
 * listener left.
 */
function onInterrupt(): void {
  if (interrupted) return;
  interrupted = true;
  process.stderr.write('\ninterrupted: stopping the servers\n');
  stopAll().finally(() => process.exit(130));
}

async function startAvailable(names: TargetName[], zooproofEndpoint?: Endpoint): Promise<Map<TargetName, Endpoint>> {
  const running = new Map<TargetName, Endpoint>();
  for (const name of names) {
    if (name === 'zooproof' && zooproofEndpoint !== undefined) {
      running.set(name, zooproofEndpoint);
      process.stderr.write(`using the running zooproof on ${zooproofEndpoint.host}:${zooproofEndpoint.port}\n`);
      continue;
    }
    const availability = targetAvailability(name);
    if (!availability.ok) {
      process.stderr.write(`[skip] ${name}: ${availability.reason}\n`);
      continue;
    }
    const target = await startTarget(name);
    started.push(target);
    running.set(name, target);
    process.stderr.write(`started ${name} on ${target.connectString}\n`);
  }
  return running;
}

function report(name: TargetName, spec: PointSpec, stats: PointStats): void {
  if (stats.errors > 0) process.stderr.write(`warning: ${name} ${spec.op} x${spec.clients}: ${stats.errors} error replies\n`);
  process.stderr.write(`  ${name.padEnd(8)} ${spec.op} x${String(spec.clients).padEnd(2)}: ${stats.throughputPerS.toFixed(0)} ops/s, ` +
    `p50 ${stats.p50Ms.toFixed(2)} ms, p99 ${stats.p99Ms.toFixed(2)} ms\n`);
}

/**
 * One point on every running server: each warms up its own sessions, then
 * the measured time is split into rounds that alternate between the servers,
 * so background load on this shared machine falls on both alike.
 */
async function measureRow(running: Map<TargetName, Endpoint>, spec: PointSpec, rounds: number): Promise<Row> {
  const names = [...running.keys()];
  const runs = new Map<TargetName, PointRun>();
  try {
    for (const name of names) {
      const run = await PointRun.open(running.get(name)!, spec);
      runs.set(name, run);
      await run.drive(spec.warmupMs);
    }
    const samples = new Map<TargetName, Samples>(names.map((n) => [n, { latenciesMs: [], errors: 0 }]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) await runs.get(name)!.drive(spec.measureMs / rounds, samples.get(name));
    }
    const row: Row = { op: spec.op, clients: spec.clients };
    for (const name of names) {
      const { latenciesMs, errors } = samples.get(name)!;
      const stats = summarize(latenciesMs, errors, spec.measureMs);
      report(name, spec, stats);
      if (name === 'zooproof') row.zooproof = stats; else row.zookeeper = stats;
    }
    return row;
  } finally {
    await Promise.all([...runs.values()].map((r) => r.close()));
  }
}

async function main(argv: string[]): Promise<number> {
  const opts = parseOptions(argv);
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    const running = await startAvailable(opts.targets, opts.zooproofEndpoint);
    if (running.size === 0) throw new Error('no target could be started');
    const maxClients = Math.max(...opts.clients);
    for (const t of running.values()) await prepareNodes(t, maxClients, opts.valueBytes);
    const rows: Row[] = [];
    const loadBefore = loadavg()[0]!;
    for (const op of opts.ops) {
      for (const clients of opts.clients) {
        const spec = { op, clients, warmupMs: opts.warmupMs, measureMs: opts.measureMs, valueBytes: opts.valueBytes };
        rows.push(await measureRow(running, spec, opts.rounds));
      }
    }
    const loadAfter = loadavg()[0]!;
    process.stdout.write(`\nzooproof server vs Apache ZooKeeper 3.8 (standalone, forceSync=yes, loopback), ` +
      `${opts.valueBytes}-byte values, ${opts.warmupMs} ms warm-up + ${opts.measureMs} ms measured per point ` +
      `in ${opts.rounds} alternating rounds, one request in flight per session; node ${process.version}, ` +
      `${cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(1)} before / ${loadAfter.toFixed(1)} after\n` +
      `ratios are zooproof/zookeeper: ops/s above 1 and latency below 1 mean zooproof is faster\n\n` +
      `${formatTable(rows)}\n`);
    return 0;
  } finally {
    await stopAll();
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  if (interrupted) return;
  process.stderr.write(`bench:server failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
