// Bounds on reading a history: how deep its values may nest, and the budget
// (time and memory, as the checkers') that reading and parsing count against.
import { HistoryBudgetError } from './errors.ts';

/**
 * The deepest nesting of arrays, objects (EDN: lists, vectors, maps, sets and
 * tagged literals) a history value may have. Real histories nest a handful of
 * levels; the bound keeps every later walk of a value (checkers, reports,
 * JSON.stringify) far from the stack limit. Deeper input is refused (TOO_DEEP).
 */
export const MAX_NESTING_DEPTH = 1000;

/** Structurally the checkers' Budget: reading a file spends from the same one. */
export interface LoadBudget {
  now(): number;
  /** Absolute deadline on the `now()` scale; Infinity for none. */
  deadlineMs: number;
  maxMemoryBytes: number;
  /** Probe of memory in use (heap and array buffers), compared with `maxMemoryBytes`. */
  memoryUsedBytes?: () => number;
}

export const NO_LOAD_BUDGET: LoadBudget = { now: () => 0, deadlineMs: Infinity, maxMemoryBytes: Infinity };

/** Throws HistoryBudgetError when the deadline has passed or memory in use is over the budget. */
export function checkLoadBudget(budget: LoadBudget, bytesRead: number, sizeBytes: number): void {
  if (budget.now() > budget.deadlineMs) throw new HistoryBudgetError('timeout', bytesRead, sizeBytes);
  const used = budget.memoryUsedBytes?.();
  if (used !== undefined && used > budget.maxMemoryBytes) throw new HistoryBudgetError('memory', bytesRead, sizeBytes, used);
}

/**
 * True when JSON text nests deeper than `maxDepth` (brackets inside strings
 * do not count). A scan, no allocation: it runs before JSON.parse, whose
 * nesting stack would otherwise grow with the input.
 */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  if (text.length <= maxDepth) return false;
  let depth = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
