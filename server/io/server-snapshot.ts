// Takes the ServerSnapshot the four-letter-word renderers read, from the
// running standalone server. Counters the pipeline does not keep are zero.
import os from 'node:os';
import { environmentEntries, lastOpName } from '../admin/index.ts';
import { confSnapshotOf } from '../admin/render-conf.ts';
import type { QuorumSnapshot, ServerMode, ServerSnapshot } from '../admin/snapshot.ts';
import { NO_PLANTED_BUGS, type PlantedBugSet } from '../bugs/catalog.ts';
import type { ZooConfig } from '../config/types.ts';
import type { ServerOptions, ZooKeeperServer } from '../core/zk-server.ts';

export const SERVER_VERSION = '3.8.0-zooproof-0.1.0, built on 2026-11-22 00:00 UTC';

/** What the four-letter words need from a quorum peer (QuorumPeerDriver satisfies it). */
export interface QuorumView {
  readonly state: 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';
  readonly learnerCount: number;
  readonly syncedFollowerCount: number;
  readonly syncedObserverCount: number;
  readonly pendingSyncs: number;
  /** Zab's lastProcessedZxid: on an established leader at least its new epoch's marker (epoch << 32). */
  readonly lastZxid: number;
}

/**
 * ZooKeeper's leader sets its tree's lastProcessedZxid to the new epoch's
 * marker when it starts serving (Leader.startZkServer), so srvr shows
 * 0x<epoch>00000000 before any write of that epoch. The tree here keeps the
 * last applied txn's zxid; the marker is taken from Zab for display only.
 */
function lastProcessedZxidOf(zk: ZooKeeperServer, quorum: QuorumView | null): number {
  if (quorum === null || quorum.state !== 'LEADING' || zk.role !== 'leader') return zk.lastZxid;
  return Math.max(zk.lastZxid, quorum.lastZxid);
}

function modeOf(zk: ZooKeeperServer): ServerMode {
  return zk.role === 'down' ? 'standalone' : zk.role;
}

function quorumOf(q: QuorumView, config: ZooConfig, startedMs: number): QuorumSnapshot {
  const voters = config.servers.filter((s) => s.type === 'participant').length;
  const base: QuorumSnapshot = { zabState: q.state === 'LOOKING' ? 'election' : 'broadcast', quorumSize: voters };
  if (q.state !== 'LEADING') return base;
  return { ...base, leader: { learners: q.learnerCount, syncedFollowers: q.syncedFollowerCount, syncedNonVotingFollowers: 0,
    syncedObservers: q.syncedObserverCount, pendingSyncs: q.pendingSyncs, leaderUptimeMs: Date.now() - startedMs,
    proposalSizes: { last: -1, min: -1, max: -1 } } };
}

export function takeSnapshot(zk: ZooKeeperServer, config: ZooConfig, port: number, startedMs: number,
  quorum: QuorumView | null = null, plantedBugs: PlantedBugSet = NO_PLANTED_BUGS): ServerSnapshot {
  const now = Date.now();
  const latency = { count: zk.stats.latencyCount, totalMs: zk.stats.latencyTotalMs, minMs: zk.stats.latencyMinMs,
    maxMs: zk.stats.latencyMaxMs };
  const sessions = zk.tracker.all();
  const timeouts = new Map(sessions.map((s) => [s.id, s]));
  return {
    serving: zk.isServing,
    version: SERVER_VERSION,
    mode: modeOf(zk),
    ...(quorum ? { quorum: quorumOf(quorum, config, startedMs) } : {}),
    ...(plantedBugs.size > 0 ? { plantedBugs: [...plantedBugs].sort() } : {}),
    lastProcessedZxid: lastProcessedZxidOf(zk, quorum),
    nodeCount: zk.tree.nodeCount,
    latency,
    packetsReceived: zk.stats.packetsReceived,
    packetsSent: zk.stats.packetsSent,
    outstandingRequests: zk.outstandingRequests,
    connections: zk.connections().map((c) => ({
      remoteAddress: c.remoteAddress, remotePort: c.remotePort, interestOps: 1, queued: c.queued,
      packetsReceived: c.received, packetsSent: c.sent, sessionId: c.sessionId ?? 0n,
      lastOp: Number.isNaN(c.lastOpCode) ? 'NA' : lastOpName(c.lastOpCode), establishedMs: c.establishedMs,
      sessionTimeoutMs: c.sessionId !== null ? (timeouts.get(c.sessionId)?.timeoutMs ?? 0) : 0,
      lastCxid: c.lastCxid, lastZxid: c.lastZxid, lastResponseTimeMs: 0, lastLatencyMs: 0,
      latency: { count: 0, totalMs: 0, minMs: 0, maxMs: 0 }, expiresAtMs: now,
    })),
    sessions: sessions.map((s) => ({ sessionId: s.id, timeoutMs: s.timeoutMs, expiresAtMs: s.expireAtMs })),
    ephemerals: [...zk.tree.ephemerals].map(([sessionId, paths]) => ({ sessionId, paths: [...paths] })),
    dataWatches: zk.tree.dataWatches.paths().flatMap((path) => zk.tree.dataWatches.watchersOf(path).map((w) => ({
      path, sessionId: zk.sessionOfConnection(w) ?? 0n }))),
    childWatchCount: zk.tree.childWatches.size,
    approximateDataSizeBytes: zk.tree.approximateDataSize(),
    uptimeMs: now - startedMs,
    conf: confSnapshotOf(config, { clientPort: port, dataDirSizeBytes: 0, dataLogSizeBytes: 0 }),
    environment: environmentEntries({
      hostName: os.hostname(), nodeVersion: process.version, execPath: process.execPath, tmpDir: os.tmpdir(),
      osName: os.type(), osArch: os.arch(), osVersion: os.release(), userName: userNameOrUnknown(),
      userHome: os.homedir(), userDir: process.cwd(), memoryFreeBytes: os.freemem(),
      memoryMaxBytes: os.totalmem(), memoryTotalBytes: process.memoryUsage().rss,
    }),
  };
}

/** Java prints `?` for a user with no passwd entry; os.userInfo() throws there (e.g. a harness node run as a bare uid). */
function userNameOrUnknown(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '?';
  }
}

/** The pipeline's options from zoo.cfg; `serverId` is the high byte of new session ids. */
export function serverOptionsOf(config: ZooConfig, serverId: number): ServerOptions {
  return {
    tickTimeMs: config.tickTimeMs,
    minSessionTimeoutMs: config.minSessionTimeoutMs,
    maxSessionTimeoutMs: config.maxSessionTimeoutMs,
    extendedTypesEnabled: config.extendedTypesEnabled,
    superDigest: config.superDigest ?? null,
    containerCheckIntervalMs: config.containerCheckIntervalMs,
    serverId,
  };
}
