// A deep tree never overflows the call stack (issue 13 item 1): a chain of
// 20,000 nested znodes is walked, serialized, deserialized and deleted; the
// recursive walk this replaced threw RangeError near 9,000 levels. The
// snapshot's node order is pinned independently (pre-order, children in
// sorted order), so snapshots stay byte-identical to the earlier format.
import { describe, expect, it } from 'vitest';
import { JuteReader } from '../wire/jute.ts';
import { OpCode } from '../wire/opcodes.ts';
import * as R from '../wire/records.ts';
import { OPEN_ACL_UNSAFE } from './acl.ts';
import { DataTree } from './data-tree.ts';
import { deserializeTree, serializeTree } from './snapshot-codec.ts';
import { decodeTxn, encodeTxn, type Txn } from './txn.ts';

/** Well past the ~9,000 levels where the recursive walk overflowed. */
const DEPTH = 20_000;
const SESSION = 0x42n;

/** `/c/a/a/…`: the chain's root and DEPTH levels under it, an ephemeral at the bottom; returns the deepest path. */
function buildChain(tree: DataTree): string {
  tree.createNode('/c', null, OPEN_ACL_UNSAFE, 0n, -1, 1, 1);
  let path = '/c';
  for (let level = 1; level <= DEPTH; level++) {
    path += '/a';
    tree.createNode(path, null, OPEN_ACL_UNSAFE, level === DEPTH ? SESSION : 0n, -1, level + 1, level + 1);
  }
  tree.sessions.set(SESSION, 30_000);
  tree.lastProcessedZxid = DEPTH + 1;
  return path;
}

/** The node paths of a snapshot body, in the order written (skips sessions and the ACL cache). */
function pathsInBody(body: Uint8Array): string[] {
  const r = new JuteReader(body);
  const sessions = r.readVectorLength();
  for (let i = 0; i < sessions; i++) { r.readBigLong(); r.readInt(); }
  const lists = r.readVectorLength();
  for (let i = 0; i < lists; i++) {
    r.readLong();
    const n = r.readVectorLength();
    for (let j = 0; j < n; j++) R.ACL.read(r);
  }
  const paths: string[] = [];
  for (let p = r.readString(); p !== '/'; p = r.readString()) {
    paths.push(p === '' ? '/' : p);
    r.readBuffer();
    r.readLong();
    R.StatPersisted.read(r);
  }
  return paths;
}

/** Pre-order with children sorted by name, computed without a walk: compare paths segment by segment. */
function preOrder(paths: string[]): string[] {
  const segments = (p: string) => (p === '/' ? [] : p.slice(1).split('/'));
  return [...paths].sort((a, b) => {
    const [x, y] = [segments(a), segments(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    }
    return x.length - y.length;
  });
}

describe('a 20,000-level chain', () => {
  it('is walked in pre-order without recursion', () => {
    const tree = new DataTree(false);
    const deepest = buildChain(tree);
    expect([...tree.walk()].length).toBe(tree.nodes.size);
    let level = 0;
    for (const [path] of tree.walk('/c')) {
      expect(path.length).toBe(2 + 2 * level++);
    }
    expect(level).toBe(DEPTH + 1);
    expect([...tree.walk(deepest)].map(([p]) => p)).toEqual([deepest]);
  });

  it('survives a snapshot round trip: serialized, deserialized, the same tree', () => {
    const tree = new DataTree(false);
    const deepest = buildChain(tree);
    const body = serializeTree(tree);
    const copy = deserializeTree(body, false);
    expect(copy.nodes.size).toBe(tree.nodes.size);
    expect(copy.getNode(deepest)?.stat).toEqual(tree.getNode(deepest)!.stat);
    expect(copy.getNode('/c/a')?.children).toEqual(new Set(['a']));
    expect(copy.ephemerals.get(SESSION)).toEqual(new Set([deepest]));
    expect(copy.allChildrenNumber('/c')).toBe(DEPTH);
  });

  it('is deleted bottom-up, and its ephemeral goes with its session', () => {
    const tree = new DataTree(false);
    const deepest = buildChain(tree);
    let zxid = DEPTH + 2;
    tree.processTxn({ hdr: { clientId: SESSION, cxid: 0, zxid: zxid++, time: 0, type: OpCode.closeSession },
      body: { type: OpCode.closeSession, rec: { paths2Delete: [] } } });
    expect(tree.getNode(deepest)).toBeUndefined();
    for (let path = deepest.slice(0, -2); path !== ''; path = path.slice(0, path.lastIndexOf('/'))) {
      tree.deleteNode(path, zxid++);
    }
    expect([...tree.nodes.keys()].sort()).toEqual(['/', '/zookeeper', '/zookeeper/config', '/zookeeper/quota']);
  });
});

describe('snapshot node order', () => {
  it('is pre-order with children in sorted order, however the tree was built', () => {
    const tree = new DataTree(false);
    const names = ['b', 'a', 'B', 'a0', '10', '9', 'é', '~', 'zz'];
    const made = ['/'];
    let seed = 11;
    for (let i = 0; i < 400; i++) {
      seed = (seed * 48271) % 0x7fffffff;
      const parent = made[seed % made.length]!;
      const path = `${parent === '/' ? '' : parent}/${names[seed % names.length]!}`;
      if (tree.nodes.has(path)) continue;
      tree.createNode(path, null, OPEN_ACL_UNSAFE, 0n, -1, i + 1, i);
      made.push(path);
    }
    const written = pathsInBody(serializeTree(tree));
    expect(written).toEqual(preOrder([...tree.nodes.keys()]));
    expect(written.length).toBeGreaterThan(300);
  });
});

describe('multi txns', () => {
  const hdr = { clientId: 1n, cxid: 1, zxid: 5, time: 0, type: OpCode.multi };
  const create = { type: OpCode.create, rec: { path: '/x', data: null, acl: OPEN_ACL_UNSAFE, ephemeral: false, parentCVersion: -1 } } as const;

  it('round-trip one level deep', () => {
    const txn: Txn = { hdr, body: { type: OpCode.multi, txns: [create] } };
    expect(decodeTxn(encodeTxn(txn))).toEqual(txn);
  });

  it('never hold a multi (as ZooKeeper refuses one), so nesting cannot go deeper than one level', () => {
    const nested: Txn = { hdr, body: { type: OpCode.multi, txns: [{ type: OpCode.multi, txns: [create] }] } };
    expect(() => encodeTxn(nested)).toThrow(/multi txn inside a multi txn/);
    // The same bytes made by hand: a MultiTxn whose one txn is a MultiTxn.
    const inner = R.MultiTxn.encode({ txns: [{ type: OpCode.create, data: encodeTxn({ hdr, body: create }).subarray(R.TxnHeader.encode(hdr).length) }] });
    const outer = R.MultiTxn.encode({ txns: [{ type: OpCode.multi, data: inner }] });
    const bytes = new Uint8Array([...R.TxnHeader.encode(hdr), ...outer]);
    expect(() => decodeTxn(bytes)).toThrow(/multi txn inside a multi txn/);
  });
});
