// The live progress line: on a terminal, one line rewritten in place on
// stderr; otherwise a plain line every `plainEveryMs`.
import type { Counts } from './recorder.ts';

export interface ProgressSource {
  elapsedMs(): number;
  counts(): Counts;
  activeFaults(): string[];
}

export function progressLine(s: ProgressSource, timeLimitS: number): string {
  const c = s.counts();
  const faults = s.activeFaults();
  return `[${(s.elapsedMs() / 1000).toFixed(0)}s/${timeLimitS}s] ${c.ok} ok, ${c.fail} fail, ${c.info} info` +
    ` | faults: ${faults.length > 0 ? faults.join('; ') : 'none'}`;
}

export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private lastPlainMs = 0;

  constructor(private readonly source: ProgressSource, private readonly timeLimitS: number,
    private readonly out: NodeJS.WriteStream = process.stderr, private readonly plainEveryMs = 10_000) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.out.isTTY ? 500 : 1000);
    this.timer.unref();
  }

  private tick(): void {
    const line = progressLine(this.source, this.timeLimitS);
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${line}`);
    } else if (this.source.elapsedMs() - this.lastPlainMs >= this.plainEveryMs) {
      this.lastPlainMs = this.source.elapsedMs();
      this.out.write(`${line}\n`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.out.isTTY) this.out.write('\r\x1b[K');
  }
}
