// Sessions and ephemerals: an ephemeral node, once certainly gone, never shows
// again. "Certainly gone" is the completion of either
//  - an ok `expire-session` op for its session (the closeSession was acked,
//    so it committed), or
//  - an ok read, invoked after the node's create was acked, that shows the
//    node absent (ephemerals are removed only with their session).
// A read invoked after that point that still shows the node is a violation
// (ZOOKEEPER-4541: one server keeps serving a closed session's ephemeral).
// A session-expired notification alone is not such a point: ZooKeeper refuses
// a closing session's revalidation before its closeSession commits, so even a
// synced read may show the node briefly after a client saw the expiry.
// Reads are expected to be synced (the session workload syncs first). A read
// served by a node cut off from a majority, paused or killed during it may be
// stale even after its sync (ZOOKEEPER-1675): it is no evidence either way.
// A node is attributed to the session by `stat.ephemeralOwner` when the read
// reports it, otherwise only when no other session ever tried to create it.
import type { Operation } from '../../history/types.ts';
import type { Checker, CheckInput } from '../compose.ts';
import type { CheckResult, Finding } from '../types.ts';
import { ensembleOf, faultWindows, mayBeStaleAfterSync } from './faults.ts';
import { ephemeralOwnerOf, finalTrees } from './final-trees.ts';
import { abandonedSessions, closesAcked, expiryObservedAt, type AbandonedSession } from './sessions.ts';
import { clientOps, field, firstFew, result } from './util.ts';

interface Ephemeral {
  path: string;
  session: string;
  /** Index of the create's ok completion. */
  createdAt: number;
}

function isEphemeralCreate(o: Operation): boolean {
  const mode = field(o.input, 'mode');
  return field(o.input, 'ephemeral') === true || (typeof mode === 'string' && mode.includes('EPHEMERAL'));
}

function createdPath(o: Operation): string | undefined {
  const p = field(o.output, 'path') ?? field(o.input, 'path');
  return typeof p === 'string' ? p : undefined;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Sessions that tried to create each path (ok or info). */
function creators(ops: Operation[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const o of ops) {
    const p = createdPath(o);
    if (o.status === 'fail' || p === undefined) continue;
    if (!m.has(p)) m.set(p, new Set());
    m.get(p)!.add(o.session ?? `process ${o.process}`);
  }
  return m;
}

function childName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

type Evidence = 'shows' | 'absent' | 'none';

/** What this read says about `e`: shows it, shows it absent, or nothing. */
function evidence(read: Operation, e: Ephemeral, soleCreator: boolean): Evidence {
  const path = field(read.input, 'path');
  if (read.f === 'getChildren') {
    const children = field(read.output, 'children') ?? read.output;
    if (path !== parentOf(e.path) || !Array.isArray(children)) return 'none';
    if (!children.includes(childName(e.path))) return 'absent';
    return soleCreator ? 'shows' : 'none';
  }
  if (path !== e.path) return 'none';
  const stat = field(read.output, 'stat');
  if (stat === null) return 'absent';
  if (stat === undefined) return 'none';
  const owner = field(stat, 'ephemeralOwner');
  if (owner === undefined) return soleCreator ? 'shows' : 'none';
  return owner === e.session ? 'shows' : 'absent';
}

interface GonePoint {
  at: number;
  why: string;
}

/** The first point at which `e` is certainly gone, if any. */
function gonePoint(e: Ephemeral, closed: number | undefined, reads: readonly Operation[], sole: boolean): GonePoint | undefined {
  let gone: GonePoint | undefined = closed === undefined ? undefined : { at: closed, why: 'its session\'s close was acked' };
  for (const r of reads) {
    if (r.invokeIndex < e.createdAt || evidence(r, e, sole) !== 'absent') continue;
    if (gone === undefined || r.completeIndex < gone.at) gone = { at: r.completeIndex, why: `a read (index ${r.invokeIndex}) showed it gone` };
  }
  return gone;
}

interface Violation {
  path: string;
  session: string;
  goneAt: number;
  why: string;
  readIndex: number;
  process: Operation['process'];
}

interface ExpiryViolation {
  session: string;
  path: string;
  /** `read at index N` or `final tree of nX`. */
  seenBy: string;
  certainByNs: number;
  /** For findings only (not in details): the read's invoke index, or the final tree's node. */
  readIndex?: number;
  node?: string;
}

/**
 * Abandoned sessions (heartbeats stopped, no closeSession): once their
 * expiry is certain, no read may show their ephemerals (created ok, or
 * indeterminately), and the final trees hold none.
 */
function outlivedExpiry(input: CheckInput, creates: Operation[], reads: Operation[], abandoned: Map<string, AbandonedSession>,
  who: Map<string, Set<string>>): ExpiryViolation[] {
  const out: ExpiryViolation[] = [];
  for (const a of abandoned.values()) {
    const own = creates.filter((o) => o.session === a.session && o.status !== 'fail' && isEphemeralCreate(o) && createdPath(o) !== undefined)
      .map((o) => ({ path: createdPath(o)!, session: a.session, createdAt: o.invokeIndex }));
    for (const e of own) {
      const sole = who.get(e.path)?.size === 1;
      for (const r of reads) {
        if (r.invokeTimeNs > a.certainByNs && evidence(r, e, sole) === 'shows') {
          out.push({ session: a.session, path: e.path, seenBy: `read at index ${r.invokeIndex}`, certainByNs: a.certainByNs, readIndex: r.invokeIndex });
        }
      }
    }
    for (const t of finalTrees(input.operations)) {
      if (t.invokeTimeNs <= a.certainByNs) continue;
      for (const [path, z] of Object.entries(t.tree)) {
        if (ephemeralOwnerOf(z) === a.session) out.push({ session: a.session, path, seenBy: `final tree of ${t.node}`, certainByNs: a.certainByNs, node: t.node, readIndex: t.invokeIndex });
      }
    }
  }
  return out;
}

export function checkSessionWorkload(input: CheckInput): CheckResult {
  const expiredSeen = expiryObservedAt(input.history.events);
  const closed = closesAcked(input.operations);
  const abandoned = abandonedSessions(input.operations, ensembleOf(input.history.meta, input.history.events));
  const creates = clientOps(input.operations, 'create');
  const who = creators(creates);
  const ephemerals: Ephemeral[] = creates
    .filter((o) => o.status === 'ok' && o.session !== undefined && isEphemeralCreate(o) && createdPath(o) !== undefined)
    .map((o) => ({ path: createdPath(o)!, session: o.session!, createdAt: o.completeIndex }));
  const windows = faultWindows(input.operations, ensembleOf(input.history.meta, input.history.events));
  const okReads = clientOps(input.operations, 'getData', 'exists', 'getChildren').filter((o) => o.status === 'ok');
  const reads = okReads.filter((o) => mayBeStaleAfterSync(windows, o) === undefined);
  const violations: Violation[] = [];
  for (const e of ephemerals) {
    const sole = who.get(e.path)?.size === 1;
    const gone = gonePoint(e, closed.get(e.session), reads, sole);
    if (gone === undefined) continue;
    for (const r of reads) {
      if (r.invokeIndex > gone.at && evidence(r, e, sole) === 'shows') {
        violations.push({ path: e.path, session: e.session, goneAt: gone.at, why: gone.why, readIndex: r.invokeIndex, process: r.process });
      }
    }
  }
  const outlived = outlivedExpiry(input, creates, reads, abandoned, who);
  const finalTreeRead = finalTrees(input.operations).map((t) => t.invokeTimeNs);
  const checkedAbandons = [...abandoned.values()].filter((a) => finalTreeRead.some((t) => t > a.certainByNs)).length;
  const details = { ephemerals: ephemerals.length, expiredSessions: expiredSeen.size, closedSessions: closed.size,
    readsOnFaultyNodes: okReads.length - reads.length,
    abandonedSessions: abandoned.size, abandonedCheckedInFinalTrees: checkedAbandons,
    violations: firstFew(violations), violationCount: violations.length, outlivedExpiry: firstFew(outlived).map(({ readIndex: _, node: __, ...v }) => v), outlivedCount: outlived.length };
  const findings: Finding[] = [
    ...violations.map((v) => ({ code: 'ephemeral-after-gone', path: v.path, events: [v.readIndex, v.goneAt],
      message: `ephemeral ${v.path} of session ${v.session} read at index ${v.readIndex} after it was certainly gone at index ${v.goneAt} (${v.why})` })),
    ...outlived.map((v) => ({ code: 'ephemeral-outlived-expiry', path: v.path, timeNs: v.certainByNs,
      ...(v.readIndex !== undefined ? { events: [v.readIndex] } : {}), ...(v.node !== undefined ? { node: v.node } : {}),
      message: `ephemeral ${v.path} of abandoned session ${v.session} in the ${v.seenBy} after its expiry was certain` })),
  ];
  if (violations.length > 0) {
    const v = violations[0]!;
    return result('session', 'invalid', `session: ephemeral ${v.path} of session ${v.session} still visible ` +
      `(read at index ${v.readIndex}) after it was certainly gone at index ${v.goneAt} (${v.why})`, details, findings);
  }
  if (outlived.length > 0) {
    const v = outlived[0]!;
    return result('session', 'invalid', `session: ${outlived.length} ephemeral sighting(s) after their abandoned session's expiry ` +
      `was certain; first: ${v.path} of session ${v.session} in the ${v.seenBy} (expiry certain by ${(v.certainByNs / 1e9).toFixed(1)} s)`, details, findings);
  }
  return result('session', 'valid', `session: ${ephemerals.length} ephemerals, ${closed.size} sessions closed, ` +
    `${abandoned.size} abandoned (${checkedAbandons} past certain expiry at the final read), ` +
    `${expiredSeen.size} seen expired, no ephemeral outlived its session`, details, findings);
}

export const sessionWorkload: Checker = { name: 'session', check: (input) => checkSessionWorkload(input) };
