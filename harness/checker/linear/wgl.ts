// Wing & Gong's linearizability search with Lowe's memoisation (as Porcupine
// does it), for one partition. A configuration is (linearized set, model
// state); its candidates are the ops invoked before the first remaining
// return. Try candidates one by one: if the model accepts one and the new
// configuration is not in the memo, lift it and go on from there; when all
// fail, undo the last step. Success once every ok op is linearized (info ops
// may be linearized anywhere after their invoke, or never).
//
// Two additions, both keeping the search exact:
// - candidate order: first the op that returns first (Lowe's "just in time"),
//   then reads, then ops that would let it fit, then the rest;
// - a read that fits now is taken now and never revisited (moving a read
//   earlier within its interval cannot break a linearization), so if the
//   search fails after it, the configuration before it fails too.
import type { Operation } from '../../history/types.ts';
import type { Model } from '../models/model.ts';
import type { ExhaustedReason } from '../types.ts';
import { clearBit, hasBit, newBitset, setBit, zobristKeys } from './bitset.ts';
import type { BudgetGuard } from './budget.ts';
import { EntryList, NIL } from './entries.ts';
import { Memo } from './memo.ts';

/** One step of a partial linearization: the op (by position in `ops`) and the state after it. */
export interface PathNode<S> {
  readonly op: number;
  readonly state: S;
  readonly parent: PathNode<S> | null;
  readonly depth: number;
  readonly prevW: number;
  readonly prevMaxOk: number;
  readonly prevOkHash: number;
  /** A greedy read: when it fails, its parent fails too. */
  readonly forced: boolean;
  hadChild: boolean;
}

export type SearchResult<S> =
  | { kind: 'linearizable'; memoEntries: number }
  | { kind: 'illegal'; ops: Operation[]; leaves: PathNode<S>[]; memoEntries: number }
  | { kind: 'exhausted'; reason: ExhaustedReason; deepest: number; okTotal: number; memoEntries: number };

const CHECK_EVERY = 1024;
const FIRST_UNTRIED = -2;
const ORDER_UNBUILT = -1;
const LEAVES_KEPT = 3;

/** Orders ops for the search: ok ops by invoke, then info ops by invoke. */
function orderOps(ops: readonly Operation[]): { ordered: Operation[]; okCount: number } {
  const byInvoke = (a: Operation, b: Operation) => a.invokeIndex - b.invokeIndex;
  const ok = ops.filter((o) => o.status === 'ok').sort(byInvoke);
  const info = ops.filter((o) => o.status !== 'ok').sort(byInvoke);
  return { ordered: [...ok, ...info], okCount: ok.length };
}

class Search<S> {
  readonly ops: Operation[];
  readonly m: number;
  readonly list: EntryList;
  readonly okBits: Int32Array;
  readonly infoBits: Int32Array | null;
  readonly zobrist: Int32Array;
  readonly memo: Memo<S>;
  readonly readOnly: Uint8Array;
  readonly leaves: PathNode<S>[] = [];
  state: S;
  node: PathNode<S> | null = null;
  okLeft: number;
  w = 0;
  maxOk = -1;
  okHash = 0;
  /** The most ok ops linearized at once so far (progress, for `unknown`). */
  deepest = 0;

  constructor(readonly model: Model<S>, input: readonly Operation[]) {
    const { ordered, okCount } = orderOps(input);
    this.ops = ordered;
    this.m = this.okLeft = okCount;
    this.list = new EntryList(ordered, okCount);
    this.okBits = newBitset(okCount);
    this.infoBits = ordered.length > okCount ? newBitset(ordered.length - okCount) : null;
    this.zobrist = zobristKeys(okCount, 0x5eed);
    this.memo = new Memo<S>(model.equal, this.infoBits ? this.infoBits.length : 0);
    this.readOnly = Uint8Array.from(ordered, (o, id) => (id < okCount && model.readOnly(o.f) ? 1 : 0));
    this.state = model.init();
  }

  /** Tries to linearize op `id` next: 'lifted', 'seen' (memo hit) or 'illegal' (model refuses). */
  tryLift(id: number): 'lifted' | 'seen' | 'illegal' {
    const op = this.ops[id]!;
    const next = this.model.step(this.state, op.f, op.input, op.status === 'ok' ? op.output : undefined);
    if (next === undefined) return 'illegal';
    const m = this.m;
    let w = this.w, maxOk = this.maxOk, okHash = this.okHash;
    if (id < m) {
      setBit(this.okBits, id);
      okHash ^= this.zobrist[id]!;
      while (w < m && hasBit(this.okBits, w)) w++;
      if (id > maxOk) maxOk = id;
    } else setBit(this.infoBits!, id - m);
    const hash = (okHash ^ Math.imul(this.model.hash(next), 0x9e3779b9)) | 0;
    if (!this.memo.add(hash, w, this.okBits, maxOk >= w ? maxOk >>> 5 : -1, next, this.infoBits)) {
      if (id < m) clearBit(this.okBits, id);
      else clearBit(this.infoBits!, id - m);
      return 'seen';
    }
    const parent = this.node;
    if (parent) parent.hadChild = true;
    this.node = { op: id, state: next, parent, depth: (parent ? parent.depth : 0) + 1, prevW: this.w,
      prevMaxOk: this.maxOk, prevOkHash: this.okHash, forced: this.readOnly[id] === 1, hadChild: false };
    this.state = next;
    this.w = w;
    this.maxOk = maxOk;
    this.okHash = okHash;
    this.list.lift(id);
    if (id < m) this.okLeft--;
    if (m - this.okLeft > this.deepest) this.deepest = m - this.okLeft;
    return 'lifted';
  }

  /** Undoes the last step (and the greedy reads before it, which fail with it); false when the root fails. */
  backtrack(): boolean {
    for (;;) {
      const node = this.node;
      if (node === null) return false;
      if (!node.hadChild) this.keepLeaf(node);
      const id = node.op;
      if (id < this.m) {
        clearBit(this.okBits, id);
        this.okLeft++;
      } else clearBit(this.infoBits!, id - this.m);
      this.w = node.prevW;
      this.maxOk = node.prevMaxOk;
      this.okHash = node.prevOkHash;
      this.node = node.parent;
      this.state = this.node ? this.node.state : this.model.init();
      this.list.unlift(id);
      if (!node.forced) return true;
    }
  }

  keepLeaf(leaf: PathNode<S>): void {
    const leaves = this.leaves;
    if (leaves.length === LEAVES_KEPT && leaf.depth <= leaves[LEAVES_KEPT - 1]!.depth) return;
    leaves.push(leaf);
    leaves.sort((a, b) => b.depth - a.depth);
    if (leaves.length > LEAVES_KEPT) leaves.pop();
  }
}

/**
 * The order in which a configuration's candidates are tried (all are tried,
 * so the search stays complete): first the op whose return comes first (it
 * must be linearized before anything returns); if that fails, reads that fit
 * now (safe to take greedily), then ops after which that first op would fit,
 * then the rest in invoke order.
 */
function candidateOrder<S>(s: Search<S>, first: number, permute?: SearchOptions['permute']): Int32Array {
  const reads: number[] = [], enablers: number[] = [], rest: number[] = [];
  const target = s.ops[first]!;
  for (let e = s.list.first(); e !== NIL && s.list.isCall[e] === 1; e = s.list.next[e]!) {
    const id = s.list.opOf[e]!;
    if (id === first && !permute) continue;
    const op = s.ops[id]!;
    const after = s.model.step(s.state, op.f, op.input, op.status === 'ok' ? op.output : undefined);
    if (after === undefined) continue;
    if (s.readOnly[id] === 1) reads.push(id);
    else if (s.model.step(after, target.f, target.input, target.output) !== undefined) enablers.push(id);
    else rest.push(id);
  }
  const order = Int32Array.from([...reads, ...enablers, ...rest]);
  permute?.(order);
  return order;
}

function firstReturningOp<S>(s: Search<S>): number {
  let e = s.list.first();
  while (e !== NIL && s.list.isCall[e] === 1) e = s.list.next[e]!;
  if (e === NIL) throw new Error('linearizability search: no return entry left with ok ops left');
  return s.list.opOf[e]!;
}

export interface SearchOptions {
  /** Testing only: reorders each candidate list in place (the search must stay exact under any order). */
  permute?: (candidates: Int32Array) => void;
}

export function searchPartition<S>(model: Model<S>, input: readonly Operation[], guard: BudgetGuard, options: SearchOptions = {}): SearchResult<S> {
  const s = new Search(model, input);
  // Per configuration depth: 0 = first-returning op not tried yet; then the candidate order and a cursor.
  const orders: Array<Int32Array | null> = [null];
  const cursors = new Int32Array(s.ops.length + 1).fill(FIRST_UNTRIED);
  let steps = 0;
  while (s.okLeft > 0) {
    if (++steps % CHECK_EVERY === 0) {
      const reason = guard.exhausted(s.memo.estimatedBytes);
      if (reason) return { kind: 'exhausted', reason, deepest: s.deepest, okTotal: s.m, memoEntries: s.memo.entries };
    }
    const depth = s.node ? s.node.depth : 0;
    let next: number;
    if (cursors[depth] === FIRST_UNTRIED && !options.permute) {
      next = firstReturningOp(s);
      cursors[depth] = ORDER_UNBUILT;
    } else {
      if (cursors[depth]! < 0) {
        orders[depth] = candidateOrder(s, firstReturningOp(s), options.permute);
        cursors[depth] = 0;
      }
      const order = orders[depth]!;
      next = cursors[depth]! < order.length ? order[cursors[depth]!++]! : NIL;
    }
    const outcome = next === NIL ? 'exhausted' : s.tryLift(next);
    if (outcome === 'lifted') {
      cursors[depth + 1] = FIRST_UNTRIED;
      orders[depth + 1] = null;
    } else if (outcome === 'exhausted' || (outcome === 'seen' && s.readOnly[next] === 1)) {
      // Every candidate failed, or a read that fits now leads to a failed configuration: this configuration fails.
      orders[depth] = null;
      if (!s.backtrack()) return { kind: 'illegal', ops: s.ops, leaves: s.leaves, memoEntries: s.memo.entries };
    }
  }
  return { kind: 'linearizable', memoEntries: s.memo.entries };
}
