// The clock each node is shown: an offset from true time and a rate, written
// to the node's libfaketime timestamp file. Nodes running at a rate other than
// 1 get their offset moved every TICK_MS by a timer.
import { writeFileSync } from 'node:fs';
import { driftedOffsetMs, faketimeOffsetText } from './clock-file.ts';

export const TICK_MS = 50;

interface NodeClock {
  offsetMs: number;
  rate: number;
  rateSinceMs: number;
}

export class NodeClocks {
  private readonly clocks = new Map<string, NodeClock>();
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly clockFileOf: (node: string) => string, private readonly nowMs: () => number = Date.now) {}

  /** The node's offset from true time now (ms). */
  offsetMs(node: string): number {
    const c = this.clocks.get(node);
    return c === undefined ? 0 : driftedOffsetMs(c.offsetMs, c.rate, this.nowMs() - c.rateSinceMs);
  }

  bump(node: string, deltaMs: number): void {
    const c = this.clocks.get(node);
    this.set(node, { rate: 1, rateSinceMs: this.nowMs(), ...c, offsetMs: (c?.offsetMs ?? 0) + deltaMs });
  }

  setRate(node: string, rate: number): void {
    this.set(node, { offsetMs: this.offsetMs(node), rate, rateSinceMs: this.nowMs() });
  }

  /** Writes an offset without remembering it (a strobe's flip). */
  show(node: string, offsetMs: number): void {
    writeFileSync(this.clockFileOf(node), faketimeOffsetText(offsetMs));
  }

  reset(node: string): void {
    this.clocks.delete(node);
    this.show(node, 0);
    this.syncTicker();
  }

  stop(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private set(node: string, c: NodeClock): void {
    this.clocks.set(node, c);
    this.show(node, this.offsetMs(node));
    this.syncTicker();
  }

  private syncTicker(): void {
    const drifting = [...this.clocks.values()].some((c) => c.rate !== 1);
    if (drifting && this.ticker === undefined) {
      this.ticker = setInterval(() => {
        for (const [node, c] of this.clocks) if (c.rate !== 1) this.show(node, this.offsetMs(node));
      }, TICK_MS);
    }
    if (!drifting) this.stop();
  }
}
