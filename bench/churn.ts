// `npm run bench:churn`: a server's memory under connection churn. Starts a
// standalone `zooproof server` (and, when installed, Debian's Apache
// ZooKeeper 3.8, one after the other in the same run), opens and drops many
// connections (ConnectRequest, a few requests leaving an ephemeral and
// watches, garbage bytes, a TCP reset; 10% close their session cleanly), and
// prints RSS and live heap: at start (after a full GC), at the churn's peak,
// right after it, and after an idle wait long enough for the dropped
// connections' sessions to expire (after a full GC). Figures only, no
// pass/fail: RSS depends on the allocator and the machine.
//   zooproof: RSS from /proc, V8 heap from bench/lib/memory-probe.mjs loaded
//     into the server child (NODE_OPTIONS=--import=...).
//   Apache ZooKeeper: RSS from /proc, heap via jcmd (GC.run, GC.heap_info);
//     the JVM runs with -Xmx256m -XX:+UseSerialGC (test/support/apache-zk.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fourLetterWord } from '../test/support/four-letter.ts';
import { startTarget, targetAvailability, type Target } from '../test/support/targets.ts';
import { churn, prepare, type ChurnCounts } from './lib/churn-client.ts';
import { formatStages, parseChurnOptions, parseMntrCounts, type ChurnBenchOptions, type ChurnTarget, type Stage } from './lib/churn-report.ts';
import { javaSample, NodeProbe, type MemorySample } from './lib/memory.ts';

const PROBE = fileURLToPath(new URL('./lib/memory-probe.mjs', import.meta.url));
const ROOT = '/churn';
const REPLY_TIMEOUT_MS = 10_000;
const PEAK_SAMPLE_EVERY = 500;
const PROGRESS_LINES = 10;

const started: Target[] = [];
let interrupted = false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function onInterrupt(): void {
  if (interrupted) return;
  interrupted = true;
  process.stderr.write('\ninterrupted: stopping the servers\n');
  Promise.all(started.map((t) => t.stop().catch(() => undefined))).finally(() => process.exit(130));
}

/** Starts one target; zooproof with the memory probe in its process. */
async function startWithProbe(name: ChurnTarget, probeFile: string): Promise<{ target: Target; sample: (gc: boolean) => Promise<MemorySample> }> {
  const opts = { extraConfig: { maxClientCnxns: '60' } };
  let target: Target;
  if (name === 'zooproof') {
    const saved = { options: process.env.NODE_OPTIONS, probe: process.env.ZOOPROOF_MEMORY_PROBE };
    process.env.NODE_OPTIONS = `${saved.options ?? ''} --import=${PROBE}`.trim();
    process.env.ZOOPROOF_MEMORY_PROBE = probeFile;
    try {
      target = await startTarget(name, opts);
    } finally {
      restoreEnv('NODE_OPTIONS', saved.options);
      restoreEnv('ZOOPROOF_MEMORY_PROBE', saved.probe);
    }
  } else {
    target = await startTarget(name, opts);
  }
  started.push(target);
  const pid = target.pid?.();
  if (pid === undefined) throw new Error(`${name}: no server pid`);
  const probe = new NodeProbe(probeFile, pid);
  return { target, sample: (gc) => (name === 'zooproof' ? probe.sample(gc) : javaSample(pid, gc)) };
}

function restoreEnv(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key]; else process.env[key] = value;
}

async function countsOf(target: Target): Promise<Stage['counts']> {
  return parseMntrCounts(await fourLetterWord(target.host, target.port, 'mntr', 5000));
}

interface Measured {
  stages: Stage[];
  counts: ChurnCounts;
  churnMs: number;
}

async function measure(name: ChurnTarget, opts: ChurnBenchOptions, workDir: string): Promise<Measured> {
  const { target, sample } = await startWithProbe(name, join(workDir, `${name}-memory.json`));
  try {
    const endpoint = { host: target.host, port: target.port };
    await prepare({ ...endpoint, root: ROOT, replyTimeoutMs: REPLY_TIMEOUT_MS });
    const stages: Stage[] = [{ name: 'start (after GC)', memory: await sample(true), counts: await countsOf(target) }];
    let peak: Stage | undefined;
    let sampling = false;
    const churnStart = performance.now();
    const counts = await churn({ ...endpoint, connections: opts.connections, concurrency: opts.concurrency, seed: opts.seed,
      sessionTimeoutMs: opts.sessionTimeoutMs, root: ROOT, replyTimeoutMs: REPLY_TIMEOUT_MS,
      garbageMaxBytes: opts.garbageMaxBytes }, (done) => {
      if (done % PEAK_SAMPLE_EVERY !== 0 || sampling) return;
      sampling = true;
      void Promise.all([sample(false), countsOf(target)]).then(([memory, c]) => {
        if (!peak || memory.rssBytes > peak.memory.rssBytes) peak = { name: `churn, highest RSS (${done})`, memory, counts: c };
        if (done % Math.ceil(opts.connections / PROGRESS_LINES) < PEAK_SAMPLE_EVERY) {
          process.stderr.write(`  ${name}: ${done}/${opts.connections} connections, RSS ${(memory.rssBytes / 2 ** 20).toFixed(0)} MB\n`);
        }
      }).catch(() => undefined).finally(() => { sampling = false; });
    });
    const churnMs = performance.now() - churnStart;
    if (peak) stages.push(peak);
    stages.push({ name: 'right after churn', memory: await sample(false), counts: await countsOf(target) });
    stages.push({ name: 'right after churn, GC', memory: await sample(true), counts: await countsOf(target) });
    await sleep(opts.idleMs);
    stages.push({ name: `idle ${opts.idleMs} ms, no GC`, memory: await sample(false), counts: await countsOf(target) });
    stages.push({ name: 'idle, after GC', memory: await sample(true), counts: await countsOf(target) });
    return { stages, counts, churnMs };
  } finally {
    await target.stop();
    started.splice(started.indexOf(target), 1);
  }
}

function describeCounts(c: ChurnCounts, churnMs: number): string {
  return `${c.connections} connections in ${(churnMs / 1000).toFixed(1)} s: ${c.sessions} sessions, ${c.refused} refused, ` +
    `${c.replies} replies, ${c.persistent} persistent znodes created, ${c.garbage} sent garbage, ${c.abruptCloses} reset, ${c.cleanCloses} closed their session, ${c.errors} errors`;
}

async function main(argv: string[]): Promise<number> {
  const opts = parseChurnOptions(argv);
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  const workDir = mkdtempSync(join(tmpdir(), 'bench-churn-'));
  try {
    const blocks: string[] = [];
    for (const name of opts.targets) {
      const availability = targetAvailability(name);
      if (!availability.ok) { process.stderr.write(`[skip] ${name}: ${availability.reason}\n`); continue; }
      process.stderr.write(`${name}: churning ${opts.connections} connections\n`);
      const { stages, counts, churnMs } = await measure(name, opts, workDir);
      blocks.push(formatStages(`${name === 'zooproof' ? 'zooproof server' : 'Apache ZooKeeper 3.8'}: ${describeCounts(counts, churnMs)}`, stages));
    }
    process.stdout.write(`\nmemory under connection churn (standalone, maxClientCnxns=60, ${opts.concurrency} at a time, ` +
      `session timeout ${opts.sessionTimeoutMs} ms, garbage frames up to ${opts.garbageMaxBytes} bytes, seed ${opts.seed}); node ${process.version}, ${cpus().length} CPUs\n` +
      `heap: V8 heapUsed (zooproof) / used generations (JVM, -Xmx256m SerialGC); peak heap sampled every 200 ms (zooproof)\n\n` +
      `${blocks.join('\n\n')}\n`);
    return 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  if (interrupted) return;
  process.stderr.write(`bench:churn failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
