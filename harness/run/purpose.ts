// Did the run do what its scenario is for? A scenario names the cluster
// events it needs (`requires`: a TRUNC sync, a SNAP, an election, a
// snapshot, a session expiry); a run where one of them did not happen proves
// nothing about it, so it is `unknown` ("no TRUNC happened"), never `valid`.
import type { CheckResult } from '../checker/types.ts';
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
