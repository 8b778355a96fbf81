import { describe, expect, it } from 'vitest';
import { clients, fromFn, limit, nemesis, once, repeat } from './core.ts';
import { any, eachProcess, mix, phases } from './compose.ts';
import { healAll, faultSchedule, planSchedule } from './schedule.ts';
import { sleep, stagger, timeLimit } from './time.ts';
import type { GenContext, Generator, PlannedOp, Process } from './types.ts';
import { randomInt } from './rng.ts';

/** Runs a generator where every op completes instantly and time jumps to each wake-up. */
function simulate(gen: Generator, seed: number, processes: Process[], maxOps = 1000): Array<PlannedOp & { timeNs: number }> {
  const out: Array<PlannedOp & { timeNs: number }> = [];
  let g = gen;
  let timeNs = 0;
  for (let i = 0; i < maxOps * 10 && out.length < maxOps; i++) {
    const ctx: GenContext = { timeNs, processes, free: processes, seed };
    const r = g.op(ctx);
    if (r.kind === 'done') return out;
    g = r.next;
    if (r.kind === 'op') out.push({ ...r.op, timeNs });
    else if (r.wakeNs === undefined) throw new Error('pending forever with every process free');
    else timeNs = Math.max(timeNs, r.wakeNs);
  }
  return out;
}

const readsAndWrites = () => mix([
  fromFn('r', () => ({ f: 'read', value: null })),
  fromFn('w', (rand) => ({ f: 'write', value: randomInt(rand, 5) })),
]);

describe('generators', () => {
  it('give the same ops for the same seed and different ops for another', () => {
    const gen = () => stagger(1e6, limit(200, readsAndWrites()));
    const a = simulate(gen(), 42, [0, 1, 2]);
    const b = simulate(gen(), 42, [0, 1, 2]);
    const c = simulate(gen(), 43, [0, 1, 2]);
    expect(a).toHaveLength(200);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(new Set(a.map((o) => o.f))).toEqual(new Set(['read', 'write']));
  });

  it('answer the same when asked twice (no hidden state)', () => {
    const g = readsAndWrites();
    const ctx: GenContext = { timeNs: 0, processes: [0, 1], free: [0, 1], seed: 7 };
    expect(g.op(ctx)).toEqual(g.op(ctx));
  });

  it('limit, once and repeat count ops', () => {
    expect(simulate(limit(3, repeat({ f: 'x', value: 1 })), 1, [0])).toHaveLength(3);
    expect(simulate(once({ f: 'x', value: 1 }), 1, [0, 1])).toEqual([{ process: 0, f: 'x', value: 1, timeNs: 0 }]);
  });

  it('stagger spreads ops at the requested mean rate', () => {
    const ops = simulate(stagger(10e6, limit(500, repeat({ f: 'x', value: null }))), 3, [0]);
    const meanGapNs = ops.at(-1)!.timeNs / (ops.length - 1);
    expect(meanGapNs).toBeGreaterThan(8e6);
    expect(meanGapNs).toBeLessThan(12e6);
  });

  it('timeLimit stops at its deadline, counted from its first ask', () => {
    const ops = simulate(phases(sleep(5e9), timeLimit(1e9, stagger(1e8, repeat({ f: 'x', value: null })))), 9, [0]);
    expect(ops.length).toBeGreaterThan(3);
    expect(Math.min(...ops.map((o) => o.timeNs))).toBeGreaterThanOrEqual(5e9);
    expect(Math.max(...ops.map((o) => o.timeNs))).toBeLessThan(6e9);
  });

  it('phases wait until every process is free before the next phase', () => {
    const gen = phases(once({ f: 'a', value: null }), once({ f: 'b', value: null }));
    const first = gen.op({ timeNs: 0, processes: [0, 1], free: [0, 1], seed: 1 });
    expect(first.kind === 'op' && first.op).toEqual({ process: 0, f: 'a', value: null });
    const next = first.kind === 'op' ? first.next : gen;
    expect(next.op({ timeNs: 1, processes: [0, 1], free: [1], seed: 1 }).kind).toBe('pending');
    const later = next.op({ timeNs: 2, processes: [0, 1], free: [0, 1], seed: 1 });
    expect(later.kind === 'op' && later.op.f).toBe('b');
  });

  it('clients and nemesis route ops to their processes; any runs both', () => {
    const gen = any(nemesis(limit(2, repeat({ f: 'kill', value: null }))), clients(limit(4, repeat({ f: 'read', value: null }))));
    const ops = simulate(gen, 1, [0, 1, 'nemesis']);
    expect(ops.filter((o) => o.process === 'nemesis').map((o) => o.f)).toEqual(['kill', 'kill']);
    expect(ops.filter((o) => typeof o.process === 'number').every((o) => o.f === 'read')).toBe(true);
    expect(ops).toHaveLength(6);
  });

  it('eachProcess gives every process its own copy', () => {
    const ops = simulate(eachProcess((p) => once({ f: 'final-read', value: p })), 1, [0, 1, 2]);
    expect(ops.map((o) => [o.process, o.value])).toEqual([[0, 0], [1, 1], [2, 2]]);
  });

  it('a process\'s op sequence depends only on the seed, not on which other processes exist', () => {
    const only = (p: Process, procs: Process[]) => simulate(limit(100, readsAndWrites()), 5, procs).filter((o) => o.process === p);
    // With one process all ops go to process 0; with free = [0] only, the same 0-stream is used.
    const alone = simulate(limit(20, readsAndWrites()), 5, [0]);
    expect(only(0, [0]).slice(0, 20)).toEqual(alone);
  });
});

describe('fault schedule', () => {
  const nodes = ['n1', 'n2', 'n3'];
  const schedule = (seed: number) => planSchedule(
    timeLimit(60e9, faultSchedule({ faults: ['kill', 'partition', 'pause'], nodes, intervalNs: 5e9 })), seed, 60e9);

  it('is the same for the same seed, and differs for another', () => {
    const a = schedule(11);
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(schedule(11)).toEqual(a);
    expect(schedule(12)).not.toEqual(a);
  });

  it('alternates a start with the stop that heals it, within the time limit', () => {
    const a = schedule(11);
    const pairs: Record<string, string> = { kill: 'start', 'start-partition': 'stop-partition', pause: 'resume' };
    for (let i = 0; i + 1 < a.length; i += 2) expect(a[i + 1]!.f).toBe(pairs[a[i]!.f]);
    expect(a.every((x) => x.timeNs < 60e9)).toBe(true);
    for (let i = 1; i < a.length; i++) expect(a[i]!.timeNs).toBeGreaterThan(a[i - 1]!.timeNs);
    const kill = a.find((x) => x.f === 'kill');
    if (kill) {
      const killed = (kill.value as { nodes: string[] }).nodes;
      expect(killed.length).toBeGreaterThanOrEqual(1);
      expect(killed.every((n) => nodes.includes(n))).toBe(true);
    }
  });

  it('brings every enabled kind once per round', () => {
    const kinds = ['kill', 'partition', 'pause', 'clock', 'disk'] as const;
    const starts = planSchedule(timeLimit(200e9, faultSchedule({ faults: kinds, nodes, intervalNs: 2e9 })), 3, 200e9)
      .filter((_, i) => i % 2 === 0).map((x) => x.f);
    expect(starts.length).toBeGreaterThanOrEqual(20);
    for (let r = 0; r + 5 <= starts.length; r += 5) {
      expect(new Set(starts.slice(r, r + 5))).toEqual(new Set(['kill', 'start-partition', 'pause', 'bump-clock', 'start-disk-fault']));
    }
  });

  it('healAll stops every fault kind', () => {
    const ops = simulate(healAll(['kill', 'partition', 'clock'], nodes), 1, ['nemesis']);
    expect(ops.map((o) => o.f)).toEqual(['stop-partition', 'reset-clock', 'start']);
    expect(ops[2]!.value).toEqual({ nodes });
  });
});
