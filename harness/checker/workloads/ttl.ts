// TTL workload (harness/workload/ttl.ts): what ZooKeeper promises about TTL
// nodes, and nothing more. The leader's container manager deletes a TTL node
// with no children once its wall clock, minus the node's mtime (the wall clock
// of the leader that stamped the last write), exceeds the TTL. It picks
// candidates from the committed tree and does not look again when it deletes
// them (ContainerManager, then a deleteContainer request), so a write that
// lands between the scan and the delete does not save the node.
//
// Gone while young (invalid): a node certainly gone (a synced read says
// NONODE, a touch fails with NONODE, the final list lacks it) before its TTL
// had passed since the last write the scan that deleted it must have seen,
// on the harness's monotonic clock. A clock offset can legally make a leader
// think a node older: mtime stamped while one clock was behind, checked while
// one was ahead. When the offsets in force (as far apart as any two
// servers' clocks could be in that window: the nemesis clock ops in the
// history) explain the early deletion, it is reported as "expired early
// because of a clock bump", not as invalid.
//
// Not expired (invalid): a node still there (a read sees it, a touch
// succeeds, the final list has it) long after its TTL passed since its last
// write ended: TTL + offset spread + check interval + a generous grace for
// elections (no leader, no container manager).
//
// Reappeared (invalid): seen again after it was certainly gone (paths are
// never created twice).
import type { Operation } from '../../history/types.ts';
import type { Checker, CheckInput } from '../compose.ts';
import type { CheckResult, Finding } from '../types.ts';
import { offsetSpans, offsetSpreadMs, type OffsetSpan } from './ttl-clocks.ts';
import { field, firstFew, result } from './util.ts';

export interface TtlCheckOptions {
  /** How long after a scan its delete may land (Apache: ~6 ms per candidate, rate-limited). */
  scanLagMs: number;
  /** How late a server may see a clock change (libfaketime re-reads its file every second in a JVM). */
  clockLagMs: number;
  /** The container manager's period on the servers (znode.container.checkIntervalMs). */
  checkIntervalMs: number;
  /** Extra time a due node may live on: elections and restarts leave no container manager running. */
  graceMs: number;
  /** Harness monotonic clock vs server wall clock rate difference (NTP slew) over a TTL. */
  toleranceMs: number;
}

export const DEFAULT_TTL_CHECK: TtlCheckOptions = { scanLagMs: 1000, clockLagMs: 2000, checkIntervalMs: 1000, graceMs: 20_000, toleranceMs: 50 };

const NODE_OPS = new Set(['create', 'touch', 'exists', 'getData']);

/** When a node was seen: the op, and the window [fromNs, toNs] in which the observation holds. */
interface Sighting {
  op: Operation;
  fromNs: number;
  toNs: number;
}

interface NodeHistory {
  path: string;
  ttlMs: number;
  create: Operation;
  /** create and touches that may have taken effect (ok or info), in invoke order. */
  writes: Operation[];
  present: Sighting[];
  absent: Sighting[];
}

function sighting(op: Operation): Sighting {
  return { op, fromNs: op.invokeTimeNs, toNs: op.completeTimeNs };
}

/** Is this op evidence that the node exists (true), is gone (false), or neither (undefined)? */
function observation(op: Operation): boolean | undefined {
  if (op.status === 'fail') return op.error === 'NONODE' && op.f !== 'create' ? false : undefined;
  if (op.status !== 'ok' || op.f === 'create') return undefined;
  if (op.f === 'exists') return field(op.output, 'stat') !== null;
  return true;
}

function nodeHistories(ops: readonly Operation[]): NodeHistory[] {
  const byPath = new Map<string, NodeHistory>();
  const mine = ops.filter((o) => o.process !== 'nemesis' && NODE_OPS.has(o.f)).sort((a, b) => a.invokeIndex - b.invokeIndex);
  for (const op of mine) {
    const path = field(op.input, 'path');
    if (typeof path !== 'string') continue;
    if (op.f === 'create') {
      const ttlMs = field(op.input, 'ttlMs');
      if (op.status !== 'fail' && typeof ttlMs === 'number') byPath.set(path, { path, ttlMs, create: op, writes: [op], present: [], absent: [] });
      continue;
    }
    const node = byPath.get(path);
    if (node === undefined) continue;
    if (op.f === 'touch' && op.status !== 'fail') node.writes.push(op);
    const seen = observation(op);
    if (seen !== undefined) (seen ? node.present : node.absent).push(sighting(op));
  }
  addFinalLists(ops, byPath);
  return [...byPath.values()];
}

/** The final list: every path it names is present, every created path it lacks is absent, from readAtNs on. */
function addFinalLists(ops: readonly Operation[], byPath: Map<string, NodeHistory>): void {
  for (const op of ops.filter((o) => o.process !== 'nemesis' && o.f === 'list' && o.status === 'ok')) {
    const children = field(op.output, 'children');
    const readAtNs = field(op.output, 'readAtNs');
    if (!Array.isArray(children)) continue;
    const listed = new Set(children);
    const s = { op, fromNs: typeof readAtNs === 'number' ? readAtNs : op.invokeTimeNs, toNs: op.completeTimeNs };
    for (const node of byPath.values()) (listed.has(node.path) ? node.present : node.absent).push(s);
  }
}

/** When the node certainly existed: its create's ack, or the end of the first sighting. */
function existedByNs(n: NodeHistory): number {
  const sightings = n.present.map((s) => s.toNs);
  return Math.min(n.create.status === 'ok' ? n.create.completeTimeNs : Infinity, ...sightings);
}

export interface EarlyDeletion {
  path: string;
  ttlMs: number;
  /** Age at the latest the delete could have happened, on the harness clock, from the write the deleting scan must have seen. */
  ageMs: number;
  /** How far apart servers' clocks may have been meanwhile (nemesis clock ops). */
  clockSpreadMs: number;
  lastWriteIndex: number;
  goneIndex: number;
  goneBy: string;
}

/**
 * The first certain absence, and the write the deleting scan must have seen:
 * the scan ran at most scanLagMs before the delete, and the delete came after
 * every write that succeeded and every sighting (the node is never created
 * again), so any write complete before (latest of those) - scanLagMs was
 * committed when the scan looked.
 */
function earlyDeletion(n: NodeHistory, spans: readonly OffsetSpan[], o: TtlCheckOptions): EarlyDeletion | undefined {
  const since = existedByNs(n);
  const gone = n.absent.filter((s) => s.fromNs > since).sort((a, b) => a.toNs - b.toNs)[0];
  if (gone === undefined) return undefined;
  const before = [...n.writes.filter((w) => w.status === 'ok'), ...n.present.map((s) => s.op)]
    .filter((x) => x.invokeTimeNs < gone.toNs).map((x) => x.invokeTimeNs);
  const scanNotBeforeNs = Math.max(...before, n.create.invokeTimeNs) - o.scanLagMs * 1e6;
  const seen = n.writes.filter((w) => w.completeTimeNs <= scanNotBeforeNs).at(-1) ?? n.create;
  const ageMs = (gone.toNs - seen.invokeTimeNs) / 1e6;
  if (ageMs + o.toleranceMs > n.ttlMs) return undefined;
  return { path: n.path, ttlMs: n.ttlMs, ageMs: Math.round(ageMs), clockSpreadMs: Math.round(offsetSpreadMs(spans, seen.invokeTimeNs, gone.toNs)),
    lastWriteIndex: seen.invokeIndex, goneIndex: gone.op.completeIndex, goneBy: goneBy(gone.op) };
}

function goneBy(op: Operation): string {
  if (op.f === 'list') return 'the final list lacks it';
  if (op.status === 'fail') return `${op.f} failed with NONODE`;
  return 'a synced exists found no node';
}

export interface LateNode {
  path: string;
  ttlMs: number;
  /** Since the last write's ack, on the harness clock, when it was still seen. */
  idleMs: number;
  boundMs: number;
  seenIndex: number;
}

/** The first sighting after the node was long due: TTL + clock spread + check interval + grace after its last write ended. */
function lateNode(n: NodeHistory, spans: readonly OffsetSpan[], o: TtlCheckOptions): LateNode | undefined {
  for (const s of n.present) {
    const last = n.writes.filter((w) => w.invokeTimeNs < s.fromNs && w !== s.op).at(-1);
    if (last === undefined || !Number.isFinite(last.completeTimeNs)) continue;
    const idleMs = (s.fromNs - last.completeTimeNs) / 1e6;
    const boundMs = n.ttlMs + offsetSpreadMs(spans, last.invokeTimeNs, s.fromNs) + o.checkIntervalMs + o.graceMs;
    if (idleMs > boundMs) return { path: n.path, ttlMs: n.ttlMs, idleMs: Math.round(idleMs), boundMs: Math.round(boundMs), seenIndex: s.op.completeIndex };
  }
  return undefined;
}

/** A sighting after a certain absence (the path is created once). */
function reappeared(n: NodeHistory): { path: string; goneIndex: number; seenIndex: number } | undefined {
  const since = existedByNs(n);
  const gone = n.absent.filter((s) => s.fromNs > since).sort((a, b) => a.toNs - b.toNs)[0];
  const back = gone && n.present.find((s) => s.fromNs > gone.toNs);
  return back ? { path: n.path, goneIndex: gone.op.completeIndex, seenIndex: back.op.completeIndex } : undefined;
}

export function checkTtl(input: CheckInput, opts: Partial<TtlCheckOptions> = {}): CheckResult {
  const o = { ...DEFAULT_TTL_CHECK, ...opts };
  const nodes = nodeHistories(input.operations);
  if (nodes.length === 0) return result('ttl', 'unknown', 'ttl: no TTL node was created: nothing to check', {});
  const meta = input.history.meta.nodes;
  const spans = offsetSpans(input.operations, Array.isArray(meta) ? meta : [], o.clockLagMs);
  const early = nodes.map((n) => earlyDeletion(n, spans, o)).filter((x) => x !== undefined);
  const young = early.filter((e) => e.ageMs + e.clockSpreadMs + o.toleranceMs <= e.ttlMs);
  const excused = early.filter((e) => !young.includes(e));
  const late = nodes.map((n) => lateNode(n, spans, o)).filter((x) => x !== undefined);
  const back = nodes.map(reappeared).filter((x) => x !== undefined);
  const expired = nodes.filter((n) => n.absent.some((s) => s.fromNs > existedByNs(n))).length;
  const counts = { nodes: nodes.length, expired, goneWhileYoung: young.length, expiredEarlyByClock: excused.length, notExpired: late.length, reappeared: back.length };
  const details = { ...counts, options: o, goneWhileYoung: firstFew(young), expiredEarlyByClock: firstFew(excused), notExpired: firstFew(late), reappearedExamples: firstFew(back) };
  const findings: Finding[] = [
    ...young.map((e) => ({ code: 'gone-young', path: e.path, events: [e.goneIndex, e.lastWriteIndex],
      message: `${e.path} gone (${e.goneBy}) at age ${Math.round(e.ageMs)} ms, TTL ${e.ttlMs} ms (clock spread ${Math.round(e.clockSpreadMs)} ms)` })),
    ...late.map((n) => ({ code: 'not-expired', path: n.path, events: [n.seenIndex],
      message: `${n.path} still there ${n.idleMs} ms after its last write, TTL ${n.ttlMs} ms (bound ${n.boundMs} ms)` })),
    ...back.map((b) => ({ code: 'reappeared', path: b.path, events: [b.seenIndex, b.goneIndex], message: `${b.path} seen again after it was gone` })),
    ...excused.map((e) => ({ code: 'expired-early-by-clock', severity: 'note' as const, path: e.path, events: [e.goneIndex, e.lastWriteIndex],
      message: `${e.path} gone at age ${Math.round(e.ageMs)} ms, TTL ${e.ttlMs} ms: excused by a clock spread of ${Math.round(e.clockSpreadMs)} ms` })),
  ];
  const clockNote = `${excused.length} expired early because of a clock bump`;
  const bad = [[young.length, 'gone while younger than its TTL'], [late.length, 'not expired long after its TTL'], [back.length, 'reappeared after it was gone']]
    .filter(([k]) => (k as number) > 0).map(([k, what]) => `${k} ${what}`);
  if (bad.length > 0) return result('ttl', 'invalid', `ttl: ${bad.join(', ')} (of ${nodes.length} nodes; ${clockNote})`, details, findings);
  return result('ttl', 'valid', `ttl: ${nodes.length} nodes, ${expired} seen expired, none gone young, none overdue; ${clockNote}`, details, findings);
}

export const ttlChecker: Checker = { name: 'ttl', check: (input) => checkTtl(input) };
