// The search's memo: configurations (linearized set, model state) already
// seen. The ok-operation part of the set is stored compactly as a watermark w
// (every ok op with id < w is linearized) plus the words from w up to the
// highest linearized ok id; ops are numbered in invoke order, so that window
// stays about as wide as the history's concurrency. `info` ops are kept in
// their own bitset and compared by inclusion: a configuration that linearized
// a superset of another's info ops (same ok set, same state) can do nothing
// the other cannot, so it is pruned too.
//
// Storage is struct-of-arrays over one growing word arena, so that a million
// entries cost a few typed arrays rather than a million small objects.
import { isSubset } from './bitset.ts';

const INITIAL_ENTRIES = 1024;
const INITIAL_WORDS = 4096;
/** Rough per-entry bookkeeping (slots in the tables below and the hash map), in bytes. */
const ENTRY_OVERHEAD_BYTES = 48;

function grow(a: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  if (size <= a.length) return a;
  const b = new Int32Array(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

export class Memo<S> {
  /** Open-addressing table: hash -> newest entry with that hash (-1 = empty slot). */
  private slotHash = new Int32Array(INITIAL_ENTRIES * 2);
  private slotEntry = new Int32Array(INITIAL_ENTRIES * 2).fill(-1);
  private slotsUsed = 0;
  private next = new Int32Array(INITIAL_ENTRIES);
  private watermark = new Int32Array(INITIAL_ENTRIES);
  private windowAt = new Int32Array(INITIAL_ENTRIES);
  private windowLength = new Int32Array(INITIAL_ENTRIES);
  private firstInfo = new Int32Array(INITIAL_ENTRIES);
  private readonly states: S[] = [];
  private words = new Int32Array(INITIAL_WORDS);
  private wordsUsed = 0;
  /** Info-set records: arena offset and the next record of the same entry. */
  private infoAt = new Int32Array(INITIAL_ENTRIES);
  private infoNext = new Int32Array(INITIAL_ENTRIES);
  private infoCount = 0;
  entries = 0;

  constructor(private readonly equal: (a: S, b: S) => boolean, private readonly infoWords: number) {}

  get estimatedBytes(): number {
    return this.entries * ENTRY_OVERHEAD_BYTES + this.slotEntry.length * 8 + this.infoCount * 8 + this.wordsUsed * 4;
  }

  /** The slot holding `hash`, or the empty slot where it would go (linear probing). */
  private slotOf(hash: number): number {
    const mask = this.slotEntry.length - 1;
    let i = Math.imul(hash, 0x9e3779b1) & mask;
    while (this.slotEntry[i] !== -1 && this.slotHash[i] !== hash) i = (i + 1) & mask;
    return i;
  }

  private rehash(): void {
    const oldHash = this.slotHash, oldEntry = this.slotEntry;
    this.slotHash = new Int32Array(oldHash.length * 2);
    this.slotEntry = new Int32Array(oldEntry.length * 2).fill(-1);
    for (let i = 0; i < oldEntry.length; i++) {
      if (oldEntry[i] === -1) continue;
      const slot = this.slotOf(oldHash[i]!);
      this.slotHash[slot] = oldHash[i]!;
      this.slotEntry[slot] = oldEntry[i]!;
    }
  }

  private store(src: Int32Array, from: number, length: number): number {
    if (this.wordsUsed + length > this.words.length) {
      const bigger = new Int32Array(Math.max(this.words.length * 2, this.wordsUsed + length));
      bigger.set(this.words.subarray(0, this.wordsUsed));
      this.words = bigger;
    }
    const at = this.wordsUsed;
    this.words.set(src.subarray(from, from + length), at);
    this.wordsUsed += length;
    return at;
  }

  private addInfo(entry: number, infoBits: Int32Array): void {
    const rec = this.infoCount++;
    this.infoAt = grow(this.infoAt, rec + 1);
    this.infoNext = grow(this.infoNext, rec + 1);
    this.infoAt[rec] = this.store(infoBits, 0, this.infoWords);
    this.infoNext[rec] = this.firstInfo[entry]!;
    this.firstInfo[entry] = rec;
  }

  private windowMatches(e: number, okBits: Int32Array, wordFrom: number, width: number): boolean {
    if (this.windowLength[e] !== width) return false;
    const at = this.windowAt[e]!;
    for (let i = 0; i < width; i++) if (this.words[at + i] !== okBits[wordFrom + i]) return false;
    return true;
  }

  /** True when some recorded info set of entry `e` is included in `infoBits`. */
  private subsumed(e: number, infoBits: Int32Array): boolean {
    for (let rec = this.firstInfo[e]!; rec !== -1; rec = this.infoNext[rec]!) {
      const at = this.infoAt[rec]!;
      if (isSubset(this.words.subarray(at, at + this.infoWords), infoBits)) return true;
    }
    return false;
  }

  /**
   * Records the configuration; returns false when it (or one that subsumes it)
   * was already recorded. `okBits` words [w >>> 5, wordTo] form the window.
   */
  add(hash: number, w: number, okBits: Int32Array, wordTo: number, state: S, infoBits: Int32Array | null): boolean {
    const wordFrom = w >>> 5;
    const width = wordTo >= wordFrom ? wordTo - wordFrom + 1 : 0;
    const slot = this.slotOf(hash);
    const head = this.slotEntry[slot]!;
    for (let e = head; e !== -1; e = this.next[e]!) {
      if (this.watermark[e] !== w || !this.windowMatches(e, okBits, wordFrom, width) || !this.equal(this.states[e]!, state)) continue;
      if (infoBits === null || this.subsumed(e, infoBits)) return false;
      this.addInfo(e, infoBits);
      return true;
    }
    const e = this.entries++;
    if (e >= this.next.length) {
      const size = e + 1;
      this.next = grow(this.next, size);
      this.watermark = grow(this.watermark, size);
      this.windowAt = grow(this.windowAt, size);
      this.windowLength = grow(this.windowLength, size);
      this.firstInfo = grow(this.firstInfo, size);
    }
    this.next[e] = head;
    this.watermark[e] = w;
    this.windowAt[e] = this.store(okBits, wordFrom, width);
    this.windowLength[e] = width;
    this.firstInfo[e] = -1;
    this.states.push(state);
    if (head === -1) this.slotsUsed++;
    this.slotHash[slot] = hash;
    this.slotEntry[slot] = e;
    if (this.slotsUsed * 2 > this.slotEntry.length) this.rehash();
    if (infoBits !== null) this.addInfo(e, infoBits);
    return true;
  }
}
