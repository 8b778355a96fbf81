// When each session was first seen expired: a `session-expired` notification,
// or any completion carrying the SESSIONEXPIRED error.
import type { HistoryEvent, Operation } from '../../history/types.ts';
import { faultWindows } from './faults.ts';

export function expiryObservedAt(events: readonly HistoryEvent[]): Map<string, number> {
  const at = new Map<string, number>();
  for (const e of events) {
    if (e.session === undefined || e.type === 'invoke') continue;
    if (e.f === 'session-expired' || e.error === 'SESSIONEXPIRED') {
      if (!at.has(e.session)) at.set(e.session, e.index);
    }
  }
  return at;
}

/**
 * The last index at which the session was certainly alive on the servers: an
 * ok op was served for it at some moment in [invoke, completion], and sessions
 * never revive, so it was alive at that op's invoke.
 */
export function lastAliveAt(ops: readonly Operation[]): Map<string, number> {
  const at = new Map<string, number>();
  for (const o of ops) {
    if (o.status !== 'ok' || o.session === undefined) continue;
    at.set(o.session, Math.max(at.get(o.session) ?? -1, o.invokeIndex));
  }
  return at;
}

/** After a session's timeout: the leader's expiry tick, the closeSession commit and its spread to every server. */
export const EXPIRY_MARGIN_MS = 5000;
/** A fault near the abandon may cost an election, and a new leader gives every session a fresh timeout. */
export const ELECTION_MARGIN_MS = 10_000;

export interface AbandonedSession {
  session: string;
  /** Index of the abandon op's completion. */
  index: number;
  abandonedAtNs: number;
  timeoutMs: number;
  /** From this time on the servers have certainly expired it (Infinity: never certain). */
  certainByNs: number;
}

/** Every fault as a time interval: each nemesis op's own span, and each fault from its start to its end (faults.ts). */
function faultIntervalsNs(ops: readonly Operation[], ensemble: readonly string[]): Array<[number, number]> {
  const spans = ops.filter((o) => o.process === 'nemesis').map((o): [number, number] => [o.invokeTimeNs, o.completeTimeNs]);
  const windows = faultWindows(ops, ensemble).map((w): [number, number] => [w.fromNs, w.untilNs]);
  return [...spans, ...windows].sort((x, y) => x[0] - y[0]);
}

/**
 * When an abandoned session's expiry is certain: its timeout plus a margin
 * after the last moment a heartbeat could have reached a server (the abandon),
 * pushed past the end of every fault under way meanwhile (or shortly before),
 * plus an election: a fault can cost an election, and a new leader restarts
 * every session's timeout. A fault that never ended makes it never certain.
 */
export function expiryCertainByNs(abandonedAtNs: number, timeoutMs: number, faults: ReadonlyArray<readonly [number, number]>): number {
  const spanNs = (timeoutMs + EXPIRY_MARGIN_MS) * 1e6;
  let deadline = abandonedAtNs + spanNs;
  for (const [from, until] of faults) {
    if (until < abandonedAtNs - ELECTION_MARGIN_MS * 1e6) continue;
    if (from > deadline) break;
    deadline = Math.max(deadline, until + spanNs + ELECTION_MARGIN_MS * 1e6);
  }
  return deadline;
}

/** Sessions the client abandoned (`abandon-session` ok, output `{timeoutMs}`), with when their expiry is certain. */
export function abandonedSessions(ops: readonly Operation[], ensemble: readonly string[] = []): Map<string, AbandonedSession> {
  const faults = faultIntervalsNs(ops, ensemble);
  const out = new Map<string, AbandonedSession>();
  for (const o of ops) {
    if (o.process === 'nemesis' || o.f !== 'abandon-session' || o.status !== 'ok' || o.session === undefined) continue;
    const timeoutMs = (o.output as { timeoutMs?: unknown } | null)?.timeoutMs;
    if (typeof timeoutMs !== 'number') continue;
    out.set(o.session, { session: o.session, index: o.completeIndex, abandonedAtNs: o.completeTimeNs, timeoutMs,
      certainByNs: expiryCertainByNs(o.completeTimeNs, timeoutMs, faults) });
  }
  return out;
}

/** Completion index of the first acked `expire-session` (closeSession from outside) of each session. */
export function closesAcked(ops: readonly Operation[]): Map<string, number> {
  const at = new Map<string, number>();
  for (const o of ops) {
    if (o.process === 'nemesis' || o.f !== 'expire-session' || o.status !== 'ok' || o.session === undefined) continue;
    at.set(o.session, Math.min(at.get(o.session) ?? Infinity, o.completeIndex));
  }
  return at;
}

/** Whether the session had certainly ended before an op invoked at this index and time. */
export function certainlyEndedBefore(session: string, index: number, timeNs: number, closed: Map<string, number>,
  abandoned: Map<string, AbandonedSession>): boolean {
  const c = closed.get(session);
  if (c !== undefined && c < index) return true;
  const a = abandoned.get(session);
  return a !== undefined && a.certainByNs < timeNs;
}
