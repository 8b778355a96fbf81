// The cluster-state timeline a run records beside its history: one record per
// change a poll saw (a node's mode or epoch) and one per fact read from a
// node's log (a sync, an election step, a snapshot, a fatal error). Times are
// on the run's history clock (nanoseconds, the `time` of history events).

/** What `srvr` (and the Db) says a node is doing. */
export type NodeMode =
  | 'leader' | 'follower' | 'observer' | 'standalone' | 'read-only'
  /** Running and not paused, but `srvr` gives no Mode line (electing, syncing) or no answer. */
  | 'not-serving'
  /** The Db says the process is not running. */
  | 'down'
  /** The Db paused it (SIGSTOP / docker pause). */
  | 'paused';

/** Modes in which a node takes part in the ensemble again. */
export const SERVING_MODES: ReadonlySet<NodeMode> = new Set(['leader', 'follower', 'observer', 'standalone']);

export type SyncKind = 'DIFF' | 'TRUNC' | 'SNAP';
export const SYNC_KINDS: readonly SyncKind[] = ['DIFF', 'TRUNC', 'SNAP'];

interface RecordBase {
  /** History clock, ns: when the poll answered or the log line was read. */
  timeNs: number;
  node: string;
}

export interface StateRecord extends RecordBase {
  kind: 'state';
  mode: NodeMode;
  /** Last processed zxid (`0x…`), when `srvr` answered. */
  zxid?: string;
  /** High 32 bits of the zxid. */
  epoch?: number;
}

/** Facts read from a node's log; `line` is the log line they came from (evidence). */
export type LogFact =
  | { kind: 'sync'; side: 'learner' | 'leader'; sync: SyncKind; zxid: string; peerSid?: number; line: string }
  | { kind: 'election'; phase: 'looking'; reason?: string; line: string }
  | { kind: 'election'; phase: 'decided'; role: 'leading' | 'following' | 'observing'; leaderSid?: number; line: string }
  | { kind: 'snapshot'; zxid: string; line: string }
  | { kind: 'fatal'; message: string; line: string };

export type SyncRecord = RecordBase & Extract<LogFact, { kind: 'sync' }> & { peer?: string };
export type ElectionRecord = RecordBase & Extract<LogFact, { kind: 'election' }>;
export type SnapshotRecord = RecordBase & Extract<LogFact, { kind: 'snapshot' }>;
export type FatalRecord = RecordBase & Extract<LogFact, { kind: 'fatal' }>;

export type ClusterStateRecord = StateRecord | SyncRecord | ElectionRecord | SnapshotRecord | FatalRecord;

/** Zxid text as logged (`0x2000002d0`, any case, any padding) to the canonical `0x…` lowercase form. */
export function canonicalZxid(text: string): string {
  return `0x${BigInt(text).toString(16)}`;
}

/** The epoch (high 32 bits) of a zxid given as `0x…` text. */
export function epochOfZxid(zxid: string): number {
  return Number(BigInt(zxid) >> 32n);
}
