// Log forensics: Zab's invariants checked on every node's on-disk state after
// a run (txn logs, snapshot names, acceptedEpoch / currentEpoch), against the
// writes the clients saw acknowledged. Inputs are bytes and records, no I/O:
// harness/run/forensics.ts loads them from a cluster directory.

/** One node's `version-2/` directory, as read after the run. */
export interface ForensicsNodeInput {
  node: string;
  /** Txn log files `log.<hex>` (name → bytes); trailing preallocation zeros may be trimmed. */
  logFiles: Record<string, Uint8Array>;
  /** Every `snapshot.<hex>` name present (`.tmp` files and others are ignored). */
  snapshotNames: string[];
  /** The newest snapshot's bytes, when read: its seal is checked and, if broken, the next older name counts. */
  newestSnapshot?: { name: string; bytes: Uint8Array };
  /** null when the file is missing. */
  acceptedEpoch: number | null;
  currentEpoch: number | null;
  /** `currentEpoch.tmp`, which ZooKeeper's start-up takes when currentEpoch is behind the log. */
  currentEpochTmp?: number | null;
  /** Files the loader could not give (too big, unreadable): the node's history is then incomplete. */
  skippedFiles?: { name: string; reason: string }[];
}

/** A sync the cluster observer saw a learner get from its leader. */
export interface SyncEvent {
  node: string;
  kind: 'DIFF' | 'TRUNC' | 'SNAP';
  zxid: number;
  /** On the history's clock (ns since the run started). */
  timeNs: number;
}

/** A client write that ended `ok` with the zxid of its txn. */
export interface AckedWrite {
  opId: number;
  f: string;
  zxid: number;
  /** The node that answered. */
  node?: string;
  /** `0x…` session id. */
  session?: string;
  completeTimeNs: number;
}

export interface ForensicsInput {
  nodes: ForensicsNodeInput[];
  writes: AckedWrite[];
  syncEvents?: SyncEvent[];
  /**
   * How much later than the event a sync's timeNs may be (an observer polling
   * logs stamps a line when it reads it): a TRUNC counts as after an ack only
   * when it is more than this after it. Default 0.
   */
  syncTimeSlackNs?: number;
  /** The voting members (a quorum is a majority of them); default: every node given. Observers log but do not ACK. */
  voters?: string[];
}

export interface ForensicsLimits {
  maxNodes: number;
  maxLogFilesPerNode: number;
  /** Sum of log bytes over every node. */
  maxLogBytesTotal: number;
  /** Txn records decoded over every node. */
  maxRecordsTotal: number;
  maxAckedWrites: number;
  /** Bound on one record (jute.maxbuffer and a little). */
  maxTxnBytes: number;
  /** Findings of one kind listed in the details (all are counted). */
  maxFindingsListedPerKind: number;
}

export const DEFAULT_FORENSICS_LIMITS: ForensicsLimits = {
  maxNodes: 9,
  maxLogFilesPerNode: 1000,
  maxLogBytesTotal: 1024 * 1024 * 1024,
  maxRecordsTotal: 5_000_000,
  maxAckedWrites: 1_000_000,
  maxTxnBytes: 4 * 1024 * 1024,
  maxFindingsListedPerKind: 20,
};

/**
 * What a finding means for the verdict: `invalid` breaks a Zab guarantee,
 * `unknown` stops a check from concluding, `note` is worth reading but is
 * no safety violation (e.g. a node that never caught up).
 */
export type Severity = 'invalid' | 'unknown' | 'note';

export type FindingKind =
  /** Two nodes hold different txns at one zxid. */
  | 'conflicting-txn'
  /** Two nodes that both moved past an epoch recovered different txns of it. */
  | 'divergent-history'
  /** A node's log does not strictly increase (within or across its files). */
  | 'zxid-not-increasing'
  /** The same txn logged again at a zxid the node had logged (Apache 3.8 re-sync): a note. */
  | 'zxid-relogged'
  /** Within one file and one epoch, the counter skips, and no snapshot / SNAP explains it. */
  | 'zxid-gap'
  | 'accepted-epoch-below-current'
  /** The log holds a txn of an epoch above currentEpoch (ZooKeeper refuses to start so). */
  | 'txn-epoch-above-current'
  /** An acknowledged write is absent from a node whose history goes past it. */
  | 'acked-write-missing'
  /** An acknowledged write is held by fewer than a majority of the nodes. */
  | 'acked-write-not-on-quorum'
  /** The txn at an acknowledged zxid is not that write (other session or other type). */
  | 'acked-zxid-other-txn'
  /** A TRUNC to t erased an acknowledged write z > t of t's epoch (ZOOKEEPER-4643's signature). */
  | 'trunc-erased-acked'
  /** An acknowledged write a node never reached (its last zxid is below): availability, not safety. */
  | 'acked-write-lagging'
  | 'unreadable-log'
  | 'skipped-file'
  | 'invalid-snapshot'
  | 'epoch-file-missing'
  | 'over-budget';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  nodes: string[];
  /** Hex zxids involved. */
  zxids: string[];
  /** History operation ids involved. */
  opIds: number[];
  message: string;
}

export interface ForensicsStats {
  nodes: number;
  logFiles: number;
  logBytes: number;
  txnRecords: number;
  /** Distinct zxids held by two or more nodes (each compared against the first holder). */
  zxidsCompared: number;
  ackedWrites: number;
  /** Per node: newest snapshot zxid, last logged zxid, records. */
  perNode: { node: string; snapshotZxid: string | null; lastLoggedZxid: string | null; records: number }[];
}

export interface ForensicsDetails {
  stats: ForensicsStats;
  /** Count per kind (all findings, listed or not). */
  counts: Partial<Record<FindingKind, number>>;
  findings: Finding[];
}
