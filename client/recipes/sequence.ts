// Sequential znode names: ZooKeeper appends a 10-digit, zero-padded counter
// (the parent's cversion) to the name of a *_SEQUENTIAL node. Pure helpers to
// read it back, order siblings by it, and find the node a waiter must watch.

export const SEQUENCE_DIGITS = 10;

/** The sequence number at the end of `name`, or undefined if it has none. */
export function sequenceOf(name: string): number | undefined {
  if (name.length < SEQUENCE_DIGITS) return undefined;
  const suffix = name.slice(-SEQUENCE_DIGITS);
  if (!/^[0-9]{10}$/.test(suffix)) return undefined;
  return Number(suffix);
}

/** The names that carry a sequence suffix, ordered by it (ties: by name, to be total). */
export function sortBySequence(names: readonly string[]): string[] {
  return names
    .filter((n) => sequenceOf(n) !== undefined)
    .sort((a, b) => (sequenceOf(a)! - sequenceOf(b)!) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The nearest node before `own` (in sequence order) that `blocks` says it must
 * wait for, or null when nothing before it blocks (the waiter may proceed).
 * Watching only this one node avoids the herd effect: a release wakes one waiter.
 */
export function blockingPredecessor(names: readonly string[], own: string,
  blocks: (earlier: string) => boolean): string | null {
  const ordered = sortBySequence(names);
  const index = ordered.indexOf(own);
  if (index < 0) throw new Error(`blockingPredecessor: ${own} is not among the nodes`);
  for (let i = index - 1; i >= 0; i--) {
    if (blocks(ordered[i]!)) return ordered[i]!;
  }
  return null;
}

/**
 * A name prefix unique to one use by one session: a lost create can be found
 * again among the children by it (ZooKeeper's "protected" sequential names).
 * Session ids are unique in an ensemble's history, the counter within a process.
 */
let tokenCounter = 0;
export function protectedPrefix(sessionId: bigint, label: string): string {
  tokenCounter += 1;
  return `_c_${sessionId.toString(16)}-${tokenCounter.toString(36)}-${label}`;
}

/** The child whose name starts with `prefix`, if any (at most one exists by construction). */
export function findProtected(children: readonly string[], prefix: string): string | undefined {
  return children.find((c) => c.startsWith(prefix) && sequenceOf(c) !== undefined);
}

/** The part of a protected name after its token: `_c_ab-1-write-0000000003` → `write-0000000003`. */
export function labelOf(name: string): string {
  const match = /^_c_[0-9a-f]+-[0-9a-z]+-(.*)$/.exec(name);
  return match ? match[1]! : name;
}
