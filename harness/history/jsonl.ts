// JSON Lines: the first line is run metadata, every other line one event.
// Parsing validates each line (schema, then sequence) and reports the first
// problem with its line number. Formatting is what the harness streams.
import { HistoryFormatError } from './errors.ts';
import { pairOperations } from './ops.ts';
import { metadataProblem, eventProblem } from './schema.ts';
import type { History, HistoryEvent, RunMetadata } from './types.ts';

function parseLine(text: string, lineNo: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new HistoryFormatError('MALFORMED_LINE', `not valid JSON (${why})`, lineNo);
  }
}

/** Parses and validates a whole JSONL history. Blank lines are skipped. */
export function parseJsonlHistory(text: string): History {
  let meta: RunMetadata | undefined;
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (row.length === 0) continue;
    const value = parseLine(row, i + 1);
    const problem = meta === undefined ? metadataProblem(value) : eventProblem(value);
    if (problem !== null) throw new HistoryFormatError('MALFORMED_LINE', problem, i + 1);
    if (meta === undefined) meta = value as RunMetadata;
    else {
      events.push(value as HistoryEvent);
      lines.push(i + 1);
    }
  }
  if (meta === undefined) throw new HistoryFormatError('MALFORMED_LINE', 'empty history: no metadata line', 1);
  pairOperations(events, (p) => lines[p]);
  return { meta, events };
}

/** One JSONL line (with its newline) for the metadata record. */
export function formatMetadataLine(meta: RunMetadata): string {
  return `${JSON.stringify(meta)}\n`;
}

/** One JSONL line (with its newline) for an event; fields in the documented order. */
export function formatEventLine(e: HistoryEvent): string {
  const ordered: Record<string, unknown> = {
    index: e.index, process: e.process, type: e.type, f: e.f, value: e.value ?? null, time: e.time,
  };
  for (const k of ['key', 'node', 'session', 'zxid', 'error'] as const) if (e[k] !== undefined) ordered[k] = e[k];
  return `${JSON.stringify(ordered)}\n`;
}

export function formatJsonlHistory(h: History): string {
  return formatMetadataLine(h.meta) + h.events.map(formatEventLine).join('');
}
