// Which way a rejoining learner was synced (DIFF, TRUNC or SNAP), read from
// the members' logs.
import type { Ensemble, EnsembleMember } from '../support/ensemble.ts';

export type SyncKind = 'DIFF' | 'TRUNC' | 'SNAP';

/**
 * How `learner` was last synced, from the logs written since `offsets` were
 * taken: zooproof's leader logs `sync <sid>: DIFF|TRUNC|SNAP …`
 * (server/zab/leader.ts); Apache's learner logs one line per kind
 * (Learner.syncWithLeader).
 */
export function lastSyncKind(e: Ensemble, learner: EnsembleMember, offsets: Map<number, number>): SyncKind | undefined {
  const since = (m: EnsembleMember) => e.log(m).slice(offsets.get(m.id) ?? 0);
  const found: SyncKind[] = [];
  if (e.kind === 'zooproof') {
    const line = new RegExp(`sync ${learner.id}: (DIFF|TRUNC|SNAP) `, 'g');
    for (const m of e.members) for (const match of since(m).matchAll(line)) found.push(match[1] as SyncKind);
  } else {
    const phrases: [RegExp, SyncKind][] = [[/Getting a diff from the leader/g, 'DIFF'],
      [/Truncating log to get in sync with the leader/g, 'TRUNC'], [/Getting a snapshot from leader/g, 'SNAP']];
    for (const [re, k] of phrases) for (const _ of since(learner).matchAll(re)) found.push(k);
  }
  if (new Set(found).size > 1) throw new Error(`${learner.id} synced more than once, by ${found.join(', ')}`);
  return found[0];
}
