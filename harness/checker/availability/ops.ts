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
  /** The cluster answered it: `ok`, or `fail` with an error only a serving server gives (BADVERSION, NODEEXISTS…). */
  served: boolean;
  invokeNs: number;
  /** When its completion was recorded; Infinity when it never was. */
  endNs: number;
}

/**
 * Errors a server gives only when it is serving (a cas that lost its race, a create of an existing
 * node): the op failed, but the cluster was available. Connection loss, timeouts, a session that
 * expired or moved, and errors raised by the client are not in it.
 */
export const SERVER_ANSWERS: ReadonlySet<string> = new Set([
  'NODEEXISTS', 'NONODE', 'BADVERSION', 'NOTEMPTY', 'NOCHILDRENFOREPHEMERALS', 'BADARGUMENTS', 'INVALIDACL', 'NOAUTH',
]);

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
      pending.served = e.type === 'ok' || (e.type === 'fail' && e.error !== undefined && SERVER_ANSWERS.has(e.error));
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
