// Wing & Gong's linearizability search with Lowe's memoisation, as Porcupine
// does it, for one partition. Walk the entry list: at a call entry, try to
// linearize that op (model step succeeds and the new configuration is not in
// the memo), lift it and restart from the head; at a return entry, some op
// that had to come first could not: undo the last step and try the next
// candidate. Success once every ok op is linearized (info ops are optional).
//
// One addition: a read-only ok op that can be linearized now is linearized
// now and never revisited (moving a read earlier, within its interval, cannot
// break a linearization), so if the search fails after it, its parent fails.
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
  readonly okBits: Uint32Array;
  readonly infoBits: Uint32Array | null;
  readonly zobrist: Uint32Array;
  readonly memo: Memo<S>;
  readonly readOnly: Uint8Array;
  readonly leaves: PathNode<S>[] = [];
  state: S;
  node: PathNode<S> | null = null;
  okLeft: number;
  w = 0;
  maxOk = -1;
  okHash = 0;
  deepest = 0;

  constructor(readonly model: Model<S>, input: readonly Operation[]) {
    const { ordered, okCount } = orderOps(input);
    this.ops = ordered;
    this.m = this.okLeft = okCount;
    this.list = new EntryList(ordered, okCount);
    this.okBits = newBitset(okCount);
    this.infoBits = ordered.length > okCount ? newBitset(ordered.length - okCount) : null;
    this.zobrist = zobristKeys(okCount, 0x5eed);
    this.memo = new Memo<S>(model.equal);
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
      okHash = (okHash ^ this.zobrist[id]!) | 0;
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
    if (this.node.depth > this.deepest) this.deepest = this.node.depth;
    this.state = next;
    this.w = w;
    this.maxOk = maxOk;
    this.okHash = okHash;
    this.list.lift(id);
    if (id < m) this.okLeft--;
    return 'lifted';
  }

  /** Undoes the last step (and the forced reads before it fails with it); returns the entry to resume at, or NIL. */
  backtrack(): number {
    for (;;) {
      const node = this.node;
      if (node === null) return NIL;
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
      if (!node.forced) return this.list.next[this.list.callEntry[id]!]!;
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

export function searchPartition<S>(model: Model<S>, input: readonly Operation[], guard: BudgetGuard): SearchResult<S> {
  const s = new Search(model, input);
  let entry = s.list.first();
  let steps = 0;
  while (s.okLeft > 0) {
    if (++steps % CHECK_EVERY === 0) {
      const reason = guard.exhausted(s.memo.estimatedBytes);
      if (reason) return { kind: 'exhausted', reason, deepest: s.deepest, okTotal: s.m, memoEntries: s.memo.entries };
    }
    if (entry === NIL) throw new Error('linearizability search: ran off the entry list with ok ops left');
    const id = s.list.opOf[entry]!;
    const outcome = s.list.isCall[entry] === 1 ? s.tryLift(id) : 'return';
    if (outcome === 'lifted') entry = s.list.first();
    else if (outcome === 'illegal' || (outcome === 'seen' && s.readOnly[id] === 0)) entry = s.list.next[entry]!;
    else {
      // A return entry, or a read that fits now but leads to a failed configuration: this one fails.
      entry = s.backtrack();
      if (entry === NIL) return { kind: 'illegal', ops: s.ops, leaves: s.leaves, memoEntries: s.memo.entries };
    }
  }
  return { kind: 'linearizable', memoEntries: s.memo.entries };
}
