// bench:server's command line. Pure apart from commander's parsing.
import { Command } from 'commander';
import type { TargetName } from '../../test/support/target.ts';
import type { BenchOp, Endpoint } from './runner.ts';

export interface BenchOptions {
  warmupMs: number;
  measureMs: number;
  clients: number[];
  ops: BenchOp[];
  valueBytes: number;
  rounds: number;
  targets: TargetName[];
  /** An already running zooproof server to measure instead of starting one (e.g. under node --cpu-prof). */
  zooproofEndpoint?: Endpoint;
}

export function parseOptions(argv: string[]): BenchOptions {
  const program = new Command('bench:server')
    // 3 s: V8 needs a few thousand requests to optimize a path (a follower's
    // forwarded writes are first used at the 1-session setData point); with 1 s
    // that point's p99 measured JIT warm-up, about 3x ZooKeeper's C1-compiled JVM.
    .option('--warmup-ms <n>', 'warm-up per point', '3000')
    .option('--measure-ms <n>', 'measured window per point', '3000')
    .option('--clients <list>', 'concurrent sessions per point', '1,8,32')
    .option('--ops <list>', 'getData,setData', 'getData,setData')
    .option('--rounds <n>', 'alternating rounds the measured window is split into', '6')
    .option('--value-bytes <n>', 'node value size', '100')
    .option('--targets <list>', 'zooproof,apache (apache skipped when not installed)', 'zooproof,apache')
    .option('--zooproof-endpoint <host:port>', 'measure this running zooproof server instead of starting one')
    .parse(argv, { from: 'user' });
  const o = program.opts<Record<string, string>>();
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter((x) => x !== '');
  const positive = (s: string, what: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${what}: '${s}' is not a positive integer`);
    return n;
  };
  const ops = list(o.ops!).map((op) => {
    if (op !== 'getData' && op !== 'setData') throw new Error(`--ops: unknown op '${op}'`);
    return op as BenchOp;
  });
  const targets = list(o.targets!).map((t) => {
    if (t !== 'zooproof' && t !== 'apache') throw new Error(`--targets: unknown target '${t}'`);
    return t as TargetName;
  });
  return { warmupMs: positive(o.warmupMs!, '--warmup-ms'), measureMs: positive(o.measureMs!, '--measure-ms'),
    clients: list(o.clients!).map((c) => positive(c, '--clients')), ops, valueBytes: positive(o.valueBytes!, '--value-bytes'),
    rounds: positive(o.rounds!, '--rounds'),
    targets, zooproofEndpoint: o.zooproofEndpoint === undefined ? undefined : parseEndpoint(o.zooproofEndpoint) };
}

export function parseEndpoint(text: string): Endpoint {
  const m = /^([\w.:-]+):(\d+)$/.exec(text);
  if (!m) throw new Error(`--zooproof-endpoint: '${text}' is not host:port`);
  return { host: m[1]!, port: Number(m[2]) };
}
