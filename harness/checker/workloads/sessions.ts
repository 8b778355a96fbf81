// When each session was first seen expired: a `session-expired` notification,
// or any completion carrying the SESSIONEXPIRED error.
import type { HistoryEvent, Operation } from '../../history/types.ts';

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
