// /zookeeper/config on an ensemble holds the quorum configuration, as
// ZooKeeper 3.8 writes it at start-up (ZKDatabase.initConfigInZKDatabase):
// the server.N lines (host:quorumPort:electionPort:type) and `version=<hex>`,
// set with version -1 and the member's own wall-clock time, zxids 0; read-only
// to clients. (A standalone server leaves it empty: test/conformance/crud.)
import { describe, expect, it } from 'vitest';
import { Code } from '../../server/wire/index.ts';
import { serverLine } from '../support/ensemble-config.ts';
import { codeOf, ok, op, read } from '../support/raw-ops.ts';
import { forEachEnsembleKind, useEnsemble } from './fixture.ts';
import { withSession } from './ops.ts';

forEachEnsembleKind('/zookeeper/config', (kind) => {
  describe('3 voters + 1 observer', () => {
    const ensemble = useEnsemble(kind, { voters: 3, observers: 1 });

    it('holds the server.N lines and version=0 on every member', async () => {
        const e = ensemble();
        await e.waitForLeader();
        const expected = `${e.members.map(serverLine).join('\n')}\nversion=0`;
        for (const m of e.members) {
          const { data, stat } = await withSession(m, async (s) => read.getData(await ok(s, op.getData('/zookeeper/config'))));
          expect(Buffer.from(data ?? new Uint8Array()).toString('utf8'), `server.${m.id}`).toBe(expected);
          expect(stat, `server.${m.id}`).toMatchObject({ czxid: 0, mzxid: 0, ctime: 0, version: -1, cversion: 0, aversion: -1,
            ephemeralOwner: 0n, dataLength: Buffer.byteLength(expected), numChildren: 0, pzxid: 0 });
          expect(stat.mtime).toBeGreaterThan(0);
        }
      });

    it('is read-only to clients (world:anyone READ)', async () => {
      const e = ensemble();
      await e.waitForLeader();
      await withSession(e.members[0]!, async (s) => {
        expect(read.getACL(await ok(s, op.getACL('/zookeeper/config'))).acl).toEqual([{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
        expect(await codeOf(s, op.setData('/zookeeper/config', 'x'))).toBe(Code.NOAUTH);
      });
    });
  });
});
