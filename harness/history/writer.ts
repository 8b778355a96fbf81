// Streams a history to a JSONL file as a run goes: the metadata line first,
// then one line per event, indices assigned here so they are dense and ordered.
import { createWriteStream, type WriteStream } from 'node:fs';
import { formatEventLine, formatMetadataLine } from './jsonl.ts';
import type { HistoryEvent, RunMetadata } from './types.ts';

export type NewEvent = Omit<HistoryEvent, 'index'>;

export class JsonlHistoryWriter {
  private readonly out: WriteStream;
  private nextIndex = 0;
  private lastTimeNs = 0;

  constructor(path: string, meta: RunMetadata) {
    this.out = createWriteStream(path, { flags: 'w' });
    this.out.write(formatMetadataLine(meta));
  }

  /** Appends one event and returns it with its index. Time must not go backwards. */
  append(e: NewEvent): HistoryEvent {
    if (e.time < this.lastTimeNs) throw new RangeError(`history time went backwards: ${e.time} < ${this.lastTimeNs}`);
    this.lastTimeNs = e.time;
    const event: HistoryEvent = { index: this.nextIndex++, ...e };
    this.out.write(formatEventLine(event));
    return event;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
