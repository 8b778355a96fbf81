// Jepsen EDN histories in and out. Import reads op maps (`:type :invoke/:ok/
// :fail/:info`, `:process`, `:f`, `:value`, optional `:index`, `:time`,
// `:error`), either one map per top-level form or one vector of maps.
// `#jepsen.independent.Tuple {:key k :value v}` (or the tuple written as a
// tagged vector) becomes our `key` + `value`; so does a top-level `:key`
// (a string or integer), as in Porcupine's kv histories. Export writes one op map per
// line, which Knossos reads back (`:key` is an extra field it ignores).
// As in Knossos' register models, an `:ok :read` whose value is nil means
// "we don't know what the read returned": it is imported as `info` (a read
// of unknown outcome, which the checkers drop). Bytes that are not UTF-8 are
// `{b64}` values (bytes.ts): read from raw bytes in a string or a
// `{:b64 "…"}` map, written as that map.
import { normalizeValue, setOwn } from './bytes.ts';
import { HistoryFormatError } from './errors.ts';
import { Keyword, Symbol_, Tagged, readEdnForms, type EdnReadOptions, type EdnValue } from './edn-reader.ts';
import { pairOperations } from './ops.ts';
import { HISTORY_FORMAT, type EventType, type History, type HistoryEvent, type Key } from './types.ts';

const TYPES = new Set<string>(['invoke', 'ok', 'fail', 'info']);

/**
 * EDN value -> JSON value: keywords and symbols become their names, maps
 * objects (a key that is a collection or bytes: its JSON text), sets arrays;
 * exact bytes stay `{b64}`. Recursive, but the reader
 * bounds nesting (MAX_NESTING_DEPTH).
 */
export function ednToJson(v: EdnValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Keyword || v instanceof Symbol_) return v.name;
  if (v instanceof Tagged) return { tag: v.tag, value: ednToJson(v.value) };
  if (Array.isArray(v)) return v.map(ednToJson);
  if (v instanceof Set) return [...v].map(ednToJson);
  if (!(v instanceof Map)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of v) {
    const key = ednToJson(k);
    setOwn(out, typeof key === 'object' && key !== null ? JSON.stringify(key) : String(key), ednToJson(x));
  }
  return out;
}

/** The op's value as JSON, its bytes forms canonical (`{:b64 "…"}` maps included). */
function jsonValue(v: EdnValue, position: number): unknown {
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v; // already canonical
  const r = normalizeValue(ednToJson(v), false);
  if ('problem' in r) throw new HistoryFormatError('BAD_BYTES', `op ${position}: ${r.problem}`);
  return r.value;
}

function field(m: Map<EdnValue, EdnValue>, name: string): EdnValue | undefined {
  return m.get(Keyword.of(name));
}

function independentTuple(v: EdnValue | undefined): { key: Key; value: EdnValue } | undefined {
  if (!(v instanceof Tagged) || !v.tag.endsWith('independent.Tuple')) return undefined;
  let key: EdnValue | undefined;
  let value: EdnValue | undefined;
  if (v.value instanceof Map) [key, value] = [field(v.value, 'key'), field(v.value, 'value')];
  else if (Array.isArray(v.value)) [key, value] = v.value;
  if (typeof key !== 'number' && typeof key !== 'string') return undefined;
  return { key, value: value ?? null };
}

function processOf(v: EdnValue | undefined, position: number): number | 'nemesis' {
  if (v instanceof Keyword && v.name === 'nemesis') return 'nemesis';
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  throw new HistoryFormatError('BAD_EDN', `op ${position}: :process must be a non-negative integer or :nemesis`);
}

function eventOf(form: EdnValue, position: number): HistoryEvent {
  if (!(form instanceof Map)) throw new HistoryFormatError('BAD_EDN', `op ${position}: expected an op map`);
  const type = field(form, 'type');
  if (!(type instanceof Keyword) || !TYPES.has(type.name)) {
    throw new HistoryFormatError('BAD_EDN', `op ${position}: :type must be :invoke, :ok, :fail or :info`);
  }
  const f = field(form, 'f');
  if (!(f instanceof Keyword) && typeof f !== 'string') throw new HistoryFormatError('BAD_EDN', `op ${position}: :f must be a keyword`);
  const rawValue = field(form, 'value') ?? null;
  const tuple = independentTuple(rawValue);
  const index = field(form, 'index');
  const time = field(form, 'time');
  const fName = f instanceof Keyword ? f.name : f;
  const unknownRead = type.name === 'ok' && fName === 'read' && rawValue === null;
  const e: HistoryEvent = {
    index: typeof index === 'number' ? index : position,
    process: processOf(field(form, 'process'), position),
    type: unknownRead ? 'info' : (type.name as EventType),
    f: fName,
    value: jsonValue(tuple ? tuple.value : rawValue, position),
    time: typeof time === 'number' && time >= 0 ? Math.round(time) : position,
  };
  const key = field(form, 'key');
  if (tuple) e.key = tuple.key;
  else if (typeof key === 'string' || (typeof key === 'number' && Number.isSafeInteger(key))) e.key = key;
  const error = field(form, 'error');
  if (error !== undefined && error !== null) e.error = typeof error === 'string' ? error : JSON.stringify(ednToJson(error));
  return e;
}

/** Parses a Jepsen EDN history. Throws HistoryFormatError (and whatever `options.onProgress` throws). */
export function parseEdnHistory(text: string, options: EdnReadOptions = {}): History {
  const forms = readEdnForms(text, options);
  const ops = forms.length === 1 && Array.isArray(forms[0]) ? forms[0] : forms;
  const events = ops.map(eventOf);
  // Jepsen stamps :time per worker thread, so neighbours can be a few ns out of
  // order; the order that counts is the history's. Clamp so time never goes back.
  for (let i = 1; i < events.length; i++) events[i]!.time = Math.max(events[i]!.time, events[i - 1]!.time);
  pairOperations(events, (p) => p + 1);
  return { meta: { format: HISTORY_FORMAT, importedFrom: 'edn' }, events };
}

function isKeywordName(s: string): boolean {
  return /^[A-Za-z*+!_?<>=-][A-Za-z0-9*+!_?<>=./-]*$/.test(s);
}

/** JSON value -> EDN text. Object keys become keywords when they can be. */
export function jsonToEdn(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jsonToEdn).join(' ')}]`;
  const entries = Object.entries(v as Record<string, unknown>).map(
    ([k, x]) => `${isKeywordName(k) ? `:${k}` : JSON.stringify(k)} ${jsonToEdn(x)}`,
  );
  return `{${entries.join(', ')}}`;
}

function keywordOrString(s: string): string {
  return isKeywordName(s) ? `:${s}` : JSON.stringify(s);
}

/** One op map per line, Jepsen's field names. */
export function formatEdnHistory(h: History): string {
  return h.events.map((e) => {
    const parts = [
      `:index ${e.index}`, `:type :${e.type}`,
      `:process ${e.process === 'nemesis' ? ':nemesis' : e.process}`,
      `:f ${keywordOrString(e.f)}`, `:value ${jsonToEdn(e.value)}`, `:time ${e.time}`,
    ];
    if (e.key !== undefined) parts.push(`:key ${jsonToEdn(e.key)}`);
    if (e.error !== undefined) parts.push(`:error ${JSON.stringify(e.error)}`);
    return `{${parts.join(', ')}}\n`;
  }).join('');
}
