// The search's memo: configurations (linearized set, model state) already
// seen. The ok-operation part of the set is stored compactly as a watermark w
// (every ok op with id < w is linearized) plus the words from w up to the
// highest linearized ok id; ops are numbered in invoke order, so that window
// stays about as wide as the history's concurrency. `info` ops are kept in
// their own bitset and compared by inclusion: a configuration that linearized
// a superset of another's info ops (same ok set, same state) can do nothing
// the other cannot, so it is pruned too.
import { isSubset, windowEquals } from './bitset.ts';

interface MemoEntry<S> {
  w: number;
  window: Uint32Array;
  state: S;
  infoSets: Uint32Array[];
}

/** Rough per-entry overhead of objects and Map slots, in bytes. */
const ENTRY_OVERHEAD_BYTES = 160;

export class Memo<S> {
  private readonly table = new Map<number, MemoEntry<S>[]>();
  entries = 0;
  estimatedBytes = 0;

  constructor(private readonly equal: (a: S, b: S) => boolean) {}

  /**
   * Records the configuration; returns false when it (or one that subsumes it)
   * was already recorded. `okBits` words [wordFrom, wordTo] form the window.
   */
  add(hash: number, w: number, okBits: Uint32Array, wordTo: number, state: S, infoBits: Uint32Array | null): boolean {
    const wordFrom = w >>> 5;
    const width = wordTo >= wordFrom ? wordTo - wordFrom + 1 : 0;
    let bucket = this.table.get(hash);
    if (bucket === undefined) this.table.set(hash, (bucket = []));
    for (const e of bucket) {
      if (e.w !== w || e.window.length !== width || !windowEquals(e.window, okBits, wordFrom)) continue;
      if (!this.equal(e.state, state)) continue;
      if (infoBits === null) return false;
      for (const seen of e.infoSets) if (isSubset(seen, infoBits)) return false;
      e.infoSets.push(infoBits.slice());
      this.estimatedBytes += 32 + infoBits.byteLength;
      return true;
    }
    const window = okBits.slice(wordFrom, wordFrom + width);
    bucket.push({ w, window, state, infoSets: infoBits === null ? [] : [infoBits.slice()] });
    this.entries++;
    this.estimatedBytes += ENTRY_OVERHEAD_BYTES + window.byteLength + (infoBits?.byteLength ?? 0);
    return true;
  }
}
