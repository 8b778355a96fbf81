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
  /**
   * What the checker found, typed so the report can point at operations.
   * Absent when the checker (or an old results.json) gives none; an empty
   * list when it looked and found nothing. At most MAX_FINDINGS entries.
   */
  findings?: Finding[];
}

/** One finding: a violation (the default) or a note (an excused anomaly, an outage window). */
export interface Finding {
  /** Stable kebab-case code: `lost`, `duplicated`, `stale-read`, `double-holder`, `not-linearizable`, … */
  code: string;
  message: string;
  severity?: 'violation' | 'note';
  /** History event indices (HistoryEvent.index) involved, the most telling first. */
  events?: number[];
  /** Operation ids (Operation.id) involved. */
  ops?: number[];
  node?: string;
  /** 1-based line in that node's server.log (log-derived findings). */
  logLine?: number;
  path?: string;
  /** Monotonic nanoseconds since the run began. */
  timeNs?: number;
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
