// Did the run do what its scenario is for? A scenario names the cluster
// events it needs (`requires`: a TRUNC sync, a SNAP, an election, a
// snapshot, a session expiry); a run where one of them did not happen proves
// nothing about it, so it is `unknown` ("no TRUNC happened"), never `valid`.
import type { CheckResult } from '../checker/types.ts';
import type { SyncEvent } from '../checker/forensics/types.ts';
import type { History } from '../history/types.ts';
import { summarizeClusterState } from '../observe/summary.ts';
import type { ClusterStateRecord } from '../observe/types.ts';
import type { Requirement } from './scenario.ts';

/** How many of each event the run saw (from the cluster observer and the history). */
export type EventCounts = Record<Requirement, number>;

export function purposeResult(requires: readonly Requirement[], counts: EventCounts): CheckResult | undefined {
  if (requires.length === 0) return undefined;
  const missing = requires.filter((r) => counts[r] === 0);
  const seen = requires.map((r) => `${counts[r]} ${r}`).join(', ');
  if (missing.length === 0) {
    return { checker: 'purpose', verdict: 'valid', summary: `the scenario's purpose happened: ${seen}`, details: { requires, counts } };
  }
  return { checker: 'purpose', verdict: 'unknown', summary: `no ${missing.join(', no ')} happened (${seen}): this run did not test what the scenario is for`,
    details: { requires, counts, missing } };
}

/** The events a run saw: syncs, elections after the first, snapshots from the timeline; session expiries from the history. */
export function eventCounts(records: readonly ClusterStateRecord[], history: History): EventCounts {
  const s = summarizeClusterState(records);
  const expiries = history.events.filter((e) => e.f === 'session-expired').length;
  return { TRUNC: s.syncs.TRUNC, DIFF: s.syncs.DIFF, SNAP: s.syncs.SNAP, election: Math.max(0, s.elections - 1),
    snapshot: s.snapshots, 'session-expiry': expiries };
}

/** The syncs the learners logged, for the forensics checker (a TRUNC below a committed zxid). */
export function syncEventsOf(records: readonly ClusterStateRecord[]): SyncEvent[] {
  const out: SyncEvent[] = [];
  for (const r of records) {
    if (r.kind !== 'sync' || r.side !== 'learner') continue;
    out.push({ node: r.node, kind: r.sync, zxid: Number.parseInt(r.zxid, 16), timeNs: r.timeNs });
  }
  return out;
}
