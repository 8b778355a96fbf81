// multi (all-or-nothing, per-op result layout) and multiRead.
import { expect, it } from 'vitest';
import { Code, OpCode } from '../../server/wire/index.ts';
import { forEachTarget } from '../support/targets.ts';
import { codeOf, ok, op, read, uniquePath } from '../support/raw-ops.ts';
import { useTarget } from './fixture.ts';

forEachTarget('multi', (name) => {
  const fx = useTarget(name);

  it('node-zookeeper-client transaction: create, setData, check, delete all apply', async () => {
    const c = await fx.nzk();
    const path = uniquePath();
    const { error, results } = await c.transaction()
      .create(path, Buffer.from('a')).create(`${path}/x`).setData(path, Buffer.from('b')).check(path, 1)
      .remove(`${path}/x`).commit();
    expect(error).toBe(0);
    expect(results.map((r) => r.type)).toEqual([OpCode.create, OpCode.create, OpCode.setData, OpCode.check, OpCode.delete]);
    const got = await c.getData(path);
    expect(got.data?.toString()).toBe('b');
    expect(got.stat).toMatchObject({ version: 1, cversion: 2, numChildren: 0 });
  });

  it('all-or-nothing: earlier ops report 0, the failing op its code, later ops RUNTIMEINCONSISTENCY', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    const before = await ok(s, op.sync('/'));
    const reply = await ok(s, op.multi([op.create(path, { opcode: OpCode.create }), op.setData(`${path}/none`, 'x'),
      op.delete(path), op.check(path, 0)]));
    expect(read.multi(reply)).toEqual([
      { type: -1, err: Code.OK }, { type: -1, err: Code.NONODE },
      { type: -1, err: Code.RUNTIMEINCONSISTENCY }, { type: -1, err: Code.RUNTIMEINCONSISTENCY }]);
    expect(await codeOf(s, op.exists(path))).toBe(Code.NONODE);
    expect(reply.zxid).toBe(before.zxid + 1);
  });

  it('a failing check (BADVERSION) aborts the whole multi; node-zookeeper-client reports the first error', async () => {
    const c = await fx.nzk();
    const path = uniquePath();
    await c.create(path, Buffer.from('v0'));
    await c.setData(path, Buffer.from('v1'));
    // The check sees the setData before it in the same multi: version 2, not 1.
    const { error, results } = await c.transaction().setData(path, Buffer.from('v2')).check(path, 1).commit();
    expect(error).toBe(Code.BADVERSION);
    expect(results.map((r) => r.err)).toEqual([Code.OK, Code.BADVERSION]);
    expect((await c.getData(path)).data?.toString()).toBe('v1');
  });

  it('result types: create2 in multi answers as create (path only), setData with its Stat; ops see earlier ops', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    const reply = await ok(s, op.multi([op.create(path, { data: 'a' }), op.create(`${path}/c`, { opcode: OpCode.create }),
      op.setData(path, 'bb', 0), op.check(path, 1), op.delete(`${path}/c`, 0)]));
    const results = read.multi(reply);
    expect(results.map((r) => r.type)).toEqual([OpCode.create, OpCode.create, OpCode.setData, OpCode.check, OpCode.delete]);
    expect(results[0]).toEqual({ type: OpCode.create, path });
    expect(results[2]).toMatchObject({ stat: { version: 1, dataLength: 2, czxid: reply.zxid, mzxid: reply.zxid } });
  });

  it('result types: createContainer and createTTL in multi answer as create2 (path + Stat)', async () => {
    const s = await fx.raw();
    const a = uniquePath();
    const b = uniquePath();
    const reply = await ok(s, op.multi([op.create(a, { opcode: OpCode.createContainer, flags: 4 }),
      op.create(b, { ttl: 60_000, flags: 5 })]));
    const results = read.multi(reply);
    expect(results.map((r) => r.type)).toEqual([OpCode.create2, OpCode.create2]);
    expect(results[0]).toMatchObject({ path: a, stat: { czxid: reply.zxid } });
    expect(results[1]).toMatchObject({ path: b, stat: { czxid: reply.zxid } });
  });

  it('sequential creates in one multi get consecutive suffixes', async () => {
    const s = await fx.raw();
    const parent = uniquePath();
    await ok(s, op.create(parent));
    const results = read.multi(await ok(s, op.multi([op.create(`${parent}/q-`, { flags: 2 }),
      op.create(`${parent}/q-`, { flags: 2 })]))) as { path: string }[];
    expect(results.map((r) => r.path)).toEqual([`${parent}/q-0000000000`, `${parent}/q-0000000001`]);
  });

  it('an empty multi succeeds with no results', async () => {
    const s = await fx.raw();
    expect(read.multi(await ok(s, op.multi([])))).toEqual([]);
  });

  it('multiRead: getData and getChildren results, a failing read is an error entry that spoils nothing', async () => {
    const s = await fx.raw();
    const path = uniquePath();
    await ok(s, op.create(path, { data: 'd' }));
    await ok(s, op.create(`${path}/k`));
    const results = read.multi(await ok(s, op.multiRead([op.getData(path), op.getChildren(`${path}/none`),
      op.getChildren(path)])));
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ type: OpCode.getData, stat: { numChildren: 1, dataLength: 1 } });
    expect(Buffer.from((results[0] as { data: Uint8Array }).data).toString()).toBe('d');
    expect(results[1]).toEqual({ type: -1, err: Code.NONODE });
    expect(results[2]).toEqual({ type: OpCode.getChildren, children: ['k'] });
  });
});
