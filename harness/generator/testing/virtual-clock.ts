// A virtual clock for interpreter tests: time moves only when the interpreter
// waits, straight to the next timer or wake-up time, so runs take no real time
// and are exactly repeatable.
import type { InterpreterClock } from '../interpreter.ts';

interface Timer { dueNs: number; seq: number; fire: () => void }

/** Lets every promise callback already queued run (not a sleep: no time passes). */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export class VirtualClock implements InterpreterClock {
  private now = 0;
  private seq = 0;
  private timers: Timer[] = [];

  nowNs(): number {
    return this.now;
  }

  /** A promise resolving `delayNs` from now on this clock. */
  after(delayNs: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ dueNs: this.now + Math.max(0, delayNs), seq: this.seq++, fire: resolve });
    });
  }

  async waitUntil(untilNs: number, wake: Promise<void>): Promise<void> {
    let woke = false;
    void wake.then(() => { woke = true; });
    await settle();
    if (woke) return;
    this.timers.sort((a, b) => a.dueNs - b.dueNs || a.seq - b.seq);
    const next = this.timers[0];
    if (next !== undefined && next.dueNs <= untilNs) {
      this.timers.shift();
      this.now = Math.max(this.now, next.dueNs);
      next.fire();
      await settle();
      return;
    }
    if (Number.isFinite(untilNs)) this.now = Math.max(this.now, untilNs);
    await settle();
  }
}
