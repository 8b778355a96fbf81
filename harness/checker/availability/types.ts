// The availability checker's options and evidence.
import type { ClusterStateRecord } from '../../observe/types.ts';
import type { HistoryEvent } from '../../history/types.ts';

export interface AvailabilityOptions {
  /** After the final heal, every node must serve and every client's writes succeed within this bound. Default 30 000. */
  recoveryBoundMs?: number;
  /** More leader elections than this after the final heal is a finding. Default 3. */
  maxElectionsAfterHeal?: number;
  /** Gaps without a successful op shorter than this are not reported as windows. Default 1 000. */
  minWindowMs?: number;
  /** When the last fault was healed (history clock, ns); default: from the nemesis ops in the history. */
  finalHealNs?: number;
  /** End of observation (ns); default: the last history event or timeline record. */
  endNs?: number;
  /** The nodes that must rejoin; default: the history's metadata, else the nodes in the timeline. */
  nodes?: readonly string[];
  /** Client threads (process p runs on thread p mod clients, as the interpreter numbers them); default: meta.config.concurrency. */
  clients?: number;
  /** Functions that do not write; default READ_FS. */
  readFs?: ReadonlySet<string>;
}

export interface AvailabilityInput {
  events: readonly HistoryEvent[];
  clusterState: readonly ClusterStateRecord[];
  options?: AvailabilityOptions;
}

/** Functions that read (everything else a client does is taken as a write). */
export const READ_FS: ReadonlySet<string> = new Set([
  'read', 'getData', 'exists', 'getChildren', 'getChildren2', 'getACL', 'sync', 'final-read', 'final-tree',
  'watch', 'check-session', 'drain',
]);

/** An interval without a successful operation while operations were being tried. */
export interface UnavailabilityWindow {
  fromNs: number;
  /** The next success; null: none until the end of the history. */
  toNs: number | null;
  durationMs: number;
  /** Operations tried in the window (invoked in it, or pending across it). */
  attempts: number;
  /** Whether it began before the final heal (faults may have been in force: expected, only reported). */
  duringFaults: boolean;
}

export type FindingCode =
  | 'NODE_NEVER_REJOINED' | 'NODE_REJOINED_LATE'
  | 'WRITES_NEVER_RESUMED' | 'WRITES_RESUMED_LATE' | 'CLIENT_WRITES_STUCK'
  | 'ELECTIONS_REPEATING';

export type UnknownCode = 'FAULTS_NOT_HEALED' | 'OBSERVATION_TOO_SHORT' | 'NO_CLIENT_OPS_AFTER_HEAL' | 'NO_TIMELINE';

export interface Finding {
  code: FindingCode;
  message: string;
  node?: string;
  client?: number;
}

export interface Unjudged {
  code: UnknownCode;
  message: string;
  node?: string;
  client?: number;
}

export interface NodeRecovery {
  /** Mode at the end of the timeline. */
  finalMode?: string;
  /** When it served after the final heal (the heal itself if it was serving then); null: never. */
  rejoinedNs: number | null;
}

export interface AvailabilityDetails {
  finalHealNs: number | null;
  endNs: number;
  recoveryBoundMs: number;
  /** `writes`, or `all client ops` when no write was tried after the heal. */
  judgedOn: 'writes' | 'all client ops' | null;
  windows: { writes: UnavailabilityWindow[]; perNode: Record<string, UnavailabilityWindow[]> };
  /** Longest write window during faults and after the heal, ms. */
  longestWriteWindowMs: { duringFaults: number; afterHeal: number };
  nodes: Record<string, NodeRecovery>;
  /** First successful judged op completed after the heal; null: none. */
  resumedNs: number | null;
  electionsAfterHeal: number;
  findings: Finding[];
  unjudged: Unjudged[];
}
