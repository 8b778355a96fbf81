// What each checker checks, in plain words, for the report's summary (pure).
// The checker's own summary line says what it found; this says what the
// verdict means.
import type { Verdict } from '../checker/types.ts';

const ABOUT: Array<[RegExp, string]> = [
  [/^linearizable:/, 'Linearizability: is there one order of all operations, consistent with real time (an operation that ended before another began comes first), in which every read returns the latest write? Operations that timed out (info) may take effect at any later time or never. Keys are checked independently.'],
  [/^zk-sequential$/, 'ZooKeeper\'s own guarantee: writes are linearizable, and each client\'s reads are sequentially consistent (a client never sees the state go backwards, and sees its own writes).'],
  [/^sync-read$/, 'sync() then read: a read after sync must reflect every write acknowledged before the sync began.'],
  [/^set$/, 'Set: every acknowledged add must be in the final read; nothing appears that was never added (or certainly failed); nothing appears twice.'],
  [/^queue$/, 'Queue: no element is dequeued twice, and none acknowledged as enqueued is lost (judged against a final drain or the final tree).'],
  [/^lock$/, 'Lock (recipe): two clients never hold the same lock at once; a hold ends with its release or its session\'s expiry.'],
  [/^watch$/, 'Watches: each watch fires at most once, for a change made after it was set, in zxid order; none is missed and none invented.'],
  [/^session$/, 'Sessions: ephemerals disappear when their session ends; a closed or expired session sees nothing after its end.'],
  [/^sequential-unique$/, 'Sequential znodes: every sequence number is issued once, in order.'],
  [/^convergence$/, 'Convergence: after the faults healed, every server\'s tree (data, versions, ephemeral owners) is the same.'],
  [/^availability$/, 'Availability: after the final heal every server rejoins and writes resume within the bound; outages during faults are listed, not judged.'],
  [/^log-forensics$/, 'Log forensics: every server\'s txn log read after the run; Zab\'s invariants (no two txns with one zxid, epochs never go back, an acknowledged write is on a quorum and never truncated).'],
  [/^purpose$/, 'Purpose: the events this scenario exists to cause (elections, TRUNC/DIFF/SNAP syncs, snapshots) happened; if not, the run proves less than its name says.'],
  [/^zab-discovery$/, 'Zab discovery: read from each server\'s log, a promised epoch is never forgotten (across restarts), a leader proposes an epoch above every epoch its followers accepted, and no learner follows a leader below its promise.'],
  [/^ttl$/, 'TTL znodes: a TTL node is not removed before its TTL, and is removed after it once unmodified and childless.'],
];

export function aboutChecker(name: string): string {
  const base = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  const hit = ABOUT.find(([re]) => re.test(base));
  const scope = name.includes('/') ? ` (Only the ${name.slice(0, name.lastIndexOf('/'))} workload's clients.)` : '';
  return `${hit ? hit[1] : `The ${base} checker.`}${scope}`;
}

const MEANING: Record<Verdict, string> = {
  valid: 'It found nothing wrong in this history.',
  invalid: 'It found a violation: the evidence is below, each row linked to its operations in the timeline.',
  unknown: 'It could not decide (out of time or memory, or the history lacks what it needs): neither a pass nor a failure.',
};

export function verdictMeaning(v: Verdict): string {
  return MEANING[v];
}

/** The first sentence of what a checker checks: one line for a legend. */
export function aboutCheckerLine(name: string): string {
  const about = aboutChecker(name);
  const end = about.search(/[.?](\s|$)/);
  return end < 0 ? about : about.slice(0, end + 1);
}
