import { describe, expect, it } from 'vitest';
import { fromFn, once } from '../generator/core.ts';
import { interpret, type Worker } from '../generator/interpreter.ts';
import { VirtualClock } from '../generator/testing/virtual-clock.ts';
import type { HistoryEvent } from '../history/types.ts';
import type { Workload } from '../workload/types.ts';
import { plannedFaults, RECOVERY_S, runGenerator } from './plan.ts';

const fakeWorkload: Workload = {
  name: 'fake', description: '', checkers: [], setup: async () => {},
  generator: () => fromFn('fake', () => ({ f: 'read', value: null })),
  final: () => once({ f: 'final-read', value: null }),
  openClient: () => { throw new Error('not used'); },
};

type Plan = Parameters<typeof runGenerator>[0];
const RANDOM_PLAN: Plan = { timeLimitS: 20, rate: 20, nemesis: ['kill', 'partition'], nemesisIntervalS: 2 };

async function runPlan(seed: number, latencyNs: number, o: Plan = RANDOM_PLAN): Promise<HistoryEvent[]> {
  const clock = new VirtualClock();
  const events: HistoryEvent[] = [];
  const worker: Worker = { invoke: async (op) => { await clock.after(latencyNs); return { type: 'ok', value: op.value }; } };
  await interpret({ generator: runGenerator(o, fakeWorkload, ['n1', 'n2', 'n3']), clients: 3, workers: () => worker,
    record: (e) => { events.push({ index: events.length, ...e }); }, clock, seed });
  return events;
}

describe('run plan', () => {
  it('runs the workload with the fault schedule, heals while the clients go on for the recovery time, pauses, then the final phase', async () => {
    const events = await runPlan(8, 5e6);
    const invokes = events.filter((e) => e.type === 'invoke');
    const reads = invokes.filter((e) => e.f === 'read');
    expect(reads.length).toBeGreaterThan(300 + 150);
    expect(reads.length).toBeLessThan(500 + 250); // 20 ops/s for 20 s + 10 s of recovery
    const lastReadNs = Math.max(...reads.map((e) => e.time));
    expect(lastReadNs).toBeGreaterThan(20e9);
    expect(lastReadNs).toBeLessThan((20 + RECOVERY_S) * 1e9);
    const nemesisOps = invokes.filter((e) => e.process === 'nemesis');
    expect(nemesisOps.slice(-2).map((e) => e.f)).toEqual(['stop-partition', 'start']);
    expect(nemesisOps.at(-2)!.time).toBeLessThan(lastReadNs); // clients ran after the heal began
    const finalRead = invokes.find((e) => e.f === 'final-read')!;
    expect(finalRead.time).toBeGreaterThanOrEqual(lastReadNs + 3e9);
    expect(invokes.at(-1)).toBe(finalRead);
  });

  it('the same seed gives the same fault schedule as planned, whatever the client latency', async () => {
    const plan = plannedFaults({ timeLimitS: 20, rate: 20, nemesis: ['kill', 'partition'], nemesisIntervalS: 2 }, ['n1', 'n2', 'n3'], 8);
    const faults = (events: HistoryEvent[]) => events.filter((e) => e.process === 'nemesis' && e.type === 'invoke').map((e) => [e.f, e.value]);
    const fast = faults(await runPlan(8, 1e6));
    const slow = faults(await runPlan(8, 40e6));
    expect(plan.length).toBeGreaterThan(3);
    const planned = plan.map((p) => [p.f, p.value]);
    // Faults after a slow nemesis op drift later, so fewer may fit in the time limit; the heal ends each run.
    expect(fast.slice(0, -2)).toEqual(planned.slice(0, fast.length - 2));
    expect(slow.slice(0, -2)).toEqual(planned.slice(0, slow.length - 2));
    expect(slow.length - 2).toBeGreaterThanOrEqual(3);
    expect(faults(await runPlan(9, 1e6))).not.toEqual(fast);
  });

  it('with fault packages: their ops as planned, then the heal of what they may leave', async () => {
    const o: Plan = { timeLimitS: 30, rate: 20, nemesis: [], faults: ['kill-leader', 'pause-leader'], nemesisIntervalS: 2, sessionTimeoutMs: 3000 };
    const plan = plannedFaults(o, ['n1', 'n2', 'n3'], 8).map((p) => [p.f, p.value]);
    const ran = (await runPlan(8, 5e6, o)).filter((e) => e.process === 'nemesis' && e.type === 'invoke').map((e) => [e.f, e.value]);
    expect(plan.map(([f]) => f)).toEqual(expect.arrayContaining(['start-partition', 'kill', 'start', 'pause', 'resume']));
    expect(ran.slice(0, -3)).toEqual(plan.slice(0, ran.length - 3));
    expect(ran.slice(-3)).toEqual([['stop-partition', null], ['resume', { nodes: ['n1', 'n2', 'n3'] }], ['start', { nodes: ['n1', 'n2', 'n3'] }]]);
  });
});
