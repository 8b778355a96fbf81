// `npm run bench:deep-tree -- [--depth N] [--no-standalone] [--no-ensemble]`: how a chain of N
// nested znodes (`/deep/a/a/…`, default 20,000) fares on `zooproof server`:
// - standalone: the build (pipelined creates), a forced snapshot of it
//   (restart with snapCount 2, one session), a restart from that snapshot
//   alone (txn logs removed), the chain checked after it;
// - 3-voter ensemble: the build through the leader, a follower wiped and
//   restarted (SNAP), the chain checked on that follower.
// Prints wall times, snapshot size and each server's peak RSS (VmHWM).
// A chain's paths total depth × (depth + 1) bytes (one-letter names), and
// every one of them is in the creates, the txn log, memory, every snapshot
// and the SNAP stream: 400 MB at 20,000 levels, 10 GB at 100,000.
import { readdirSync, readFileSync, rmSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient, type ZooKeeperClient } from '../client/index.ts';
import { buildChain, chainState, removeTxnLogs, snapshotZxids, type ChainState } from '../test/deep-tree/chain.ts';
import { StandaloneServer } from '../test/deep-tree/standalone-server.ts';
import { Ensemble, type EnsembleMember } from '../test/support/ensemble.ts';
import { freePort, LOOPBACK } from '../test/support/ports.ts';

const ROOT = '/deep';
const QUIET_SNAP_COUNT = 1_000_000;
const ELECTION_TIMEOUT_MS = 120_000;
/** A wiped member serves once its SNAP is in: minutes for a chain of tens of thousands of levels on a busy machine. */
const START_TIMEOUT_MS = 600_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

function peakRssBytes(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function timed<T>(what: string, body: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const out = await body();
  process.stdout.write(`  ${what.padEnd(52)} ${seconds(performance.now() - start)}\n`);
  return out;
}

function verdict(expected: ChainState, got: ChainState, depth: number): string {
  const same = got.descendants === depth && got.deepest !== null && got.deepest.czxid === expected.deepest?.czxid
    && got.deepest.mzxid === expected.deepest.mzxid && got.deepest.pzxid === expected.deepest.pzxid;
  return same ? `all ${depth} levels, deepest Stat equal` : `MISMATCH: ${got.descendants} levels, deepest ${JSON.stringify(got.deepest, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`;
}

async function connect(port: number): Promise<ZooKeeperClient> {
  const zk = createClient(`${LOOPBACK}:${port}`, { sessionTimeoutMs: 60_000, requestTimeoutMs: 300_000 });
  await zk.waitConnected(60_000);
  return zk;
}

async function standalone(depth: number): Promise<void> {
  process.stdout.write(`standalone, ${depth} levels\n`);
  const server = new StandaloneServer(mkdtempSync(join(tmpdir(), 'zooproof-bench-deep-')), await freePort());
  let peak = 0;
  const stop = async () => {
    peak = Math.max(peak, peakRssBytes(server.pid));
    await server.stop();
  };
  try {
    await server.start(QUIET_SNAP_COUNT);
    let zk = await connect(server.port);
    const lastZxid = await timed('build (pipelined creates)', () => buildChain(zk, ROOT, depth));
    const built = await chainState(zk, ROOT, depth);
    await zk.close();
    await stop();
    await timed('restart (txn log replay) + forced snapshot written', async () => {
      await server.start(2);
      zk = await connect(server.port);
      while (!snapshotZxids(server.dataDir).some((z) => z >= lastZxid)) await sleep(50);
      await zk.close();
    });
    await stop();
    const snap = Math.max(...snapshotZxids(server.dataDir));
    const snapBytes = statSync(join(server.dataDir, 'version-2', `snapshot.${snap.toString(16)}`)).size;
    removeTxnLogs(server.dataDir);
    await timed('restart from the snapshot alone, until serving', () => server.start(QUIET_SNAP_COUNT));
    zk = await connect(server.port);
    const after = await chainState(zk, ROOT, depth);
    await zk.close();
    await stop();
    process.stdout.write(`  snapshot ${mb(snapBytes)}; after restart: ${verdict(built, after, depth)}; peak RSS ${mb(peak)}\n`);
  } finally {
    await server.stop();
    rmSync(server.workDir, { recursive: true, force: true });
  }
}

function wipe(m: EnsembleMember): void {
  const dataDir = join(m.dir, 'data');
  for (const f of readdirSync(dataDir)) if (f !== 'myid') rmSync(join(dataDir, f), { recursive: true, force: true });
}

async function ensemble(depth: number): Promise<void> {
  process.stdout.write(`3-voter ensemble, ${depth} levels\n`);
  const e = await Ensemble.start('zooproof', {
    voters: 3, tickTimeMs: 2000, extraConfig: { initLimit: '60', syncLimit: '15' }, startTimeoutMs: START_TIMEOUT_MS,
  });
  try {
    const leader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
    let zk = await connect(leader.clientPort);
    await timed('build through the leader', () => buildChain(zk, ROOT, depth));
    const built = await chainState(zk, ROOT, depth);
    await zk.close();
    const follower = e.members.find((m) => m !== leader)!;
    await e.kill(follower);
    wipe(follower);
    await timed('wiped follower restarted, SNAP, until serving', async () => {
      await e.restart(follower);
      await e.waitForLeader(ELECTION_TIMEOUT_MS);
    });
    zk = await connect(follower.clientPort);
    const served = await chainState(zk, ROOT, depth);
    await zk.close();
    const sync = /sync \d+: SNAP[^\n]*/.exec(e.log(leader))?.[0] ?? '(no SNAP line in the leader log)';
    const peaks = e.members.map((m) => `server.${m.id} ${mb(peakRssBytes(m.process?.hasExited ? undefined : m.process?.pid))}`);
    process.stdout.write(`  leader: ${sync}\n  follower: ${verdict(built, served, depth)}; leader still leads: ${await e.mode(leader) === 'leader'}\n`);
    process.stdout.write(`  peak RSS ${peaks.join(', ')}\n`);
  } catch (err) {
    process.stdout.write(`ensemble logs:\n${e.logTails(4000)}\n`);
    throw err;
  } finally {
    await e.stop();
  }
}

async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--depth');
  const depth = at >= 0 ? Number(argv[at + 1]) : 20_000;
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`--depth: ${argv[at + 1]} is not a positive integer`);
  process.stdout.write(`paths total ${mb(depth * (depth + 1))} per copy of the chain\n`);
  if (!argv.includes('--no-standalone')) await standalone(depth);
  if (!argv.includes('--no-ensemble')) await ensemble(depth);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
