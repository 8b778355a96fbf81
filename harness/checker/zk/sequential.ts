// ZooKeeper's ordered sequential consistency (protocol reference, section 4):
// writes are linearizable; every read returns a state in the commit order;
// per session that order never goes backwards (across reconnects too); a
// session reads its own writes. Stale reads are allowed for plain reads and
// reported separately; after a sync() they are a finding, not a violation.
import type { Operation } from '../../history/types.ts';
import { checkLinearizable } from '../linear/check.ts';
import { znode } from '../models/znode.ts';
import type { Checker, CheckInput } from '../compose.ts';
import type { Budget, CheckResult, Finding } from '../types.ts';
import { clientOps, field, firstFew, result, tally } from '../workloads/util.ts';
import { CommitTimeline, READ_FS, WRITE_FS, type ReadView } from './timeline.ts';
import { staleReads } from './stale.ts';

export interface Violation {
  kind: 'write-order' | 'future-read' | 'phantom-read' | 'went-back' | 'zxid-went-back';
  index: number;
  process: Operation['process'];
  session?: string;
  detail: string;
}

function violation(kind: Violation['kind'], o: Operation, detail: string): Violation {
  const v: Violation = { kind, index: o.invokeIndex, process: o.process, detail };
  if (o.session !== undefined) v.session = o.session;
  return v;
}

/** Write zxids are unique and respect real time. */
function writeOrder(ops: readonly Operation[]): Violation[] {
  const out: Violation[] = [];
  const writes = ops.filter((o) => WRITE_FS.has(o.f) && o.status === 'ok' && o.zxid !== undefined);
  const seen = new Map<number, Operation>();
  for (const w of writes) {
    const other = seen.get(w.zxid!);
    if (other) out.push(violation('write-order', w, `zxid ${w.zxid} given to two writes (indices ${other.invokeIndex} and ${w.invokeIndex})`));
    seen.set(w.zxid!, w);
  }
  const byComplete = [...writes].sort((a, b) => a.completeIndex - b.completeIndex);
  const byInvoke = [...writes].sort((a, b) => a.invokeIndex - b.invokeIndex);
  let i = 0, maxDone = -1, maxOp: Operation | undefined;
  for (const w of byInvoke) {
    for (; i < byComplete.length && byComplete[i]!.completeIndex < w.invokeIndex; i++) {
      if (byComplete[i]!.zxid! > maxDone) [maxDone, maxOp] = [byComplete[i]!.zxid!, byComplete[i]];
    }
    if (w.zxid! <= maxDone) out.push(violation('write-order', w, `write got zxid ${w.zxid}, but a write that finished before it began got ${maxDone} (index ${maxOp!.invokeIndex})`));
  }
  return out;
}

/** A read's mzxid must be a write to that path, with that data, no newer than the reply. */
function readWitness(v: ReadView, t: CommitTimeline): Violation | null {
  const o = v.op;
  if (v.mzxid === undefined) return null;
  if (o.zxid !== undefined && v.mzxid > o.zxid) return violation('future-read', o, `read state with mzxid ${v.mzxid} from a server at zxid ${o.zxid}`);
  const w = t.writeAt.get(v.mzxid);
  if (w === undefined) {
    return t.uncertain.has(v.path) ? null : violation('phantom-read', o, `read ${v.path} at mzxid ${v.mzxid}, which no known write produced`);
  }
  if (w.f === 'delete' || field(w.input, 'path') !== v.path) {
    return violation('phantom-read', o, `read ${v.path} at mzxid ${v.mzxid}, but zxid ${v.mzxid} was ${w.f} of ${String(field(w.input, 'path'))}`);
  }
  const readVersion = field(field(o.output, 'stat'), 'version');
  const wroteVersion = w.f === 'create' ? 0 : field(field(w.output, 'stat'), 'version');
  if (typeof readVersion === 'number' && typeof wroteVersion === 'number' && readVersion !== wroteVersion) {
    return violation('phantom-read', o, `read ${v.path} version ${readVersion} at mzxid ${v.mzxid}, but that write made version ${wroteVersion}`);
  }
  const data = field(o.output, 'data');
  if (o.f === 'getData' && JSON.stringify(data ?? null) !== JSON.stringify(field(w.input, 'data') ?? null)) {
    return violation('phantom-read', o, `read ${v.path} = ${JSON.stringify(data)} at mzxid ${v.mzxid}, but that write set ${JSON.stringify(field(w.input, 'data'))}`);
  }
  return null;
}

/** Per session: positions never go backwards, including past the session's own writes. */
function sessionOrder(ops: readonly Operation[], t: CommitTimeline): Violation[] {
  const out: Violation[] = [];
  const bySession = new Map<string, Operation[]>();
  for (const o of ops) if (o.session !== undefined && o.status === 'ok') (bySession.get(o.session) ?? bySession.set(o.session, []).get(o.session)!).push(o);
  for (const list of bySession.values()) {
    list.sort((a, b) => a.invokeIndex - b.invokeIndex);
    const done = [...list].sort((a, b) => a.completeIndex - b.completeIndex);
    let j = 0, floor = -1, lastReply = -1;
    for (const o of list) {
      for (; j < done.length && done[j]!.completeIndex < o.invokeIndex; j++) {
        const d = done[j]!;
        floor = Math.max(floor, d.zxid ?? -1, t.view(d)?.lo ?? -1);
        lastReply = Math.max(lastReply, d.zxid ?? -1);
      }
      if (o.zxid !== undefined && o.zxid < lastReply) out.push(violation('zxid-went-back', o, `reply zxid ${o.zxid} after the session had seen ${lastReply}`));
      const v = t.view(o);
      if (v && v.hi < floor) out.push(violation('went-back', o, `read of ${v.path} returned a state superseded at zxid ${v.hi + 1}, after the session had seen zxid ${floor}`));
    }
  }
  return out;
}

export function checkSequential(ops: readonly Operation[], budget: Budget): CheckResult {
  const znodeOps = clientOps(ops, ...WRITE_FS, ...READ_FS, 'sync');
  const writes = checkLinearizable(znode, znodeOps.filter((o) => WRITE_FS.has(o.f)), budget);
  const t = new CommitTimeline(znodeOps);
  const reads = znodeOps.map((o) => t.view(o)).filter((v): v is ReadView => v !== null);
  const violations = [...writeOrder(znodeOps), ...reads.map((v) => readWitness(v, t)).filter((v): v is Violation => v !== null), ...sessionOrder(znodeOps, t)];
  violations.sort((a, b) => a.index - b.index);
  const stale = staleReads(znodeOps, reads);
  const details = { writes: writes.details, writeVerdict: writes.verdict, reads: reads.length,
    violations: firstFew(violations), violationCount: violations.length, staleReads: stale };
  const findings: Finding[] = [...(writes.verdict === 'invalid' ? writes.findings ?? [] : []),
    ...violations.map((v) => ({ code: v.kind, message: v.detail, events: [v.index] })),
    ...stale.examples.filter((x) => x.afterSync).map((x) => ({ code: 'stale-read-after-sync', severity: 'note' as const,
      message: `read of ${x.path} behind by ${x.behindBy} zxid(s) after the session's sync()`, events: [x.index], path: x.path }))];
  const staleText = `${stale.count} stale read(s)${stale.afterSync > 0 ? `, ${stale.afterSync} after sync()` : ''}`;
  if (writes.verdict === 'invalid') return result('zk-sequential', 'invalid', `writes ${writes.summary}`, details, findings);
  if (violations.length > 0) {
    const kinds = tally(Object.fromEntries(['write-order', 'future-read', 'phantom-read', 'went-back', 'zxid-went-back'].map((k) => [k, violations.filter((v) => v.kind === k)])));
    return result('zk-sequential', 'invalid', `ordered sequential consistency violated: ${kinds}; first: ${violations[0]!.detail}`, details, findings);
  }
  if (writes.verdict === 'unknown') return result('zk-sequential', 'unknown', `writes: ${writes.summary}`, details, findings);
  return result('zk-sequential', 'valid', `ordered sequential consistency holds (${reads.length} reads placed; ${staleText})`, details, findings);
}

export const zkSequential: Checker = { name: 'zk-sequential', check: (input: CheckInput, budget) => checkSequential(input.operations, budget) };
