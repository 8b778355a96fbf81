// What every checker returns, and the budget it runs under.

export type Verdict = 'valid' | 'invalid' | 'unknown';

export interface CheckResult {
  /** The checker's name (`linearizable:cas-register`, `set`, `zk-sequential`, …). */
  checker: string;
  verdict: Verdict;
  /** One or two sentences a human reads first. */
  summary: string;
  /** Checker-specific evidence, JSON-serialisable. */
  details: unknown;
}

/**
 * Time and memory limits, injected so the checkers stay free of clocks and
 * process state. `now()` is any monotonic millisecond clock.
 */
export interface Budget {
  now(): number;
  /** Absolute deadline on the `now()` scale; Infinity for none. */
  deadlineMs: number;
  /** Upper bound on the checker's own bookkeeping (memo tables), estimated in bytes. */
  maxMemoryBytes: number;
  /** Optional probe of real memory in use (e.g. the heap), checked against `maxMemoryBytes` too. */
  memoryUsedBytes?: () => number;
}

export const UNLIMITED: Budget = { now: () => 0, deadlineMs: Infinity, maxMemoryBytes: Infinity };

export type ExhaustedReason = 'timeout' | 'memory';
