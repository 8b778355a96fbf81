// Jepsen's text log of operations, as older Jepsen tests printed it and as
// Porcupine's etcd test data (`test_data/jepsen/*.log`) holds it: one line per
// event, `<LEVEL> <logger> - <process> <:type> <:f> <value>` separated by
// spaces or tabs, e.g. `INFO  jepsen.util - 3	:ok	:read	nil`. Other lines
// (set-up, nemesis chatter that does not fit the shape) are skipped.
//
// Differences from the EDN import: a `nil` read here is a read of nothing
// (the register's initial null), as Porcupine reads these logs, not "unknown";
// and a keyword value on a `fail` or `info` line (`:timed-out`) is the error.
import { normalizeValue } from './bytes.ts';
import { readEdnForms, Keyword, type EdnReadOptions, type EdnValue } from './edn-reader.ts';
import { ednToJson } from './edn.ts';
import { HistoryFormatError } from './errors.ts';
import { pairOperations } from './ops.ts';
import { HISTORY_FORMAT, type EventType, type History, type HistoryEvent } from './types.ts';

/** `LEVEL logger - process :type :f value…`; the value is the rest of the line. */
const LINE = /^[A-Z]+\s+\S+\s+-\s+(\d+|:nemesis)\s+:(invoke|ok|fail|info)\s+:?(\S+)(?:\s+(.*?))?\s*$/;
const INTEGER = /^-?\d{1,15}$/;
/** `[a b]`, a cas's argument: the common compound value, read without the EDN reader. */
const INTEGER_PAIR = /^\[(-?\d{1,15})[\s,]+(-?\d{1,15})\]$/;

/** True when `head` (the file's first bytes, as text) starts like a Jepsen log line. */
export function looksLikeJepsenLog(head: string): boolean {
  const first = head.trimStart().split('\n', 1)[0] ?? '';
  return /^[A-Z]+\s+\S+\s+-\s+(\d+|:nemesis)\s+:(invoke|ok|fail|info)\b/.test(first);
}

function valueOf(text: string | undefined, line: number, options: EdnReadOptions): EdnValue {
  if (text === undefined || text === '' || text === 'nil') return null;
  if (INTEGER.test(text)) return Number(text);
  const pair = INTEGER_PAIR.exec(text);
  if (pair !== null) return [Number(pair[1]), Number(pair[2])];
  let forms: EdnValue[];
  try {
    forms = readEdnForms(text, options);
  } catch (err) {
    if (err instanceof HistoryFormatError) throw new HistoryFormatError(err.code, `${err.message.replace(/^line \d+: /, '')}`, line);
    throw err;
  }
  if (forms.length !== 1) throw new HistoryFormatError('BAD_EDN', `expected one value after :f, got ${forms.length}`, line);
  return forms[0]!;
}

function eventOf(m: RegExpExecArray, index: number, line: number, options: EdnReadOptions): HistoryEvent {
  const [, process, type, f, rest] = m;
  const raw = valueOf(rest, line, options);
  const e: HistoryEvent = {
    index, process: process === ':nemesis' ? 'nemesis' : Number(process), type: type as EventType, f: f!, value: null, time: index,
  };
  if (raw instanceof Keyword && (type === 'fail' || type === 'info')) e.error = raw.name;
  else if (raw === null || typeof raw === 'number') e.value = raw;
  else {
    const r = normalizeValue(ednToJson(raw), false);
    if ('problem' in r) throw new HistoryFormatError('BAD_BYTES', r.problem, line);
    e.value = r.value;
  }
  return e;
}

/** Parses a Jepsen text log. Throws HistoryFormatError (and whatever `options.onProgress` throws). */
export function parseJepsenLog(text: string, options: EdnReadOptions = {}): History {
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    if ((i & 0x3fff) === 0) options.onProgress?.(i);
    const m = LINE.exec(rows[i]!);
    if (m === null) continue;
    events.push(eventOf(m, events.length, i + 1, options));
    lines.push(i + 1);
  }
  if (events.length === 0) throw new HistoryFormatError('BAD_EDN', 'no Jepsen log lines (`LEVEL logger - process :type :f value`) found');
  pairOperations(events, (p) => lines[p]);
  return { meta: { format: HISTORY_FORMAT, importedFrom: 'jepsen-log' }, events };
}
