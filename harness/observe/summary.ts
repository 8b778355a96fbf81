// Counts and leader terms out of a cluster-state timeline. Pure.
import { SYNC_KINDS, type ClusterStateRecord, type NodeMode, type StateRecord, type SyncKind } from './types.ts';

export type SyncCounts = Record<SyncKind, number>;

export interface LeaderTerm {
  node: string;
  epoch: number;
  fromNs: number;
  /** When the node stopped leading in that epoch; null: still leading at the end of the timeline. */
  toNs: number | null;
}

export interface NodeSummary {
  /** Election outcomes in its log (leading, following or observing). */
  elections: number;
  /** Times it went LOOKING (Apache ZooKeeper also logs the first, at start-up; the reference server does not). */
  lookings: number;
  /** Syncs it received as a learner. */
  syncs: SyncCounts;
  snapshots: number;
  fatals: number;
  /** Times a poll found it down after it had been up (or at the first poll). */
  downs: number;
  lastMode?: NodeMode;
}

export interface ClusterStateSummary {
  /**
   * Leaders elected, the first included: election outcomes `leading` in the logs; without any (no
   * logs), the distinct leader epochs the polls saw.
   */
  elections: number;
  /** Syncs as the learners logged them (every target logs each kind there). */
  syncs: SyncCounts;
  /** Syncs as the leaders logged them (Apache ZooKeeper 3.8 does not log a plain TRUNC at INFO on the leader). */
  leaderSideSyncs: SyncCounts;
  snapshots: number;
  fatals: number;
  leaders: LeaderTerm[];
  perNode: Record<string, NodeSummary>;
}

const zeroSyncs = (): SyncCounts => Object.fromEntries(SYNC_KINDS.map((k) => [k, 0])) as SyncCounts;

function emptyNode(): NodeSummary {
  return { elections: 0, lookings: 0, syncs: zeroSyncs(), snapshots: 0, fatals: 0, downs: 0 };
}

/** Leader terms from the state records: a node in mode leader (or standalone) with one epoch, from first to last poll. */
export function leaderTerms(records: readonly ClusterStateRecord[]): LeaderTerm[] {
  const open = new Map<string, LeaderTerm>();
  const terms: LeaderTerm[] = [];
  for (const r of records) {
    if (r.kind !== 'state') continue;
    const current = open.get(r.node);
    const leads = isLeading(r);
    if (current !== undefined && (!leads || r.epoch !== current.epoch)) {
      current.toNs = r.timeNs;
      open.delete(r.node);
    }
    if (leads && open.get(r.node) === undefined) {
      const term: LeaderTerm = { node: r.node, epoch: r.epoch!, fromNs: r.timeNs, toNs: null };
      open.set(r.node, term);
      terms.push(term);
    }
  }
  return terms;
}

function isLeading(r: StateRecord): boolean {
  return (r.mode === 'leader' || r.mode === 'standalone') && r.epoch !== undefined;
}

export function summarizeClusterState(records: readonly ClusterStateRecord[]): ClusterStateSummary {
  const perNode: Record<string, NodeSummary> = {};
  const node = (n: string) => (perNode[n] ??= emptyNode());
  const syncs = zeroSyncs();
  const leaderSideSyncs = zeroSyncs();
  let leadingOutcomes = 0;
  for (const r of records) {
    const s = node(r.node);
    switch (r.kind) {
      case 'state':
        if (r.mode === 'down' && s.lastMode !== 'down') s.downs++;
        s.lastMode = r.mode;
        break;
      case 'sync':
        if (r.side === 'learner') {
          syncs[r.sync]++;
          s.syncs[r.sync]++;
        } else {
          leaderSideSyncs[r.sync]++;
        }
        break;
      case 'election':
        if (r.phase === 'looking') s.lookings++;
        else {
          s.elections++;
          if (r.role === 'leading') leadingOutcomes++;
        }
        break;
      case 'snapshot': s.snapshots++; break;
      case 'fatal': s.fatals++; break;
    }
  }
  const leaders = leaderTerms(records);
  const total = (f: (n: NodeSummary) => number) => Object.values(perNode).reduce((a, n) => a + f(n), 0);
  return {
    elections: leadingOutcomes > 0 ? leadingOutcomes : new Set(leaders.map((t) => t.epoch)).size, syncs, leaderSideSyncs,
    snapshots: total((n) => n.snapshots), fatals: total((n) => n.fatals), leaders, perNode,
  };
}
