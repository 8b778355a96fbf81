// Watch events as an async iterator: pass `channel.watcher` wherever a
// Watcher is accepted, then `for await (const event of channel)`. The buffer
// is bounded; on overflow the channel ends with `overflowed` set rather than
// growing without limit. It ends by itself on Expired, AuthFailed and Closed
// (the session is gone, no more events can come).
import type { WatchedEvent, Watcher } from './watch-registry.ts';

export const DEFAULT_WATCH_BUFFER = 10_000;

export class WatchChannel implements AsyncIterable<WatchedEvent> {
  readonly watcher: Watcher;
  private readonly buffer: WatchedEvent[] = [];
  private readonly waiters: ((r: IteratorResult<WatchedEvent>) => void)[] = [];
  private ended = false;
  overflowed = false;

  constructor(private readonly maxBuffered = DEFAULT_WATCH_BUFFER) {
    this.watcher = (event) => this.push(event);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private push(event: WatchedEvent): void {
    if (this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter({ value: event, done: false });
    else if (this.buffer.length >= this.maxBuffered) {
      this.overflowed = true;
      this.end();
      return;
    } else this.buffer.push(event);
    if (isTerminal(event)) this.end();
  }

  /** No more events: pending and later next() calls finish once the buffer is drained. */
  end(): void {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<WatchedEvent>> {
    const event = this.buffer.shift();
    if (event !== undefined) return Promise.resolve({ value: event, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchedEvent> {
    return {
      next: () => this.next(),
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/**
 * A promise of what a one-shot watch delivers: the first node event, or a
 * terminal session event (Expired, AuthFailed, Closed) after which none can
 * come. Connection state events (Disconnected, SyncConnected) are skipped.
 */
export function nextEvent(): { watcher: Watcher; event: Promise<WatchedEvent> } {
  let resolve!: (e: WatchedEvent) => void;
  const event = new Promise<WatchedEvent>((r) => { resolve = r; });
  const watcher: Watcher = (e) => {
    if (e.type !== 'None' || isTerminal(e)) resolve(e);
  };
  return { watcher, event };
}

function isTerminal(e: WatchedEvent): boolean {
  return e.type === 'None' && (e.state === 'Expired' || e.state === 'AuthFailed' || e.state === 'Closed');
}
