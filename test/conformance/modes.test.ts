// The seven create modes, sequence suffixes, containers and TTL nodes.
import { describe, expect, it } from 'vitest';
import { Code, OpCode } from '../../server/wire/index.ts';
import { forEachTarget } from '../support/targets.ts';
import { codeOf, ok, op, read, uniquePath } from '../support/raw-ops.ts';
import { NzkCreateMode } from '../support/nzk.ts';
import { eventually, sleep, useTarget } from './fixture.ts';

forEachTarget('create modes', (name) => {
  const fx = useTarget(name, { containerCheckIntervalMs: 300 });

  it('PERSISTENT and EPHEMERAL: ephemeralOwner is 0 or the session id', async () => {
    const c = await fx.nzk();
    const base = uniquePath();
    await c.create(base, null, NzkCreateMode.PERSISTENT);
    await c.create(`${base}/e`, null, NzkCreateMode.EPHEMERAL);
    expect((await c.exists(base))!.ephemeralOwner).toBe(0n);
    expect((await c.exists(`${base}/e`))!.ephemeralOwner).toBe(c.sessionId);
  });

  it('sequential suffix counts child creates only (%010d); the visible cversion is 2*creates - numChildren', async () => {
    // ZooKeeper stores a parent's cversion as its number of child creates and reports
    // cversion*2 - numChildren to clients (DataNode.copyStat), so a delete moves the
    // visible cversion but not the next sequence number.
    const c = await fx.nzk();
    const base = uniquePath();
    await c.create(base);
    expect(await c.create(`${base}/s-`, null, NzkCreateMode.PERSISTENT_SEQUENTIAL)).toBe(`${base}/s-0000000000`);
    await c.create(`${base}/plain`);
    await c.remove(`${base}/plain`);
    expect((await c.getChildren(base)).stat.cversion).toBe(3);
    expect(await c.create(`${base}/e-`, null, NzkCreateMode.EPHEMERAL_SEQUENTIAL)).toBe(`${base}/e-0000000002`);
    expect(await c.create(`${base}/`, null, NzkCreateMode.PERSISTENT_SEQUENTIAL).catch((e) => e.message))
      .toMatch(/end with/); // node-zookeeper-client refuses a trailing slash before sending
    const s = await fx.raw();
    expect(read.create2(await ok(s, op.create(`${base}/`, { flags: 2 }))).path).toBe(`${base}/0000000003`);
    expect((await c.getChildren(base)).stat.cversion).toBe(5);
  });

  it('CONTAINER: only createContainer makes one (ephemeralOwner 0 to clients); flag 4 through create/create2 is a plain node', async () => {
    const s = await fx.raw();
    const [container, viaCreate2, viaCreate] = [uniquePath(), uniquePath(), uniquePath()];
    await ok(s, op.create(container, { opcode: OpCode.createContainer, flags: 4 }));
    await ok(s, op.create(viaCreate2, { opcode: OpCode.create2, flags: 4 }));
    await ok(s, op.create(viaCreate, { opcode: OpCode.create, flags: 4 }));
    for (const p of [container, viaCreate2, viaCreate]) {
      expect(read.stat(await ok(s, op.exists(p))).ephemeralOwner, p).toBe(0n);
      await ok(s, op.create(`${p}/child`));
      await ok(s, op.delete(`${p}/child`));
    }
    await eventually(async () => (await codeOf(s, op.exists(container))) === Code.NONODE, 10_000, 'container deleted');
    await sleep(1000); // a few more container-manager passes
    expect(await codeOf(s, op.exists(viaCreate2))).toBe(Code.OK);
    expect(await codeOf(s, op.exists(viaCreate))).toBe(Code.OK);
  });

  it('a container is deleted by the container manager after its last child goes, not before it had one', async () => {
    const s = await fx.raw();
    const [used, unused] = [uniquePath(), uniquePath()];
    await ok(s, op.create(used, { opcode: OpCode.createContainer, flags: 4 }));
    await ok(s, op.create(unused, { opcode: OpCode.createContainer, flags: 4 }));
    await ok(s, op.create(`${used}/child`));
    await sleep(1000);
    expect(await codeOf(s, op.exists(used))).toBe(Code.OK);
    await ok(s, op.delete(`${used}/child`));
    await eventually(async () => (await codeOf(s, op.exists(used))) === Code.NONODE, 10_000, 'container deleted');
    expect(await codeOf(s, op.exists(unused))).toBe(Code.OK);
  });

  it('TTL modes: clients see ephemeralOwner 0 (the TTL encoding is server-internal); sequential TTL gets a suffix', async () => {
    const s = await fx.raw();
    const base = uniquePath();
    await ok(s, op.create(base));
    const t = read.create2(await ok(s, op.create(`${base}/t`, { flags: 5, ttl: 60_000 })));
    expect(t.stat.ephemeralOwner).toBe(0n);
    const q = read.create2(await ok(s, op.create(`${base}/q-`, { flags: 6, ttl: 60_000 })));
    expect(q.path).toBe(`${base}/q-0000000001`);
    expect(read.stat(await ok(s, op.exists(q.path))).ephemeralOwner).toBe(0n);
  });

  it('an untouched childless TTL node is deleted after its TTL', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    await ok(s, op.create(path, { flags: 5, ttl: 500 }));
    expect(await codeOf(s, op.exists(path))).toBe(Code.OK);
    await eventually(async () => (await codeOf(s, op.exists(path))) === Code.NONODE, 10_000, 'TTL node deleted');
  });

  it('bad mode / TTL combinations are BADARGUMENTS', async () => {
    const s = await fx.raw();
    const cases: [string, Parameters<typeof op.create>[1]][] = [
      ['flags 7', { flags: 7 }],
      ['TTL flag through create2', { flags: 5, opcode: OpCode.create2 }],
      ['TTL flag through create', { flags: 5, opcode: OpCode.create }],
      ['createTTL with ttl 0', { flags: 5, ttl: 0 }],
      ['createTTL with a non-TTL mode', { flags: 0, ttl: 1000 }],
      ['createTTL with ttl beyond 2^40-1', { flags: 5, ttl: 2 ** 41 }],
    ];
    for (const [label, args] of cases) expect(await codeOf(s, op.create(uniquePath(), args)), label).toBe(Code.BADARGUMENTS);
  });

  describe('with extended types disabled', () => {
    const plain = useTarget(name, { extendedTypesEnabled: false });

    it('createTTL is UNIMPLEMENTED', async () => {
      const s = await plain.raw();
      expect(await codeOf(s, op.create(uniquePath(), { flags: 5, ttl: 1000 }))).toBe(Code.UNIMPLEMENTED);
    });
  });
});
