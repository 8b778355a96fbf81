// The Zab core's named timers on real time: setting a name again replaces it.
import type { TimerName } from '../../zab/effects.ts';

export class NamedTimers {
  private readonly timers = new Map<TimerName, NodeJS.Timeout>();

  constructor(private readonly fire: (name: TimerName) => void) {}

  set(name: TimerName, delayMs: number): void {
    this.cancel(name);
    const t = setTimeout(() => {
      if (this.timers.get(name) !== t) return;
      this.timers.delete(name);
      this.fire(name);
    }, Math.max(0, delayMs));
    this.timers.set(name, t);
  }

  cancel(name: TimerName): void {
    const t = this.timers.get(name);
    if (t === undefined) return;
    clearTimeout(t);
    this.timers.delete(name);
  }

  cancelAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  get pending(): TimerName[] {
    return [...this.timers.keys()];
  }
}
