// The parsed configuration: ZooKeeper 3.8's zoo.cfg keys, with defaults
// applied and derived values (effective session timeouts, standalone) resolved.

export type PeerType = 'participant' | 'observer';

/** One `server.N=host:quorumPort:electionPort[:type][;[clientHost:]clientPort]` line. */
export interface QuorumServer {
  readonly id: number;
  /** Host name or address, without IPv6 brackets. */
  readonly host: string;
  readonly quorumPort: number;
  readonly electionPort: number;
  readonly type: PeerType;
  /** Client address; `0.0.0.0` when the line gives only a port (as ZooKeeper). */
  readonly clientHost?: string;
  readonly clientPort?: number;
}

export interface ZooConfig {
  /** The name used in messages (the path given to loadConfig). */
  readonly fileName: string;
  readonly tickTimeMs: number;
  /** In ticks. 0 = not set (allowed only when standalone). */
  readonly initLimit: number;
  /** In ticks. 0 = not set (allowed only when standalone). */
  readonly syncLimit: number;
  readonly dataDir: string;
  /** Defaults to dataDir. */
  readonly dataLogDir: string;
  /** The port clients connect to; undefined if neither clientPort nor this server's line sets one. */
  readonly clientPort: number | undefined;
  /** Address to bind the client port on; undefined = all addresses. */
  readonly clientPortAddress: string | undefined;
  /** Accepted, never served (TLS is not implemented). */
  readonly secureClientPort: number | undefined;
  /** -1 = the OS default. */
  readonly clientPortListenBacklog: number;
  /** Per client IP; 0 = unlimited. */
  readonly maxClientCnxns: number;
  /** Effective: 2 x tickTime unless set. */
  readonly minSessionTimeoutMs: number;
  /** Effective: 20 x tickTime unless set. */
  readonly maxSessionTimeoutMs: number;
  /** Transactions between snapshots (zookeeper.snapCount); at least 2. */
  readonly snapCount: number;
  /** Committed txns the leader keeps in memory for DIFF (-Dzookeeper.commitLogCount); unset: 500. */
  readonly commitLogCount?: number;
  /** -Dzookeeper.snapshotSizeFactor: DIFF from the txn log up to this x the snapshot size; negative: never; unset: 0.33. */
  readonly snapshotSizeFactor?: number;
  /** Snapshots kept by autopurge; at least 3. */
  readonly autopurgeSnapRetainCount: number;
  /** 0 (or less) = autopurge off. */
  readonly autopurgePurgeIntervalHours: number;
  /** Enabled four-letter words, `srvr` always, `isro` when read-only mode is on. */
  readonly fourLetterWordWhitelist: ReadonlySet<string>;
  /** Largest accepted frame (jute.maxbuffer). */
  readonly juteMaxBufferBytes: number;
  /** zookeeper.globalOutstandingLimit: client requests in flight before connections are throttled (a learner divides it by voters - 1). */
  readonly globalOutstandingLimit: number;
  /** TTL nodes (and server ids <= 254). */
  readonly extendedTypesEnabled: boolean;
  /** `super:<base64 sha1>`, or undefined. */
  readonly superDigest: string | undefined;
  readonly containerCheckIntervalMs: number;
  readonly containerMaxPerMinute: number;
  readonly readOnlyModeEnabled: boolean;
  readonly peerType: PeerType;
  readonly standaloneEnabled: boolean;
  readonly reconfigEnabled: boolean;
  /** forceSync=yes: fsync the transaction log before acknowledging. */
  readonly forceSync: boolean;
  /** Transaction log preallocation (preAllocSize is in KiB); 0 = none. */
  readonly preAllocSizeBytes: number;
  /** Always 3 (fast leader election); ZooKeeper 3.8 refuses any other value. */
  readonly electionAlg: number;
  readonly quorumListenOnAllIPs: boolean;
  /** `metricsProvider.*` keys (prefix removed): accepted and ignored. */
  readonly metricsProvider: ReadonlyMap<string, string>;
  /** The server.N lines, sorted by id. */
  readonly servers: readonly QuorumServer[];
  /** No quorum: no server.N lines, or one participant with standaloneEnabled. */
  readonly standalone: boolean;
  /** From dataDir/myid (set by loadConfig / applyMyid); undefined before that or if absent. */
  readonly serverId: number | undefined;
  /** Every key and value as read (trimmed; the last of a repeated key). */
  readonly properties: ReadonlyMap<string, string>;
  /** Non-fatal findings, one line each, for the caller to print. */
  readonly warnings: readonly string[];
}
