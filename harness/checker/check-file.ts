// Checks one history file: read it (any supported format), run the named
// checkers, and return a plain, cloneable result. Shared by `zooproof check`
// in its own thread and by its worker threads (check-worker.ts).
//
// Like cli.ts, an I/O boundary of the checker: it passes a clock and a heap
// probe into the checkers.
/* eslint-disable no-restricted-properties, no-restricted-imports -- the checker's I/O boundary, with cli.ts */
import { getHeapStatistics } from 'node:v8';
import { HistoryBudgetError, HistoryFormatError } from '../history/errors.ts';
import { readHistoryFile, type HistoryFileFormat } from '../history/read.ts';
import type { History } from '../history/types.ts';
import { checkInput, compose, type Checker } from './compose.ts';
import { modelNamed, withInitialValue } from './models/index.ts';
import { checkersNamed, linearizabilityChecker } from './registry.ts';
import type { Budget, CheckResult } from './types.ts';

/** What a file is checked with; plain data, so it crosses to a worker thread. */
export interface CheckSpec {
  /** `--model`: comma-separated models and checkers. */
  model: string;
  timeoutMs: number;
  maxMemoryMb: number;
  format?: HistoryFileFormat;
  /** `--initial-value`, parsed JSON; `undefined` = each model's own. */
  initialValue?: unknown;
}

export interface FileResult {
  result?: CheckResult;
  /** The file could not be read: a one-line reason. */
  error?: string;
  checkMs: number;
  /** The worker thread that checked the file (absent: the main thread). */
  threadId?: number;
}

/** The memory budget never exceeds 80% of V8's heap limit, so the budget trips before an out-of-memory crash. */
const HEAP_SHARE = 0.8;

function budgetFor(s: CheckSpec): Budget {
  const now = () => performance.now();
  const maxMemoryBytes = Math.min(s.maxMemoryMb * 1024 * 1024, HEAP_SHARE * getHeapStatistics().heap_size_limit);
  // This isolate's heap plus its external memory (array buffers): per thread, so each worker
  // has its own budget; and ~1.5 µs a probe against ~18 µs for process.memoryUsage(), which
  // also reads the RSS and was a tenth of the search's time on Porcupine's kv histories.
  const memoryUsedBytes = () => {
    const h = getHeapStatistics();
    return h.used_heap_size + h.external_memory;
  };
  return { now, deadlineMs: now() + s.timeoutMs, maxMemoryBytes, memoryUsedBytes };
}

/** The checkers `spec` names, models started from `--initial-value` when given. Throws RangeError. */
export function checkersFor(spec: CheckSpec): Checker[] {
  if (spec.initialValue === undefined) return checkersNamed(spec.model);
  const names = spec.model.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return names.flatMap((name) => {
    const model = modelNamed(name);
    if (model === undefined) throw new RangeError(`--initial-value needs a model, and '${name}' is a workload checker or unknown`);
    return [linearizabilityChecker(withInitialValue(model, spec.initialValue))];
  });
}

function loadStopped(err: HistoryBudgetError): CheckResult {
  return {
    checker: 'load', verdict: 'unknown', summary: err.message,
    details: { reason: err.reason, bytesRead: err.bytesRead, sizeBytes: err.sizeBytes, memoryUsedBytes: err.memoryUsedBytes },
  };
}

/** Reads `file`; an unreadable file comes back as `{ error }`, a budget that ran out as an `unknown` result. */
export async function loadFile(file: string, spec: CheckSpec, budget: Budget = budgetFor(spec)): Promise<{ history?: History; stopped?: CheckResult; error?: string }> {
  try {
    return { history: await readHistoryFile(file, budget, spec.format) };
  } catch (err) {
    if (err instanceof HistoryBudgetError) return { stopped: loadStopped(err) };
    if (err instanceof HistoryFormatError) return { error: err.message };
    throw err;
  }
}

export async function checkFile(file: string, checkers: Checker[], spec: CheckSpec): Promise<FileResult> {
  const started = performance.now();
  const budget = budgetFor(spec);
  const loaded = await loadFile(file, spec, budget);
  const elapsed = () => Math.round(performance.now() - started);
  if (loaded.error !== undefined) return { error: loaded.error, checkMs: elapsed() };
  if (loaded.stopped !== undefined) return { result: loaded.stopped, checkMs: elapsed() };
  const result = compose(checkers, checkInput(loaded.history!), budget);
  return { result, checkMs: elapsed() };
}
