import { describe, expect, it } from 'vitest';
import { describeLeftover, planSweep, sweepLeftovers, type Leftover, type SweepDeps } from './leftovers.ts';

describe('planSweep', () => {
  const alive = new Set([100, 200]);
  const isAlive = (pid: number) => alive.has(pid);

  it('takes namespaces, containers, faketime files and relay dirs of dead pids only', () => {
    const plan = planSweep({
      netns: ['zooproof-100-0', 'zooproof-300-2', 'other-300-1', 'zooproof-x-1', 'zooproof-300'],
      containers: [
        { id: 'a'.repeat(64), name: '/n1', harnessPid: '200' },
        { id: 'b'.repeat(64), name: '/n2', harnessPid: '301' },
        { id: 'c'.repeat(64), name: '/n3', harnessPid: 'junk' },
        { id: 'd'.repeat(64), name: '/n4', harnessPid: undefined },
      ],
      shm: ['faketime_shm_100', 'faketime_shm_302', 'sem.faketime_sem_302', 'faketime_shm_', 'pulse-shm-5'],
      tmp: ['zooproof-100-relay-Ab12Cd', 'zooproof-303-relay-Xy34Zw', 'zooproof-303-0', 'zooproof-reference-AbCdEf'],
    }, isAlive);
    expect(plan).toEqual([
      { kind: 'netns', name: 'zooproof-300-2', harnessPid: 300 },
      { kind: 'container', id: 'b'.repeat(64), name: '/n2', harnessPid: 301 },
      { kind: 'shm', path: '/dev/shm/faketime_shm_302', pid: 302 },
      { kind: 'shm', path: '/dev/shm/sem.faketime_sem_302', pid: 302 },
      { kind: 'relay-dir', path: '/tmp/zooproof-303-relay-Xy34Zw', harnessPid: 303 },
    ]);
  });

  it('finds nothing when every tagged pid is alive', () => {
    expect(planSweep({ netns: ['zooproof-100-0'], containers: [{ id: 'e', name: '/n', harnessPid: '200' }], shm: ['faketime_shm_100'] }, isAlive)).toEqual([]);
  });

  it('describes each kind in one line', () => {
    expect(describeLeftover({ kind: 'netns', name: 'zooproof-300-2', harnessPid: 300 })).toBe('network namespace zooproof-300-2 (harness pid 300, gone)');
    expect(describeLeftover({ kind: 'container', id: 'b'.repeat(64), name: '/n2', harnessPid: 301 })).toBe('container /n2 (bbbbbbbbbbbb, harness pid 301, gone)');
    expect(describeLeftover({ kind: 'relay-dir', path: '/tmp/zooproof-303-relay-Xy34Zw', harnessPid: 303 }))
      .toBe('netns relay socket directory /tmp/zooproof-303-relay-Xy34Zw (harness pid 303, gone)');
  });
});

describe('sweepLeftovers', () => {
  /** A namespace of dead harness 300 still holding node 301, whose libfaketime files only count once it is gone. */
  function system(nodeDiesAfterPolls: number) {
    let polls = 0, netnsGone = false, nodeKilled = false;
    const removed: string[] = [];
    const deps: SweepDeps = {
      find: async () => {
        const found: Leftover[] = netnsGone ? [] : [{ kind: 'netns', name: 'zooproof-300-0', harnessPid: 300 }];
        if (!deps.isAlive(301)) found.push({ kind: 'shm', path: '/dev/shm/faketime_shm_301', pid: 301 }, { kind: 'shm', path: '/dev/shm/sem.faketime_sem_301', pid: 301 });
        return found.filter((l) => l.kind !== 'shm' || !removed.includes(l.path));
      },
      remove: async (l) => {
        removed.push(l.kind === 'shm' ? l.path : l.kind);
        if (l.kind !== 'netns') return [];
        netnsGone = nodeKilled = true;
        return [301];
      },
      isAlive: (pid) => pid === 301 && !(nodeKilled && polls >= nodeDiesAfterPolls),
      sleep: async () => { polls++; },
    };
    return { deps, removed, polls: () => polls };
  }

  it('takes the libfaketime files of the processes a namespace held in the same sweep, once they are gone', async () => {
    const s = system(3);
    expect(await sweepLeftovers(null, false, s.deps)).toEqual([
      'removed network namespace zooproof-300-0 (harness pid 300, gone)',
      'removed libfaketime file /dev/shm/faketime_shm_301 (pid 301, gone)',
      'removed libfaketime file /dev/shm/sem.faketime_sem_301 (pid 301, gone)',
    ]);
    expect(s.polls()).toBe(3);
  });

  it('waits a bounded time for a process that does not die, and touches nothing on a dry run', async () => {
    const stuck = system(Infinity);
    expect(await sweepLeftovers(null, false, stuck.deps)).toEqual(['removed network namespace zooproof-300-0 (harness pid 300, gone)']);
    expect(stuck.polls()).toBe(60);
    const dry = system(0);
    expect(await sweepLeftovers(null, true, dry.deps)).toEqual(['would remove network namespace zooproof-300-0 (harness pid 300, gone)']);
    expect(dry.removed).toEqual([]);
  });
});
