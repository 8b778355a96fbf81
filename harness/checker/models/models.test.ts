import { describe, expect, it } from 'vitest';
import { mutex, queue, set } from './collections.ts';
import { canonical, hashValue } from './hash.ts';
import { casRegister } from './register.ts';
import { znode } from './znode.ts';

describe('cas-register', () => {
  it('reads, writes and compares-and-sets; unknown outputs accept any result', () => {
    expect(casRegister.step(null, 'read', null, null)).toBe(null);
    expect(casRegister.step(1, 'read', null, 2)).toBeUndefined();
    expect(casRegister.step(1, 'read', null, undefined)).toBe(1);
    expect(casRegister.step(1, 'write', 5, 5)).toBe(5);
    expect(casRegister.step(1, 'cas', [1, 2], [1, 2])).toBe(2);
    expect(casRegister.step(3, 'cas', [1, 2], [1, 2])).toBeUndefined();
    expect(casRegister.readOnly('read') && !casRegister.readOnly('cas')).toBe(true);
  });
});

describe('znode', () => {
  const a = { data: 'a', version: 0 };

  it('creates only an absent node and deletes only a present one, honouring versions', () => {
    expect(znode.step(null, 'create', { path: '/r', data: 'a' }, {})).toEqual(a);
    expect(znode.step(a, 'create', { path: '/r', data: 'b' }, {})).toBeUndefined();
    expect(znode.step(a, 'delete', { path: '/r', version: 0 }, {})).toBeNull();
    expect(znode.step(a, 'delete', { path: '/r', version: 3 }, {})).toBeUndefined();
    expect(znode.step(null, 'delete', { path: '/r', version: -1 }, {})).toBeUndefined();
  });

  it('applies setData with an expected version and checks the reported new version', () => {
    expect(znode.step(a, 'setData', { path: '/r', data: 'b', version: 0 }, undefined)).toEqual({ data: 'b', version: 1 });
    expect(znode.step(a, 'setData', { path: '/r', data: 'b', version: 1 }, undefined)).toBeUndefined();
    expect(znode.step(a, 'setData', { path: '/r', data: 'b', version: -1 }, { stat: { version: 1 } })).toEqual({ data: 'b', version: 1 });
    expect(znode.step(a, 'setData', { path: '/r', data: 'b' }, { stat: { version: 7 } })).toBeUndefined();
  });

  it('matches getData and exists against the node, absence included', () => {
    expect(znode.step(a, 'getData', { path: '/r' }, { data: 'a', stat: { version: 0 } })).toBe(a);
    expect(znode.step(a, 'getData', { path: '/r' }, { data: 'x', stat: { version: 0 } })).toBeUndefined();
    expect(znode.step(a, 'exists', { path: '/r' }, { stat: { version: 0 } })).toBe(a);
    expect(znode.step(a, 'exists', { path: '/r' }, { stat: null })).toBeUndefined();
    expect(znode.step(null, 'getData', { path: '/r' }, { data: null, stat: null })).toBeNull();
    expect(znode.step(null, 'exists', { path: '/r' }, { stat: { version: 0 } })).toBeUndefined();
  });

  it('partitions by path and hashes consistently with equality', () => {
    const op = { id: 0, process: 0, f: 'getData', input: { path: '/x' }, output: null, status: 'ok' as const,
      invokeIndex: 0, completeIndex: 1, invokeTimeNs: 0, completeTimeNs: 1 };
    expect(znode.partitionKey!(op)).toBe('/x');
    expect(znode.equal({ data: [1], version: 2 }, { data: [1], version: 2 })).toBe(true);
    expect(znode.hash({ data: [1], version: 2 })).toBe(znode.hash({ data: [1], version: 2 }));
  });
});

describe('set, queue, mutex', () => {
  it('set: a read must return exactly the elements, each once', () => {
    const s = set.step(set.step(set.init(), 'add', 2, 2)!, 'add', 1, 1)!;
    expect(set.step(s, 'read', null, [2, 1])).toBe(s);
    expect(set.step(s, 'read', null, [1])).toBeUndefined();
    expect(set.step(s, 'read', null, [1, 2, 2])).toBeUndefined();
  });

  it('queue: FIFO, null when empty, unknown dequeue takes the head', () => {
    const q = queue.step(queue.step(queue.init(), 'enqueue', 'a', null)!, 'enqueue', 'b', null)!;
    expect(queue.step(q, 'dequeue', null, 'b')).toBeUndefined();
    expect(queue.step(q, 'dequeue', null, 'a')).toEqual([canonical('b')]);
    expect(queue.step(q, 'dequeue', null, undefined)).toEqual([canonical('b')]);
    expect(queue.step(queue.init(), 'dequeue', null, null)).toEqual([]);
  });

  it('mutex: acquire when free, release when held', () => {
    expect(mutex.step(false, 'acquire', null, null)).toBe(true);
    expect(mutex.step(true, 'acquire', null, null)).toBeUndefined();
    expect(mutex.step(false, 'release', null, null)).toBeUndefined();
  });

  it('hashes equal values equally, as int32', () => {
    expect(hashValue({ b: 1, a: [2] })).toBe(hashValue({ a: [2], b: 1 }));
    for (const v of [null, 0, -1, 2 ** 31, 'x', [1]]) expect(hashValue(v) | 0).toBe(hashValue(v));
  });
});

describe('values compare by exact bytes', () => {
  const ff = { b64: 'Yf9i' }, fe = { b64: 'Yf5i' };

  it('register: different invalid-UTF-8 bytes differ, the same bytes in either form match', () => {
    expect(casRegister.step(ff, 'read', null, fe)).toBeUndefined();
    expect(casRegister.step(ff, 'read', null, { b64: 'Yf9i' })).toEqual(ff);
    expect(casRegister.step('ab', 'read', null, { b64: 'YWI=' })).toBe('ab');
    expect(casRegister.step('a\uFFFDb', 'read', null, ff)).toBeUndefined();
    expect(casRegister.hash('ab')).toBe(casRegister.hash({ b64: 'YWI=' }));
    expect(casRegister.equal('ab', { b64: 'YWI=' }) && !casRegister.equal(ff, fe)).toBe(true);
  });

  it('znode: data of other bytes is another value', () => {
    const node = { data: ff, version: 0 };
    expect(znode.step(node, 'getData', { path: '/r' }, { data: fe, stat: { version: 0 } })).toBeUndefined();
    expect(znode.step(node, 'getData', { path: '/r' }, { data: { b64: 'Yf9i' }, stat: { version: 0 } })).toBe(node);
    expect(znode.hash({ data: { a: 1, b: 2 }, version: 0 })).toBe(znode.hash({ data: { b: 2, a: 1 }, version: 0 }));
  });

  it('set: elements are compared by their bytes', () => {
    const s = set.step(set.init(), 'add', ff, ff)!;
    expect(set.step(s, 'read', null, [fe])).toBeUndefined();
    expect(set.step(s, 'read', null, [{ b64: 'Yf9i' }])).toBe(s);
  });
});

