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
  invokeNs: number;
  /** When its completion was recorded; Infinity when it never was. */
  endNs: number;
}

export function timedOps(events: readonly HistoryEvent[]): TimedOp[] {
  const open = new Map<number | 'nemesis', TimedOp>();
  const out: TimedOp[] = [];
  for (const e of events) {
    if (NOTIFICATION_FS.has(e.f)) continue;
    const pending = open.get(e.process);
    if (e.type === 'invoke') {
      const op: TimedOp = { process: e.process, f: e.f, status: 'info', invokeNs: e.time, endNs: Infinity };
      if (e.node !== undefined) op.node = e.node;
      open.set(e.process, op);
      out.push(op);
    } else if (pending !== undefined && pending.f === e.f) {
      pending.status = e.type;
      pending.endNs = e.time;
      if (e.node !== undefined) pending.node = e.node;
      open.delete(e.process);
    }
  }
  return out;
}

/** Nemesis functions that undo a fault; every other nemesis function starts one. */
export function isHealF(f: string): boolean {
  return f === 'start' || f === 'resume' || f === 'heal' || f.startsWith('stop-') || f.startsWith('reset-');
}

/**
 * When the last fault was healed: the end of the last heal op after which no
 * fault starts. 'none' when there were no nemesis ops; undefined when a fault
 * started after the last heal (never healed).
 */
export function finalHeal(ops: readonly TimedOp[]): number | 'none' | undefined {
  const nemesis = ops.filter((o) => o.process === 'nemesis');
  if (nemesis.length === 0) return 'none';
  const last = nemesis.at(-1)!;
  if (!isHealF(last.f)) return undefined;
  return Number.isFinite(last.endNs) ? last.endNs : last.invokeNs;
}
