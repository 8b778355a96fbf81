// Lock workload: no two clients hold a lock at once. A client certainly holds
// it from its `acquire`'s ok until it invokes `release`; if its session is
// later seen expired, only until the last moment the session was certainly
// alive (ZooKeeper frees the lock when the session expires, whether or not
// the client noticed). Holds that certainly overlap are a violation.
import type { Key, Operation } from '../../history/types.ts';
import type { Checker, CheckInput } from '../compose.ts';
import type { CheckResult, Finding } from '../types.ts';
import { expiryObservedAt, lastAliveAt } from './sessions.ts';
import { clientOps, field, firstFew, result } from './util.ts';

interface Hold {
  /** The acquire's operation id. */
  opId: number;
  process: Operation['process'];
  session?: string;
  lock: Key | undefined;
  from: number;
  until: number;
}

function lockName(o: Operation): Key | undefined {
  const named = field(o.input, 'lock') ?? field(o.input, 'path');
  return o.key ?? (typeof named === 'string' ? named : undefined);
}

function holds(input: CheckInput): Hold[] {
  const ops = clientOps(input.operations, 'acquire', 'release');
  const expired = expiryObservedAt(input.history.events);
  const alive = lastAliveAt(input.operations);
  const releases = new Map<Operation['process'], Operation[]>();
  for (const r of ops) if (r.f === 'release') (releases.get(r.process) ?? releases.set(r.process, []).get(r.process)!).push(r);
  const out: Hold[] = [];
  for (const a of ops) {
    if (a.f !== 'acquire' || a.status !== 'ok') continue;
    const release = releases.get(a.process)?.find((r) => r.invokeIndex > a.completeIndex);
    let until = release ? release.invokeIndex : Infinity;
    if (a.session !== undefined && expired.has(a.session)) until = Math.min(until, alive.get(a.session) ?? -1);
    if (until > a.completeIndex) {
      const h: Hold = { opId: a.id, process: a.process, lock: lockName(a), from: a.completeIndex, until };
      if (a.session !== undefined) h.session = a.session;
      out.push(h);
    }
  }
  return out;
}

/** A hold as `details` has always shown it (without the op id). */
function plain({ opId: _, ...h }: Hold): Omit<Hold, 'opId'> {
  return h;
}

export function checkLockWorkload(input: CheckInput): CheckResult {
  const all = holds(input).sort((a, b) => a.from - b.from);
  const overlaps: Array<{ first: Hold; second: Hold }> = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length && all[j]!.from < all[i]!.until; j++) {
      const [a, b] = [all[i]!, all[j]!];
      if (a.lock === b.lock && a.process !== b.process) overlaps.push({ first: a, second: b });
    }
  }
  const details = { holds: all.length, overlaps: firstFew(overlaps).map(({ first, second }) => ({ first: plain(first), second: plain(second) })), overlapCount: overlaps.length };
  const findings: Finding[] = overlaps.map(({ first, second }) => ({ code: 'double-holder',
    message: `process ${first.process} (from index ${first.from}) and process ${second.process} (from index ${second.from}) both held ${String(first.lock ?? 'the lock')}`,
    events: [first.from, second.from], ops: [first.opId, second.opId], ...(first.lock !== undefined ? { path: String(first.lock) } : {}) }));
  if (overlaps.length > 0) {
    const { first, second } = overlaps[0]!;
    return result('lock', 'invalid', `lock: ${overlaps.length} double holder(s); first: process ${first.process} ` +
      `(from index ${first.from}) and process ${second.process} (from index ${second.from})`, details, findings);
  }
  return result('lock', 'valid', `lock: ${all.length} holds, never two at once`, details, findings);
}

export const lockWorkload: Checker = { name: 'lock', check: (input) => checkLockWorkload(input) };
