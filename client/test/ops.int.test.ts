// Conformance-style checks of every operation, against each target
// (CONFORMANCE_TARGETS=apache,zooproof; both by default).
import { expect, it } from 'vitest';
import { Code } from '../../server/wire/index.ts';
import { forEachTarget } from '../../test/support/targets.ts';
import { digestOf } from '../../test/support/zoo-cfg.ts';
import { CREATOR_ALL_ACL, OPEN_ACL_UNSAFE, ZooKeeperError, type ZooKeeperClient } from '../index.ts';
import { uniquePath, useClientTarget } from './helpers.ts';

// ZooKeeper 3.8 shows containers and TTL nodes to clients with ephemeralOwner 0
// (the special owner values stay server-side); see test/conformance/modes.test.ts.
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function failure(p: Promise<unknown>): Promise<ZooKeeperError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ZooKeeperError) return e;
    throw e;
  }
  throw new Error('expected a ZooKeeperError');
}

forEachTarget('client operations', (name) => {
  const fx = useClientTarget(name);

  it('creates in all seven modes with the right owners and sequence suffixes', async () => {
    const zk = await fx.client();
    const base = uniquePath();
    await zk.create(base);
    const sid = zk.info.sessionId;
    const cases = [
      ['p', 'PERSISTENT', undefined, 0n], ['e', 'EPHEMERAL', undefined, sid],
      ['ps-', 'PERSISTENT_SEQUENTIAL', undefined, 0n], ['es-', 'EPHEMERAL_SEQUENTIAL', undefined, sid],
      ['c', 'CONTAINER', undefined, 0n], ['t', 'PERSISTENT_WITH_TTL', 60_000, 0n],
      ['ts-', 'PERSISTENT_SEQUENTIAL_WITH_TTL', 60_000, 0n],
    ] as const;
    let lastZxid = 0;
    for (const [child, mode, ttlMs, owner] of cases) {
      const res = await zk.create(`${base}/${child}`, 'd', { mode, ttlMs });
      if (mode.includes('SEQUENTIAL')) expect(res.path).toMatch(new RegExp(`^${base}/${child}\\d{10}$`));
      else expect(res.path).toBe(`${base}/${child}`);
      expect(res.stat!.ephemeralOwner, mode).toBe(owner);
      expect((await zk.exists(res.path)).stat).toEqual(res.stat);
      expect(res.zxid).toBeGreaterThan(lastZxid);
      lastZxid = res.zxid;
    }
    const plain = await zk.create(`${base}/nostat`, null, { withoutStat: true });
    expect(plain).toMatchObject({ path: `${base}/nostat`, stat: null });
  });

  it('reads, writes and deletes with versions; refusals are definite', async () => {
    const zk = await fx.client();
    const p = uniquePath();
    const created = await zk.create(p, 'v0');
    const set = await zk.setData(p, 'v1', 0);
    expect(set.stat.version).toBe(1);
    expect(set.stat.mzxid).toBe(set.zxid);
    const got = await zk.getData(p);
    expect(text(got.data!)).toBe('v1');
    expect(got.stat).toEqual(set.stat);
    expect(got.stat.czxid).toBe(created.zxid);
    for (const [err, code] of [
      [await failure(zk.create(p)), Code.NODEEXISTS],
      [await failure(zk.setData(p, 'x', 0)), Code.BADVERSION],
      [await failure(zk.getData(`${p}/missing`)), Code.NONODE],
      [await failure(zk.delete(p, 7)), Code.BADVERSION],
    ] as const) {
      expect(err).toMatchObject({ code, sent: true, definite: true });
    }
    await zk.create(`${p}/child`);
    expect(await failure(zk.delete(p))).toMatchObject({ code: Code.NOTEMPTY, definite: true });
    await zk.delete(`${p}/child`, 0);
    await zk.delete(p, 1);
    expect((await zk.exists(p)).stat).toBeNull();
  });

  it('refuses children of ephemerals', async () => {
    const zk = await fx.client();
    const p = uniquePath();
    await zk.create(p, null, { mode: 'EPHEMERAL' });
    expect(await failure(zk.create(`${p}/x`))).toMatchObject({ code: Code.NOCHILDRENFOREPHEMERALS, definite: true });
  });

  it('lists children, counts descendants and lists the session\'s ephemerals', async () => {
    const zk = await fx.client();
    const base = uniquePath();
    await zk.create(base);
    await zk.create(`${base}/a`);
    await zk.create(`${base}/a/x`);
    await zk.create(`${base}/b`, null, { mode: 'EPHEMERAL' });
    expect((await zk.getChildren(base)).children.sort()).toEqual(['a', 'b']);
    const c2 = await zk.getChildren2(base);
    expect(c2.stat.numChildren).toBe(2);
    expect((await zk.getAllChildrenNumber(base)).totalNumber).toBe(3);
    expect((await zk.getEphemerals(base)).paths).toEqual([`${base}/b`]);
  });

  it('applies ACLs and digest auth; NOAUTH is definite; whoAmI names the user', async () => {
    const alice = await fx.client({ authInfo: [{ scheme: 'digest', auth: 'alice:secret' }] });
    const other = await fx.client();
    const p = uniquePath();
    await alice.create(p, 'private', { acl: CREATOR_ALL_ACL });
    const acl = await alice.getACL(p);
    expect(acl.acl).toEqual([{ perms: 31, id: { scheme: 'digest', id: digestOf('alice', 'secret') } }]);
    expect(await failure(other.getData(p))).toMatchObject({ code: Code.NOAUTH, definite: true });
    await alice.setACL(p, OPEN_ACL_UNSAFE, 0);
    expect(text((await other.getData(p)).data!)).toBe('private');
    expect((await alice.getACL(p)).stat.aversion).toBe(1);
    const who = await alice.whoAmI();
    expect(who.clientInfo).toContainEqual({ authScheme: 'digest', user: 'alice' });
    await other.addAuthInfo('digest', 'bob:pw');
    expect((await other.whoAmI()).clientInfo).toContainEqual({ authScheme: 'digest', user: 'bob' });
  });

  it('runs multi atomically and multiRead with per-read errors', async () => {
    const zk = await fx.client();
    const base = uniquePath();
    await zk.create(base, 'v');
    const ok = await zk.multi([
      { op: 'create', path: `${base}/a`, data: 'a' }, { op: 'setData', path: base, data: 'w', version: 0 },
      { op: 'check', path: base, version: 1 }, { op: 'delete', path: `${base}/a` },
    ]);
    expect(ok.results.map((r) => r.op)).toEqual(['create', 'setData', 'check', 'delete']);
    const err = await failure(zk.multi([
      { op: 'create', path: `${base}/b` }, { op: 'check', path: base, version: 0 },
    ]));
    expect(err).toMatchObject({ code: Code.BADVERSION, path: base, definite: true });
    expect(err.results!.map((r) => (r as { err: number }).err)).toEqual([Code.OK, Code.BADVERSION]);
    expect((await zk.exists(`${base}/b`)).stat).toBeNull();
    const read = await zk.multiRead([{ op: 'getData', path: base }, { op: 'getChildren', path: `${base}/none` }]);
    expect(read.results[0]).toMatchObject({ op: 'getData', stat: { version: 1 } });
    expect(read.results[1]).toEqual({ op: 'error', err: Code.NONODE, codeName: 'NONODE' });
  });

  it('maps paths through a chroot both ways', async () => {
    const root = await fx.client();
    const base = uniquePath();
    await root.create(base);
    const zk = await fx.client({ chroot: base });
    expect((await zk.create('/x', null, { mode: 'EPHEMERAL_SEQUENTIAL' })).path).toMatch(/^\/x\d{10}$/);
    expect((await root.getChildren(base)).children).toHaveLength(1);
    expect((await zk.sync('/')).path).toBe('/');
    expect((await zk.getEphemerals('/')).paths[0]).toMatch(/^\/x\d{10}$/);
    expect((await zk.getChildren('/')).children[0]).toMatch(/^x\d{10}$/);
  });

  it('pipelines: many requests in flight complete in issue order (FIFO zxids)', async () => {
    const zk: ZooKeeperClient = await fx.client();
    const base = uniquePath();
    await zk.create(base);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => zk.create(`${base}/n${i}`)));
    const zxids = results.map((r) => r.zxid);
    expect(zxids).toEqual([...zxids].sort((a, b) => a - b));
    expect(new Set(zxids).size).toBe(200);
  });
});
