import { describe, expect, it } from 'vitest';
import { nemesis } from './core.ts';
import { packageSchedule } from './package-schedule.ts';
import { FAULT_PACKAGE_NAMES, FAULT_PACKAGES, isolationNs, packageCycle, packageHeals, type PackageOptions } from './packages.ts';
import { streamRandom } from './rng.ts';
import { planSchedule, type PlannedFault } from './schedule.ts';
import { timeLimit } from './time.ts';

const nodes = ['n1', 'n2', 'n3'];
const o: PackageOptions = { nodes, sessionTimeoutMs: 6000, intervalNs: 2e9 };

function plan(packages: string[], seed: number, horizonS = 60): PlannedFault[] {
  return planSchedule(nemesis(timeLimit(horizonS * 1e9, packageSchedule({ ...o, packages }))), seed, horizonS * 1e9);
}

const fs = (p: PlannedFault[]) => p.map((x) => x.f);
const gapsAfter = (p: PlannedFault[], f: string) => p.flatMap((x, i) => (x.f === f && i + 1 < p.length ? [p[i + 1]!.timeNs - x.timeNs] : []));

describe('fault packages', () => {
  it('are seeded: the same seed gives the same ops at the same times, another seed others', () => {
    for (const name of FAULT_PACKAGE_NAMES) {
      expect(plan([name], 5), name).toEqual(plan([name], 5));
      expect(plan([name], 5).length, name).toBeGreaterThan(1);
    }
    expect(plan(['flapping-partitions'], 5)).not.toEqual(plan(['flapping-partitions'], 6));
  });

  it('isolate-leader cuts the leader off and heals before the session timeout, after the step-down time', () => {
    const p = plan(['isolate-leader'], 3);
    expect(fs(p).slice(0, 4)).toEqual(['start-partition', 'stop-partition', 'start-partition', 'stop-partition']);
    expect(p[0]!.value).toEqual({ kind: 'isolate', target: 'leader' });
    for (const gap of gapsAfter(p, 'start-partition')) {
      expect(gap).toBeGreaterThanOrEqual(3e9);
      expect(gap).toBeLessThan(6e9);
    }
    // Before each isolation, 6 s for the old leader to rejoin and clients to move to the new one.
    expect(p[0]!.timeNs).toBeGreaterThanOrEqual(6e9);
    for (const gap of gapsAfter(p, 'stop-partition')) expect(gap).toBeGreaterThanOrEqual(6e9);
    // A short session timeout still leaves 3 s to elect a new leader.
    expect(isolationNs(streamRandom(1, 'x', 0), 1000)).toBe(3e9);
  });

  it('isolate-leader-strict holds the other servers\' clients, isolates, heals, and releases them 2 s after the heal', () => {
    const p = plan(['isolate-leader-strict'], 3);
    expect(p.slice(0, 4).map((x) => [x.f, x.value])).toEqual([['start-client-hold', { target: 'leader', complement: true }],
      ['start-partition', { kind: 'isolate', target: 'leader' }], ['stop-partition', null], ['stop-client-hold', null]]);
    expect(p[3]!.timeNs - p[2]!.timeNs).toBe(2e9);
    expect(packageHeals(['isolate-leader-strict'])).toEqual(['partition', 'client-hold']);
  });

  it('kill-leader cuts the leader\'s outbound links, kills it, restarts it inside the cut, heals 4 s after the cut', () => {
    const p = plan(['kill-leader'], 4);
    expect(fs(p).slice(0, 4)).toEqual(['start-partition', 'kill', 'start', 'stop-partition']);
    expect(p.slice(0, 4).map((x) => x.value)).toEqual([{ kind: 'cut-outbound', target: 'leader' }, { target: 'leader' }, null, null]);
    const cutToKill = p[1]!.timeNs - p[0]!.timeNs;
    expect(cutToKill).toBeGreaterThanOrEqual(0.3e9);
    expect(cutToKill).toBeLessThan(1e9);
    expect(p[3]!.timeNs - p[0]!.timeNs).toBeCloseTo(4e9, -3); // the cut outlasts the followers' 2.5 s read timeout
  });

  it('kill-leader-strict holds the other servers\' clients around the same steps', () => {
    const p = plan(['kill-leader-strict'], 4);
    expect(fs(p).slice(0, 6)).toEqual(['start-client-hold', 'start-partition', 'kill', 'start', 'stop-partition', 'stop-client-hold']);
  });

  it('crash-all restarts a minority (or all but the highest zxid) before the rest', () => {
    const a = plan(['crash-all-restart-minority-first'], 2);
    expect(a.slice(0, 3).map((x) => [x.f, x.value])).toEqual([['kill', { target: 'all' }], ['start', { target: 'minority' }], ['start', null]]);
    const b = plan(['crash-all-restart-highest-zxid-last'], 2);
    expect(b[1]!.value).toEqual({ target: 'highest-zxid', complement: true });
  });

  it('rolling-restart kills and restarts every node once per cycle, one at a time', () => {
    const steps = packageCycle(1, ['rolling-restart'], o, 0).steps.filter((s) => 'op' in s).map((s) => ('op' in s ? s.op : null)!);
    expect(steps.map((s) => s.f)).toEqual(['kill', 'start', 'kill', 'start', 'kill', 'start']);
    const killed = steps.filter((s) => s.f === 'kill').map((s) => (s.value as { nodes: string[] }).nodes[0]);
    expect([...killed].sort()).toEqual(nodes);
    expect(steps.filter((s) => s.f === 'kill').every((s) => ['KILL', 'TERM'].includes((s.value as { signal: string }).signal))).toBe(true);
  });

  it('pause-leader outlasts the session timeout', () => {
    const p = plan(['pause-leader'], 9);
    expect(p[0]).toMatchObject({ f: 'pause', value: { target: 'leader' } });
    for (const gap of gapsAfter(p, 'pause')) expect(gap).toBeGreaterThan(6e9);
  });

  it('flapping-partitions partitions and heals 3 to 6 times per cycle, each for 0.5 to 4 s', () => {
    const steps = packageCycle(7, ['flapping-partitions'], o, 0).steps;
    const starts = steps.filter((s) => 'op' in s && s.op.f === 'start-partition').length;
    expect(starts).toBeGreaterThanOrEqual(3);
    expect(starts).toBeLessThanOrEqual(6);
    for (const gap of gapsAfter(plan(['flapping-partitions'], 7), 'start-partition')) {
      expect(gap).toBeGreaterThanOrEqual(0.5e9);
      expect(gap).toBeLessThan(4e9);
    }
  });

  it('several packages take turns, each once per round; the final heal covers what they may leave', () => {
    const names = ['majorities-ring', 'bridge', 'pause-leader'];
    const firsts = [0, 1, 2].map((k) => packageCycle(11, names, o, k).name);
    expect([...firsts].sort()).toEqual([...names].sort());
    expect(packageHeals(names).sort()).toEqual(['partition', 'pause']);
    expect(packageHeals(['kill-leader']).sort()).toEqual(['kill', 'partition']);
  });

  it('every package ends its cycle healed', () => {
    const stopOf: Record<string, string> = { 'start-partition': 'stop-partition', kill: 'start', pause: 'resume', 'start-client-hold': 'stop-client-hold' };
    for (const name of FAULT_PACKAGE_NAMES) {
      const ops = packageCycle(3, [name], o, 0).steps.flatMap((s) => ('op' in s ? [s.op.f] : []));
      const open = new Set<string>();
      for (const f of ops) {
        if (stopOf[f] !== undefined) open.add(stopOf[f]!);
        else open.delete(f);
      }
      expect([...open], name).toEqual([]);
      expect(FAULT_PACKAGES[name]!.heals.length, name).toBeGreaterThan(0);
    }
  });

  it('a slow nemesis delays later ops but does not change them', () => {
    const gen = nemesis(timeLimit(60e9, packageSchedule({ ...o, packages: ['kill-leader'] })));
    const ops: string[] = [];
    let g = gen;
    let t = 0;
    let busyUntil = 0;
    for (let i = 0; i < 200 && ops.length < 8; i++) {
      const free = t >= busyUntil ? ['nemesis' as const] : [];
      const r = g.op({ timeNs: t, processes: ['nemesis'], free, seed: 4 });
      if (r.kind === 'done') break;
      g = r.next;
      if (r.kind === 'op') { ops.push(JSON.stringify([r.op.f, r.op.value])); busyUntil = t + 5e9; }
      else t = Math.max(t + 1, Math.min(r.wakeNs ?? busyUntil, t >= busyUntil ? Infinity : busyUntil));
    }
    const planned = plan(['kill-leader'], 4, 600).slice(0, ops.length).map((x) => JSON.stringify([x.f, x.value]));
    expect(ops.length).toBeGreaterThanOrEqual(4);
    expect(ops).toEqual(planned);
  });
});
