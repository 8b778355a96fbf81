// The search's event list (Porcupine's doubly linked call/return entries):
// every operation has a call entry at its invoke index; ok operations also
// have a return entry at their completion index. `info` operations have none:
// they may take effect at any later time, or never. Lifting an op removes
// its entries; unlifting (in reverse order) restores them.
import type { Operation } from '../../history/types.ts';

export const NIL = -1;

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
    const order: Array<[number, number, boolean]> = [];
    ops.forEach((op, id) => {
      order.push([op.invokeIndex, id, true]);
      if (id < okCount) order.push([op.completeIndex, id, false]);
    });
    order.sort((a, b) => a[0] - b[0]);
    const n = order.length;
    this.head = n;
    this.next = new Int32Array(n + 1);
    this.prev = new Int32Array(n + 1);
    this.opOf = new Int32Array(n);
    this.isCall = new Uint8Array(n);
    this.callEntry = new Int32Array(ops.length);
    this.returnEntry = new Int32Array(ops.length).fill(NIL);
    order.forEach(([, id, call], e) => {
      this.opOf[e] = id;
      this.isCall[e] = call ? 1 : 0;
      if (call) this.callEntry[id] = e;
      else this.returnEntry[id] = e;
      this.next[e] = e + 1 < n ? e + 1 : NIL;
      this.prev[e] = e === 0 ? this.head : e - 1;
    });
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
