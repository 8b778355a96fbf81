// Pairs each invoke with its process's completion, and checks the sequence
// rules a history must follow: indices strictly increase, time never goes
// backwards, a process has at most one operation outstanding, and every
// completion answers an invoke of the same `f` (notifications, and the
// nemesis's bare `info` events as older Jepsen histories write them, stand alone).
import { HistoryFormatError } from './errors.ts';
import { NOTIFICATION_FS, type HistoryEvent, type Operation, type Process } from './types.ts';

export interface Notification {
  event: HistoryEvent;
  /** Position of the event in the history's event list. */
  position: number;
}

export interface PairedHistory {
  operations: Operation[];
  notifications: Notification[];
}

/** Maps an event's position in the list to a 1-based file line (for error messages). */
export type LineOf = (position: number) => number | undefined;

const noLines: LineOf = () => undefined;

function fromInvoke(id: number, e: HistoryEvent): Operation {
  const op: Operation = {
    id, process: e.process, f: e.f, input: e.value, output: undefined, status: 'info',
    invokeIndex: e.index, completeIndex: Infinity, invokeTimeNs: e.time, completeTimeNs: Infinity,
  };
  if (e.key !== undefined) op.key = e.key;
  if (e.node !== undefined) op.node = e.node;
  if (e.session !== undefined) op.session = e.session;
  return op;
}

function complete(op: Operation, e: HistoryEvent): void {
  op.status = e.type === 'invoke' ? 'info' : e.type;
  if (e.node !== undefined) op.node = e.node;
  if (e.session !== undefined) op.session = e.session;
  if (e.zxid !== undefined) op.zxid = e.zxid;
  if (e.error !== undefined) op.error = e.error;
  if (e.key !== undefined && op.key === undefined) op.key = e.key;
  if (e.type === 'info') return;
  op.output = e.value;
  op.completeIndex = e.index;
  op.completeTimeNs = e.time;
}

function checkOrder(events: HistoryEvent[], i: number, lineOf: LineOf): void {
  if (i === 0) return;
  const prev = events[i - 1]!;
  const e = events[i]!;
  if (e.index <= prev.index) {
    throw new HistoryFormatError('BAD_SEQUENCE', `index ${e.index} does not increase (previous ${prev.index})`, lineOf(i));
  }
  if (e.time < prev.time) {
    throw new HistoryFormatError('BAD_SEQUENCE', `time ${e.time} goes backwards (previous ${prev.time})`, lineOf(i));
  }
}

/** Pairs invokes with completions; an invoke never completed is `info`. Throws HistoryFormatError. */
export function pairOperations(events: HistoryEvent[], lineOf: LineOf = noLines): PairedHistory {
  const operations: Operation[] = [];
  const notifications: Notification[] = [];
  const pending = new Map<Process, Operation>();
  for (let i = 0; i < events.length; i++) {
    checkOrder(events, i, lineOf);
    const e = events[i]!;
    const open = pending.get(e.process);
    if (e.type === 'invoke') {
      if (open) {
        throw new HistoryFormatError('BAD_SEQUENCE',
          `process ${e.process} invokes '${e.f}' while its '${open.f}' (index ${open.invokeIndex}) is still pending`, lineOf(i));
      }
      const op = fromInvoke(operations.length, e);
      operations.push(op);
      pending.set(e.process, op);
    } else if (open && open.f === e.f) {
      complete(open, e);
      pending.delete(e.process);
    } else if ((NOTIFICATION_FS.has(e.f) && e.type === 'ok') || e.process === 'nemesis') {
      notifications.push({ event: e, position: i });
    } else {
      const why = open ? `its pending operation is '${open.f}'` : 'it has no pending invoke';
      throw new HistoryFormatError('BAD_SEQUENCE', `process ${e.process} completes '${e.f}' (${e.type}) but ${why}`, lineOf(i));
    }
  }
  return { operations, notifications };
}
