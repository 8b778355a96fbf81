// The body of a ZooKeeper snapshot (SerializeUtils.serializeSnapshot +
// DataTree.serialize): sessions with timeouts, the ACL cache, then every node
// in pre-order as (path, DataNode{data, acl ref, StatPersisted}), the root
// written as "" and the list ended by the path "/". The file header and the
// checksum seal are storage's job.
import { JuteReader, JuteWriter, WireError } from '../wire/jute.ts';
import * as R from '../wire/records.ts';
import type { ACL } from '../wire/records.ts';
import { OPEN_ACL_UNSAFE } from './acl.ts';
import { DataTree } from './data-tree.ts';
import { ephemeralKind } from './ephemeral-type.ts';
import { nameOf, parentOf } from './path.ts';

const OPEN_ACL_REF = -1;

function aclKey(acl: readonly ACL[]): string {
  return JSON.stringify(acl.map((a) => [a.perms, a.id.scheme, a.id.id]));
}

/** StatPersisted: 6 longs and 3 ints. */
const STAT_PERSISTED_BYTES = 60;

/**
 * The body's size when every path is ASCII (the writer grows past it if one
 * is not), so a large tree is written into one array rather than into a
 * doubling series of copies: a 20,000-level chain's body is 400 MB.
 */
function estimatedBodyBytes(tree: DataTree): number {
  let n = 4 + 12 * tree.sessions.size + 4 + 5;
  for (const [path, node] of tree.nodes) n += 4 + path.length + 4 + (node.data?.byteLength ?? 0) + 8 + STAT_PERSISTED_BYTES;
  return n;
}

export function serializeTree(tree: DataTree): Uint8Array {
  const w = new JuteWriter(estimatedBodyBytes(tree));
  w.writeInt(tree.sessions.size);
  for (const [id, timeout] of tree.sessions) w.writeBigLong(id).writeInt(timeout);
  const refs = new Map<string, number>([[aclKey(OPEN_ACL_UNSAFE), OPEN_ACL_REF]]);
  const lists: [number, ACL[]][] = [];
  for (const [, node] of tree.walk()) {
    const key = aclKey(node.acl);
    if (!refs.has(key)) {
      refs.set(key, lists.length + 1);
      lists.push([lists.length + 1, node.acl]);
    }
  }
  w.writeInt(lists.length);
  for (const [ref, acl] of lists) {
    w.writeLong(ref).writeInt(acl.length);
    for (const a of acl) R.ACL.write(w, a);
  }
  for (const [path, node] of tree.walk()) {
    w.writeString(path === '/' ? '' : path);
    w.writeBuffer(node.data).writeLong(refs.get(aclKey(node.acl))!);
    R.StatPersisted.write(w, node.stat);
  }
  w.writeString('/');
  return w.toBytes();
}

export function deserializeTree(body: Uint8Array, extendedTypesEnabled: boolean): DataTree {
  const r = new JuteReader(body);
  const tree = new DataTree(extendedTypesEnabled);
  const sessions = r.readVectorLength();
  for (let i = 0; i < sessions; i++) tree.sessions.set(r.readBigLong(), r.readInt());
  const acls = new Map<number, ACL[]>([[OPEN_ACL_REF, OPEN_ACL_UNSAFE]]);
  const aclCount = r.readVectorLength();
  for (let i = 0; i < aclCount; i++) {
    const ref = r.readLong();
    const n = r.readVectorLength();
    const list: ACL[] = [];
    for (let j = 0; j < n; j++) list.push(R.ACL.read(r));
    acls.set(ref, list);
  }
  tree.nodes.clear();
  for (let raw = r.readString(); raw !== '/'; raw = r.readString()) {
    const path = raw === '' ? '/' : raw;
    const data = r.readBuffer();
    const ref = r.readLong();
    const stat = R.StatPersisted.read(r);
    const acl = acls.get(ref);
    if (!acl) throw new WireError('MARSHALLING', `snapshot node ${path} names unknown ACL ${ref}`);
    tree.nodes.set(path, { data, acl, stat, children: new Set() });
    if (path !== '/') {
      const parent = tree.nodes.get(parentOf(path));
      if (!parent) throw new WireError('MARSHALLING', `snapshot node ${path} comes before its parent`);
      parent.children.add(nameOf(path));
    }
    indexNode(tree, path, stat.ephemeralOwner);
  }
  return tree;
}

function indexNode(tree: DataTree, path: string, owner: bigint): void {
  const kind = ephemeralKind(owner, tree.extendedTypesEnabled);
  if (kind === 'container') tree.containers.add(path);
  else if (kind === 'ttl') tree.ttls.add(path);
  else if (kind === 'normal') {
    let set = tree.ephemerals.get(owner);
    if (!set) tree.ephemerals.set(owner, (set = new Set()));
    set.add(path);
  }
}
