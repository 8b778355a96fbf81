// Watch workload: a one-shot watch (getData / exists / getChildren with
// `watch: true`) must be delivered for the first committed change after it
// was set: at most once, in zxid order per session, none invented. A missed
// event is reported only when the session later saw a zxid at or past the
// change (ZooKeeper delivers the event before the client can see the change).
import type { HistoryEvent, Operation } from '../../history/types.ts';
import type { Checker, CheckInput } from '../compose.ts';
import type { CheckResult, Finding } from '../types.ts';
import { expiryObservedAt } from './sessions.ts';
import { clientOps, field, firstFew, result, tally } from './util.ts';
import { ChangeLog, kindsOf, type WatchKind } from './watch-model.ts';

interface Registration {
  op: Operation;
  path: string;
  kind: WatchKind;
  /** The zxid the registering read saw: changes after it must fire the watch. */
  position: number;
  /** Whether the read found the node: an exists on a missing node arms a watch only NodeCreated fires. */
  sawNode: boolean;
  fired: boolean;
}

/**
 * Which events a registration can fire for, from what its read saw: a watch
 * set on a missing node (exists -> null) fires only NodeCreated; one set on an
 * existing node never fires NodeCreated. This keeps the order right when a
 * client records an event that arrived just before a reply after that reply.
 */
function canFire(r: Registration, type: string): boolean {
  return type === 'NodeCreated' ? !r.sawNode : r.sawNode;
}

interface Problem {
  kind: 'invented' | 'duplicate' | 'reordered' | 'missed' | 'stale';
  session: string;
  path: string;
  index: number;
  detail: string;
  /** Other events involved: the registering op's invoke and completion, the witness read. */
  related?: number[];
}

/** getData and getChildren on a missing node set no watch (NONODE); exists does. */
function setsWatch(o: Operation): boolean {
  if (o.status !== 'ok' || o.session === undefined || field(o.input, 'watch') !== true) return false;
  return o.f === 'exists' || (o.output !== null && field(o.output, 'stat') !== null);
}

function registrations(ops: readonly Operation[]): Registration[] {
  return clientOps(ops, 'getData', 'exists', 'getChildren')
    .filter(setsWatch)
    .map((o) => {
      const mzxid = field(field(o.output, 'stat'), 'mzxid');
      const position = o.zxid ?? (typeof mzxid === 'number' ? mzxid : -1);
      const sawNode = o.f !== 'exists' || field(o.output, 'stat') !== null;
      return { op: o, path: String(field(o.input, 'path')), kind: o.f === 'getChildren' ? 'child' : 'data', position, sawNode,
        fired: false };
    });
}

function eventPath(e: HistoryEvent): string {
  return String(field(e.value, 'path'));
}

/**
 * Walks one session's registrations and deliveries for one path in history
 * order. An event with no armed watch may still be for the watch of the op in
 * flight when it was recorded (its reply and the event came in one read and
 * the client delivered the event first): that registration is then consumed
 * before it is armed.
 */
function walkPath(session: string, path: string, regs: Registration[], events: HistoryEvent[], log: ChangeLog, out: Problem[]): void {
  const armed: Partial<Record<WatchKind, Registration[]>> = {};
  const consumedEarly = new Set<Registration>();
  const timeline = [
    ...regs.map((r) => ({ at: r.op.completeIndex, reg: r as Registration | undefined, event: undefined as HistoryEvent | undefined })),
    ...events.map((e) => ({ at: e.index, reg: undefined, event: e as HistoryEvent | undefined })),
  ].sort((a, b) => a.at - b.at);
  for (const { reg, event } of timeline) {
    if (reg && !consumedEarly.has(reg)) (armed[reg.kind] ??= []).push(reg);
    if (!event) continue;
    const type = String(field(event.value, 'type'));
    let fired = kindsOf(type).flatMap((k) => (armed[k] ?? []).filter((r) => canFire(r, type)));
    for (const k of kindsOf(type)) armed[k] = (armed[k] ?? []).filter((r) => !canFire(r, type));
    if (fired.length === 0) {
      fired = regs.filter((r) => kindsOf(type).includes(r.kind) && canFire(r, type) && !consumedEarly.has(r)
        && r.op.invokeIndex < event.index && event.index < r.op.completeIndex);
      for (const r of fired) consumedEarly.add(r);
    }
    const problem = (kind: Problem['kind'], detail: string) => out.push({ kind, session, path, index: event.index, detail });
    if (fired.length === 0) {
      problem('duplicate', `${type} with no watch armed on ${path} (delivered twice, or never set)`);
      continue;
    }
    for (const r of fired) r.fired = true;
    const z = event.zxid;
    if (z === undefined) continue;
    if (z <= Math.min(...fired.map((r) => r.position))) problem('stale', `${type} at zxid ${z}, not after the watch was set (zxid ${fired[0]!.position})`);
    const known = log.byZxid.get(z);
    const match = known?.some((c) => c.path === path && c.type === type);
    if (!match && (known !== undefined || !log.uncertain.has(path))) problem('invented', `${type} at zxid ${z}: no such change to ${path} was committed`);
  }
}

function missed(regs: Registration[], ops: readonly Operation[], log: ChangeLog, expiredAt: Map<string, number>): Problem[] {
  const out: Problem[] = [];
  const bySession = new Map<string, Operation[]>();
  for (const o of ops) {
    if (o.session !== undefined && o.status === 'ok' && o.zxid !== undefined) (bySession.get(o.session) ?? bySession.set(o.session, []).get(o.session)!).push(o);
  }
  for (const r of regs) {
    if (r.fired || r.position < 0) continue;
    const change = log.firstAfter(r.path, r.kind, r.position);
    if (!change) continue;
    const session = r.op.session!;
    const expiry = expiredAt.get(session) ?? Infinity;
    const witness = bySession.get(session)?.find((o) => o.zxid! >= change.zxid && o.invokeIndex > r.op.completeIndex && o.completeIndex < expiry);
    if (witness) {
      out.push({ kind: 'missed', session, path: r.path, index: r.op.invokeIndex, related: [r.op.completeIndex, witness.completeIndex],
        detail: `${change.type} at zxid ${change.zxid} never delivered, though the session saw zxid ${witness.zxid} (index ${witness.completeIndex})` });
    }
  }
  return out;
}

function reordered(events: HistoryEvent[]): Problem[] {
  const out: Problem[] = [];
  const last = new Map<string, number>();
  for (const e of events) {
    if (e.zxid === undefined) continue;
    const prev = last.get(e.session!);
    if (prev !== undefined && e.zxid < prev) {
      out.push({ kind: 'reordered', session: e.session!, path: eventPath(e), index: e.index, detail: `zxid ${e.zxid} after ${prev}` });
    }
    last.set(e.session!, Math.max(prev ?? -1, e.zxid));
  }
  return out;
}

export function checkWatchWorkload(input: CheckInput): CheckResult {
  const log = new ChangeLog(input.operations);
  const regs = registrations(input.operations);
  const events = input.notifications.map((n) => n.event).filter((e) => e.f === 'watch-event' && e.session !== undefined);
  const problems: Problem[] = [];
  const groups = new Map<string, { session: string; path: string; regs: Registration[]; events: HistoryEvent[] }>();
  const group = (session: string, path: string) => {
    const k = `${session}\u0000${path}`;
    if (!groups.has(k)) groups.set(k, { session, path, regs: [], events: [] });
    return groups.get(k)!;
  };
  for (const r of regs) group(r.op.session!, r.path).regs.push(r);
  for (const e of events) group(e.session!, eventPath(e)).events.push(e);
  for (const g of groups.values()) walkPath(g.session, g.path, g.regs, g.events, log, problems);
  problems.push(...reordered(events), ...missed(regs, input.operations, log, expiryObservedAt(input.history.events)));
  problems.sort((a, b) => a.index - b.index);
  const byKind = (k: Problem['kind']) => problems.filter((p) => p.kind === k);
  const details = { registrations: regs.length, deliveries: events.length, problems: firstFew(problems).map(({ related: _, ...p }) => p), problemCount: problems.length };
  const findings: Finding[] = problems.map((p) => ({ code: p.kind, message: `${p.detail} (session ${p.session})`,
    events: [p.index, ...(p.related ?? [])], path: p.path }));
  const bad = tally({ missed: byKind('missed'), duplicate: byKind('duplicate'), reordered: byKind('reordered'), invented: byKind('invented'), stale: byKind('stale') });
  if (bad) return result('watch', 'invalid', `watch: ${bad}; first: ${problems[0]!.detail} (session ${problems[0]!.session})`, details, findings);
  return result('watch', 'valid', `watch: ${regs.length} watches set, ${events.length} events delivered, all accounted for`, details, findings);
}

export const watchWorkload: Checker = { name: 'watch', check: (input) => checkWatchWorkload(input) };
