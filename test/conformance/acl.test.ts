// ACLs: world, auth, digest, ip (incl. CIDR), super; each permission enforced.
import { expect, it } from 'vitest';
import { Code, Perms, type records as R } from '../../server/wire/index.ts';
import { forEachTarget } from '../support/targets.ts';
import { codeOf, ok, op, read, uniquePath } from '../support/raw-ops.ts';
import { digestOf, SUPER_PASSWORD, SUPER_USER } from '../support/zoo-cfg.ts';
import { rejectsWithCode, useTarget } from './fixture.ts';

const world = (perms: number): R.ACL => ({ perms, id: { scheme: 'world', id: 'anyone' } });
const digest = (perms: number, user: string, pass: string): R.ACL => ({ perms, id: { scheme: 'digest', id: digestOf(user, pass) } });
const ip = (perms: number, addr: string): R.ACL => ({ perms, id: { scheme: 'ip', id: addr } });

forEachTarget('acl', (name) => {
  const fx = useTarget(name);

  it('each permission guards its operations (READ, WRITE, CREATE, DELETE, ADMIN)', async () => {
    const s = await fx.raw();
    const all = Perms.ALL;
    const cases: [number, string][] = [[all & ~Perms.READ, 'read'], [all & ~Perms.WRITE, 'write'],
      [all & ~Perms.CREATE, 'create'], [all & ~Perms.DELETE, 'delete'], [all & ~Perms.ADMIN, 'admin']];
    for (const [perms, missing] of cases) {
      const path = uniquePath();
      await ok(s, op.create(path));
      await ok(s, op.create(`${path}/kid`));
      await ok(s, op.setACL(path, [world(perms)]));
      const expectCode = (m: string) => (m === missing ? Code.NOAUTH : Code.OK);
      expect(await codeOf(s, op.getData(path)), `getData without ${missing}`).toBe(expectCode('read'));
      expect(await codeOf(s, op.getChildren(path)), `getChildren without ${missing}`).toBe(expectCode('read'));
      expect(await codeOf(s, op.setData(path, 'x')), `setData without ${missing}`).toBe(expectCode('write'));
      expect(await codeOf(s, op.create(`${path}/new`)), `create without ${missing}`).toBe(expectCode('create'));
      expect(await codeOf(s, op.delete(`${path}/kid`)), `delete without ${missing}`).toBe(expectCode('delete'));
      expect(await codeOf(s, op.setACL(path, [world(perms)])), `setACL without ${missing}`).toBe(expectCode('admin'));
      expect(await codeOf(s, op.exists(path)), 'exists needs no permission').toBe(Code.OK);
      expect(await codeOf(s, op.getACL(path)), 'getACL needs no permission').toBe(Code.OK);
    }
  });

  it('digest: the matching user may act, others get NOAUTH; a bad auth scheme fails with AUTHFAILED', async () => {
    const owner = await fx.raw();
    expect((await owner.auth('digest', 'alice:secret')).err).toBe(0);
    const path = uniquePath();
    await ok(owner, op.create(path, { data: 'x', acl: [digest(Perms.ALL, 'alice', 'secret')] }));
    expect(await codeOf(owner, op.getData(path))).toBe(Code.OK);
    const stranger = await fx.raw();
    expect(await codeOf(stranger, op.getData(path))).toBe(Code.NOAUTH);
    expect((await stranger.auth('digest', 'alice:wrong')).err).toBe(0);
    expect(await codeOf(stranger, op.getData(path))).toBe(Code.NOAUTH);
    const bad = await fx.raw();
    expect((await bad.auth('nosuchscheme', 'x')).err).toBe(Code.AUTHFAILED);
  });

  it('auth scheme: the ACL is expanded to the creator\'s identities; INVALIDACL without any', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    expect(await codeOf(s, op.create(path, { acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }] }))).toBe(Code.INVALIDACL);
    await s.auth('digest', 'bob:pw');
    await ok(s, op.create(path, { acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }] }));
    expect(read.getACL(await ok(s, op.getACL(path))).acl).toEqual([digest(Perms.ALL, 'bob', 'pw')]);
  });

  it('ip: exact address and CIDR match 127.0.0.1; a non-matching address is NOAUTH', async () => {
    const s = await fx.raw();
    for (const [addr, allowed] of [['127.0.0.1', true], ['127.0.0.0/8', true], ['10.0.0.0/8', false], ['10.1.2.3', false]] as const) {
      const path = uniquePath();
      await ok(s, op.create(path, { acl: [ip(Perms.READ, addr)] }));
      expect(await codeOf(s, op.getData(path)), addr).toBe(allowed ? Code.OK : Code.NOAUTH);
    }
  });

  it('super (superDigest) bypasses every ACL', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    await ok(s, op.create(path, { acl: [digest(Perms.ALL, 'carol', 'pw')] }));
    expect(await codeOf(s, op.getData(path))).toBe(Code.NOAUTH);
    const root = await fx.raw();
    expect((await root.auth('digest', `${SUPER_USER}:${SUPER_PASSWORD}`)).err).toBe(0);
    expect(await codeOf(root, op.getData(path))).toBe(Code.OK);
    expect(await codeOf(root, op.setACL(path, [world(Perms.ALL)]))).toBe(Code.OK);
    expect(await codeOf(s, op.getData(path))).toBe(Code.OK);
  });

  it('node-zookeeper-client: NOAUTH surfaces as an error code; addAuthInfo grants access', async () => {
    const a = await fx.nzk();
    a.addAuthInfo('digest', 'dave:pw');
    const path = uniquePath();
    await a.create(path, Buffer.from('d'), 0, [{ permission: Perms.ALL, id: { scheme: 'digest', id: digestOf('dave', 'pw') } }]);
    const b = await fx.nzk();
    expect(await rejectsWithCode(b.getData(path))).toBe(Code.NOAUTH);
    expect(await rejectsWithCode(b.setData(path, Buffer.from('x')))).toBe(Code.NOAUTH);
    expect((await a.getData(path)).data?.toString()).toBe('d');
  });
});
