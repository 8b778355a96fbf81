// The plain data the four-letter-word renderers read: a snapshot of the
// server's state taken by the caller (server/io) when a command arrives.
// Times are milliseconds; session ids are bigint (all 64 bits are used).

/** ServerStats.getServerState(): ZooKeeperServer.getState() of the running server. */
export type ServerMode = 'standalone' | 'leader' | 'follower' | 'observer' | 'read-only';

/** ZAB phase of a quorum peer (QuorumPeer.ZabState), shown by mntr as peer_state. */
export type ZabState = 'election' | 'discovery' | 'synchronization' | 'broadcast';

/** A latency counter (ServerStats / ServerCnxn): count and sum give the average. */
export interface LatencyStats {
  readonly count: number;
  readonly totalMs: number;
  /** Ignored while count is 0 (ZooKeeper prints 0). */
  readonly minMs: number;
  readonly maxMs: number;
}

export const NO_LATENCY: LatencyStats = { count: 0, totalMs: 0, minMs: 0, maxMs: 0 };

/** One client connection, as ServerCnxn.dumpConnectionInfo prints it. */
export interface ConnectionSnapshot {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** NIO interest ops: 1 = read, 4 = write; 0 for the connection asking a four-letter word. */
  readonly interestOps: number;
  /** Requests received and not yet answered. */
  readonly queued: number;
  readonly packetsReceived: number;
  readonly packetsSent: number;
  /** 0n until the session is established (then only the brief fields are printed). */
  readonly sessionId: bigint;
  /** FinalRequestProcessor's short name of the last operation (see lastOpName); 'NA' at first. */
  readonly lastOp: string;
  /** Wall-clock time the connection was established. */
  readonly establishedMs: number;
  readonly sessionTimeoutMs: number;
  /** -1 = no request yet (then lcxid is not printed). */
  readonly lastCxid: number;
  /** -1 = none yet (printed as 0xffffffffffffffff, as ZooKeeper). */
  readonly lastZxid: number;
  /** ZooKeeper prints an elapsed (monotonic) time here, not a date. */
  readonly lastResponseTimeMs: number;
  readonly lastLatencyMs: number;
  readonly latency: LatencyStats;
  /** Wall-clock time the connection's expiry bucket ends (NIOServerCnxnFactory), for dump. */
  readonly expiresAtMs: number;
}

export interface SessionSnapshot {
  readonly sessionId: bigint;
  readonly timeoutMs: number;
  /** Wall-clock end of the session's expiry bucket (SessionTrackerImpl), for dump. */
  readonly expiresAtMs: number;
}

export interface EphemeralsSnapshot {
  readonly sessionId: bigint;
  readonly paths: readonly string[];
}

/** One data watch (exists / getData): the unit wchs, wchc and wchp count. */
export interface WatchSnapshot {
  readonly path: string;
  readonly sessionId: bigint;
}

/** `last/min/max` sizes in bytes; -1 when nothing was measured (BufferStats). */
export interface BufferSizes {
  readonly last: number;
  readonly min: number;
  readonly max: number;
}

export const NO_BUFFER_SIZES: BufferSizes = { last: -1, min: -1, max: -1 };

/** A server.N entry as `conf` prints it under `membership:`. */
export interface MemberSnapshot {
  readonly id: number;
  readonly host: string;
  readonly quorumPort: number;
  readonly electionPort: number;
  readonly type: 'participant' | 'observer';
  /** Printed only when the server.N line itself gives a client address. */
  readonly clientHost?: string;
  readonly clientPort?: number;
}

/** What `conf` prints (ZooKeeperServer.dumpConf and its quorum overrides). */
export interface ConfSnapshot {
  /** The bound client port; -1 if none. */
  readonly clientPort: number;
  /** -1: TLS is not implemented. */
  readonly secureClientPort: number;
  /** Absolute snapshot directory (ZooKeeper prints dataDir/version-2). */
  readonly dataDir: string;
  readonly dataDirSizeBytes: number;
  readonly dataLogDir: string;
  readonly dataLogSizeBytes: number;
  readonly tickTimeMs: number;
  readonly maxClientCnxns: number;
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  readonly clientPortListenBacklog: number;
  /** 0 when standalone (as ZooKeeper), else myid. */
  readonly serverId: number;
  /** For leader, follower, observer and read-only servers. */
  readonly quorum?: {
    readonly initLimit: number;
    readonly syncLimit: number;
    readonly electionAlg: number;
    readonly electionPort: number;
    readonly quorumPort: number;
    readonly peerType: 'participant' | 'observer';
    /** Not printed by a read-only server. */
    readonly membership?: readonly MemberSnapshot[];
    /** Configuration version (hex in the output); 0 for a static config. */
    readonly configVersion: number;
  };
}

/** Leader-only gauges of mntr (LeaderZooKeeperServer.registerMetrics). */
export interface LeaderSnapshot {
  readonly learners: number;
  readonly syncedFollowers: number;
  readonly syncedNonVotingFollowers: number;
  readonly syncedObservers: number;
  readonly pendingSyncs: number;
  readonly leaderUptimeMs: number;
  readonly proposalSizes: BufferSizes;
}

export interface QuorumSnapshot {
  readonly zabState: ZabState;
  /** Number of voting members. */
  readonly quorumSize: number;
  readonly leader?: LeaderSnapshot;
  /** Observer only: the id of the server it follows. */
  readonly observerMasterId?: number;
}

export interface ServerSnapshot {
  /** False while the server is not running (no quorum, starting, shutting down). */
  readonly serving: boolean;
  /** Version.getFullVersion(), e.g. `3.8.0-zooproof, built on 2025-01-01 00:00 UTC`. */
  readonly version: string;
  readonly mode: ServerMode;
  readonly lastProcessedZxid: number;
  readonly nodeCount: number;
  readonly latency: LatencyStats;
  readonly packetsReceived: number;
  readonly packetsSent: number;
  readonly outstandingRequests: number;
  /** Every open client connection, including the one asking (ZooKeeper lists it too). */
  readonly connections: readonly ConnectionSnapshot[];
  readonly sessions: readonly SessionSnapshot[];
  /** Expiry buckets still held with nothing in them (dump prints `0 expire at ...`). */
  readonly emptySessionBucketsMs?: readonly number[];
  readonly emptyConnectionBucketsMs?: readonly number[];
  readonly ephemerals: readonly EphemeralsSnapshot[];
  /** Data watches in registration order; ZooKeeper's wchs/wchc/wchp show only these. */
  readonly dataWatches: readonly WatchSnapshot[];
  /** Child watches: counted by mntr's zk_watch_count only. */
  readonly childWatchCount: number;
  readonly approximateDataSizeBytes: number;
  readonly uptimeMs: number;
  /** -1 or undefined when unknown (ZooKeeper prints -1 off Unix). */
  readonly openFileDescriptorCount?: number;
  readonly maxFileDescriptorCount?: number;
  readonly clientResponseSizes?: BufferSizes;
  readonly authFailedCount?: number;
  readonly conf: ConfSnapshot;
  /** `envi` lines after zookeeper.version, in order (see nodeEnvironment). */
  readonly environment: readonly (readonly [string, string])[];
  /** ZooTrace text trace mask (gtmk); ZooKeeper's default is 306. */
  readonly traceMask?: number;
  /** `hash`: the recent digests, oldest first. */
  readonly digestLog?: readonly { readonly zxid: number; readonly digest: bigint }[];
  readonly quorum?: QuorumSnapshot;
  /** Planted bugs this server runs with (server/bugs/catalog.ts); absent or empty for a correct server. */
  readonly plantedBugs?: readonly string[];
  /** More `mntr` lines (key without `zk_`), appended after the gauges. */
  readonly extraMetrics?: readonly (readonly [string, number | string])[];
}
