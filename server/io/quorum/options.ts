// The driver's settings, and how they come from a parsed zoo.cfg.
import type { QuorumServer, ZooConfig } from '../../config/types.ts';
import type { FaultyDisk } from '../../storage/faulty-disk.ts';
import type { PlantedBugSet } from '../../bugs/catalog.ts';
import type { ZabConfig } from '../../zab/config.ts';
import { DEFAULT_MAX_BUFFER_BYTES } from '../../wire/framing.ts';

export interface QuorumDriverOptions {
  readonly myId: number;
  /** Every server.N line (participants and observers), this server's included. */
  readonly servers: readonly QuorumServer[];
  readonly tickTimeMs: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly dataDir: string;
  readonly dataLogDir: string;
  readonly preAllocSizeBytes?: number;
  /** Txns between periodic snapshots (zookeeper.snapCount, randomized as ZooKeeper does). */
  readonly snapCount?: number;
  /** Largest data buffer in a quorum packet (jute.maxbuffer); default 0xfffff. */
  readonly juteMaxBufferBytes?: number;
  /** Largest snapshot accepted on a SNAP stream; default 1 GiB. */
  readonly maxSnapshotBytes?: number;
  /** zookeeper.commitLogCount; default 500. */
  readonly commitLogCount?: number;
  /** zookeeper.snapshotSizeFactor (DIFF from the txn log up to this x the snapshot size; < 0: never); default 0.33. */
  readonly snapshotSizeFactor?: number;
  /** quorumListenOnAllIPs: bind 0.0.0.0 instead of this server's host. */
  readonly listenOnAllIPs?: boolean;
  readonly trustEmptySnapshot?: boolean;
  /** Election timing and test hooks passed to the Zab core. */
  readonly zab?: Partial<Pick<ZabConfig,
    'minNotificationIntervalMs' | 'maxNotificationIntervalMs' | 'finalizeWaitMs' | 'testingInitialZxidCounter'>>;
  /** Planted bugs (server/bugs/catalog.ts, docs/planted-bugs.md) for the Zab core; absent or empty: correct. */
  readonly plantedBugs?: PlantedBugSet;
  /** The disk to use; default a FaultyDisk over NodeDisk, driven by ZOOPROOF_FAULTS_FILE. */
  readonly disk?: FaultyDisk;
  readonly log: (msg: string) => void;
}

export const QUORUM_DEFAULTS = {
  snapCount: 100_000,
  juteMaxBufferBytes: DEFAULT_MAX_BUFFER_BYTES,
  maxSnapshotBytes: 1024 * 1024 * 1024,
  commitLogCount: 500,
  snapshotSizeFactor: 0.33,
  /** QuorumCnxManager's cnxTimeout. */
  connectTimeoutMs: 5000,
  electionBackoffMinMs: 100,
  electionBackoffMaxMs: 2000,
  /** Learner.LeaderConnector (3.8): leaderConnectDelayDuringRetryMs between dials to the leader... */
  leaderRetryIntervalMs: 100,
  /** ...and at most 5 dials (all within initLimit ticks), then LOOKING again. */
  leaderMaxDialTries: 5,
  /** Unsent bytes allowed to a learner before it is dropped as too slow. */
  maxUnsentBytes: 64 * 1024 * 1024,
} as const;

export function quorumOptionsFromConfig(config: ZooConfig, log: (msg: string) => void): QuorumDriverOptions {
  if (config.serverId === undefined) throw new RangeError('quorum mode needs a server id (dataDir/myid)');
  return {
    myId: config.serverId,
    servers: config.servers,
    tickTimeMs: config.tickTimeMs,
    initLimit: config.initLimit,
    syncLimit: config.syncLimit,
    dataDir: config.dataDir,
    dataLogDir: config.dataLogDir,
    preAllocSizeBytes: config.preAllocSizeBytes,
    snapCount: config.snapCount,
    juteMaxBufferBytes: config.juteMaxBufferBytes,
    commitLogCount: config.commitLogCount,
    snapshotSizeFactor: config.snapshotSizeFactor,
    listenOnAllIPs: config.quorumListenOnAllIPs,
    log,
  };
}
