// Txn log reads (for a learner's DIFF) run beside the disk writes, but never
// while the log is being truncated: reads share the gate, a truncation holds
// it alone. A waiting truncation goes before reads that arrive after it, so
// reads cannot starve it.

export class TruncationGate {
  private readers = 0;
  private truncating = false;
  private readonly waiting: { readonly exclusive: boolean; readonly wake: () => void }[] = [];

  get activeReaders(): number {
    return this.readers;
  }

  /** Runs `read` once no truncation runs or waits ahead of it. */
  async shared<T>(read: () => Promise<T>): Promise<T> {
    if (this.truncating || this.waiting.length > 0) await new Promise<void>((wake) => this.waiting.push({ exclusive: false, wake }));
    else this.readers++;
    try {
      return await read();
    } finally {
      this.readers--;
      this.admit();
    }
  }

  /** Runs `truncate` alone: after the reads in progress, before reads that come later. */
  async exclusive<T>(truncate: () => Promise<T>): Promise<T> {
    if (this.truncating || this.readers > 0 || this.waiting.length > 0) {
      await new Promise<void>((wake) => this.waiting.push({ exclusive: true, wake }));
    } else {
      this.truncating = true;
    }
    try {
      return await truncate();
    } finally {
      this.truncating = false;
      this.admit();
    }
  }

  /** Wakes the next truncation when nothing runs, or every read at the head of the queue. */
  private admit(): void {
    if (this.truncating) return;
    const head = this.waiting[0];
    if (head === undefined) return;
    if (head.exclusive) {
      if (this.readers > 0) return;
      this.waiting.shift();
      this.truncating = true;
      head.wake();
      return;
    }
    while (this.waiting[0] !== undefined && !this.waiting[0].exclusive) {
      this.readers++;
      this.waiting.shift()!.wake();
    }
  }
}
