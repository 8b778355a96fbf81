// Four-letter words on the client port, honouring 4lw.commands.whitelist.
import { describe, expect, it } from 'vitest';
import { forEachTarget } from '../support/targets.ts';
import { fourLetterWord } from '../support/four-letter.ts';
import { ok, op, uniquePath } from '../support/raw-ops.ts';
import { useTarget } from './fixture.ts';

forEachTarget('four-letter words', (name) => {
  const fx = useTarget(name);
  const word = (w: string) => fourLetterWord(fx.target().host, fx.target().port, w);
  /** standalone, or follower for an ensemble target (the suite talks to a follower). */
  const mode = () => fx.target().mode ?? 'standalone';

  it('ruok answers imok (no newline)', async () => {
    expect(await word('ruok')).toBe('imok');
  });

  it('srvr and stat: version, Zxid, Mode: standalone (follower on an ensemble), Node count', async () => {
    const s = await fx.raw();
    const w = await ok(s, op.create(uniquePath()));
    const srvr = await word('srvr');
    expect(srvr).toMatch(/^Zookeeper version: /);
    expect(srvr).toMatch(/^Latency min\/avg\/max: \d+\/[\d.]+\/\d+$/m);
    expect(srvr).toContain(`Zxid: 0x${w.zxid.toString(16)}\n`);
    expect(srvr).toMatch(new RegExp(`^Mode: ${mode()}$`, 'm'));
    expect(srvr).toMatch(/^Node count: \d+$/m);
    const stat = await word('stat');
    expect(stat).toMatch(/^Clients:$/m);
    expect(stat).toMatch(new RegExp(`^Mode: ${mode()}$`, 'm'));
  });

  it('mntr: tab-separated zk_ keys including zk_server_state standalone (follower on an ensemble)', async () => {
    const mntr = await word('mntr');
    expect(mntr).toMatch(/^zk_version\t/m);
    expect(mntr).toMatch(new RegExp(`^zk_server_state\t${mode()}$`, 'm'));
    expect(mntr).toMatch(/^zk_znode_count\t\d+$/m);
    expect(mntr).toMatch(/^zk_num_alive_connections\t\d+$/m);
  });

  it('conf, cons, dump, wchs, envi, isro', async () => {
    const s = await fx.raw();
    expect(await word('conf')).toMatch(new RegExp(`^clientPort=${fx.target().port}$`, 'm'));
    expect(await word('cons')).toMatch(/127\.0\.0\.1/);
    const path = uniquePath();
    await ok(s, op.create(path, { flags: 1 }));
    const dump = await word('dump');
    expect(dump).toContain(`0x${s.sessionId.toString(16)}`);
    expect(dump).toContain(path);
    await ok(s, op.getData(path, true));
    expect(await word('wchs')).toMatch(/connections watching \d+ paths/);
    expect(await word('envi')).toMatch(/^Environment:$/m);
    expect(await word('isro')).toBe('rw');
  });

  describe('with a whitelist of ruok,mntr', () => {
    const limited = useTarget(name, { fourLetterWhitelist: 'ruok,mntr' });
    const lw = (w: string) => fourLetterWord(limited.target().host, limited.target().port, w);

    it('whitelisted words answer, others say they are not in the whitelist; srvr is always allowed', async () => {
      expect(await lw('ruok')).toBe('imok');
      expect(await lw('mntr')).toMatch(new RegExp(`^zk_server_state\t${limited.target().mode ?? 'standalone'}$`, 'm'));
      expect(await lw('srvr')).toMatch(new RegExp(`^Mode: ${limited.target().mode ?? 'standalone'}$`, 'm'));
      for (const w of ['stat', 'conf', 'cons', 'dump', 'wchs', 'envi']) {
        expect(await lw(w)).toBe(`${w} is not executed because it is not in the whitelist.\n`);
      }
    });
  });
});
