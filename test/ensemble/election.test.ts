// 3 and 5 voters on loopback elect exactly one leader, and a write through
// any member (leader or follower) is visible on every member.
import { describe, expect, it } from 'vitest';
import { Code } from '../../server/wire/index.ts';
import { describeModes } from '../support/ensemble.ts';
import { fourLetterWord } from '../support/four-letter.ts';
import { LOOPBACK } from '../support/ports.ts';
import { codeOf, op } from '../support/raw-ops.ts';
import { forEachEnsembleKind, useEnsemble } from './fixture.ts';
import { createOn, eventually, syncedData, withSession } from './ops.ts';

const VISIBLE_TIMEOUT_MS = 5000;

forEachEnsembleKind('election and replication', (kind) => {
  for (const voters of [3, 5]) {
    describe(`${voters} voters`, () => {
      const ensemble = useEnsemble(kind, { voters });

      it('elect exactly one leader; every other voter follows it', async () => {
        const e = ensemble();
        const leader = await e.waitForLeader();
        const modes = await e.modes();
        const roles = [...modes.values()];
        expect(roles.filter((r) => r === 'leader'), describeModes(modes)).toHaveLength(1);
        expect(roles.filter((r) => r === 'follower'), describeModes(modes)).toHaveLength(voters - 1);
        expect(modes.get(leader.id)).toBe('leader');
        const mntr = await fourLetterWord(LOOPBACK, leader.clientPort, 'mntr');
        expect(mntr).toMatch(/^zk_server_state\tleader$/m);
        expect(mntr).toMatch(new RegExp(`^zk_synced_followers\\t${voters - 1}$`, 'm'));
        // A leader of a fresh ensemble reports its new epoch's marker, not the zxid 0 it was elected with.
        expect(await fourLetterWord(LOOPBACK, leader.clientPort, 'srvr')).toMatch(/^Zxid: 0x100000000$/m);
      });

      it('a write through any member is visible on every member', async () => {
        const e = ensemble();
        await e.waitForLeader();
        const base = `/election-${voters}-${Date.now()}`;
        await createOn(e.members[0]!, base, 'base');
        const zxids: number[] = [];
        for (const m of e.members) zxids.push(await createOn(m, `${base}/via-${m.id}`, `written through server.${m.id}`));
        expect([...zxids].sort((a, b) => a - b), 'write zxids increase in order').toEqual(zxids);
        expect(new Set(zxids).size).toBe(zxids.length);
        for (const reader of e.members) {
          for (const writer of e.members) {
            const path = `${base}/via-${writer.id}`;
            // Without sync(): replication alone brings the write to every member.
            await eventually(() => withSession(reader, async (s) => (await codeOf(s, op.exists(path))) === Code.OK),
              VISIBLE_TIMEOUT_MS, `${path} visible on server.${reader.id}`);
            expect(await syncedData(reader, path)).toBe(`written through server.${writer.id}`);
          }
        }
      });
    });
  }
});
