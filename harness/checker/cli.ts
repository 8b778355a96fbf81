// `zooproof check <history>... --model <name>[,<name>…] [--timeout-ms N]
// [--max-memory-mb N] [--json]`: the only part of the checker that does I/O.
// Exit 0 all valid, 1 any invalid, 2 any unknown (none invalid), 254 bad
// arguments or unreadable input (no such file, malformed, values nested past
// MAX_NESTING_DEPTH, bytes that cannot be kept exactly). Reading and parsing
// spend from the same time and memory budget as checking: a file that
// exhausts it while loading gets `unknown` (exit 2), as a checker would.
//
// The pure-core lint rule bans clocks and `process` under harness/checker;
// this file is the one sanctioned exception (the issue: "free of I/O apart
// from the CLI"). It passes a clock and a heap probe into the checkers.
/* eslint-disable no-restricted-globals, no-restricted-properties, no-restricted-imports -- the checker's single I/O boundary */
import { CommanderError } from 'commander';
import { getHeapStatistics } from 'node:v8';
import { EXIT_BAD_ARGS, newProgram } from '../cli.ts';
import { HistoryBudgetError, HistoryFormatError } from '../history/errors.ts';
import { readHistoryFile } from '../history/read.ts';
import { checkInput, compose, type Checker } from './compose.ts';
import { checkerNames, checkersNamed } from './registry.ts';
import type { Budget, CheckResult, Verdict } from './types.ts';

interface Options {
  model?: string;
  timeoutMs: number;
  maxMemoryMb: number;
  json: boolean;
}

export const EXIT_CODE: Record<Verdict, number> = { valid: 0, invalid: 1, unknown: 2 };

function positiveInt(name: string) {
  return (s: string): number => {
    const n = Number(s);
    if (!Number.isSafeInteger(n) || n <= 0) throw new CommanderError(EXIT_BAD_ARGS, 'bad-arg', `${name} must be a positive integer, got '${s}'`);
    return n;
  };
}

/** The memory budget never exceeds 80% of V8's heap limit, so the budget trips before an out-of-memory crash. */
const HEAP_SHARE = 0.8;

function budgetFor(o: Options): Budget {
  const now = () => performance.now();
  const maxMemoryBytes = Math.min(o.maxMemoryMb * 1024 * 1024, HEAP_SHARE * getHeapStatistics().heap_size_limit);
  const memoryUsedBytes = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  return { now, deadlineMs: now() + o.timeoutMs, maxMemoryBytes, memoryUsedBytes };
}

function loadStopped(err: HistoryBudgetError): CheckResult {
  return {
    checker: 'load', verdict: 'unknown', summary: err.message,
    details: { reason: err.reason, bytesRead: err.bytesRead, sizeBytes: err.sizeBytes, memoryUsedBytes: err.memoryUsedBytes },
  };
}

async function checkFile(file: string, checkers: Checker[], o: Options): Promise<{ result?: CheckResult; error?: string; checkMs: number }> {
  const started = performance.now();
  const budget = budgetFor(o);
  try {
    const history = await readHistoryFile(file, budget);
    const result = compose(checkers, checkInput(history), budget);
    return { result, checkMs: Math.round(performance.now() - started) };
  } catch (err) {
    const checkMs = Math.round(performance.now() - started);
    if (err instanceof HistoryBudgetError) return { result: loadStopped(err), checkMs };
    if (!(err instanceof HistoryFormatError)) throw err;
    return { error: err.message, checkMs };
  }
}

function print(file: string, r: Awaited<ReturnType<typeof checkFile>>, json: boolean): void {
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
    .description('check recorded histories (JSON Lines or Jepsen EDN)')
    .argument('<history...>', 'history files (.jsonl or .edn)')
    .requiredOption('--model <name>', `model or checker, comma-separated to compose: ${checkerNames().join(', ')}`)
    .option('--timeout-ms <n>', 'time budget per file', positiveInt('--timeout-ms'), 60_000)
    .option('--max-memory-mb <n>', 'memory budget (capped at 80% of the V8 heap limit)', positiveInt('--max-memory-mb'), 2048)
    .option('--json', 'one JSON object per file', false);
  program.parse(args, { from: 'user' });
  return { files: program.args, options: program.opts<Options>() };
}

export async function checkCommand(args: string[]): Promise<number> {
  let files: string[], options: Options, checkers: Checker[];
  try {
    ({ files, options } = parse(args));
    checkers = checkersNamed(options.model ?? '');
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
  let worst = 0, unreadable = false;
  for (const file of files) {
    const r = await checkFile(file, checkers, options);
    print(file, r, options.json);
    if (r.result) worst = Math.max(worst, r.result.verdict === 'invalid' ? 2 : r.result.verdict === 'unknown' ? 1 : 0);
    else unreadable = true;
  }
  if (unreadable) return EXIT_BAD_ARGS;
  return worst === 2 ? EXIT_CODE.invalid : worst === 1 ? EXIT_CODE.unknown : EXIT_CODE.valid;
}
