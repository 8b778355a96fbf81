import { describe, expect, it } from 'vitest';
import { pairOperations } from '../history/ops.ts';
import type { HistoryEvent } from '../history/types.ts';
import type { NewEvent } from '../history/writer.ts';
import { clients, fromFn, limit, nemesis, repeat } from './core.ts';
import { any, phases } from './compose.ts';
import { interpret, type Completion, type Worker } from './interpreter.ts';
import { faultSchedule, healAll, planSchedule } from './schedule.ts';
import { stagger, timeLimit } from './time.ts';
import type { Generator, PlannedOp, Process } from './types.ts';
import { VirtualClock } from './testing/virtual-clock.ts';

interface Setup {
  gen: Generator;
  clients: number;
  latencyNs: (op: PlannedOp, n: number) => number;
  outcome?: (op: PlannedOp, n: number) => Completion['type'];
  abortAtNs?: number;
}

async function run(s: Setup): Promise<{ events: HistoryEvent[]; result: Awaited<ReturnType<typeof interpret>> }> {
  const clock = new VirtualClock();
  const events: HistoryEvent[] = [];
  let n = 0;
  const worker: Worker = {
    async invoke(op) {
      const i = n++;
      await clock.after(s.latencyNs(op, i));
      return { type: s.outcome?.(op, i) ?? 'ok', value: op.value };
    },
  };
  const record = (e: NewEvent) => { events.push({ index: events.length, ...e }); };
  const abort = s.abortAtNs === undefined ? undefined : clock.after(s.abortAtNs);
  const result = await interpret({ generator: s.gen, clients: s.clients, workers: () => worker, record, clock, seed: 5,
    ...(abort ? { abort } : {}) });
  return { events, result };
}

const reads = (n: number) => clients(limit(n, repeat({ f: 'read', value: null })));

describe('interpreter', () => {
  it('records an invoke and a completion per op, in a valid history', async () => {
    const { events, result } = await run({ gen: reads(20), clients: 3, latencyNs: (_, i) => 1e6 * (1 + (i % 4)) });
    expect(result).toEqual({ invoked: 20, completed: 20, aborted: false, abandoned: 0 });
    const { operations } = pairOperations(events);
    expect(operations).toHaveLength(20);
    expect(operations.every((o) => o.status === 'ok')).toBe(true);
    // three processes ran concurrently
    expect(new Set(operations.map((o) => o.process))).toEqual(new Set([0, 1, 2]));
    for (let i = 1; i < events.length; i++) expect(events[i]!.time).toBeGreaterThanOrEqual(events[i - 1]!.time);
  });

  it('calls the worker\'s completed hook right after recording each completion', async () => {
    const clock = new VirtualClock();
    const events: string[] = [];
    const worker: Worker = {
      async invoke(op) { await clock.after(1e6); return { type: 'ok', value: op.value }; },
      completed() { events.push('hook'); },
    };
    await interpret({ generator: reads(3), clients: 1, workers: () => worker, clock, seed: 1,
      record: (e) => { events.push(e.type); } });
    expect(events).toEqual(['invoke', 'ok', 'hook', 'invoke', 'ok', 'hook', 'invoke', 'ok', 'hook']);
  });

  it('gives a client a new process id after an info', async () => {
    const { events } = await run({ gen: reads(4), clients: 1, latencyNs: () => 1e6, outcome: (_, i) => (i === 1 ? 'info' : 'ok') });
    expect(events.filter((e) => e.type === 'invoke').map((e) => e.process)).toEqual([0, 0, 1, 1]);
  });

  it('waits for the stagger interval between ops on a virtual clock', async () => {
    const gen = stagger(100e6, reads(10));
    const { events } = await run({ gen, clients: 2, latencyNs: () => 1e6 });
    const invokes = events.filter((e) => e.type === 'invoke').map((e) => e.time);
    expect(invokes.at(-1)!).toBeGreaterThan(200e6);
  });

  it('runs the fault schedule as planned, whatever the clients\' latency', async () => {
    const nodes = ['n1', 'n2', 'n3'];
    const schedule = () => timeLimit(30e9, faultSchedule({ faults: ['kill', 'partition'], nodes, intervalNs: 3e9 }));
    const gen = (): Generator => phases(
      any(nemesis(schedule()), clients(timeLimit(30e9, stagger(50e6, fromFn('x', () => ({ f: 'read', value: null })))))),
      nemesis(healAll(['kill', 'partition'], nodes)));
    const plan = planSchedule(schedule(), 5, 30e9);
    const faultsOf = (events: HistoryEvent[]) => events.filter((e) => e.process === 'nemesis' && e.type === 'invoke');
    const fast = faultsOf((await run({ gen: gen(), clients: 4, latencyNs: () => 1e6 })).events);
    const slow = faultsOf((await run({ gen: gen(), clients: 2, latencyNs: (_, i) => 1e6 * (1 + (i * 7919) % 900) })).events);
    expect(plan.length).toBeGreaterThan(4);
    const fs = (xs: Array<{ f: string; value: unknown }>) => xs.map((x) => [x.f, x.value]);
    const heal = [['stop-partition', null], ['start', { nodes }]];
    // Nemesis ops take time here too, so later faults drift and fewer may fit; the ones that run are the plan's.
    expect(fs(fast).slice(0, -2)).toEqual(fs(plan).slice(0, fast.length - 2));
    expect(fs(slow).slice(0, -2)).toEqual(fs(plan).slice(0, slow.length - 2));
    expect(fast.length - 2).toBeGreaterThanOrEqual(plan.length - 1);
    expect(slow.length - 2).toBeGreaterThanOrEqual(3);
    expect(fs(fast).slice(-2)).toEqual(heal);
    plan.forEach((p, i) => { if (fast[i]) expect(fast[i]!.time).toBeGreaterThanOrEqual(p.timeNs); });
  });

  it('stops dispatching on abort and leaves outstanding ops incomplete after the drain timeout', async () => {
    const gen = clients(fromFn('x', () => ({ f: 'read', value: null })));
    const { result } = await run({ gen, clients: 2, latencyNs: (_, i) => (i === 5 ? 1e15 : 1e6), abortAtNs: 50e6 });
    expect(result.aborted).toBe(true);
    expect(result.abandoned).toBe(1);
    expect(result.invoked).toBeLessThan(200);
  });

  it('refuses a generator that picks a busy process', async () => {
    const bad: Generator = { op: () => ({ kind: 'op', op: { process: 0 as Process, f: 'x', value: null }, next: bad }) };
    await expect(run({ gen: bad, clients: 1, latencyNs: () => 1e6 })).rejects.toThrow(/busy or unknown/);
  });
});
