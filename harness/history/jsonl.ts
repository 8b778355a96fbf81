// JSON Lines: the first line is run metadata, every other line one event.
// Parsing validates each line (schema, then sequence) and reports the first
// problem with its line number. Formatting is what the harness streams.
import { normalizeValue } from './bytes.ts';
import { HistoryFormatError } from './errors.ts';
import { jsonNestsDeeperThan, MAX_NESTING_DEPTH } from './limits.ts';
import { pairOperations } from './ops.ts';
import { metadataProblem, eventProblem } from './schema.ts';
import type { History, HistoryEvent, RunMetadata } from './types.ts';

/** A `\u` escape of a surrogate: beside raw invalid bytes it would be ambiguous (see bytes.ts). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

/**
 * One line's JSON value. `escaped`: the line held raw invalid UTF-8, decoded
 * by decodeLossless; its strings become their exact bytes. Nesting deeper
 * than MAX_NESTING_DEPTH is refused before parsing.
 */
export function parseJsonLine(text: string, lineNo: number, escaped = false): unknown {
  if (jsonNestsDeeperThan(text, MAX_NESTING_DEPTH)) {
    throw new HistoryFormatError('TOO_DEEP', `values nest deeper than ${MAX_NESTING_DEPTH} levels: refused`, lineNo);
  }
  if (escaped && SURROGATE_ESCAPE.test(text)) {
    throw new HistoryFormatError('BAD_BYTES', 'raw invalid UTF-8 beside \\u escapes of surrogates: ambiguous', lineNo);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new HistoryFormatError('MALFORMED_LINE', `not valid JSON (${why})`, lineNo);
  }
  if (!escaped && !text.includes('"b64"')) return value;
  const r = normalizeValue(value, escaped);
  if ('problem' in r) throw new HistoryFormatError('BAD_BYTES', r.problem, lineNo);
  return r.value;
}

/** Takes a history line by line (as a file streams in) and validates each; `finish` pairs the operations. */
export class JsonlHistoryParser {
  private meta: RunMetadata | undefined;
  private readonly events: HistoryEvent[] = [];
  private readonly lines: number[] = [];

  /** One line, without its newline; blank lines are skipped. */
  add(line: string, lineNo: number, escaped = false): void {
    const row = line.trim();
    if (row.length === 0) return;
    const value = parseJsonLine(row, lineNo, escaped);
    const problem = this.meta === undefined ? metadataProblem(value) : eventProblem(value);
    if (problem !== null) throw new HistoryFormatError('MALFORMED_LINE', problem, lineNo);
    if (this.meta === undefined) this.meta = value as RunMetadata;
    else {
      this.events.push(value as HistoryEvent);
      this.lines.push(lineNo);
    }
  }

  finish(): History {
    if (this.meta === undefined) throw new HistoryFormatError('MALFORMED_LINE', 'empty history: no metadata line', 1);
    pairOperations(this.events, (p) => this.lines[p]);
    return { meta: this.meta, events: this.events };
  }
}

/** Parses and validates a whole JSONL history. Blank lines are skipped. */
export function parseJsonlHistory(text: string): History {
  const parser = new JsonlHistoryParser();
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) parser.add(rows[i]!, i + 1);
  return parser.finish();
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
