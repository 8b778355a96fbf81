// bench:churn's command line and result table. Pure apart from commander's parsing.
import { Command } from 'commander';
import type { MemorySample } from './memory.ts';

export type ChurnTarget = 'zooproof' | 'apache';

export interface ChurnBenchOptions {
  connections: number;
  concurrency: number;
  seed: number;
  sessionTimeoutMs: number;
  /** Wait after the churn, for the dropped connections' sessions to expire. */
  idleMs: number;
  targets: ChurnTarget[];
  /** Largest random frame sent as garbage, in the same write as the requests. */
  garbageMaxBytes: number;
}

export function parseChurnOptions(argv: string[]): ChurnBenchOptions {
  const program = new Command('bench:churn')
    .option('--connections <n>', 'connections opened and dropped', '10000')
    .option('--concurrency <n>', 'connections open at once (below maxClientCnxns=60)', '32')
    .option('--seed <n>', 'seed of the requests and garbage', '1')
    .option('--session-timeout-ms <n>', 'session timeout the clients ask for (tickTime 2000: 4000..40000)', '6000')
    .option('--idle-ms <n>', 'idle wait after the churn (default: 2 x session timeout + 4 s)')
    .option('--garbage-max-bytes <n>', 'largest random frame sent as garbage after the requests', '32768')
    .option('--targets <list>', 'zooproof,apache (apache skipped when not installed)', 'zooproof,apache')
    .parse(argv, { from: 'user' });
  const o = program.opts<Record<string, string | undefined>>();
  const positive = (s: string, what: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${what}: '${s}' is not a positive integer`);
    return n;
  };
  const sessionTimeoutMs = positive(o.sessionTimeoutMs!, '--session-timeout-ms');
  const targets = o.targets!.split(',').map((t) => t.trim()).filter((t) => t !== '').map((t) => {
    if (t !== 'zooproof' && t !== 'apache') throw new Error(`--targets: unknown target '${t}'`);
    return t as ChurnTarget;
  });
  return {
    connections: positive(o.connections!, '--connections'),
    concurrency: positive(o.concurrency!, '--concurrency'),
    seed: positive(o.seed!, '--seed'),
    sessionTimeoutMs,
    idleMs: o.idleMs === undefined ? 2 * sessionTimeoutMs + 4000 : positive(o.idleMs, '--idle-ms'),
    targets,
    garbageMaxBytes: positive(o.garbageMaxBytes!, '--garbage-max-bytes'),
  };
}

/** What the server itself reports at a stage (from mntr). */
export interface ServerCounts {
  connections: number;
  sessions: number;
  watches: number;
  znodes: number;
}

export interface Stage {
  name: string;
  memory: MemorySample;
  counts?: ServerCounts;
}

const mb = (bytes: number | undefined) => (bytes === undefined ? '-' : (bytes / (1024 * 1024)).toFixed(1));

/** zk_<key>\t<int> lines of mntr. */
export function parseMntrCounts(text: string): ServerCounts {
  const get = (key: string) => {
    const m = new RegExp(`^zk_${key}\\t(-?\\d+)$`, 'm').exec(text);
    return m ? Number(m[1]) : Number.NaN;
  };
  return { connections: get('num_alive_connections'), sessions: get('global_sessions'), watches: get('watch_count'),
    znodes: get('znode_count') };
}

export const STAGE_HEADER = ['stage', 'RSS MB', 'peak RSS MB', 'heap MB', 'peak heap MB', 'buffers MB', 'conns', 'sessions', 'watches',
  'znodes'];

function cells(stage: Stage): string[] {
  const m = stage.memory;
  const c = stage.counts;
  const n = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : String(x));
  return [stage.name, mb(m.rssBytes), mb(m.peakRssBytes), mb(m.heapUsedBytes), mb(m.peakHeapUsedBytes), mb(m.arrayBuffersBytes),
    n(c?.connections), n(c?.sessions), n(c?.watches), n(c?.znodes)];
}

/** One block per target: its stages as rows, right-aligned columns. */
export function formatStages(title: string, stages: Stage[]): string {
  const grid = [STAGE_HEADER, ...stages.map(cells)];
  const widths = STAGE_HEADER.map((_, c) => Math.max(...grid.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [title, line(STAGE_HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...grid.slice(1).map(line)].join('\n');
}
