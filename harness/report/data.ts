// Everything the run report shows, as one JSON-serialisable value (pure):
// the summary, the client operations in columns (compact for 100k ops), the
// fault bands, the Zab lanes from cluster-state.jsonl, and each checker's
// evidence as tables (plus the linearizability counterexample, typed).
import { checkInput } from '../checker/compose.ts';
import type { IllegalExplanation } from '../checker/linear/explain.ts';
import type { Verdict } from '../checker/types.ts';
import type { History, Operation } from '../history/types.ts';
import type { ClusterStateRecord, StateRecord } from '../observe/types.ts';
import type { ResultsFile } from '../run/check.ts';
import { resultTables, type AnomalyTable } from './anomalies.ts';
import { valueText } from './escape.ts';
import { aboutChecker, verdictMeaning } from './explain.ts';
import { faultBands, type FaultBand } from './faults.ts';
import { WRITE_FS } from '../checker/forensics/acked-writes.ts';
import type { NodeHistory } from '../checker/forensics/node-history.ts';
import { logView, type LogView } from './log-view.ts';

/** Process ids from here on are the harness's final readers (harness/run/final-trees.ts). */
const FINAL_READER_BASE = 1_000_000_000;
/** Characters of one value kept for display (the whole value stays in history.jsonl). */
export const VALUE_CHARS_SHOWN = 2000;
export const STATUS_CODES = { ok: 0, fail: 1, info: 2 } as const;

/** Client operations, column-wise. Times in ms since the run began; string columns index `strings`. */
export interface OpColumns {
  /** The operation's id in the history (Operation.id: dense, in invoke order, nemesis ops included). */
  id: number[];
  /** Lane (client thread) of each op. */
  lane: number[];
  process: number[];
  f: number[];
  /** 0 ok, 1 fail, 2 info. */
  status: number[];
  startMs: number[];
  /** Completion time; for `info` the next op of the same lane (or the end): when the outcome became unknowable. */
  endMs: number[];
  invokeIndex: number[];
  /** -1 for info. */
  completeIndex: number[];
  /** -1 when none. */
  node: number[];
  session: number[];
  zxid: number[];
  error: number[];
  input: number[];
  output: number[];
}

export interface ZabSegment { node: string; fromMs: number; toMs: number; mode: string; epoch?: number; zxid?: string }
export interface ZabMark { node: string; atMs: number; kind: 'DIFF' | 'TRUNC' | 'SNAP' | 'election' | 'looking' | 'snapshot' | 'fatal'; text: string }

export interface CheckerView {
  checker: string;
  verdict: Verdict;
  summary: string;
  about: string;
  meaning: string;
  checkMs?: number;
  tables: AnomalyTable[];
  counterexample?: IllegalExplanation & { partition?: unknown };
}

export interface ReportData {
  format: 'zooproof-report/1';
  title: string;
  verdict: Verdict | 'error';
  scenario: string;
  workload?: string;
  seed?: unknown;
  target?: string;
  startedAt?: string;
  durationMs?: number;
  command?: string;
  expect?: string;
  bugs?: string[];
  harnessError?: string;
  versions?: unknown;
  config?: unknown;
  counts?: unknown;
  checkers: CheckerView[];
  lanes: string[];
  strings: string[];
  ops: OpColumns;
  endMs: number;
  faults: FaultBand[];
  zab: { nodes: string[]; segments: ZabSegment[]; marks: ZabMark[] };
  notifications: Array<{ atMs: number; lane: number; f: string; text: string }>;
  /** Every server's txn log side by side, when the run's node directories were there to read. */
  logs?: LogView;
}

class Strings {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string | undefined): number {
    if (s === undefined) return -1;
    let i = this.ids.get(s);
    if (i === undefined) { i = this.list.length; this.list.push(s); this.ids.set(s, i); }
    return i;
  }
}

const ms = (ns: number) => Math.round(ns / 1e3) / 1e3;

function laneOf(concurrency: number | undefined): (p: number) => string {
  return (p) => (p >= FINAL_READER_BASE ? 'final reads' : concurrency ? `client ${p % concurrency}` : `process ${p}`);
}

function columns(ops: readonly Operation[], lanes: string[], strings: Strings, endMs: number, concurrency: number | undefined): OpColumns {
  const c: OpColumns = { id: [], lane: [], process: [], f: [], status: [], startMs: [], endMs: [], invokeIndex: [], completeIndex: [],
    node: [], session: [], zxid: [], error: [], input: [], output: [] };
  const laneIds = new Map<string, number>();
  const name = laneOf(concurrency);
  const lastOfLane = new Map<number, number>();
  for (const o of ops) {
    if (o.process === 'nemesis') continue;
    const ln = name(o.process);
    let lane = laneIds.get(ln);
    if (lane === undefined) { lane = lanes.length; lanes.push(ln); laneIds.set(ln, lane); }
    const i = c.lane.length;
    const prev = lastOfLane.get(lane);
    if (prev !== undefined && c.status[prev] === STATUS_CODES.info) c.endMs[prev] = Math.max(c.startMs[prev]!, Math.min(c.endMs[prev]!, ms(o.invokeTimeNs)));
    lastOfLane.set(lane, i);
    c.id.push(o.id);
    c.lane.push(lane);
    c.process.push(o.process);
    c.f.push(strings.id(o.f));
    c.status.push(STATUS_CODES[o.status]);
    c.startMs.push(ms(o.invokeTimeNs));
    c.endMs.push(o.status === 'info' ? endMs : ms(o.completeTimeNs));
    c.invokeIndex.push(o.invokeIndex);
    c.completeIndex.push(Number.isFinite(o.completeIndex) ? o.completeIndex : -1);
    c.node.push(strings.id(o.node));
    c.session.push(strings.id(o.session));
    c.zxid.push(o.zxid ?? -1);
    c.error.push(strings.id(o.error));
    c.input.push(strings.id(valueText(o.input, VALUE_CHARS_SHOWN)));
    c.output.push(o.status === 'ok' ? strings.id(valueText(o.output, VALUE_CHARS_SHOWN)) : -1);
  }
  sortLanes(c, lanes);
  return c;
}

/** Lanes in order: clients by number, then the final readers. */
function sortLanes(c: OpColumns, lanes: string[]): void {
  const rank = (name: string) => (name === 'final reads' ? Infinity : Number(name.replace(/^\D+/, '')));
  const order = lanes.map((name, i) => ({ name, i })).sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  const newId = new Map(order.map((o, k) => [o.i, k]));
  for (let k = 0; k < c.lane.length; k++) c.lane[k] = newId.get(c.lane[k]!)!;
  lanes.splice(0, lanes.length, ...order.map((o) => o.name));
}

/** Segments of each node's mode (with epoch and zxid) between polls, and its log facts as marks. */
export function zabLanes(records: readonly ClusterStateRecord[], endMs: number): ReportData['zab'] {
  const nodes = [...new Set(records.map((r) => r.node))].sort();
  const segments: ZabSegment[] = [];
  const marks: ZabMark[] = [];
  const open = new Map<string, ZabSegment>();
  const sorted = [...records].sort((a, b) => a.timeNs - b.timeNs);
  for (const r of sorted) {
    const at = ms(r.timeNs);
    if (r.kind === 'state') {
      const s = r as StateRecord;
      const cur = open.get(s.node);
      if (cur && cur.mode === s.mode && cur.epoch === s.epoch && cur.zxid === s.zxid) continue;
      if (cur) cur.toMs = at;
      const seg: ZabSegment = { node: s.node, fromMs: at, toMs: endMs, mode: s.mode,
        ...(s.epoch !== undefined ? { epoch: s.epoch } : {}), ...(s.zxid !== undefined ? { zxid: s.zxid } : {}) };
      segments.push(seg);
      open.set(s.node, seg);
    } else if (r.kind === 'sync') {
      if (r.side === 'learner') marks.push({ node: r.node, atMs: at, kind: r.sync, text: `${r.sync} to ${r.zxid}: ${r.line}` });
    } else if (r.kind === 'election') {
      marks.push({ node: r.node, atMs: at, kind: r.phase === 'looking' ? 'looking' : 'election', text: r.line });
    } else marks.push({ node: r.node, atMs: at, kind: r.kind, text: r.line });
  }
  return { nodes, segments, marks };
}

/** Elements (set adds, queue enqueues) by their value, when one op alone added it: a lost element links to its add. */
function addedBy(operations: readonly Operation[]): Map<string, number> {
  const out = new Map<string, number>();
  const twice = new Set<string>();
  for (const o of operations) {
    if (o.f !== 'add' && o.f !== 'enqueue') continue;
    const k = typeof o.input === 'string' ? o.input : JSON.stringify(o.input);
    if (out.has(k)) twice.add(k);
    out.set(k, o.id);
  }
  for (const k of twice) out.delete(k);
  return out;
}

function linkElements(tables: AnomalyTable[], added: ReadonlyMap<string, number>): AnomalyTable[] {
  for (const t of tables) {
    if (t.columns.length !== 1 || t.columns[0] !== 'value') continue;
    for (const row of t.rows) {
      const id = added.get(row[0]!.text);
      if (id !== undefined && row[0]!.ref === undefined) row[0]!.ref = { kind: 'op', id };
    }
  }
  return tables;
}

function checkerViews(results: ResultsFile['checkers'], operations: readonly Operation[]): CheckerView[] {
  const added = addedBy(operations);
  return results.map((r) => {
    const view: CheckerView = { checker: r.checker, verdict: r.verdict, summary: r.summary, about: aboutChecker(r.checker),
      meaning: verdictMeaning(r.verdict), checkMs: r.checkMs, tables: [] };
    const d = r.details as Partial<IllegalExplanation> & { partition?: unknown } | null;
    if (r.checker.includes('linearizable:') && r.verdict === 'invalid' && d && Array.isArray(d.longest)) {
      view.counterexample = { firstUnlinearizable: d.firstUnlinearizable ?? null, longest: d.longest, deadEnd: d.deadEnd!, partition: d.partition };
    } else view.tables = linkElements(resultTables(r), added);
    return view;
  });
}

export interface ReportInput {
  history: History;
  /** results.json; absent for a history checked outside a run. */
  results?: ResultsFile;
  clusterState?: readonly ClusterStateRecord[];
  /** Each server's decoded txn log (harness/checker/forensics), for the log view. */
  nodeHistories?: readonly NodeHistory[];
}

function opOfZxid(ops: OpColumns, strings: readonly string[]): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < ops.lane.length; i++) {
    if (ops.status[i] === STATUS_CODES.ok && ops.zxid[i]! >= 0 && WRITE_FS.has(strings[ops.f[i]!]!)) out.set(ops.zxid[i]!, i);
  }
  return out;
}

export function buildReportData(input: ReportInput): ReportData {
  const { history, results } = input;
  const meta = history.meta;
  const config = (meta.config ?? {}) as { concurrency?: number; target?: string };
  const lastNs = history.events.length > 0 ? history.events[history.events.length - 1]!.time : 0;
  const stateEnd = (input.clusterState ?? []).reduce((m, r) => Math.max(m, r.timeNs), 0);
  const endMs = ms(Math.max(lastNs, stateEnd));
  const paired = checkInput(history);
  const strings = new Strings();
  const lanes: string[] = [];
  const ops = columns(paired.operations, lanes, strings, endMs, config.concurrency);
  const laneIndex = new Map(lanes.map((l, i) => [l, i]));
  const name = laneOf(config.concurrency);
  const notifications = paired.notifications.filter((n) => n.event.process !== 'nemesis').map((n) => ({
    atMs: ms(n.event.time), lane: laneIndex.get(name(n.event.process as number)) ?? -1, f: n.event.f, text: valueText(n.event.value, 300) }));
  const scenario = results?.scenario ?? (typeof meta.scenario === 'string' ? meta.scenario : results?.workload ?? 'history');
  const verdict = results ? (results.harnessError !== undefined ? 'error' : results.verdict) : 'unknown';
  return {
    format: 'zooproof-report/1', title: `${scenario} seed ${String(results?.seed ?? meta.seed ?? '?')}`, verdict, scenario,
    workload: results?.workload ?? (meta.workload as string | undefined), seed: results?.seed ?? meta.seed, target: config.target,
    startedAt: meta.startedAt, durationMs: results?.durationMs, command: results?.command ?? (meta.command as string | undefined),
    expect: results?.expect, bugs: results?.bugs, harnessError: results?.harnessError, versions: meta.versions, config: meta.config,
    counts: results?.counts, checkers: checkerViews(results?.checkers ?? [], paired.operations), lanes, strings: strings.list, ops, endMs,
    faults: faultBands(paired.operations, endMs), zab: zabLanes(input.clusterState ?? [], endMs), notifications,
    ...(input.nodeHistories && input.nodeHistories.length > 0 ? { logs: logView(input.nodeHistories, opOfZxid(ops, strings.list)) } : {}),
  };
}
