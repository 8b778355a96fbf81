import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allAbove, awaitEpochOptions, epochWatchNemesis, readEpochFile } from './epoch-watch.ts';
import { killNemesis } from './kill.ts';
import { fakeContext, removeFakeDirs, type FakeWorld } from './testing/fake-context.ts';
import type { NemesisContext } from './types.ts';

afterAll(removeFakeDirs);

function writeEpoch(w: FakeWorld, node: string, file: string, epoch: number): void {
  const dir = join(w.ctx.db.nodeFiles(node).dataDir, 'version-2');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), String(epoch));
}

describe('await-epoch nemesis', () => {
  it('completes once every running node holds an epoch above the highest at the start', async () => {
    const w = fakeContext();
    for (const n of ['n1', 'n2', 'n3']) writeEpoch(w, n, 'currentEpoch', 4);
    w.running.delete('n3');
    let polls = 0;
    const ctx: NemesisContext = {
      ...w.ctx,
      async sleep() {
        polls++;
        if (polls === 2) writeEpoch(w, 'n2', 'currentEpoch', 5);
        if (polls === 4) writeEpoch(w, 'n1', 'currentEpoch', 5);
      },
    };
    const n = epochWatchNemesis();
    await n.setup(ctx);
    const done = await n.invoke({ f: 'await-epoch', value: { timeoutMs: 1000 } });
    expect(done).toEqual({ type: 'ok', value: { reached: true, bar: 4, epochs: { n1: 5, n2: 5, n3: 4 } } });
    expect(polls).toBe(4);
  });

  it('gives up after timeoutMs, saying so', async () => {
    const w = fakeContext();
    writeEpoch(w, 'n1', 'acceptedEpoch', 2);
    const n = epochWatchNemesis();
    await n.setup(w.ctx);
    const done = await n.invoke({ f: 'await-epoch', value: { file: 'acceptedEpoch', timeoutMs: 20 } });
    expect(done).toEqual({ type: 'ok', value: { reached: false, bar: 2, epochs: { n1: 2, n2: -1, n3: -1 } } });
  });

  it('mark-epoch takes the bar before the election starts; await-epoch then sees a change that came in between', async () => {
    const w = fakeContext();
    for (const n of ['n1', 'n2', 'n3']) writeEpoch(w, n, 'currentEpoch', 1);
    const n = epochWatchNemesis();
    await n.setup(w.ctx);
    expect(await n.invoke({ f: 'mark-epoch', value: { file: 'currentEpoch' } })).toEqual({ type: 'ok', value: { file: 'currentEpoch', bar: 1, down: [] } });
    for (const node of ['n1', 'n2', 'n3']) writeEpoch(w, node, 'currentEpoch', 2);
    expect((await n.invoke({ f: 'await-epoch', value: { timeoutMs: 1000 } })).value).toMatchObject({ reached: true, bar: 1 });
    // the mark is used once: the next await takes its own bar (2) and times out
    expect((await n.invoke({ f: 'await-epoch', value: { timeoutMs: 10 } })).value).toMatchObject({ reached: false, bar: 2 });
  });

  it("of: 'restarted' fires on the node that was down at the mark, whatever the others wrote", async () => {
    const w = fakeContext();
    for (const n of ['n1', 'n2', 'n3']) writeEpoch(w, n, 'currentEpoch', 1);
    w.running.delete('n2');
    w.running.delete('n3');
    let polls = 0;
    const ctx: NemesisContext = {
      ...w.ctx,
      async sleep() {
        polls++;
        if (polls === 1) w.running.add('n2');
        if (polls === 3) writeEpoch(w, 'n2', 'currentEpoch', 2);
      },
    };
    const n = epochWatchNemesis();
    await n.setup(ctx);
    expect((await n.invoke({ f: 'mark-epoch', value: {} })).value).toEqual({ file: 'currentEpoch', bar: 1, down: ['n2', 'n3'] });
    // n1 (running at the mark, the leader) has not written epoch 2: 'all' would still wait; 'restarted' watches n2 only
    expect((await n.invoke({ f: 'await-epoch', value: { of: 'restarted', timeoutMs: 1000 } })).value).toEqual({ reached: true, bar: 1, epochs: { n1: 1, n2: 2, n3: 1 } });
    expect(polls).toBe(3);
    expect(() => awaitEpochOptions({ of: 'leader' })).toThrow(RangeError);
  });

  it('refuses a bad file or timeout (certainly not applied)', async () => {
    const n = epochWatchNemesis();
    await n.setup(fakeContext().ctx);
    expect((await n.invoke({ f: 'await-epoch', value: { file: 'myid' } })).type).toBe('fail');
    expect(() => awaitEpochOptions({ timeoutMs: 0 })).toThrow(RangeError);
    expect(awaitEpochOptions(null)).toEqual({ file: 'currentEpoch', timeoutMs: 10_000, of: 'all' });
  });

  it('reads a missing or half-written file as -1', async () => {
    const w = fakeContext();
    expect(await readEpochFile(join(w.dir, 'nope'))).toBe(-1);
    writeFileSync(join(w.dir, 'empty'), '');
    expect(await readEpochFile(join(w.dir, 'empty'))).toBe(-1);
    expect(allAbove(new Map([['n1', 3]]), [], 2)).toBe(false);
    expect(allAbove(new Map([['n1', 3], ['n2', 2]]), ['n1', 'n2'], 2)).toBe(false);
  });
});

describe('labelled kills', () => {
  it('starts exactly the groups named, by the nodes each kill found running', async () => {
    const w = fakeContext({ leader: 'n2' });
    const n = killNemesis();
    await n.setup(w.ctx);
    expect(await n.invoke({ f: 'kill', value: { target: 'leader', as: 'old-leader' } })).toEqual({ type: 'ok', value: { killed: ['n2'], as: 'old-leader' } });
    await n.invoke({ f: 'kill', value: { nodes: ['n1'], as: 'lagging' } });
    expect(await n.invoke({ f: 'start', value: { killedAs: ['lagging'] } })).toEqual({ type: 'ok', value: { started: ['n1'] } });
    await n.invoke({ f: 'kill', value: { target: 'all', as: 'resynced' } });
    expect(await n.invoke({ f: 'start', value: { killedAs: ['old-leader', 'lagging'] } })).toEqual({ type: 'ok', value: { started: ['n1', 'n2'] } });
    expect(w.running.has('n3')).toBe(false);
    expect(await n.invoke({ f: 'start', value: { killedAs: ['resynced'] } })).toEqual({ type: 'ok', value: { started: ['n3'] } });
  });

  it('refuses an unknown label', async () => {
    const n = killNemesis();
    await n.setup(fakeContext().ctx);
    const done = await n.invoke({ f: 'start', value: { killedAs: ['nobody'] } });
    expect(done.type).toBe('fail');
    expect(done.error).toMatch(/no kill was labelled nobody/);
  });
});
