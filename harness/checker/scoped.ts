// A checker applied to part of a history: the operations and notifications
// of some processes (one workload's clients in a run of several), plus what
// every checker may need (the nemesis and the harness's final readers).
import type { HistoryEvent, Process } from '../history/types.ts';
import { checkInput, type Checker } from './compose.ts';

export function scopedChecker(inner: Checker, label: string, accept: (p: Process) => boolean): Checker {
  const keep = (e: HistoryEvent) => e.process === 'nemesis' || e.f === 'final-tree' || accept(e.process);
  return {
    name: `${label}/${inner.name}`,
    check(input, budget) {
      const events = input.history.events.filter(keep);
      const r = inner.check(checkInput({ meta: input.history.meta, events }), budget);
      return { ...r, checker: `${label}/${r.checker}` };
    },
  };
}
