// The search's event list (Porcupine's doubly linked call/return entries):
// every operation has a call entry at its invoke index; ok operations also
// have a return entry at their completion index. `info` operations have none:
// they may take effect at any later time, or never. Lifting an op removes
// its entries; unlifting (in reverse order) restores them.
import type { Operation } from '../../history/types.ts';

export const NIL = -1;
const ID_SPACE = 2 ** 22;
const ID_LIMIT = ID_SPACE / 2;

export class EntryList {
  readonly head: number;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly opOf: Int32Array;
  readonly isCall: Uint8Array;
  readonly callEntry: Int32Array;
  readonly returnEntry: Int32Array;

  /** `ops[0 .. okCount)` are ok operations, the rest `info`. */
  constructor(ops: readonly Operation[], okCount: number) {
    // Each history index is one event, so sorting the indices orders the entries.
    // Sort keys pack (index, op id, call?) into one double: index * 2^22 + id * 2 + call.
    const n = ops.length + okCount;
    if (ops.length >= ID_LIMIT) throw new RangeError(`too many operations in one partition (${ops.length})`);
    const keys = new Float64Array(n);
    ops.forEach((op, id) => {
      keys[id] = op.invokeIndex * ID_SPACE + id * 2 + 1;
      if (id < okCount) keys[ops.length + id] = op.completeIndex * ID_SPACE + id * 2;
    });
    keys.sort();
    this.head = n;
    this.next = new Int32Array(n + 1);
    this.prev = new Int32Array(n + 1);
    this.opOf = new Int32Array(n);
    this.isCall = new Uint8Array(n);
    this.callEntry = new Int32Array(ops.length);
    this.returnEntry = new Int32Array(ops.length).fill(NIL);
    for (let e = 0; e < n; e++) {
      const low = keys[e]! % ID_SPACE;
      const id = low >>> 1;
      const call = low & 1;
      this.opOf[e] = id;
      this.isCall[e] = call;
      if (call === 1) this.callEntry[id] = e;
      else this.returnEntry[id] = e;
      this.next[e] = e + 1 < n ? e + 1 : NIL;
      this.prev[e] = e === 0 ? this.head : e - 1;
    }
    this.next[this.head] = n > 0 ? 0 : NIL;
    this.prev[this.head] = NIL;
  }

  first(): number {
    return this.next[this.head]!;
  }

  private remove(e: number): void {
    const p = this.prev[e]!;
    const q = this.next[e]!;
    this.next[p] = q;
    if (q !== NIL) this.prev[q] = p;
  }

  private restore(e: number): void {
    const q = this.next[e]!;
    this.next[this.prev[e]!] = e;
    if (q !== NIL) this.prev[q] = e;
  }

  lift(id: number): void {
    this.remove(this.callEntry[id]!);
    const r = this.returnEntry[id]!;
    if (r !== NIL) this.remove(r);
  }

  unlift(id: number): void {
    const r = this.returnEntry[id]!;
    if (r !== NIL) this.restore(r);
    this.restore(this.callEntry[id]!);
  }
}
