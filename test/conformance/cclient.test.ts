// The official C client (npm `zookeeper` binding): a representative set of
// operations through a second real client implementation. (The binding exposes
// no multi.)
import { expect, it } from 'vitest';
import { Code, EventType } from '../../server/wire/index.ts';
import { forEachTarget } from '../support/targets.ts';
import { CClient, isCBindingAvailable } from '../support/cbinding.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { uniquePath } from '../support/raw-ops.ts';
import { digestOf } from '../support/zoo-cfg.ts';
import { eventually, rejectsWithCode, useTarget } from './fixture.ts';

forEachTarget('C client', (name) => {
  describeIfAvailable(`C client binding [${name}]`, isCBindingAvailable(), () => {
    const fx = useTarget(name);
    const connect = async () => fx.track(Object.assign(await CClient.connect(fx.target().connectString, 10_000),
      {})) as CClient & { close(): void };

    it('connects and does create / get / set / delete with Stat versions', async () => {
      const c = await connect();
      const path = uniquePath();
      expect(await c.create(path, Buffer.from('one'), CClient.constants.ZOO_PERSISTENT!)).toBe(path);
      const got = await c.get(path);
      expect(got.data.toString()).toBe('one');
      expect(got.stat).toMatchObject({ version: 0, dataLength: 3 });
      expect((await c.set(path, Buffer.from('two'), 0)).version).toBe(1);
      expect(await rejectsWithCode(c.set(path, Buffer.from('x'), 0))).toBe(Code.BADVERSION);
      await c.delete(path, 1);
      expect(await rejectsWithCode(c.get(path))).toBe(Code.NONODE);
    });

    it('create modes: ephemeral, sequential, container, TTL', async () => {
      const c = await connect();
      const k = CClient.constants;
      const base = uniquePath();
      await c.create(base, '', k.ZOO_PERSISTENT!);
      await c.create(`${base}/e`, '', k.ZOO_EPHEMERAL!);
      expect((await c.exists(`${base}/e`)).ephemeralOwner).not.toBe('0');
      expect(await c.create(`${base}/s-`, '', k.ZOO_PERSISTENT_SEQUENTIAL!)).toBe(`${base}/s-0000000001`);
      expect(await c.create(`${base}/es-`, '', k.ZOO_EPHEMERAL_SEQUENTIAL!)).toBe(`${base}/es-0000000002`);
      await c.create(`${base}/ctr`, '', k.ZOO_CONTAINER!);
      await c.create(`${base}/ttl`, '', k.ZOO_PERSISTENT_WITH_TTL!, 60_000);
      expect((await c.getChildren(base)).sort()).toEqual(['ctr', 'e', 'es-0000000002', 's-0000000001', 'ttl']);
      expect(await rejectsWithCode(c.create(`${base}/e/x`, '', k.ZOO_PERSISTENT!))).toBe(Code.NOCHILDRENFOREPHEMERALS);
    });

    it('data and child watches fire once with the right event type', async () => {
      const c = await connect();
      const other = await connect();
      const path = uniquePath();
      await c.create(path, '', 0);
      const events: [number, string][] = [];
      await c.wGet(path, (type, _state, p) => events.push([type, p]));
      await c.wGetChildren(path, (type, _state, p) => events.push([type, p]));
      await other.set(path, 'x', -1);
      await other.create(`${path}/k`, '', 0);
      await other.set(path, 'y', -1);
      await eventually(async () => events.length >= 2, 5000, 'two watch events');
      expect(events.map(([t]) => t).sort()).toEqual([EventType.NodeDataChanged, EventType.NodeChildrenChanged].sort());
    });

    it('ACL denial and digest auth', async () => {
      const owner = await connect();
      await owner.addAuth('digest', 'erin:pw');
      const path = uniquePath();
      await owner.create(path, 'secret', 0);
      await owner.setAcl(path, -1, [{ perms: 31, scheme: 'digest', auth: digestOf('erin', 'pw') }]);
      const stranger = await connect();
      expect(await rejectsWithCode(stranger.get(path))).toBe(Code.NOAUTH);
      expect((await owner.get(path)).data.toString()).toBe('secret');
      const [acl] = await owner.getAcl(path);
      expect(acl).toEqual([{ perms: 31, scheme: 'digest', auth: digestOf('erin', 'pw') }]);
    });
  });
});
