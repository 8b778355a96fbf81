// Sequential znodes: ZooKeeper appends the parent's 10-digit counter to a
// sequential create's name, so under one parent no sequence number is ever
// handed out twice, and numbers increase with the zxids of the creates.
// Evidence: the paths ok sequential creates returned (with their zxids), and
// every sequential-looking child of those parents in the final trees (with
// its czxid): this covers indeterminate creates that took effect. A number
// bound to two different zxids was handed out twice; two creates whose
// numbers are in the opposite order of their zxids went out of order.
import type { Operation } from '../../history/types.ts';
import type { Checker, CheckInput } from '../compose.ts';
import type { CheckResult, Finding } from '../types.ts';
import { baseName, finalTrees, parentOf } from './final-trees.ts';
import { clientOps, field, firstFew, result, tally } from './util.ts';

const SEQUENCE = /(\d{10})$/;
/** Ops that create a sequential znode and report its path in their output. */
const SEQUENTIAL_FS = ['enqueue', 'acquire', 'create'];

export interface Handout {
  parent: string;
  name: string;
  seq: number;
  zxid: number;
  /** Where it was seen: `op <invoke index>` or `final tree <node>`. */
  source: string;
}

export interface SequenceProblem {
  kind: 'handed-out-twice' | 'out-of-order';
  parent: string;
  detail: string;
  /** For findings only (not in details): the two sightings in conflict. */
  involved?: Handout[];
}

function isSequentialCreate(o: Operation): boolean {
  if (o.f !== 'create') return true;
  const mode = field(o.input, 'mode');
  return field(o.input, 'sequential') === true || (typeof mode === 'string' && mode.includes('SEQUENTIAL'));
}

function handout(path: string, zxid: number, source: string): Handout | undefined {
  const m = SEQUENCE.exec(baseName(path));
  return m ? { parent: parentOf(path), name: baseName(path), seq: Number(m[1]), zxid, source } : undefined;
}

export function handouts(ops: readonly Operation[]): Handout[] {
  const out: Handout[] = [];
  for (const o of clientOps(ops, ...SEQUENTIAL_FS)) {
    const path = field(o.output, 'path');
    if (o.status !== 'ok' || o.zxid === undefined || typeof path !== 'string' || !isSequentialCreate(o)) continue;
    const h = handout(path, o.zxid, `op ${o.invokeIndex}`);
    if (h) out.push(h);
  }
  const parents = new Set(out.map((h) => h.parent));
  for (const t of finalTrees(ops)) {
    for (const [path, z] of Object.entries(t.tree)) {
      const czxid = field(z, 'czxid');
      if (!parents.has(parentOf(path)) || typeof czxid !== 'number') continue;
      const h = handout(path, czxid, `final tree ${t.node}`);
      if (h) out.push(h);
    }
  }
  return out;
}

function problemsUnder(parent: string, hs: Handout[]): SequenceProblem[] {
  const out: SequenceProblem[] = [];
  const bySeq = new Map<number, Handout[]>();
  for (const h of hs) (bySeq.get(h.seq) ?? bySeq.set(h.seq, []).get(h.seq)!).push(h);
  for (const seen of bySeq.values()) {
    const other = seen.find((h) => h.zxid !== seen[0]!.zxid);
    if (other === undefined) continue;
    out.push({ kind: 'handed-out-twice', parent, detail: `${other.name} under ${parent} created at zxid ${seen[0]!.zxid} ` +
      `(${seen[0]!.source}) and at zxid ${other.zxid} (${other.source})`, involved: [seen[0]!, other] });
  }
  const unique = [...bySeq.values()].map((seen) => seen[0]!).sort((a, b) => a.zxid - b.zxid);
  for (let i = 1; i < unique.length; i++) {
    const [a, b] = [unique[i - 1]!, unique[i]!];
    if (b.zxid > a.zxid && b.seq <= a.seq) {
      out.push({ kind: 'out-of-order', parent, detail: `${b.name} (zxid ${b.zxid}, ${b.source}) numbered below ` +
        `${a.name} (zxid ${a.zxid}, ${a.source}) under ${parent}`, involved: [b, a] });
    }
  }
  return out;
}

/** A problem's sightings as events (`op <invoke index>`) and a node (`final tree <node>`). */
function sequenceFinding(p: SequenceProblem): Finding {
  const hs = p.involved ?? [];
  const events = hs.map((h) => /^op (\d+)$/.exec(h.source)).filter((m) => m !== null).map((m) => Number(m[1]));
  const node = hs.map((h) => /^final tree (.+)$/.exec(h.source)?.[1]).find((n) => n !== undefined);
  return { code: p.kind, message: p.detail, path: hs[0] ? `${p.parent === '/' ? '' : p.parent}/${hs[0].name}` : p.parent,
    ...(events.length > 0 ? { events } : {}), ...(node !== undefined ? { node } : {}) };
}

export function checkSequentialUnique(input: CheckInput): CheckResult {
  const all = handouts(input.operations);
  const byParent = new Map<string, Handout[]>();
  for (const h of all) (byParent.get(h.parent) ?? byParent.set(h.parent, []).get(h.parent)!).push(h);
  const problems = [...byParent].flatMap(([parent, hs]) => problemsUnder(parent, hs));
  const twice = problems.filter((p) => p.kind === 'handed-out-twice');
  const order = problems.filter((p) => p.kind === 'out-of-order');
  const names = new Set(all.map((h) => `${h.parent}/${h.seq}`)).size;
  const details = { parents: byParent.size, names, sightings: all.length, problems: firstFew(problems).map(({ involved: _, ...p }) => p), problemCount: problems.length };
  const findings = problems.map(sequenceFinding);
  const bad = tally({ 'handed out twice': twice, 'out of zxid order': order });
  if (bad) return result('sequential-unique', 'invalid', `sequential-unique: ${bad}; first: ${problems[0]!.detail}`, details, findings);
  return result('sequential-unique', 'valid', `sequential-unique: ${names} sequential names under ${byParent.size} parent(s), ` +
    'each handed out once, in zxid order', details, findings);
}

export const sequentialUnique: Checker = { name: 'sequential-unique', check: (input) => checkSequentialUnique(input) };
