// Planted bugs: deliberate, off-by-default mutations of the reference server
// that reproduce real ZooKeeper bugs, so the harness can prove it catches
// them. Pure: names and documentation only; the server reads the list from
// ZOOPROOF_BUGS at start and passes the set down to the code it changes.

export interface PlantedBug {
  /** The name given to `--bugs` and ZOOPROOF_BUGS. */
  readonly name: string;
  /** The ZooKeeper JIRA it reproduces, or '' for a generic protocol mutation. */
  readonly jira: string;
  /** One line: what the mutated server does wrong. */
  readonly summary: string;
}

export const PLANTED_BUGS: readonly PlantedBug[] = [
  { name: 'diff-not-trunc', jira: 'ZOOKEEPER-1154', summary: 'the leader sends DIFF where TRUNC is needed: a learner keeps txns the ensemble never committed' },
  { name: 'stale-election-zxid', jira: 'ZOOKEEPER-2845', summary: 'a server back in election advertises its in-memory zxid, lower than its txn log, and gets DIFF instead of TRUNC' },
  { name: 'newleader-ack-before-sync', jira: 'ZOOKEEPER-3911', summary: 'a learner ACKs NEWLEADER before the txns of its DIFF sync are durable' },
  { name: 'epoch-before-txns', jira: 'ZOOKEEPER-4643', summary: 'a learner persists currentEpoch before the synced txns, so it can win an election it should lose' },
  { name: 'equal-epoch-proposal', jira: 'ZOOKEEPER-1343', summary: 'a leader may propose an epoch a follower has already accepted (> instead of >=)' },
  { name: 'accepted-epoch-not-persisted', jira: 'ZOOKEEPER-1291', summary: 'acceptedEpoch is not persisted before ACKEPOCH / before proposing it' },
  { name: 'commit-without-quorum', jira: '', summary: 'the leader commits a proposal with fewer ACKs than a quorum' },
  { name: 'ack-before-fsync', jira: '', summary: 'a follower ACKs a proposal before its txn is fsynced' },
  { name: 'old-epoch-proposal', jira: '', summary: 'a learner accepts and logs a PROPOSAL from an older epoch than the one it follows' },
  { name: 'read-uncommitted', jira: '', summary: 'followers apply proposals before COMMIT, so reads see writes that may never commit' },
  { name: 'trunc-off-by-one', jira: 'ZOOKEEPER-1156', summary: 'TRUNC cuts the log before the record it must keep: the learner loses a committed txn' },
];

export const PLANTED_BUG_NAMES: readonly string[] = PLANTED_BUGS.map((b) => b.name);

/** The set of planted bugs a server runs with (empty: the correct server). Passed down as an option. */
export type PlantedBugSet = ReadonlySet<string>;

export const NO_PLANTED_BUGS: PlantedBugSet = new Set<string>();

/** The server-start warning for a non-empty set, or null. */
export function plantedBugsWarning(bugs: PlantedBugSet): string | null {
  if (bugs.size === 0) return null;
  return `planted bugs enabled: ${[...bugs].sort().join(',')} — this server is deliberately broken`;
}

export class UnknownBugError extends Error {
  readonly code = 'UNKNOWN_BUG';
}

/** Parses a comma list (ZOOPROOF_BUGS or --bugs); throws UnknownBugError naming the known bugs. */
export function parseBugList(text: string | undefined): string[] {
  const names = (text ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const n of names) {
    if (!PLANTED_BUG_NAMES.includes(n)) throw new UnknownBugError(`unknown planted bug '${n}' (known: ${PLANTED_BUG_NAMES.join(', ')})`);
  }
  return [...new Set(names)].sort();
}
