// Porcupine-style operations as JSON: Porcupine's `Operation{ClientId, Input,
// Call, Output, Return}`, one object per line or all in one array. Porcupine's
// Input and Output are whatever the model takes; here they are JSON:
//   Input  {"f": "write", "key": "x", "value": 3}  (`op` may stand for `f`; `key` optional)
//   Output the operation's result (a read's value), ignored for non-reads
//   Call, Return  integer timestamps; Return absent, null or -1: the operation
//                 never returned (info: it may take effect at any later time)
//   Status optional "ok" (default), "fail" (certainly did not happen) or "info".
// Events are ordered by time; at equal times calls come first (the operations
// overlap), as Porcupine orders them.
import { HistoryFormatError } from './errors.ts';
import { parseJsonLine } from './jsonl.ts';
import { jsonNestsDeeperThan, MAX_NESTING_DEPTH } from './limits.ts';
import { pairOperations } from './ops.ts';
import { HISTORY_FORMAT, type EventType, type History, type HistoryEvent, type Key } from './types.ts';

/** True when the file's first bytes look like Porcupine JSON operations (not a zooproof JSONL history). */
export function looksLikePorcupineJson(head: string): boolean {
  const s = head.trimStart();
  return /^\[\s*(\{\s*"|\]\s*$)/.test(s) || (s.startsWith('{') && /^\{[^\n]*"(ClientId|Call)"\s*:/.test(s));
}

interface Stamp {
  time: number;
  /** At equal times: 0 call, 1 return (calls first), -1 a return whose client calls again at that time. */
  order: -1 | 0 | 1;
  opNo: number;
  event: Omit<HistoryEvent, 'index' | 'time'>;
}

function int(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isSafeInteger(x) ? x : undefined;
}

function stampsOf(x: unknown, opNo: number, line: number | undefined): Stamp[] {
  const bad = (why: string) => new HistoryFormatError('MALFORMED_LINE', `operation ${opNo}: ${why}`, line);
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw bad('expected an object {ClientId, Input, Call, Output, Return}');
  const o = x as Record<string, unknown>;
  const client = int(o.ClientId), call = int(o.Call), ret = o.Return === undefined || o.Return === null ? -1 : int(o.Return);
  if (client === undefined || client < 0) throw bad('ClientId must be a non-negative integer');
  if (call === undefined || call < 0) throw bad('Call must be a non-negative integer');
  if (ret === undefined || (ret !== -1 && ret < call)) throw bad('Return must be an integer not before Call (or absent, null, -1)');
  const input = o.Input;
  const hasF = typeof input === 'object' && input !== null && !Array.isArray(input);
  const inObj = (hasF ? input : {}) as Record<string, unknown>;
  const f = inObj.f ?? inObj.op;
  if (typeof f !== 'string' || f.length === 0) throw bad('Input must be an object with a string "f" (or "op")');
  const status = o.Status ?? (ret === -1 ? 'info' : 'ok');
  if (status !== 'ok' && status !== 'fail' && status !== 'info') throw bad('Status must be "ok", "fail" or "info"');
  const base: Omit<HistoryEvent, 'index' | 'time' | 'type' | 'value'> = { process: client, f };
  const key = inObj.key;
  if (key !== undefined && typeof key !== 'string' && int(key) === undefined) throw bad('Input.key must be a string or an integer');
  if (key !== undefined) base.key = key as Key;
  const invoke: Stamp = { time: call, order: 0, opNo, event: { ...base, type: 'invoke', value: inObj.value ?? null } };
  // An operation that never returned completes as info at its call: info ops count as open to the end anyway.
  const endTime = ret === -1 ? call : ret;
  const type: EventType = status;
  const done: Stamp = { time: endTime, order: 1, opNo, event: { ...base, type, value: status === 'ok' ? (o.Output ?? null) : null } };
  return [invoke, done];
}

function toHistory(stamps: Stamp[]): History {
  const callsAt = new Map<string, number[]>();
  for (const s of stamps) if (s.order === 0) callsAt.set(`${s.event.process}@${s.time}`, [...(callsAt.get(`${s.event.process}@${s.time}`) ?? []), s.opNo]);
  for (const s of stamps) if (s.order === 1 && (callsAt.get(`${s.event.process}@${s.time}`) ?? []).some((n) => n !== s.opNo)) s.order = -1;
  stamps.sort((a, b) => a.time - b.time || a.order - b.order || a.opNo - b.opNo);
  const events: HistoryEvent[] = stamps.map((s, index) => ({ index, time: s.time, ...s.event }));
  pairOperations(events);
  return { meta: { format: HISTORY_FORMAT, importedFrom: 'porcupine-json' }, events };
}

/** Parses Porcupine JSON operations (an array, or one object per line). Throws HistoryFormatError. */
export function parsePorcupineJson(text: string): History {
  const stamps: Stamp[] = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    if (jsonNestsDeeperThan(trimmed, MAX_NESTING_DEPTH + 1)) {
      throw new HistoryFormatError('TOO_DEEP', `values nest deeper than ${MAX_NESTING_DEPTH} levels: refused`);
    }
    let ops: unknown;
    try {
      ops = JSON.parse(trimmed);
    } catch (err) {
      throw new HistoryFormatError('MALFORMED_LINE', `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!Array.isArray(ops)) throw new HistoryFormatError('MALFORMED_LINE', 'expected an array of operations');
    ops.forEach((op, i) => stamps.push(...stampsOf(op, i, undefined)));
    return toHistory(stamps);
  }
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (row.length > 0) stamps.push(...stampsOf(parseJsonLine(row, i + 1), stamps.length / 2, i + 1));
  }
  return toHistory(stamps);
}
