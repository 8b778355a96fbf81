// `zooproof demo` (the README's main job, until `zooproof run` exists): starts
// a reference server in a temp dir, drives a compare-and-set register workload
// from several clients while a crash nemesis kill -9s and restarts the server,
// records the history as JSONL, and checks it for linearizability.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { createClient, isZooKeeperError, type ZooKeeperClient } from '../client/index.ts';
import { JsonlHistoryWriter, type NewEvent } from './history/writer.ts';
import { HISTORY_FORMAT } from './history/types.ts';
import { checkCommand } from './checker/cli.ts';
import { newProgram } from './cli.ts';
import { mulberry32 as rng } from './generator/rng.ts';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const KEYS = ['/demo/k0', '/demo/k1', '/demo/k2'];

interface DemoOptions { clients: number; timeLimitS: number; seed: number; out: string }

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => res(port));
    });
  });
}

class DemoServer {
  private child: ResultPromise | null = null;
  constructor(private readonly cfgPath: string, private readonly logPath: string) {}
  start(): void {
    this.child = execa(process.execPath, [join(REPO, 'bin', 'zooproof.mjs'), 'server', this.cfgPath],
      { stdout: { file: this.logPath, append: true }, stderr: { file: this.logPath, append: true }, reject: false });
  }
  async kill(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c) return;
    c.kill(signal);
    await c;
  }
}

const now = (t0: bigint) => Number(process.hrtime.bigint() - t0);

async function clientLoop(id: number, zk: ZooKeeperClient, random: () => number, deadlineMs: number,
  record: (e: NewEvent) => void, t0: bigint): Promise<void> {
  while (Date.now() < deadlineMs) {
    const key = KEYS[Math.floor(random() * KEYS.length)]!;
    const r = random();
    const f = r < 0.5 ? 'read' : r < 0.75 ? 'write' : 'cas';
    const value = f === 'read' ? null : f === 'write' ? Math.floor(random() * 5) : [Math.floor(random() * 5), Math.floor(random() * 5)];
    record({ process: id, type: 'invoke', f, value, key, time: now(t0) });
    try {
      const out = await runOp(zk, key, f, value);
      record({ process: id, type: out.ok ? 'ok' : 'fail', f, value: out.ok ? out.value : value, key, time: now(t0),
        ...(out.zxid !== undefined ? { zxid: out.zxid } : {}), ...(out.error ? { error: out.error } : {}) });
    } catch (e) {
      const definite = isZooKeeperError(e) && e.definite;
      const error = isZooKeeperError(e) ? e.codeName : String(e);
      record({ process: id, type: definite ? 'fail' : 'info', f, value, key, time: now(t0), error });
      if (!definite) await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const decode = (d: Uint8Array | null) => (d === null || d.length === 0 ? null : Number(new TextDecoder().decode(d)));

async function runOp(zk: ZooKeeperClient, key: string, f: string, value: unknown):
  Promise<{ ok: boolean; value?: unknown; zxid?: number; error?: string }> {
  if (f === 'read') {
    const { data, zxid } = await zk.getData(key);
    return { ok: true, value: decode(data), zxid };
  }
  if (f === 'write') {
    const { zxid } = await zk.setData(key, String(value));
    return { ok: true, value, zxid };
  }
  const [expected, next] = value as [number, number];
  const { data, stat } = await zk.getData(key);
  if (decode(data) !== expected) return { ok: false, error: 'value differs' };
  const { zxid } = await zk.setData(key, String(next), stat.version);
  return { ok: true, value, zxid };
}

async function waitForServer(zk: ZooKeeperClient): Promise<void> {
  await zk.waitConnected(20_000);
  for (const path of ['/demo', ...KEYS]) {
    try { await zk.create(path, null); } catch (e) { if (!isZooKeeperError(e) || e.codeName !== 'NODEEXISTS') throw e; }
  }
}

async function runDemo(o: DemoOptions): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'zooproof-demo-'));
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const cfg = join(work, 'zoo.cfg');
  writeFileSync(cfg, `tickTime=1000\ndataDir=${dataDir}\nclientPort=${port}\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=*\n`);
  const runDir = join(o.out, `${new Date().toISOString().replace(/[:.]/g, '-')}-${o.seed}`);
  mkdirSync(runDir, { recursive: true });
  const server = new DemoServer(cfg, join(runDir, 'server.log'));
  const cleanup = async () => { await server.kill(); rmSync(work, { recursive: true, force: true }); };
  const onSignal = () => { void cleanup().then(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    server.start();
    const history = join(runDir, 'history.jsonl');
    const writer = new JsonlHistoryWriter(history, { format: HISTORY_FORMAT, scenario: 'demo', seed: o.seed,
      startedAt: new Date().toISOString(), nodes: [`127.0.0.1:${port}`], model: 'cas-register' });
    const t0 = process.hrtime.bigint();
    const counts = { ok: 0, fail: 0, info: 0 };
    const record = (e: NewEvent) => { writer.append(e); if (e.type !== 'invoke') counts[e.type]++; };
    const admin = createClient(`127.0.0.1:${port}`, { sessionTimeoutMs: 10_000 });
    await waitForServer(admin);
    await admin.close();
    process.stdout.write(`zooproof demo: ${o.clients} clients, ${o.timeLimitS} s, seed ${o.seed}, server on 127.0.0.1:${port}\n`);
    const random = rng(o.seed);
    const deadline = Date.now() + o.timeLimitS * 1000;
    const clients = Array.from({ length: o.clients }, () =>
      createClient(`127.0.0.1:${port}`, { sessionTimeoutMs: 10_000, requestTimeoutMs: 2000 }));
    const loops = clients.map((zk, i) => clientLoop(i, zk, rng(o.seed * 31 + i), deadline, record, t0));
    const nemesis = (async () => {
      await new Promise((r) => setTimeout(r, (o.timeLimitS * 1000) * (0.3 + random() * 0.2)));
      record({ process: 'nemesis', type: 'invoke', f: 'kill', value: 'server', time: now(t0) });
      await server.kill('SIGKILL');
      record({ process: 'nemesis', type: 'info', f: 'kill', value: 'server', time: now(t0) });
      await new Promise((r) => setTimeout(r, 1500));
      record({ process: 'nemesis', type: 'invoke', f: 'start', value: 'server', time: now(t0) });
      server.start();
      record({ process: 'nemesis', type: 'info', f: 'start', value: 'server', time: now(t0) });
    })();
    await Promise.all([...loops, nemesis]);
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await writer.close();
    process.stdout.write(`operations: ${counts.ok} ok, ${counts.fail} fail, ${counts.info} info; history: ${history}\n`);
    return await checkCommand([history, '--model', 'cas-register', '--timeout-ms', '60000']);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

export async function demoCommand(args: string[]): Promise<number> {
  const program = newProgram('demo')
    .description('kill -9 a reference server under a cas-register workload and check linearizability')
    .option('--clients <n>', 'concurrent clients', '5')
    .option('--time-limit <s>', 'seconds of workload', '12')
    .option('--seed <n>', 'random seed', String(Date.now() % 1_000_000))
    .option('--out <dir>', 'where runs are written', join(REPO, 'reports', 'demo'));
  program.parse(args, { from: 'user' });
  const raw = program.opts<{ clients: string; timeLimit: string; seed: string; out: string }>();
  const o = { clients: Number(raw.clients), timeLimitS: Number(raw.timeLimit), seed: Number(raw.seed), out: raw.out };
  if (![o.clients, o.timeLimitS, o.seed].every((n) => Number.isInteger(n) && n >= 0) || o.clients < 1) {
    process.stderr.write('zooproof demo: --clients, --time-limit and --seed take non-negative integers\n');
    return 254;
  }
  return runDemo(o);
}
