import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatEventLine, formatMetadataLine, parseJsonlHistory } from '../history/jsonl.ts';
import { pairOperations } from '../history/ops.ts';
import { HISTORY_FORMAT, type HistoryEvent } from '../history/types.ts';
import type { NewEvent } from '../history/writer.ts';
import { grudgeToJson } from '../net/grudge.ts';
import { clockNemesis } from './clock.ts';
import { composeNemeses } from './compose.ts';
import { diskNemesis } from './disk.ts';
import { fullNemesis } from './index.ts';
import { killNemesis } from './kill.ts';
import { linkNemesis } from './link.ts';
import { partitionNemesis } from './partition.ts';
import { pauseNemesis } from './pause.ts';
import { recordedNemesis } from './recorder.ts';
import { fakeContext, removeFakeDirs } from './testing/fake-context.ts';
import type { Nemesis } from './types.ts';

afterAll(removeFakeDirs);

async function ready(n: Nemesis, w: ReturnType<typeof fakeContext>): Promise<Nemesis> {
  await n.setup(w.ctx);
  return n;
}

describe('partition nemesis', () => {
  it('isolates the leader, then heals', async () => {
    const w = fakeContext({ leader: 'n2' });
    const n = await ready(partitionNemesis(), w);
    const done = await n.invoke({ f: 'start-partition', value: { kind: 'isolate-leader' } });
    expect(done).toEqual({ type: 'ok', value: { grudge: { n1: ['n2'], n2: ['n1', 'n3'], n3: ['n2'] }, net: 'proxy' } });
    expect(await n.invoke({ f: 'stop-partition', value: null })).toEqual({ type: 'ok', value: { healed: true } });
    expect(w.grudge().size).toBe(0);
  });

  it("takes the generator's {groups} shape", async () => {
    const w = fakeContext();
    const n = await ready(partitionNemesis(), w);
    await n.invoke({ f: 'start-partition', value: { groups: [['n1'], ['n2', 'n3']] } });
    expect(grudgeToJson(w.grudge())).toEqual({ n1: ['n2', 'n3'], n2: ['n1'], n3: ['n1'] });
  });

  it('gives the same random partition for the same seed', async () => {
    const shapes = [];
    for (let i = 0; i < 2; i++) {
      const w = fakeContext({ nodes: ['n1', 'n2', 'n3', 'n4', 'n5'], seed: 99 });
      const n = await ready(partitionNemesis(), w);
      shapes.push((await n.invoke({ f: 'start-partition', value: { kind: 'majorities-ring' } })).value);
    }
    expect(shapes[0]).toEqual(shapes[1]);
  });

  it('fails (certainly not applied) without a leader or with an unknown kind', async () => {
    const w = fakeContext({ leader: undefined });
    const n = await ready(partitionNemesis(), w);
    expect((await n.invoke({ f: 'start-partition', value: { kind: 'isolate-leader' } })).type).toBe('fail');
    const bad = await n.invoke({ f: 'start-partition', value: { kind: 'sideways' } });
    expect(bad.type).toBe('fail');
    expect(bad.error).toMatch(/^BAD_ARGUMENT: unknown partition kind/);
    expect(w.calls).toEqual([]);
  });

  it('heals at teardown', async () => {
    const w = fakeContext();
    const n = await ready(partitionNemesis(), w);
    await n.invoke({ f: 'start-partition', value: { kind: 'halves' } });
    await n.teardown();
    expect(w.grudge().size).toBe(0);
  });
});

describe('kill and pause nemeses', () => {
  it('kills the leader and restarts exactly what it killed', async () => {
    const w = fakeContext({ leader: 'n3' });
    const n = await ready(killNemesis(), w);
    expect(await n.invoke({ f: 'kill', value: { target: 'leader' } })).toEqual({ type: 'ok', value: { killed: ['n3'] } });
    expect(await n.invoke({ f: 'start', value: null })).toEqual({ type: 'ok', value: { started: ['n3'] } });
    expect(w.calls).toEqual(['kill n3', 'start n3']);
  });

  it('kills a majority or all, and teardown restarts anything still down', async () => {
    const w = fakeContext();
    const n = await ready(killNemesis(), w);
    const killed = (await n.invoke({ f: 'kill', value: { target: 'majority' } })).value as { killed: string[] };
    expect(killed.killed).toHaveLength(2);
    await n.invoke({ f: 'kill', value: { target: 'all' } });
    expect(w.running.size).toBe(0);
    await n.teardown();
    expect([...w.running].sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('pauses a minority and resumes it; teardown resumes the rest', async () => {
    const w = fakeContext();
    const n = await ready(pauseNemesis(), w);
    const paused = (await n.invoke({ f: 'pause', value: { target: 'minority' } })).value as { paused: string[] };
    expect(paused.paused).toHaveLength(1);
    expect(w.paused.size).toBe(1);
    await n.invoke({ f: 'resume', value: null });
    expect(w.paused.size).toBe(0);
    await n.invoke({ f: 'pause', value: { nodes: ['n1', 'n2'] } });
    await n.teardown();
    expect(w.paused.size).toBe(0);
  });
});

describe('clock nemesis', () => {
  const clockText = (w: ReturnType<typeof fakeContext>, node: string) => readFileSync(w.ctx.db.nodeFiles(node).clockFile, 'utf8');

  it('bumps add up per node; reset restores true time everywhere', async () => {
    const w = fakeContext();
    const n = await ready(clockNemesis(), w);
    await n.invoke({ f: 'bump-clock', value: { nodes: ['n2'], deltaMs: 5000 } });
    await n.invoke({ f: 'bump-clock', value: { nodes: ['n2'], deltaMs: -2000 } });
    expect(clockText(w, 'n2')).toBe('+3.000\n');
    expect(clockText(w, 'n1')).toBe('+0\n');
    expect((await n.invoke({ f: 'reset-clock', value: null })).type).toBe('ok');
    expect(clockText(w, 'n2')).toBe('+0.000\n');
  });

  it('strobes and leaves the clock at its base afterwards', async () => {
    const w = fakeContext();
    const n = await ready(clockNemesis(), w);
    const done = await n.invoke({ f: 'strobe-clock', value: { nodes: ['n1'], deltaMs: 200, periodMs: 10, durationMs: 30 } });
    expect(done.type).toBe('ok');
    expect(clockText(w, 'n1')).toBe('+0.000\n');
  });

  it('is UNSUPPORTED, not skipped, when clocks are not under libfaketime', async () => {
    const w = fakeContext({ faketime: false });
    const n = await ready(clockNemesis(), w);
    const done = await n.invoke({ f: 'bump-clock', value: { deltaMs: 1000 } });
    expect(done.type).toBe('fail');
    expect(done.error).toMatch(/^UNSUPPORTED: /);
  });

  it('refuses a bump without deltaMs and a rate <= 0', async () => {
    const w = fakeContext();
    const n = await ready(clockNemesis(), w);
    expect((await n.invoke({ f: 'bump-clock', value: {} })).type).toBe('fail');
    expect((await n.invoke({ f: 'clock-rate', value: { rate: 0 } })).type).toBe('fail');
    await n.teardown();
  });
});

describe('disk and link nemeses', () => {
  it('writes the faults file for slow and failing fsync, and heals it', async () => {
    const w = fakeContext();
    const n = await ready(diskNemesis(), w);
    await n.invoke({ f: 'start-disk-fault', value: { nodes: ['n1'], mode: 'slow', fsyncDelayMs: 250 } });
    await n.invoke({ f: 'start-disk-fault', value: { nodes: ['n2'], mode: 'fail' } });
    const faults = (node: string) => JSON.parse(readFileSync(w.ctx.db.nodeFiles(node).faultsFile, 'utf8'));
    expect([faults('n1'), faults('n2'), faults('n3')]).toEqual([{ fsyncDelayMs: 250 }, { fsyncFail: true }, {}]);
    expect(await n.invoke({ f: 'stop-disk-fault', value: null })).toEqual({ type: 'ok', value: { nodes: ['n1', 'n2'] } });
    expect(faults('n1')).toEqual({});
    await n.teardown();
  });

  it('is UNSUPPORTED for a target without a disk hook (Apache ZooKeeper)', async () => {
    const w = fakeContext({ diskFaults: false });
    const n = await ready(diskNemesis(), w);
    const done = await n.invoke({ f: 'start-disk-fault', value: { mode: 'slow' } });
    expect(done.type).toBe('fail');
    expect(done.error).toMatch(/^UNSUPPORTED: .*ZooKeeper/);
    await n.teardown();
  });

  it('sets delay on peer links only, then clears it', async () => {
    const w = fakeContext();
    const n = await ready(linkNemesis(), w);
    await n.invoke({ f: 'start-link-fault', value: { fault: { kind: 'delay', delayMs: 30, jitterMs: 5 }, links: 'peers' } });
    expect(w.linkFaults.size).toBe(6);
    expect([...w.linkFaults.keys()].some((k) => k.startsWith('client'))).toBe(false);
    await n.invoke({ f: 'stop-link-fault', value: null });
    expect(w.linkFaults.size).toBe(0);
  });

  it('is UNSUPPORTED in netns mode', async () => {
    const w = fakeContext({ netMode: 'netns' });
    const n = await ready(linkNemesis(), w);
    expect((await n.invoke({ f: 'start-link-fault', value: { fault: { kind: 'drop' } } })).error).toMatch(/^UNSUPPORTED: /);
  });
});

describe('compose and record', () => {
  it('routes by f, refuses unknown fs and duplicate owners', async () => {
    const w = fakeContext({ leader: 'n1' });
    const n = await ready(fullNemesis(), w);
    expect(n.fs).toContain('start-partition');
    expect(n.fs).toContain('strobe-clock');
    expect((await n.invoke({ f: 'kill', value: { target: 'leader' } })).value).toEqual({ killed: ['n1'] });
    expect((await n.invoke({ f: 'explode', value: null })).error).toMatch(/no nemesis performs 'explode'/);
    expect(() => composeNemeses([killNemesis(), killNemesis()])).toThrow(/two nemeses/);
    await n.teardown();
    expect(w.running.has('n1')).toBe(true);
  });

  it('records every action with its start and end as a valid history', async () => {
    const w = fakeContext({ leader: 'n2' });
    const events: NewEvent[] = [];
    let t = 0;
    const n = recordedNemesis(fullNemesis(), (e) => events.push(e), () => (t += 1000));
    await n.setup(w.ctx);
    await n.invoke({ f: 'start-partition', value: { kind: 'isolate-leader' } });
    await n.invoke({ f: 'stop-partition', value: null });
    await n.invoke({ f: 'start-disk-fault', value: { mode: 'sideways' } });
    await n.teardown();
    expect(events.map((e) => `${e.type} ${e.f}`)).toEqual([
      'invoke start-partition', 'ok start-partition', 'invoke stop-partition', 'ok stop-partition',
      'invoke start-disk-fault', 'fail start-disk-fault', 'invoke teardown', 'ok teardown',
    ]);
    const full: HistoryEvent[] = events.map((e, index) => ({ index, ...e }));
    const text = formatMetadataLine({ format: HISTORY_FORMAT }) + full.map(formatEventLine).join('');
    const parsed = parseJsonlHistory(text);
    const ops = pairOperations(parsed.events).operations;
    expect(ops.map((o) => `${o.f}:${o.status}`)).toEqual(['start-partition:ok', 'stop-partition:ok', 'start-disk-fault:fail', 'teardown:ok']);
    expect(ops[0]!.completeTimeNs).toBeGreaterThan(ops[0]!.invokeTimeNs);
  });
});
