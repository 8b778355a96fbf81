// The operation records every zooproof run writes and every checker reads.
// One history = one metadata record + a sequence of events, Jepsen-shaped:
// an `invoke` followed (later) by the same process's `ok`, `fail` or `info`.
// This file is the single source of these types: the harness writes them,
// the checkers read them (see docs/history.md).

/** The history format tag carried by the first line of a JSONL history. */
export const HISTORY_FORMAT = 'zooproof-history/1';

/** `fail`: certainly did not happen. `info`: may or may not have happened, at any time after its invoke. */
export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

/** A client id (non-negative integer) or the fault injector. */
export type Process = number | 'nemesis';

/** A partition key: operations on different keys are checked independently. */
export type Key = string | number;

export interface HistoryEvent {
  /** Position in the history, strictly increasing from 0: the real-time order of events. */
  index: number;
  process: Process;
  type: EventType;
  /** The operation's function: `read`, `write`, `cas`, `create`, `setData`, `watch-event`, … */
  f: string;
  /** The invoke's argument, or the completion's result (a read's value). `null` when none. */
  value: unknown;
  /** Monotonic time in nanoseconds since the run started. */
  time: number;
  /** Optional partition key (Jepsen's `independent` key; a znode path). */
  key?: Key;
  /** The server the client was connected to. */
  node?: string;
  /** The ZooKeeper session id, as a hex string (`0x…`). */
  session?: string;
  /** The reply header's zxid (for a write: the write's zxid; for a read: the server's last processed zxid). */
  zxid?: number;
  /** The error that ended the operation: a ZooKeeper code name (`NONODE`, `CONNECTIONLOSS`) or a message. */
  error?: string;
}

/** The first line of a history: run metadata. Only `format` is required. */
export interface RunMetadata {
  format: typeof HISTORY_FORMAT;
  scenario?: string;
  seed?: number | string;
  /** Wall-clock start, ISO 8601 (for humans only; `time` fields are monotonic). */
  startedAt?: string;
  nodes?: string[];
  /** The workload or model the run was meant for (a default for `zooproof check`). */
  model?: string;
  [extra: string]: unknown;
}

export interface History {
  meta: RunMetadata;
  events: HistoryEvent[];
}

/**
 * Functions whose events stand alone (no invoke): things the client was told,
 * not things it asked for. They are written with type `ok`.
 */
export const NOTIFICATION_FS: ReadonlySet<string> = new Set(['watch-event', 'session-expired']);

/** An invoke paired with its completion. */
export interface Operation {
  /** Dense id in invoke order, 0-based. */
  id: number;
  process: Process;
  f: string;
  /** The invoke's value. */
  input: unknown;
  /** The completion's value; `undefined` when the outcome is unknown (`info` or never completed). */
  output: unknown;
  /** `info` also covers an invoke that never completed before the history ended. */
  status: 'ok' | 'fail' | 'info';
  invokeIndex: number;
  /** Index of the completion; `Infinity` for `info` (it may take effect at any later time). */
  completeIndex: number;
  invokeTimeNs: number;
  /** Time of the completion; `Infinity` for `info`. */
  completeTimeNs: number;
  key?: Key;
  node?: string;
  session?: string;
  zxid?: number;
  error?: string;
}
