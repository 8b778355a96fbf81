// The disk nemesis on lazyfs (fake controls): faults go to each node's
// filesystem, for a target without a faults-file hook too.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { diskNemesis } from '../nemesis/disk.ts';
import { fakeContext, removeFakeDirs } from '../nemesis/testing/fake-context.ts';
import type { NemesisContext } from '../nemesis/types.ts';
import type { FailIoMode, LazyFsControl } from './lazyfs.ts';

afterAll(removeFakeDirs);

class FakeLazyFs implements LazyFsControl {
  fsyncDelayMs = 0;
  fail: FailIoMode = 'off';
  async setFsyncDelayMs(ms: number) { this.fsyncDelayMs = ms; }
  async setFailIo(mode: FailIoMode) { this.fail = mode; }
  healSync() { this.fsyncDelayMs = 0; this.fail = 'off'; }
}

/** A fake context whose db has a lazyfs per node (`only`: for these nodes only). */
function onLazyFs(opts: { diskFaults: boolean; only?: string[] }) {
  const w = fakeContext({ diskFaults: opts.diskFaults });
  const disks = new Map((opts.only ?? w.ctx.nodes).map((n) => [n, new FakeLazyFs()]));
  const ctx: NemesisContext = { ...w.ctx, db: { ...w.ctx.db, lazyFs: (n: string) => disks.get(n) } as NemesisContext['db'] };
  return { ctx, disks, faults: (n: string) => readFileSync(w.ctx.db.nodeFiles(n).faultsFile, 'utf8') };
}

const state = (d: FakeLazyFs | undefined) => ({ fsyncDelayMs: d!.fsyncDelayMs, fail: d!.fail });

describe('disk nemesis on lazyfs', () => {
  it('slows and fails through each node’s lazyfs on a target without a faults file, and heals', async () => {
    const { ctx, disks, faults } = onLazyFs({ diskFaults: false });
    const n = diskNemesis();
    await n.setup(ctx);
    expect(await n.invoke({ f: 'start-disk-fault', value: { nodes: ['n1'], mode: 'slow', fsyncDelayMs: 250 } }))
      .toEqual({ type: 'ok', value: { nodes: ['n1'], mode: 'slow', fsyncDelayMs: 250, disk: 'lazyfs' } });
    expect((await n.invoke({ f: 'start-disk-fault', value: { nodes: ['n2'], mode: 'fail', io: 'all' } })).type).toBe('ok');
    await n.invoke({ f: 'start-disk-fault', value: { nodes: ['n3'], mode: 'fail' } });
    expect(['n1', 'n2', 'n3'].map((x) => state(disks.get(x))))
      .toEqual([{ fsyncDelayMs: 250, fail: 'off' }, { fsyncDelayMs: 0, fail: 'all' }, { fsyncDelayMs: 0, fail: 'fsync' }]);
    expect(faults('n1')).toBe('{}\n'); // the faults file is not used on lazyfs
    expect(await n.invoke({ f: 'stop-disk-fault', value: { nodes: ['n2'] } })).toEqual({ type: 'ok', value: { nodes: ['n2'] } });
    expect(state(disks.get('n2'))).toEqual({ fsyncDelayMs: 0, fail: 'off' });
    await n.teardown();
    expect([...disks.values()].map(state)).toEqual([0, 1, 2].map(() => ({ fsyncDelayMs: 0, fail: 'off' })));
  });

  it('refuses a bad io value and a bad delay (nothing applied)', async () => {
    const { ctx, disks } = onLazyFs({ diskFaults: false });
    const n = diskNemesis();
    await n.setup(ctx);
    expect((await n.invoke({ f: 'start-disk-fault', value: { nodes: ['n1'], mode: 'fail', io: 'reads' } })).error).toMatch(/^BAD_ARGUMENT: .*io/);
    expect((await n.invoke({ f: 'start-disk-fault', value: { nodes: ['n1'], mode: 'slow', fsyncDelayMs: -5 } })).error).toMatch(/^BAD_ARGUMENT: /);
    expect(state(disks.get('n1'))).toEqual({ fsyncDelayMs: 0, fail: 'off' });
    await n.teardown();
  });

  it('without lazyfs on every node: the faults file where the target reads it, UNSUPPORTED where not, and io all refused', async () => {
    const partial = onLazyFs({ diskFaults: true, only: ['n1'] });
    const n = diskNemesis();
    await n.setup(partial.ctx);
    await n.invoke({ f: 'start-disk-fault', value: { nodes: ['n1'], mode: 'slow', fsyncDelayMs: 100 } });
    expect(partial.faults('n1')).toBe('{"fsyncDelayMs":100}\n');
    expect((await n.invoke({ f: 'start-disk-fault', value: { nodes: ['n2'], mode: 'fail', io: 'all' } })).error).toMatch(/^UNSUPPORTED: .*lazyfs/);
    await n.teardown();
    const none = onLazyFs({ diskFaults: false, only: [] });
    const m = diskNemesis();
    await m.setup(none.ctx);
    expect((await m.invoke({ f: 'start-disk-fault', value: { mode: 'slow' } })).error).toMatch(/^UNSUPPORTED: /);
    await m.teardown();
  });
});
