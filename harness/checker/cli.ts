// `zooproof check <history>... --model <name>[,<name>…] [--format F]
// [--initial-value JSON] [--jobs N] [--write-edn out.edn] [--timeout-ms N]
// [--max-memory-mb N] [--json]`: the checker's command line.
// Exit 0 all valid, 1 any invalid, 2 any unknown (none invalid), 254 bad
// arguments or unreadable input (no such file, malformed, values nested past
// MAX_NESTING_DEPTH, bytes that cannot be kept exactly). Reading and parsing
// spend from the same time and memory budget as checking: a file that
// exhausts it while loading gets `unknown` (exit 2), as a checker would.
// Several files are spread over worker threads (check-pool.ts); verdicts are
// printed in input order all the same.
//
// The pure-core lint rule bans clocks and `process` under harness/checker;
// this file (with check-file.ts, check-pool.ts and check-worker.ts) is the
// sanctioned exception: it passes a clock and a heap probe into the checkers.
/* eslint-disable no-restricted-globals, no-restricted-imports -- the checker's single I/O boundary */
import { CommanderError } from 'commander';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { EXIT_BAD_ARGS, newProgram } from '../cli.ts';
import { formatEdnHistory } from '../history/edn.ts';
import { HISTORY_FILE_FORMATS, type HistoryFileFormat } from '../history/read.ts';
import { checkersFor, checkFile, loadFile, type CheckSpec, type FileResult } from './check-file.ts';
import { checkFilesInParallel } from './check-pool.ts';
import { checkerNames } from './registry.ts';
import type { Verdict } from './types.ts';

interface Options {
  model?: string;
  format?: HistoryFileFormat;
  initialValue?: unknown;
  jobs: number;
  writeEdn?: string;
  timeoutMs: number;
  maxMemoryMb: number;
  json: boolean;
}

export const EXIT_CODE: Record<Verdict, number> = { valid: 0, invalid: 1, unknown: 2 };

function badArg(message: string): CommanderError {
  return new CommanderError(EXIT_BAD_ARGS, 'bad-arg', message);
}

function positiveInt(name: string) {
  return (s: string): number => {
    const n = Number(s);
    if (!Number.isSafeInteger(n) || n <= 0) throw badArg(`${name} must be a positive integer, got '${s}'`);
    return n;
  };
}

function jsonValue(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    throw badArg(`--initial-value must be JSON (e.g. 0, '""', null, '{"x":0}'), got '${s}'`);
  }
}

function formatName(s: string): HistoryFileFormat {
  if (!(HISTORY_FILE_FORMATS as readonly string[]).includes(s)) throw badArg(`--format must be one of ${HISTORY_FILE_FORMATS.join(', ')}, got '${s}'`);
  return s as HistoryFileFormat;
}

function print(file: string, r: FileResult, json: boolean): void {
  if (json) {
    const line = r.result
      ? { file, verdict: r.result.verdict, checkMs: r.checkMs, checker: r.result.checker, summary: r.result.summary, details: r.result.details }
      : { file, verdict: 'unreadable', checkMs: r.checkMs, error: r.error };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } else if (r.result) {
    process.stdout.write(`${file}: ${r.result.verdict.toUpperCase()} (${r.checkMs} ms) ${r.result.summary}\n`);
  } else {
    process.stderr.write(`zooproof check: ${file}: ${r.error}\n`);
  }
}

function parse(args: string[]): { files: string[]; options: Options } {
  const program = newProgram('check')
    .description('check recorded histories (zooproof JSONL, Jepsen/Knossos EDN, Jepsen text logs, Porcupine JSON operations)')
    .argument('<history...>', 'history files')
    .option('--model <name>', `model or checker, comma-separated to compose: ${checkerNames().join(', ')}`)
    .option('--format <format>', `input format, detected when not given: ${HISTORY_FILE_FORMATS.join(', ')}`, formatName)
    .option('--initial-value <json>', 'the models\' initial state (default: null; kv: ""; Porcupine\'s registers start at "" or 0)', jsonValue)
    .option('--jobs <n>', 'worker threads for several files (at most the number of cores)', positiveInt('--jobs'), availableParallelism())
    .option('--write-edn <path>', 'write the (one) history as Jepsen EDN, one op map per line; without --model, only convert')
    .option('--timeout-ms <n>', 'time budget per file', positiveInt('--timeout-ms'), 60_000)
    .option('--max-memory-mb <n>', 'memory budget per file (capped at 80% of the V8 heap limit)', positiveInt('--max-memory-mb'), 2048)
    .option('--json', 'one JSON object per file', false);
  program.parse(args, { from: 'user' });
  const options = program.opts<Options>();
  if (options.model === undefined && options.writeEdn === undefined) throw badArg(`required option '--model <name>' not specified`);
  if (options.writeEdn !== undefined && program.args.length !== 1) throw badArg('--write-edn takes exactly one history file');
  return { files: program.args, options };
}

function specOf(o: Options): CheckSpec {
  return { model: o.model ?? '', timeoutMs: o.timeoutMs, maxMemoryMb: o.maxMemoryMb, format: o.format, initialValue: o.initialValue };
}

async function writeEdn(file: string, out: string, spec: CheckSpec): Promise<number> {
  const loaded = await loadFile(file, spec);
  if (loaded.history === undefined) {
    process.stderr.write(`zooproof check: ${file}: ${loaded.error ?? loaded.stopped?.summary}\n`);
    return loaded.error !== undefined ? EXIT_BAD_ARGS : EXIT_CODE.unknown;
  }
  writeFileSync(out, formatEdnHistory(loaded.history));
  return 0;
}

/** Checks every file, spread over worker threads too when there are several; results in input order. */
async function checkAll(files: string[], spec: CheckSpec, jobs: number): Promise<FileResult[]> {
  const checkers = checkersFor(spec);
  const results: FileResult[] = new Array(files.length);
  const threads = Math.min(jobs, availableParallelism(), files.length);
  await checkFilesInParallel(files, spec, threads, (file) => checkFile(file, checkers, spec), (i, r) => { results[i] = r; });
  return results;
}

export async function checkCommand(args: string[]): Promise<number> {
  let files: string[], options: Options, spec: CheckSpec;
  try {
    ({ files, options } = parse(args));
    spec = specOf(options);
    if (options.model !== undefined) checkersFor(spec);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'bad-arg') process.stderr.write(`zooproof check: ${err.message}\n`);
      return err.exitCode === 0 ? 0 : EXIT_BAD_ARGS;
    }
    if (err instanceof RangeError) {
      process.stderr.write(`zooproof check: ${err.message}\n`);
      return EXIT_BAD_ARGS;
    }
    throw err;
  }
  if (options.writeEdn !== undefined) {
    const code = await writeEdn(files[0]!, options.writeEdn, spec);
    if (code !== 0 || options.model === undefined) return code;
  }
  const results = await checkAll(files, spec, options.jobs);
  let worst = 0, unreadable = false;
  files.forEach((file, i) => {
    const r = results[i]!;
    print(file, r, options.json);
    if (r.result) worst = Math.max(worst, r.result.verdict === 'invalid' ? 2 : r.result.verdict === 'unknown' ? 1 : 0);
    else unreadable = true;
  });
  if (unreadable) return EXIT_BAD_ARGS;
  return worst === 2 ? EXIT_CODE.invalid : worst === 1 ? EXIT_CODE.unknown : EXIT_CODE.valid;
}
