import { describe, expect, it } from 'vitest';
import { hasBit, isSubset, newBitset, setBit, clearBit, zobristKeys } from './bitset.ts';
import { EntryList } from './entries.ts';
import { Memo } from './memo.ts';
import type { Operation } from '../../history/types.ts';

describe('bitset', () => {
  it('sets, clears and tests bits across words, including bit 31', () => {
    const b = newBitset(70);
    for (const i of [0, 31, 32, 69]) setBit(b, i);
    expect([0, 1, 31, 32, 33, 69].map((i) => hasBit(b, i))).toEqual([true, false, true, true, false, true]);
    clearBit(b, 31);
    expect(hasBit(b, 31)).toBe(false);
  });

  it('checks inclusion', () => {
    const a = newBitset(64), b = newBitset(64);
    setBit(a, 40);
    expect(isSubset(a, b)).toBe(false);
    setBit(b, 40);
    setBit(b, 3);
    expect(isSubset(a, b)).toBe(true);
    expect(isSubset(b, a)).toBe(false);
  });

  it('gives distinct, deterministic Zobrist keys', () => {
    const k = zobristKeys(1000, 7);
    expect(new Set(k).size).toBe(1000);
    expect(zobristKeys(1000, 7)).toEqual(k);
  });
});

describe('memo', () => {
  const eq = (a: number, b: number) => a === b;

  it('recognises a configuration it has seen (same set, same state), even on a hash collision', () => {
    const memo = new Memo<number>(eq, 0);
    const ok = newBitset(100);
    setBit(ok, 0);
    setBit(ok, 5);
    expect(memo.add(42, 1, ok, 0, 7, null)).toBe(true);
    expect(memo.add(42, 1, ok, 0, 7, null)).toBe(false);
    expect(memo.add(42, 1, ok, 0, 8, null)).toBe(true); // other state
    setBit(ok, 6);
    expect(memo.add(42, 1, ok, 0, 7, null)).toBe(true); // other set, same hash
    expect(memo.entries).toBe(3);
  });

  it('prunes a configuration that used a superset of the info ops of a seen one, not a subset', () => {
    const memo = new Memo<number>(eq, 1);
    const ok = newBitset(10);
    const info = newBitset(10);
    setBit(info, 2);
    expect(memo.add(1, 0, ok, -1, 0, info)).toBe(true);
    setBit(info, 3);
    expect(memo.add(1, 0, ok, -1, 0, info)).toBe(false); // {2,3} ⊇ {2}: nothing new to explore
    clearBit(info, 2);
    clearBit(info, 3);
    expect(memo.add(1, 0, ok, -1, 0, info)).toBe(true); // {} ⊉ {2}: may do more
    expect(memo.add(1, 0, ok, -1, 0, info)).toBe(false);
  });

  it('grows past its initial tables', () => {
    const memo = new Memo<number>(eq, 0);
    const ok = newBitset(64);
    for (let i = 0; i < 5000; i++) expect(memo.add(i * 7919, 0, ok, -1, i, null)).toBe(true);
    for (let i = 0; i < 5000; i += 97) expect(memo.add(i * 7919, 0, ok, -1, i, null)).toBe(false);
    expect(memo.estimatedBytes).toBeGreaterThan(5000 * 8);
  });
});

describe('entry list', () => {
  const op = (invokeIndex: number, completeIndex: number, status: Operation['status']): Operation => ({
    id: 0, process: 0, f: 'write', input: 1, output: 1, status, invokeIndex, completeIndex,
    invokeTimeNs: invokeIndex, completeTimeNs: completeIndex });

  function walk(l: EntryList): string {
    const out: string[] = [];
    for (let e = l.first(); e !== -1; e = l.next[e]!) out.push(`${l.isCall[e] ? 'c' : 'r'}${l.opOf[e]}`);
    return out.join(' ');
  }

  it('orders calls and returns by history index; info ops have no return', () => {
    const l = new EntryList([op(0, 3, 'ok'), op(1, 2, 'ok'), op(4, Infinity, 'info')], 2);
    expect(walk(l)).toBe('c0 c1 r1 r0 c2');
  });

  it('lifts and unlifts in LIFO order back to the same list', () => {
    const l = new EntryList([op(0, 3, 'ok'), op(1, 2, 'ok'), op(4, Infinity, 'info')], 2);
    l.lift(1);
    expect(walk(l)).toBe('c0 r0 c2');
    l.lift(2);
    l.lift(0);
    expect(walk(l)).toBe('');
    l.unlift(0);
    l.unlift(2);
    l.unlift(1);
    expect(walk(l)).toBe('c0 c1 r1 r0 c2');
  });
});
