// Every read/write opcode, Stat fields, error codes, path rules and the
// reserved /zookeeper subtree, as Apache ZooKeeper 3.8 answers them.
import { expect, it } from 'vitest';
import { Code, OpCode } from '../../server/wire/index.ts';
import { forEachTarget } from '../support/targets.ts';
import { codeOf, ok, op, read, uniquePath } from '../support/raw-ops.ts';
import { NzkCreateMode } from '../support/nzk.ts';
import { rejectsWithCode, useTarget } from './fixture.ts';

forEachTarget('crud', (name) => {
  const fx = useTarget(name);

  it('a fresh server holds /, /zookeeper, /zookeeper/quota, /zookeeper/config with ZooKeeper\'s initial Stats', async () => {
    // Runs first in this file, while the tree is untouched. The negative cversions are
    // ZooKeeper's own artefact of building its initial tree; clients can see them.
    const s = await fx.raw();
    const root = read.getACL(await ok(s, op.getACL('/')));
    expect(root.acl).toEqual([{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
    expect(root.stat).toEqual({ czxid: 0, mzxid: 0, ctime: 0, mtime: 0, version: 0, cversion: -1, aversion: 0,
      ephemeralOwner: 0n, dataLength: 0, numChildren: 1, pzxid: 0 });
    const zk = read.stat(await ok(s, op.exists('/zookeeper')));
    expect(zk).toEqual({ czxid: 0, mzxid: 0, ctime: 0, mtime: 0, version: 0, cversion: -2, aversion: 0,
      ephemeralOwner: 0n, dataLength: 0, numChildren: 2, pzxid: 0 });
    const quota = read.getData(await ok(s, op.getData('/zookeeper/quota')));
    expect(quota.stat).toEqual({ czxid: 0, mzxid: 0, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0,
      ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 0 });
    const config = read.getData(await ok(s, op.getData('/zookeeper/config')));
    // An ensemble's /zookeeper/config holds its quorum config instead: test/ensemble/config-node.test.ts.
    if (fx.target().mode === 'follower') return;
    expect(config.stat).toEqual({ czxid: 0, mzxid: 0, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: -1,
      ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 0 });
    expect(config.data?.byteLength ?? 0).toBe(0);
  });

  it('create2 returns the Stat of a new node: czxid = mzxid = pzxid = reply zxid, versions 0', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    const reply = await ok(s, op.create(path, { data: 'hello' }));
    const { path: created, stat } = read.create2(reply);
    expect(created).toBe(path);
    expect(stat).toMatchObject({ czxid: reply.zxid, mzxid: reply.zxid, pzxid: reply.zxid, version: 0, cversion: 0,
      aversion: 0, ephemeralOwner: 0n, dataLength: 5, numChildren: 0 });
    expect(stat.mtime).toBe(stat.ctime);
    expect(Math.abs(stat.ctime - Date.now())).toBeLessThan(60_000);
  });

  it('create (opcode 1) returns only the path', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    const reply = await ok(s, op.create(path, { opcode: OpCode.create }));
    expect(read.create(reply).path).toBe(path);
    expect(reply.reader.remaining).toBe(0);
  });

  it('setData bumps version and mzxid/mtime only; getData returns data and the same Stat', async () => {
    const c = await fx.nzk();
    const path = uniquePath();
    await c.create(path, Buffer.from('a'));
    const before = (await c.getData(path)).stat;
    const after = await c.setData(path, Buffer.from('bcd'));
    expect(after.version).toBe(1);
    expect(after.czxid).toBe(before.czxid);
    expect(after.pzxid).toBe(before.pzxid);
    expect(after.mzxid > before.mzxid).toBe(true);
    expect(after.ctime).toBe(before.ctime);
    expect(after.mtime >= before.mtime).toBe(true);
    expect(after.dataLength).toBe(3);
    const got = await c.getData(path);
    expect(got.data?.toString()).toBe('bcd');
    expect(got.stat).toEqual(after);
  });

  it('child create/delete bump the parent cversion, numChildren and pzxid, not its version or mzxid', async () => {
    const s = await fx.raw();
    const parent = uniquePath();
    const p0 = read.create2(await ok(s, op.create(parent))).stat;
    const child = read.create2(await ok(s, op.create(`${parent}/c`))).stat;
    const p1 = read.stat(await ok(s, op.exists(parent)));
    expect(p1).toMatchObject({ cversion: 1, numChildren: 1, pzxid: child.czxid, version: 0, mzxid: p0.mzxid });
    const del = await ok(s, op.delete(`${parent}/c`));
    const p2 = read.stat(await ok(s, op.exists(parent)));
    expect(p2).toMatchObject({ cversion: 2, numChildren: 0, pzxid: del.zxid, version: 0, mzxid: p0.mzxid });
  });

  it('setACL bumps aversion only; getACL returns the ACL and Stat', async () => {
    const c = await fx.nzk();
    const path = uniquePath();
    await c.create(path);
    const all = [{ permission: 31, id: { scheme: 'world', id: 'anyone' } }];
    expect(await rejectsWithCode(c.setACL(path, all, 3))).toBe(Code.BADVERSION);
    const stat = await c.setACL(path, [{ permission: 1 | 2, id: { scheme: 'world', id: 'anyone' } }], 0);
    expect(stat).toMatchObject({ aversion: 1, version: 0, cversion: 0 });
    const got = await c.getACL(path);
    expect(got.acl).toEqual([{ permission: 3, id: { scheme: 'world', id: 'anyone' } }]);
    expect(got.stat.aversion).toBe(1);
    // Without ADMIN the ACL check comes before the version check.
    expect(await rejectsWithCode(c.setACL(path, all, 0))).toBe(Code.NOAUTH);
  });

  it('exists returns the Stat or NONODE; getChildren / getChildren2 list children with the Stat', async () => {
    const s = await fx.raw();
    const parent = uniquePath();
    await ok(s, op.create(parent));
    for (const n of ['b', 'a', 'c']) await ok(s, op.create(`${parent}/${n}`));
    expect(await codeOf(s, op.exists(`${parent}/zz`))).toBe(Code.NONODE);
    expect(read.getChildren(await ok(s, op.getChildren(parent))).children.sort()).toEqual(['a', 'b', 'c']);
    const two = read.getChildren2(await ok(s, op.getChildren2(parent)));
    expect(two.children.sort()).toEqual(['a', 'b', 'c']);
    expect(two.stat).toMatchObject({ numChildren: 3, cversion: 3 });
    expect(await codeOf(s, op.getChildren2(`${parent}/zz`))).toBe(Code.NONODE);
  });

  it('error codes: NONODE, NODEEXISTS, NOTEMPTY, BADVERSION, NOCHILDRENFOREPHEMERALS', async () => {
    const c = await fx.nzk();
    const path = uniquePath();
    expect(await rejectsWithCode(c.getData(path))).toBe(Code.NONODE);
    expect(await rejectsWithCode(c.create(`${path}/child`))).toBe(Code.NONODE);
    expect(await rejectsWithCode(c.setData(path, Buffer.from('x')))).toBe(Code.NONODE);
    expect(await rejectsWithCode(c.remove(path))).toBe(Code.NONODE);
    await c.create(path);
    expect(await rejectsWithCode(c.create(path))).toBe(Code.NODEEXISTS);
    await c.create(`${path}/child`);
    expect(await rejectsWithCode(c.remove(path))).toBe(Code.NOTEMPTY);
    expect(await rejectsWithCode(c.setData(path, Buffer.from('x'), 7))).toBe(Code.BADVERSION);
    expect(await rejectsWithCode(c.remove(`${path}/child`, 3))).toBe(Code.BADVERSION);
    await c.remove(`${path}/child`, 0);
    const eph = `${path}/eph`;
    await c.create(eph, null, NzkCreateMode.EPHEMERAL);
    expect(await rejectsWithCode(c.create(`${eph}/x`))).toBe(Code.NOCHILDRENFOREPHEMERALS);
  });

  it('a failed write still consumes a zxid (ErrorTxn)', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    const first = await ok(s, op.create(path));
    const failed = await s.call(op.create(path));
    expect(failed.err).toBe(Code.NODEEXISTS);
    expect(failed.zxid).toBe(first.zxid + 1);
    const next = await ok(s, op.setData(path, 'x'));
    expect(next.zxid).toBe(first.zxid + 2);
  });

  it('reads reply with the last processed zxid', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    const w = await ok(s, op.create(path));
    expect((await ok(s, op.getData(path))).zxid).toBe(w.zxid);
    expect((await s.call(op.exists(`${path}/none`))).zxid).toBe(w.zxid);
  });

  it('sync echoes the path (existing or not)', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    expect(read.sync(await ok(s, op.sync(path))).path).toBe(path);
    await ok(s, op.create(path));
    expect(read.sync(await ok(s, op.sync(path))).path).toBe(path);
  });

  it('check (opcode 13) outside multi: BADVERSION and NONODE as values; the connection stays usable', async () => {
    // A *successful* standalone check gets no reply from ZooKeeper 3.8.0 (NullPointerException
    // serializing SetDataResponse with a null stat in FinalRequestProcessor), so only failures are asserted.
    const s = await fx.raw();
    const path = uniquePath();
    await ok(s, op.create(path));
    expect(await codeOf(s, op.check(path, 4))).toBe(Code.BADVERSION);
    expect(await codeOf(s, op.check(`${path}/none`, -1))).toBe(Code.NONODE);
    expect((await s.call(op.exists(path))).err).toBe(Code.OK);
  });

  it('getEphemerals lists this session\'s ephemerals under a prefix', async () => {
    const s = await fx.raw();
    const base = uniquePath();
    await ok(s, op.create(base));
    await ok(s, op.create(`${base}/e1`, { flags: 1 }));
    await ok(s, op.create(`${base}/e2`, { flags: 1 }));
    await ok(s, op.create(`${base}/p`));
    const other = await fx.raw();
    await ok(other, op.create(`${base}/o1`, { flags: 1 }));
    expect(read.getEphemerals(await ok(s, op.getEphemerals(base))).ephemerals.sort()).toEqual([`${base}/e1`, `${base}/e2`]);
    expect(read.getEphemerals(await ok(s, op.getEphemerals(`${base}/e1`))).ephemerals).toEqual([`${base}/e1`]);
    expect(read.getEphemerals(await ok(other, op.getEphemerals('/'))).ephemerals).toEqual([`${base}/o1`]);
  });

  it('getAllChildrenNumber counts all descendants; NONODE when absent', async () => {
    const s = await fx.raw();
    const base = uniquePath();
    await ok(s, op.create(base));
    await ok(s, op.create(`${base}/a`));
    await ok(s, op.create(`${base}/a/b`));
    await ok(s, op.create(`${base}/c`));
    expect(read.getAllChildrenNumber(await ok(s, op.getAllChildrenNumber(base))).totalNumber).toBe(3);
    expect(read.getAllChildrenNumber(await ok(s, op.getAllChildrenNumber(`${base}/c`))).totalNumber).toBe(0);
    expect(await codeOf(s, op.getAllChildrenNumber(`${base}/none`))).toBe(Code.NONODE);
  });

  it('whoAmI reports the ip identity, plus digest after auth', async () => {
    const s = await fx.raw();
    expect(read.whoAmI(await ok(s, op.whoAmI())).clientInfo).toEqual([{ authScheme: 'ip', user: '127.0.0.1' }]);
    expect((await s.auth('digest', 'alice:secret')).err).toBe(0);
    const info = read.whoAmI(await ok(s, op.whoAmI())).clientInfo;
    expect(info).toContainEqual({ authScheme: 'ip', user: '127.0.0.1' });
    expect(info).toContainEqual({ authScheme: 'digest', user: 'alice' });
  });

  it('an unknown opcode gets UNIMPLEMENTED (zxid -1), then the server closes the connection; the session survives', async () => {
    const s = await fx.raw();
    const reply = await s.callOpcode(99);
    expect(reply.err).toBe(Code.UNIMPLEMENTED);
    expect(reply.zxid).toBe(-1);
    await s.closed;
    const again = await fx.raw({ sessionId: s.sessionId, passwd: s.passwd });
    expect(again.sessionId).toBe(s.sessionId);
  });

  it('a request larger than jute.maxbuffer makes the server drop the connection', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    await ok(s, op.create(path));
    await expect(s.call(op.setData(path, new Uint8Array(1024 * 1024 + 100)))).rejects.toThrow(/closed/);
  });

  it('path rules: bad paths are BADARGUMENTS on writes, a missing parent is checked first', async () => {
    const s = await fx.raw();
    const parent = uniquePath();
    await ok(s, op.create(parent));
    for (const bad of ['relative', '', '//x', `${parent}/`, `${parent}/.`, `${parent}/..`, `${parent}/a\u0000b`,
      `${parent}/a\u0001b`, `${parent}/a\u007fb`, `${parent}/\ud800`]) {
      expect(await codeOf(s, op.create(bad)), JSON.stringify(bad)).toBe(Code.BADARGUMENTS);
    }
    // `/.`-style segments inside a path name a parent that does not exist.
    expect(await codeOf(s, op.create(`${parent}/./x`))).toBe(Code.NONODE);
    expect(await codeOf(s, op.create(`${parent}/../x`))).toBe(Code.NONODE);
    for (const fine of [`${parent}/.x`, `${parent}/x.`, `${parent}/a b`, `${parent}/\u00e9`]) {
      expect(await codeOf(s, op.create(fine)), JSON.stringify(fine)).toBe(Code.OK);
    }
  });

  it('path rules on reads: no validation, an invalid path is simply NONODE; "" reads the root', async () => {
    const s = await fx.raw();
    for (const bad of ['relative', '/x/', '/a/../b', '/a\u0000b']) {
      expect(await codeOf(s, op.getData(bad)), JSON.stringify(bad)).toBe(Code.NONODE);
    }
    expect(await codeOf(s, op.getData(''))).toBe(Code.OK);
  });

  it('node-zookeeper-client refuses relative and dot paths on the client side, before sending', async () => {
    const c = await fx.nzk();
    await expect(c.create('relative')).rejects.toThrow(/start with \//);
    await expect(c.create('/a/../b')).rejects.toThrow(/relative/);
    await expect(c.create('/a/')).rejects.toThrow(/end with \//);
  });

  it('root and the reserved /zookeeper subtree', async () => {
    const s = await fx.raw();
    expect(await codeOf(s, op.delete('/'))).toBe(Code.BADARGUMENTS);
    expect(await codeOf(s, op.create('/'))).toBe(Code.NODEEXISTS);
    expect(await codeOf(s, op.create('/zookeeper'))).toBe(Code.NODEEXISTS);
    const kids = read.getChildren(await ok(s, op.getChildren('/zookeeper'))).children;
    expect(kids).toEqual(expect.arrayContaining(['config', 'quota']));
    for (const p of ['/zookeeper', '/zookeeper/config', '/zookeeper/quota']) {
      expect(await codeOf(s, op.delete(p)), p).toBe(Code.BADARGUMENTS);
    }
    const config = read.getACL(await ok(s, op.getACL('/zookeeper/config')));
    expect(config.acl).toEqual([{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
    // An ensemble's /zookeeper/config holds its quorum config (version -1): test/ensemble/config-node.test.ts.
    const standalone = fx.target().mode !== 'follower';
    expect(config.stat).toMatchObject({ czxid: 0, mzxid: 0, ctime: 0, aversion: -1,
      ...(standalone ? { version: 0, dataLength: 0 } : {}) });
    expect(await codeOf(s, op.setData('/zookeeper/config', 'x'))).toBe(Code.NOAUTH);
    expect(await codeOf(s, op.create('/zookeeper/config/x'))).toBe(Code.NOAUTH);
    const zk = read.getACL(await ok(s, op.getACL('/zookeeper')));
    expect(zk.acl).toEqual([{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
    expect(zk.stat).toMatchObject({ czxid: 0, mzxid: 0, ctime: 0 });
  });
});
