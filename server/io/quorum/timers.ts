// The Zab core's named timers on real time: setting a name again replaces it.
// Re-arming a pending timer with the same delay (a learner's read timeout, on
// every packet) refreshes it in place instead of allocating a new one.
import type { TimerName } from '../../zab/effects.ts';

interface Armed {
  timeout: NodeJS.Timeout;
  delayMs: number;
}

export class NamedTimers {
  private readonly timers = new Map<TimerName, Armed>();

  constructor(private readonly fire: (name: TimerName) => void) {}

  set(name: TimerName, delayMs: number): void {
    const wantMs = Math.max(0, delayMs);
    const armed = this.timers.get(name);
    if (armed !== undefined && armed.delayMs === wantMs) {
      armed.timeout.refresh();
      return;
    }
    this.cancel(name);
    const entry: Armed = {
      delayMs: wantMs,
      timeout: setTimeout(() => {
        if (this.timers.get(name) !== entry) return;
        this.timers.delete(name);
        this.fire(name);
      }, wantMs),
    };
    this.timers.set(name, entry);
  }

  cancel(name: TimerName): void {
    const armed = this.timers.get(name);
    if (armed === undefined) return;
    clearTimeout(armed.timeout);
    this.timers.delete(name);
  }

  cancelAll(): void {
    for (const armed of this.timers.values()) clearTimeout(armed.timeout);
    this.timers.clear();
  }

  get pending(): TimerName[] {
    return [...this.timers.keys()];
  }
}
