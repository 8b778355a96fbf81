import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockingPredecessor, findProtected, labelOf, protectedPrefix, sequenceOf, sortBySequence } from './sequence.ts';

const seq = (n: number) => String(n).padStart(10, '0');

describe('sequence names', () => {
  it('reads the 10-digit suffix and nothing else', () => {
    expect(sequenceOf(`lock-${seq(42)}`)).toBe(42);
    expect(sequenceOf(`_c_1f-2-read-${seq(0)}`)).toBe(0);
    expect(sequenceOf('lock-42')).toBeUndefined();
    expect(sequenceOf('ready')).toBeUndefined();
    expect(sequenceOf(`x${seq(7)}a`)).toBeUndefined();
  });

  it('orders by sequence, not by name, and drops names without one', () => {
    const names = [`b-${seq(3)}`, 'ready', `a-${seq(10)}`, `c-${seq(1)}`];
    expect(sortBySequence(names)).toEqual([`c-${seq(1)}`, `b-${seq(3)}`, `a-${seq(10)}`]);
  });

  it('sorting is a permutation ordered by sequence (property)', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 31 - 1 })), (nums) => {
      const sorted = sortBySequence(nums.map((n) => `n-${seq(n)}`)).map((n) => sequenceOf(n)!);
      expect(sorted).toEqual([...nums].sort((a, b) => a - b));
    }));
  });
});

describe('blockingPredecessor (no herd: one node to watch)', () => {
  const nodes = [`read-${seq(1)}`, `write-${seq(2)}`, `read-${seq(3)}`, `read-${seq(4)}`, `write-${seq(5)}`];
  const readBlocks = (n: string) => n.startsWith('write-');
  const anyBlocks = () => true;

  it('the first node proceeds', () => {
    expect(blockingPredecessor(nodes, `read-${seq(1)}`, anyBlocks)).toBeNull();
  });

  it('a writer watches the node just before it, whatever its kind', () => {
    expect(blockingPredecessor(nodes, `write-${seq(5)}`, anyBlocks)).toBe(`read-${seq(4)}`);
    expect(blockingPredecessor(nodes, `write-${seq(2)}`, anyBlocks)).toBe(`read-${seq(1)}`);
  });

  it('a reader watches only the nearest earlier writer', () => {
    expect(blockingPredecessor(nodes, `read-${seq(4)}`, readBlocks)).toBe(`write-${seq(2)}`);
    expect(blockingPredecessor(nodes, `read-${seq(1)}`, readBlocks)).toBeNull();
  });

  it('refuses a node that is not among the children', () => {
    expect(() => blockingPredecessor(nodes, `read-${seq(9)}`, anyBlocks)).toThrow(/not among/);
  });

  it('exclusive: each waiter watches a different node (property)', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1 }), (nums) => {
      const names = nums.map((n) => `lock-${seq(n)}`);
      const watched = names.map((n) => blockingPredecessor(names, n, anyBlocks)).filter((p) => p !== null);
      expect(new Set(watched).size).toBe(watched.length);
      expect(watched.length).toBe(names.length - 1);
    }));
  });
});

describe('protected names', () => {
  it('are unique per call and found again among children', () => {
    const a = protectedPrefix(0x1234n, 'lock-');
    const b = protectedPrefix(0x1234n, 'lock-');
    expect(a).not.toBe(b);
    expect(a.startsWith('_c_1234-')).toBe(true);
    const children = [`${b}${seq(1)}`, `${a}${seq(2)}`, 'other'];
    expect(findProtected(children, a)).toBe(`${a}${seq(2)}`);
    expect(findProtected(['other', `${a}`], a)).toBeUndefined();
  });

  it('labelOf strips the token', () => {
    const p = protectedPrefix(0xabn, 'write-');
    expect(labelOf(`${p}${seq(3)}`)).toBe(`write-${seq(3)}`);
    expect(labelOf(`read-${seq(3)}`)).toBe(`read-${seq(3)}`);
  });
});
