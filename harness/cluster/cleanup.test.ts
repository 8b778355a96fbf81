import { describe, expect, it } from 'vitest';
import { CleanupRegistry } from './cleanup.ts';

describe('CleanupRegistry', () => {
  it('runs actions newest first and empties itself', async () => {
    const r = new CleanupRegistry();
    const order: string[] = [];
    for (const label of ['netns', 'process n1', 'process n2']) r.add({ label, run: async () => { order.push(label); }, runSync: () => {} });
    expect(r.size).toBe(3);
    expect(await r.runAll()).toEqual([]);
    expect(order).toEqual(['process n2', 'process n1', 'netns']);
    expect(r.size).toBe(0);
  });

  it('keeps going past a failing action and reports it', async () => {
    const r = new CleanupRegistry();
    const ran: string[] = [];
    r.add({ label: 'a', run: async () => { ran.push('a'); }, runSync: () => {} });
    r.add({ label: 'b', run: async () => { throw new Error('boom'); }, runSync: () => {} });
    const logged: string[] = [];
    expect(await r.runAll((m) => logged.push(m))).toEqual(['b: boom']);
    expect(ran).toEqual(['a']);
    expect(logged).toEqual(['cleanup failed: b: boom']);
  });

  it('forgets an unregistered action; the sync path runs the rest once', () => {
    const r = new CleanupRegistry();
    const ran: string[] = [];
    const forget = r.add({ label: 'done already', run: async () => {}, runSync: () => ran.push('x') });
    r.add({ label: 'kept', run: async () => {}, runSync: () => ran.push('kept') });
    forget();
    expect(r.labels()).toEqual(['kept']);
    r.runAllSync();
    r.runAllSync();
    expect(ran).toEqual(['kept']);
  });
});
