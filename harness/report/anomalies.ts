// Anomaly tables out of a checker's evidence (pure). Typed findings
// (CheckResult.findings) come first: one table per finding code, each row
// linked to its operations (findingTables). Results without them (old
// results.json files) fall back to the details: every checker keeps its
// examples as arrays in `details` (lost elements, double holders, stale reads,
// unavailability windows, forensics findings…); each non-empty array becomes
// a table, one row per example, nested fields flattened (`first.from`). Cells
// that name a history event (`index`, `from`, `until`, `…Index`), an
// operation (`opId`, `opIds`: the history's operation id) or a time (`…Ns`) become links the page resolves to the
// operation in the timeline. Counts beside the examples (`lostCount`) go in
// the table's caption.

import type { Finding } from '../checker/types.ts';

export type CellRef = { kind: 'event'; index: number } | { kind: 'op'; id: number } | { kind: 'timeMs'; ms: number };

export interface AnomalyCell {
  text: string;
  ref?: CellRef;
}

export interface AnomalyTable {
  /** The path of the array in the details (`overlaps`, `windows.writes`). */
  title: string;
  /** How many there were in all, when the checker counted more than it listed. */
  total?: number;
  columns: string[];
  rows: AnomalyCell[][];
}

const MAX_DEPTH = 4;
const MAX_COLUMNS = 12;
const MAX_ROWS = 200;
const MAX_CELL_CHARS = 300;
/** Arrays that are context, not findings. */
const NOT_ANOMALIES = new Set(['nodes', 'longest', 'steps', 'candidates', 'counts', 'stats', 'results', 'voters']);

const isEventKey = (k: string) => k === 'index' || k === 'from' || k === 'until' || /Index$/.test(k);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function cellText(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > MAX_CELL_CHARS ? `${s.slice(0, MAX_CELL_CHARS)}…` : s;
}

function refFor(key: string, v: unknown): CellRef | undefined {
  const last = key.split('.').at(-1)!;
  // A list of operation ids (forensics' `opIds`): the link goes to the first.
  if (last === 'opIds' && Array.isArray(v) && typeof v[0] === 'number') return { kind: 'op', id: v[0] };
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  if (last === 'opId') return { kind: 'op', id: v };
  if (isEventKey(last)) return { kind: 'event', index: v };
  if (/Ns$/.test(last)) return { kind: 'timeMs', ms: v / 1e6 };
  return undefined;
}

/** An example flattened to `path → value` (objects up to two levels). */
function flatten(x: unknown, prefix: string, out: Map<string, unknown>, depth: number): void {
  if (isObject(x) && depth < 2) {
    for (const [k, v] of Object.entries(x)) flatten(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
  } else out.set(prefix || 'value', x);
}

function table(title: string, xs: unknown[], total: number | undefined): AnomalyTable {
  const flat = xs.slice(0, MAX_ROWS).map((x) => { const m = new Map<string, unknown>(); flatten(x, '', m, 0); return m; });
  const columns: string[] = [];
  for (const m of flat) for (const k of m.keys()) if (!columns.includes(k) && columns.length < MAX_COLUMNS) columns.push(k);
  const rows = flat.map((m) => columns.map((c) => {
    const v = m.get(c);
    if (v === undefined) return { text: '' };
    const ref = refFor(c, v);
    return ref ? { text: cellText(v), ref } : { text: cellText(v) };
  }));
  return { title, columns, rows, ...(total !== undefined && total > xs.length ? { total } : {}) };
}

function countFor(parent: Record<string, unknown>, key: string): number | undefined {
  const singular = key.replace(/s$/, '');
  for (const k of [`${key}Count`, `${singular}Count`]) if (typeof parent[k] === 'number') return parent[k] as number;
  return undefined;
}

const FINDING_COLUMNS = ['message', 'ops', 'events', 'node', 'path', 'at'] as const;

function findingCell(f: Finding, column: typeof FINDING_COLUMNS[number]): AnomalyCell {
  const list = (xs: number[] | undefined) => (xs && xs.length > 0 ? xs.slice(0, 20).join(', ') + (xs.length > 20 ? ', …' : '') : '');
  switch (column) {
    case 'message': return { text: cellText(f.message) };
    case 'ops': return f.ops && f.ops.length > 0 ? { text: list(f.ops), ref: { kind: 'op', id: f.ops[0]! } } : { text: '' };
    case 'events': return f.events && f.events.length > 0 ? { text: list(f.events), ref: { kind: 'event', index: f.events[0]! } } : { text: '' };
    case 'node': return { text: cellText(`${f.node ?? ''}${f.logLine !== undefined ? ` server.log:${f.logLine}` : ''}`) };
    case 'path': return { text: cellText(f.path ?? '') };
    case 'at': return f.timeNs !== undefined ? { text: `${(f.timeNs / 1e9).toFixed(3)} s`, ref: { kind: 'timeMs', ms: f.timeNs / 1e6 } } : { text: '' };
  }
}

/** Typed findings as tables: one per code (violations before notes), only the columns some row fills. */
export function findingTables(findings: readonly Finding[]): AnomalyTable[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const title = f.severity === 'note' ? `${f.code} (note)` : f.code;
    (groups.get(title) ?? groups.set(title, []).get(title)!).push(f);
  }
  const order = [...groups.keys()].sort((a, b) => Number(a.endsWith('(note)')) - Number(b.endsWith('(note)')));
  return order.map((title) => {
    const rows = groups.get(title)!.slice(0, MAX_ROWS);
    const columns = FINDING_COLUMNS.filter((c) => c === 'message' || rows.some((f) => findingCell(f, c).text !== ''));
    return { title, columns: [...columns], rows: rows.map((f) => columns.map((c) => findingCell(f, c))) };
  });
}

/** A result's tables: its typed findings when it has them, else its details scraped. */
export function resultTables(r: { details: unknown; findings?: readonly Finding[] }): AnomalyTable[] {
  return Array.isArray(r.findings) ? findingTables(r.findings) : anomalyTables(r.details);
}

/** Every non-empty array of examples in `details`, as tables. */
export function anomalyTables(details: unknown): AnomalyTable[] {
  const out: AnomalyTable[] = [];
  const walk = (x: unknown, path: string, depth: number) => {
    if (!isObject(x) || depth > MAX_DEPTH) return;
    for (const [k, v] of Object.entries(x)) {
      const p = path ? `${path}.${k}` : k;
      if (Array.isArray(v)) {
        if (v.length > 0 && !NOT_ANOMALIES.has(k)) out.push(table(p, v, countFor(x, k)));
      } else walk(v, p, depth + 1);
    }
  };
  walk(details, '', 0);
  return out;
}
