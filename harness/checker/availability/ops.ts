// Client and nemesis operations as the availability checker needs them: with
// the time each one ended, `info` included (the op is unknown, but the
// client stopped waiting then). Pure.
import type { HistoryEvent } from '../../history/types.ts';
import { NOTIFICATION_FS } from '../../history/types.ts';

export interface TimedOp {
  process: number | 'nemesis';
  f: string;
  node?: string;
  status: 'ok' | 'fail' | 'info';
  /** The cluster answered it: `ok`, or a `fail` a serving server gave (BADVERSION, NODEEXISTS…; see servedBy). */
  served: boolean;
  invokeNs: number;
  /** When its completion was recorded; Infinity when it never was. */
  endNs: number;
}

/**
 * Errors that say the cluster did not answer: the connection or session was lost, the request timed
 * out, or the server would not serve. Any other `fail` that names the server it came from (a cas that
 * lost its race, a create of an existing node, a workload's compare that read the server) shows the
 * cluster answering.
 */
export const UNAVAILABLE_ERRORS: ReadonlySet<string> = new Set([
  'CONNECTIONLOSS', 'SESSIONEXPIRED', 'OPERATIONTIMEOUT', 'SESSIONMOVED', 'NOTREADONLY', 'RUNTIMEINCONSISTENCY',
  'SYSTEMERROR', 'MARSHALLINGERROR', 'UNIMPLEMENTED', 'AUTHFAILED', 'NEWCONFIGNOQUORUM', 'RECONFIGINPROGRESS',
  'THROTTLEDOP', 'QUOTAEXCEEDED', 'REQUESTTIMEOUT',
]);

function servedBy(e: HistoryEvent): boolean {
  if (e.type === 'ok') return true;
  return e.type === 'fail' && e.node !== undefined && e.error !== undefined && !UNAVAILABLE_ERRORS.has(e.error) && !/time(d)? ?out|not connected|closed/i.test(e.error);
}

export function timedOps(events: readonly HistoryEvent[]): TimedOp[] {
  const open = new Map<number | 'nemesis', TimedOp>();
  const out: TimedOp[] = [];
  for (const e of events) {
    if (NOTIFICATION_FS.has(e.f)) continue;
    const pending = open.get(e.process);
    if (e.type === 'invoke') {
      const op: TimedOp = { process: e.process, f: e.f, status: 'info', served: false, invokeNs: e.time, endNs: Infinity };
      if (e.node !== undefined) op.node = e.node;
      open.set(e.process, op);
      out.push(op);
    } else if (pending !== undefined && pending.f === e.f) {
      pending.status = e.type;
      pending.served = servedBy(e);
      pending.endNs = e.time;
      if (e.node !== undefined) pending.node = e.node;
      open.delete(e.process);
    }
  }
  return out;
}

/** Nemesis functions that undo a fault (`teardown` undoes all); every other nemesis function starts one. */
export function isHealF(f: string): boolean {
  return f === 'start' || f === 'resume' || f === 'heal' || f === 'teardown' || f.startsWith('stop-') || f.startsWith('reset-');
}

/** Heal ops closer than this to the previous one belong to the same (final) heal. */
export const HEAL_CHAIN_GAP_NS = 2e9;

const endOf = (o: TimedOp) => (Number.isFinite(o.endNs) ? o.endNs : o.invokeNs);

/**
 * When the last fault was healed: the end of the heal ops that follow the
 * last fault start one after the other (a later, separate heal such as the
 * nemesis teardown at the end of a run heals nothing new). 'none' when no
 * fault was started; undefined when no heal follows the last fault start.
 */
export function finalHeal(ops: readonly TimedOp[]): number | 'none' | undefined {
  const nemesis = ops.filter((o) => o.process === 'nemesis' && o.status !== 'fail');
  let lastFault = nemesis.length - 1;
  while (lastFault >= 0 && isHealF(nemesis[lastFault]!.f)) lastFault--;
  if (lastFault < 0) return 'none';
  const heals = nemesis.slice(lastFault + 1);
  if (heals.length === 0) return undefined;
  let end = endOf(heals[0]!);
  for (const h of heals.slice(1)) {
    if (h.invokeNs - end > HEAL_CHAIN_GAP_NS) break;
    end = Math.max(end, endOf(h));
  }
  return end;
}
