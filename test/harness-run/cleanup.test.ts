// Ctrl-C or SIGTERM in the middle of a run: every node process is gone, every
// port (nodes and proxies) closed, every node clock back to true time, and the
// history written so far is intact.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';
import { parseJsonlHistory } from '../../harness/history/jsonl.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { both, faketimeAvailability, targetAvailability, tempOut } from './support.ts';

const REPO = resolve(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pids of live processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch { /* gone */ }
  }
  return pids;
}

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host, port });
    s.once('connect', () => { s.destroy(); res(false); });
    s.once('error', () => res(true));
  });
}

function findHistory(dir: string): string | undefined {
  const runs = join(dir, 'register');
  if (!existsSync(runs)) return undefined;
  const run = readdirSync(runs)[0];
  const file = run === undefined ? undefined : join(runs, run, 'history.jsonl');
  return file !== undefined && existsSync(file) ? file : undefined;
}

async function waitForFaults(dir: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const file = findHistory(dir);
    // An event line, not the planned schedule in the metadata line.
    if (file && readFileSync(file, 'utf8').split('\n').slice(1).some((l) => l.includes('"f":"bump-clock"'))) return file;
    await sleep(200);
  }
  throw new Error('the run never reached its first clock fault');
}

const nodeDirs = (clusterDir: string) => readdirSync(clusterDir).filter((n) => /^n\d+$/.test(n)).map((n) => join(clusterDir, n));

function nodePorts(clusterDir: string): number[] {
  return nodeDirs(clusterDir).flatMap((dir) => {
    const cfg = readFileSync(join(dir, 'zoo.cfg'), 'utf8');
    return [/^clientPort=(\d+)/m, /^server\.\d+=127\.0\.0\.1:(\d+):(\d+)/m].flatMap((re) => re.exec(cfg)?.slice(1).map(Number) ?? []);
  });
}

describeIfAvailable('zooproof run: nothing left behind on Ctrl-C or SIGTERM', both(targetAvailability('reference'), faketimeAvailability()), () => {
  const out = tempOut();
  afterAll(() => out.remove());

  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: nodes, proxies and clocks cleaned up, history kept`, async () => {
      const dir = join(out.dir, signal);
      const child = execa(process.execPath, [join(REPO, 'bin', 'zooproof.mjs'), 'run', 'register', '--nodes', '3',
        '--nemesis', 'clock,partition,kill', '--nemesis-interval', '0.5', '--time-limit', '120', '--seed', '5', '--out', dir],
      { reject: false, all: true });
      try {
        const historyFile = await waitForFaults(dir, 60_000);
        const runDir = join(historyFile, '..');
        const meta = parseJsonlHistory(readFileSync(historyFile, 'utf8')).meta;
        const clusterDir = String(meta.clusterDir);
        expect(nodeDirs(clusterDir)).toHaveLength(3);
        expect(processesMentioning(runDir).length).toBeGreaterThanOrEqual(3);
        const addresses = (meta.addresses as string[]).map((a) => Number(a.split(':').at(-1)));
        child.kill(signal);
        const result = await child;
        expect(result.exitCode, result.all).toBe(exitCode);
        expect(processesMentioning(runDir)).toEqual([]);
        for (const port of [...addresses, ...nodePorts(clusterDir)]) expect(await refused('127.0.0.1', port), `port ${port}`).toBe(true);
        // libfaketime offset zero: true time (`+0`, `+0.000`).
        for (const dir of nodeDirs(clusterDir)) expect(readFileSync(join(dir, 'faketime'), 'utf8'), dir).toMatch(/^\+0(\.0+)?\n$/);
        const history = parseJsonlHistory(readFileSync(historyFile, 'utf8'));
        expect(history.events.some((e) => e.f === 'bump-clock')).toBe(true);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    }, 120_000);
  }
});
