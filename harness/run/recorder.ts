// The history as the run goes: each event is written with a synchronous
// append, so a crashed or killed run still leaves every event recorded before
// it died. Counts ok / fail / info for the progress line.
import { closeSync, openSync, writeSync } from 'node:fs';
import { formatEventLine, formatMetadataLine } from '../history/jsonl.ts';
import type { HistoryEvent, RunMetadata } from '../history/types.ts';
import type { NewEvent } from '../history/writer.ts';

export interface Counts { ok: number; fail: number; info: number; invoke: number }

export class HistoryRecorder {
  private fd: number | null;
  private nextIndex = 0;
  private lastTimeNs = 0;
  readonly counts: Counts = { ok: 0, fail: 0, info: 0, invoke: 0 };
  readonly clientCounts: Counts = { ok: 0, fail: 0, info: 0, invoke: 0 };

  constructor(readonly path: string, meta: RunMetadata) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, formatMetadataLine(meta));
  }

  /** Appends one event (dropped after close: late completions of abandoned ops). Time never goes backwards. */
  append(e: NewEvent): HistoryEvent | null {
    if (this.fd === null) return null;
    const time = Math.max(e.time, this.lastTimeNs);
    this.lastTimeNs = time;
    const event: HistoryEvent = { index: this.nextIndex++, ...e, time };
    writeSync(this.fd, formatEventLine(event));
    this.counts[e.type]++;
    if (e.process !== 'nemesis' && e.f !== 'watch-event' && e.f !== 'session-expired') this.clientCounts[e.type]++;
    return event;
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
