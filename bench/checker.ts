// `npm run bench:checker`: times the linearizability checker on generated
// register and cas-register histories (10/50/100 clients; 1k to 100k ops;
// with and without crashed `info` ops; one key or partitioned by key) and
// prints check time and peak memory. Each case runs in a fresh process so
// peak RSS is its own. Not a test: it asserts nothing, it measures.
//
// Side by side with Porcupine: set PORCUPINE_BIN to a driver that takes
// `<ops file> <timeout ms>` (one op per line: `key client call return kind a b
// out status`, kind 0 read / 1 write / 2 cas, return -1 for info) and prints
// `{"verdict":…, "checkMs":…, "peakRss":"… kB"}`. The driver is not part of
// this repository.
//
// Options: --quick (up to 10k ops), --timeout-ms N (per case, default 10000),
// --filter <substring of the case name>, --repeat N (fresh processes per
// case and checker; the fastest run is shown, to damp noise from other load),
// --keep (keep the generated histories; by default they are removed).
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHistoryFile } from '../harness/history/read.ts';
import { formatJsonlHistory } from '../harness/history/jsonl.ts';
import { pairOperations } from '../harness/history/ops.ts';
import { HISTORY_FORMAT, type Operation } from '../harness/history/types.ts';
import { checkInput } from '../harness/checker/compose.ts';
import { checkLinearizable } from '../harness/checker/linear/check.ts';
import { models } from '../harness/checker/models/index.ts';
import type { Model } from '../harness/checker/models/model.ts';
import { seededNext, simulateRegisterHistory } from '../harness/checker/testing/simulate.ts';

interface Case {
  model: 'register' | 'cas-register';
  clients: number;
  ops: number;
  info: boolean;
  keys: number;
}

interface Measure {
  verdict: string;
  checkMs: number;
  peakMb: number;
}

const PARTITION_KEYS = 10;
const INFO_RATE = 0.02;

function caseName(c: Case): string {
  return `${c.model} c=${c.clients} n=${c.ops} ${c.info ? 'info' : 'no-info'} ${c.keys === 1 ? 'single-key' : `${c.keys}-keys`}`;
}

function allCases(quick: boolean): Case[] {
  const out: Case[] = [];
  for (const model of ['register', 'cas-register'] as const)
    for (const keys of [PARTITION_KEYS, 1])
      for (const info of [false, true])
        for (const clients of [10, 50, 100])
          for (const ops of quick ? [1_000, 10_000] : [1_000, 10_000, 100_000]) out.push({ model, clients, ops, info, keys });
  return out;
}

function generate(c: Case, dir: string): { jsonl: string; porcupine: string } {
  const events = simulateRegisterHistory({ clients: c.clients, ops: c.ops, keys: c.keys, cas: c.model === 'cas-register',
    infoRate: c.info ? INFO_RATE : 0, values: 5, next: seededNext(c.clients * 7919 + c.ops + (c.info ? 1 : 0) + c.keys * 13) });
  const base = join(dir, caseName(c).replace(/[^a-z0-9]+/gi, '_'));
  writeFileSync(`${base}.jsonl`, formatJsonlHistory({ meta: { format: HISTORY_FORMAT, scenario: caseName(c) }, events }));
  writeFileSync(`${base}.ops`, porcupineLines(pairOperations(events).operations));
  return { jsonl: `${base}.jsonl`, porcupine: `${base}.ops` };
}

/** The ops both checkers see: no fail ops (they did not happen), no info reads (no effect). */
function porcupineLines(ops: Operation[]): string {
  const kind: Record<string, number> = { read: 0, write: 1, cas: 2 };
  return ops.filter((o) => o.status !== 'fail' && !(o.status === 'info' && o.f === 'read')).map((o) => {
    const [a, b] = o.f === 'cas' ? (o.input as number[]) : [o.f === 'write' ? (o.input as number) : 0, 0];
    const out = o.f === 'read' ? (o.output === null ? -1 : (o.output as number)) : 0;
    return `${o.key ?? 0} ${o.process} ${o.invokeIndex} ${o.status === 'ok' ? o.completeIndex : -1} ${kind[o.f]} ${a} ${b} ${out} ${o.status}\n`;
  }).join('');
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** Child mode: check one file and print one JSON line. */
async function runOne(file: string, model: string, timeoutMs: number): Promise<void> {
  const history = await readHistoryFile(file);
  const { operations } = checkInput(history);
  const started = performance.now();
  const r = checkLinearizable(models[model] as unknown as Model<unknown>, operations, {
    now: () => performance.now(), deadlineMs: started + timeoutMs, maxMemoryBytes: 3 * 1024 ** 3,
    memoryUsedBytes: () => process.memoryUsage().heapUsed });
  const m: Measure = { verdict: r.verdict, checkMs: Math.round(performance.now() - started), peakMb: peakRssMb() };
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

async function measureOurs(file: string, model: string, timeoutMs: number): Promise<Measure> {
  const r = await execa(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', import.meta.filename, '--one', file, model, String(timeoutMs)],
    { reject: false, timeout: timeoutMs + 60_000 });
  try {
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Measure;
  } catch {
    return { verdict: `crashed (${r.exitCode})`, checkMs: NaN, peakMb: NaN };
  }
}

async function measurePorcupine(bin: string, file: string, timeoutMs: number): Promise<Measure> {
  const r = await execa(bin, [file, String(timeoutMs)], { reject: false, timeout: timeoutMs + 60_000 });
  try {
    const j = JSON.parse(r.stdout.trim()) as { verdict: string; checkMs: number; peakRss: string };
    return { verdict: j.verdict, checkMs: j.checkMs, peakMb: Math.round(parseInt(j.peakRss, 10) / 1024) };
  } catch {
    return { verdict: `crashed (${r.exitCode})`, checkMs: NaN, peakMb: NaN };
  }
}

/** The fastest of `times` runs (a machine shared with other work adds noise, never speed). */
async function fastest(times: number, run: () => Promise<Measure>): Promise<Measure> {
  let best: Measure | undefined;
  for (let i = 0; i < times; i++) {
    const m = await run();
    if (best === undefined || (m.verdict === best.verdict && m.checkMs < best.checkMs)) best = m;
  }
  return best!;
}

function row(cells: Array<string | number>): string {
  const widths = [46, 9, 9, 8, 9, 9, 8, 8];
  return cells.map((c, i) => String(c).padStart(i === 0 ? 0 : widths[i]!).padEnd(i === 0 ? widths[0]! : 0)).join(' ');
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--one') return runOne(argv[1]!, argv[2]!, Number(argv[3]));
  const quick = argv.includes('--quick');
  const timeoutMs = Number(argv[argv.indexOf('--timeout-ms') + 1] ?? 0) || 10_000;
  const filter = argv.includes('--filter') ? argv[argv.indexOf('--filter') + 1]! : '';
  const repeat = argv.includes('--repeat') ? Math.max(1, Number(argv[argv.indexOf('--repeat') + 1]) || 1) : 1;
  const porcupine = process.env.PORCUPINE_BIN;
  const dir = mkdtempSync(join(tmpdir(), 'zooproof-checker-bench-'));
  const gaveUp = new Set<string>();
  process.stdout.write(`checker benchmark: per-case budget ${timeoutMs} ms, best of ${repeat}; histories in ${dir}${argv.includes('--keep') ? '' : ' (removed at the end)'}\n`);
  process.stdout.write(`${row(['case', 'verdict', 'ms', 'peak MB', ...(porcupine ? ['porc', 'porc ms', 'porc MB', 'speedup'] : [])])}\n`);
  for (const c of allCases(quick).filter((x) => caseName(x).includes(filter))) {
    const family = caseName({ ...c, ops: 0 });
    if (gaveUp.has(family)) {
      process.stdout.write(`${row([caseName(c), 'skipped: a smaller history of this shape was already unknown'])}\n`);
      continue;
    }
    const files = generate(c, dir);
    const ours = await fastest(repeat, () => measureOurs(files.jsonl, c.model, timeoutMs));
    const cells: Array<string | number> = [caseName(c), ours.verdict, ours.checkMs, ours.peakMb];
    let theirs: Measure | undefined;
    if (porcupine) {
      theirs = await fastest(repeat, () => measurePorcupine(porcupine, files.porcupine, timeoutMs));
      const speedup = ours.verdict === 'valid' && theirs.verdict === 'valid' ? `${(theirs.checkMs / Math.max(1, ours.checkMs)).toFixed(2)}x` : '-';
      cells.push(theirs.verdict, theirs.checkMs, theirs.peakMb, speedup);
    }
    if (ours.verdict !== 'valid' && (theirs === undefined || theirs.verdict !== 'valid')) gaveUp.add(family);
    process.stdout.write(`${row(cells)}\n`);
  }
  if (!argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}

await main(process.argv.slice(2));
