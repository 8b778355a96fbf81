// Static configuration of one Zab peer (the zoo.cfg values Zab uses).
import type { PlantedBugSet } from '../bugs/catalog.ts';
import { QuorumVerifier } from './quorum.ts';

export interface ZabConfig {
  readonly myId: number;
  readonly verifier: QuorumVerifier;
  readonly tickTimeMs: number;
  /** Ticks a learner may take to connect and sync (discovery + sync phases). */
  readonly initLimit: number;
  /** Ticks a learner may lag behind the leader once synced. */
  readonly syncLimit: number;
  /** Committed proposals kept in memory for DIFF sync (zookeeper.commitLogCount). */
  readonly commitLogCount: number;
  /**
   * zookeeper.snapshotSizeFactor: a learner older than the committed log is
   * DIFFed from the on-disk log when that sends fewer bytes than this times
   * the newest snapshot's size; negative: always SNAP.
   */
  readonly snapshotSizeFactor: number;
  readonly minNotificationIntervalMs: number;
  readonly maxNotificationIntervalMs: number;
  readonly finalizeWaitMs: number;
  /** QuorumVerifier string bytes sent in notifications and NEWLEADER (opaque). */
  readonly configBytes: Uint8Array | null;
  readonly configVersion: number;
  /** zookeeper.testingonly.initialZxid: the counter a new leader starts from (to test rollover). */
  readonly testingInitialZxidCounter?: number;
  /** Planted bugs (server/bugs/catalog.ts) this peer runs with; absent or empty: the correct protocol. */
  readonly plantedBugs?: PlantedBugSet;
}

export const ZAB_DEFAULTS = {
  tickTimeMs: 2000,
  initLimit: 10,
  syncLimit: 5,
  commitLogCount: 500,
  snapshotSizeFactor: 0.33,
  minNotificationIntervalMs: 200,
  maxNotificationIntervalMs: 60000,
  finalizeWaitMs: 200,
  configBytes: null,
  configVersion: 0,
} as const;

export function zabConfig(
  myId: number, voters: readonly number[], observers: readonly number[] = [],
  overrides: Partial<Omit<ZabConfig, 'myId' | 'verifier'>> = {},
): ZabConfig {
  const verifier = new QuorumVerifier(voters, observers);
  if (!verifier.isMember(myId)) throw new RangeError(`server ${myId} is not in the ensemble`);
  return { ...ZAB_DEFAULTS, ...overrides, myId, verifier };
}

/** Whether the planted bug `name` is on for this peer (docs/planted-bugs.md). */
export function bugOn(config: Pick<ZabConfig, 'plantedBugs'>, name: string): boolean {
  return config.plantedBugs?.has(name) === true;
}

export function isParticipant(config: ZabConfig): boolean {
  return config.verifier.isVoter(config.myId);
}
