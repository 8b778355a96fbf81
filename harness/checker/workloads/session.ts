// Sessions and ephemerals: once any client has seen a session expire, no read
// invoked afterwards may still show an ephemeral node that session created.
// A node is attributed to the session by `stat.ephemeralOwner` when the read
// reports it, otherwise only when no other session ever tried to create it.
import type { Operation } from '../../history/types.ts';
import type { Checker, CheckInput } from '../compose.ts';
import type { CheckResult } from '../types.ts';
import { expiryObservedAt } from './sessions.ts';
import { clientOps, field, firstFew, result } from './util.ts';

interface Ephemeral {
  path: string;
  session: string;
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

/** Does this read show `e` (as a node, or as a child name)? */
function shows(read: Operation, e: Ephemeral, soleCreator: boolean): boolean {
  const path = field(read.input, 'path');
  if (read.f === 'getChildren') {
    const children = field(read.output, 'children') ?? read.output;
    return soleCreator && path === parentOf(e.path) && Array.isArray(children) && children.includes(e.path.slice(e.path.lastIndexOf('/') + 1));
  }
  const stat = field(read.output, 'stat');
  if (path !== e.path || stat === null || stat === undefined) return false;
  const owner = field(stat, 'ephemeralOwner');
  return owner === undefined ? soleCreator : owner === e.session;
}

export function checkSessionWorkload(input: CheckInput): CheckResult {
  const expired = expiryObservedAt(input.history.events);
  const creates = clientOps(input.operations, 'create');
  const who = creators(creates);
  const ephemerals: Ephemeral[] = creates
    .filter((o) => o.status === 'ok' && o.session !== undefined && isEphemeralCreate(o) && createdPath(o) !== undefined)
    .map((o) => ({ path: createdPath(o)!, session: o.session! }));
  const reads = clientOps(input.operations, 'getData', 'exists', 'getChildren').filter((o) => o.status === 'ok');
  const violations: Array<{ path: string; session: string; expiredSeenAt: number; readIndex: number; process: Operation['process'] }> = [];
  for (const e of ephemerals) {
    const seenAt = expired.get(e.session);
    if (seenAt === undefined) continue;
    const sole = who.get(e.path)?.size === 1;
    for (const r of reads) {
      if (r.invokeIndex > seenAt && shows(r, e, sole)) {
        violations.push({ path: e.path, session: e.session, expiredSeenAt: seenAt, readIndex: r.invokeIndex, process: r.process });
      }
    }
  }
  const details = { ephemerals: ephemerals.length, expiredSessions: expired.size, violations: firstFew(violations), violationCount: violations.length };
  if (violations.length > 0) {
    const v = violations[0]!;
    return result('session', 'invalid', `session: ephemeral ${v.path} of session ${v.session} still visible ` +
      `(read at index ${v.readIndex}) after its expiry was seen at index ${v.expiredSeenAt}`, details);
  }
  return result('session', 'valid', `session: ${ephemerals.length} ephemerals, ${expired.size} expired sessions, no ephemeral outlived its session`, details);
}

export const sessionWorkload: Checker = { name: 'session', check: (input) => checkSessionWorkload(input) };
